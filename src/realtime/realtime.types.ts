import type { Namespace, Server, Socket } from 'socket.io';
import type { Logger } from 'pino';
import type {
  ClientToServerEvents,
  CountEvent,
  ReactionsEvent,
  ModerationClientToServerEvents,
  ModerationServerToClientEvents,
  ServerToClientEvents,
} from '../contracts/socket-events';
import type { Clock } from '../shared/clock';
import type { DomainEvents, EventBus, PostEvent } from '../shared';

/** A moderator as the `/moderation` namespace needs it. */
export interface RealtimeModerator {
  id: string;
  name: string;
  role: 'admin' | 'moderator';
  /** Sites in scope; ignored for admins (every site). */
  sites: string[];
}

/** Timer functions, injectable so tests and benchmarks control coalescing. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(handle: NodeJS.Timeout): void;
}

export interface RealtimeDeps {
  /** The Socket.IO server, created by the composition root with `realtimeServerOptions()`. */
  io: Server;
  bus: EventBus<DomainEvents>;
  logger: Logger;
  clock: Clock;
  timers?: Timers;
  /**
   * Validates a join: the site exists and the socket's Origin (undefined for
   * non-browser clients) may embed it. Returns the post's published count and
   * latest event `seq` (0 for a post nobody wrote to yet). Throws AppError
   * SITE_NOT_FOUND / ORIGIN_NOT_ALLOWED.
   */
  checkJoin: (site: string, post: string, origin: string | undefined) => Promise<{ count: number; seq: number }>;
  /** The post's events with `seq > since`, oldest first, as `viewerAuthorId` may see them. */
  replayPostEvents: (input: { site: string; post: string; since: number; viewerAuthorId: string | undefined }) => Promise<PostEvent[]>;
  /** The author behind a guest author token or SSO token; undefined when invalid. */
  identifyReader: (input: { site: string; bearer: string }) => Promise<{ authorId: string } | undefined>;
  /** Throws AppError UNAUTHENTICATED / SESSION_EXPIRED for a bad token. */
  authenticateModerator: (token: string, via: 'bearer' | 'cookie') => Promise<RealtimeModerator>;
  /** A moderator's last socket on this instance closed (their panel is gone): end their claims. */
  onModeratorGone?: ((moderatorId: string) => Promise<void>) | undefined;
  /** With a Redis URL, rooms span every instance through the Redis adapter. */
  redisUrl?: string | undefined;
  /** Overrides of the reader limits (tests, benchmarks). */
  limits?: Partial<RealtimeLimits>;
}

export interface RealtimeLimits {
  maxPostsPerSocket: number;
  joinBurst: number;
  joinsPerSecond: number;
  /** Incoming events of any kind a socket may send in a burst before it is disconnected… */
  eventBurst: number;
  /** …refilled at this rate. */
  eventsPerSecond: number;
  countIntervalMs: number;
  /** A `since` further behind than this many events gets `isReset` instead of a replay. */
  maxReplayedEvents: number;
}

/** One post a reader socket joined. */
export interface JoinedPost {
  site: string;
  post: string;
  /** The author this socket identified as on the post's site, if any. */
  authorId: string | null;
}

export interface ReaderSocketData {
  /** Keyed by post room name; kept in `socket.data` so a recovered connection keeps it. */
  joined: Record<string, JoinedPost>;
}

export interface ModeratorSocketData {
  moderator: RealtimeModerator;
  /** Sites this socket narrowed itself to with `sites:watch`; null: its whole scope. */
  watching: string[] | null;
}

/** Messages between instances (Redis adapter `serverSideEmit`). */
export interface InterServerEvents {
  'parley:post-event': (event: PostEvent) => void;
  'parley:post-count': (event: CountEvent) => void;
  'parley:post-reactions': (event: ReactionsEvent) => void;
  /** These posts' page versions moved: cached thread pages of them go. */
  'parley:post-pages-changed': (postIds: string[]) => void;
}

export type ReaderServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, ReaderSocketData>;
export type ReaderSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, ReaderSocketData>;
export type ModerationNamespace = Namespace<
  ModerationClientToServerEvents,
  ModerationServerToClientEvents,
  InterServerEvents,
  ModeratorSocketData
>;
export type ModeratorSocket = Socket<
  ModerationClientToServerEvents,
  ModerationServerToClientEvents,
  InterServerEvents,
  ModeratorSocketData
>;
