import type { AuthorNoticeDto, CommentDto, ModerationItemDto, PublicPostDto } from './comments';
import type { ImportJobDto } from './portability';
import type { ProblemCode } from './problem-codes';
import type { WebhookDeliveryStatus } from './webhooks';

/** Every acknowledgement has this shape. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: ProblemCode; message: string } };

/** Live events of one post carry the post's event sequence number: the `since` cursor. */
export interface PostEventMeta {
  site: string;
  post: string;
  seq: number;
}

export interface CommentEvent extends PostEventMeta {
  comment: CommentDto;
}

export interface CommentRemovedEvent extends PostEventMeta {
  id: string;
  reason: 'rejected' | 'deleted';
  /** When the deleted comment stays as a tombstone for its replies. */
  tombstone: CommentDto | null;
  /** Only in the copy sent to the comment's author: what happened to it, in words for them. */
  notice?: AuthorNoticeDto;
}

/** `post:updated`: the post's heat or closed state changed (banners in open widgets). */
export interface PostUpdatedEvent extends PostEventMeta {
  state: Pick<PublicPostDto, 'closed' | 'banner'>;
}

/**
 * `comment:featured`: a moderator featured (`featured: true`, with the comment
 * to pin) or unfeatured it. Sequenced like the other post events.
 */
export interface CommentFeaturedEvent extends PostEventMeta {
  commentId: string;
  featured: boolean;
  /** The comment as readers see it (null when unfeatured). */
  comment: CommentDto | null;
}

export interface CountEvent {
  site: string;
  post: string;
  count: number;
}

/** `reactions:updated`: a comment's positive reaction count changed (coalesced per post). */
export interface ReactionsEvent {
  site: string;
  post: string;
  commentId: string;
  reactions: number;
}

export interface JoinPayload {
  site: string;
  post: string;
  /** The last `seq` this client saw; events after it are replayed in order. */
  since?: number;
  /** A guest's author token or an SSO token: lets the author receive their own pending comments. */
  authorToken?: string;
}

export interface JoinResult {
  seq: number;
  count: number;
  /** Number of events replayed after `since`. */
  replayed: number;
  /** Whether `authorToken` identified an author: their pending comments reach this socket. */
  isAuthor?: boolean;
  /** `since` was too far behind to replay: reload the thread page (live events flow from `seq` on). */
  isReset?: boolean;
}

/** Reader namespace (`/`). */
export interface ServerToClientEvents {
  'comment:created': (event: CommentEvent) => void;
  'comment:updated': (event: CommentEvent) => void;
  'comment:removed': (event: CommentRemovedEvent) => void;
  'count:updated': (event: CountEvent) => void;
  /** Coalesced per post and comment: at most one per interval, last value wins. */
  'reactions:updated': (event: ReactionsEvent) => void;
  /** The post was closed or opened, heated, locked down or calmed: open widgets show it at once. */
  'post:updated': (event: PostUpdatedEvent) => void;
  /** A moderator featured or unfeatured a comment: widgets update their Featured block. */
  'comment:featured': (event: CommentFeaturedEvent) => void;
}

export interface ClientToServerEvents {
  'post:join': (payload: JoinPayload, ack: (result: Ack<JoinResult>) => void) => void;
  'post:leave': (payload: { site: string; post: string }, ack?: (result: Ack<null>) => void) => void;
}

export type QueueName = 'pending' | 'reported' | 'rejected' | 'approved';

export interface QueueAddedEvent {
  queue: QueueName;
  item: ModerationItemDto;
}

export interface QueueRemovedEvent {
  queue: QueueName;
  id: string;
  /** What took it out of the queue. */
  reason: 'approved' | 'rejected' | 'restored' | 'deleted' | 'edited' | 'dismissed';
  moderatorId: string | null;
}

export interface ClaimEvent {
  id: string;
  site: string;
  moderatorId: string;
  moderatorName: string;
  until: string;
}

export interface ReleaseEvent {
  id: string;
  site: string;
}

export interface StatsDto {
  queues: Record<QueueName, number>;
  decisionsLastHour: number;
  medianSecondsToDecision: number | null;
  /** Authors nudged before posting (409 COMMENT_NUDGED), and what they did next. */
  nudges?: NudgeStatsDto;
}

/** Nudges over the last `windowHours`: shown, then revised (published after an edit) or posted anyway (held). */
export interface NudgeStatsDto {
  windowHours: number;
  shown: number;
  revised: number;
  postedAnyway: number;
}

/** Moderator namespace (`/moderation`), auth in the handshake (`auth: { token }` or the session cookie). */
export interface ModerationServerToClientEvents {
  'queue:added': (event: QueueAddedEvent) => void;
  'queue:removed': (event: QueueRemovedEvent) => void;
  'comment:claimed': (event: ClaimEvent) => void;
  'comment:released': (event: ReleaseEvent) => void;
  'stats:updated': (event: StatsDto & { site: string | null }) => void;
  /** An import or restore moved on (progress at most every 200 ms, then done or failed); admins only. */
  'import:updated': (event: ImportJobDto) => void;
  /** A webhook delivery was queued, attempted, delivered or given up: the endpoint's log changed. */
  'webhook:delivery': (event: WebhookDeliveryEvent) => void;
}

export interface WebhookDeliveryEvent {
  site: string;
  hookId: string;
  deliveryId: string;
  status: WebhookDeliveryStatus;
}

export interface ModerationClientToServerEvents {
  /** Narrows the events this socket receives to one site (default: all sites in scope). */
  'sites:watch': (payload: { sites: string[] }, ack: (result: Ack<{ sites: string[] }>) => void) => void;
}

/** `err.data` of a refused handshake (`connect_error`), e.g. `{ code: 'UNAUTHENTICATED' }`. */
export interface ConnectErrorData {
  code: ProblemCode;
}

/** `post:leave` payload. */
export interface LeavePayload {
  site: string;
  post: string;
}

/** Limits a reader socket lives with; exceeding the event flood limit disconnects the socket. */
export const READER_LIMITS = {
  /** Posts one socket may have joined at once (TOO_MANY_ROOMS beyond). */
  maxPostsPerSocket: 20,
  /** `post:join` burst, then refills at `joinsPerSecond` (RATE_LIMITED beyond). */
  joinBurst: 10,
  joinsPerSecond: 1,
  /** `count:updated` is coalesced per post to at most one per this interval (last value wins). */
  countIntervalMs: 250,
} as const;
