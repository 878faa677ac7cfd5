/**
 * Live updates over Socket.IO: readers follow posts on the default namespace
 * (with exact catch-up from the post event log), moderators follow their sites
 * on `/moderation`; with a Redis URL every instance sees every room.
 */
import type { ServerOptions } from 'socket.io';
import { READER_LIMITS } from '../contracts/socket-events';
import { createPostDispatcher } from './post-dispatcher';
import { registerModerationHandlers } from './moderation.handlers';
import { registerReaderHandlers } from './reader.handlers';
import { createRedisAdapter, type RedisAdapterHandle } from './redis-adapter';
import type { ModerationNamespace, RealtimeDeps, RealtimeLimits, ReaderServer, Timers } from './realtime.types';

export type { RealtimeDeps, RealtimeLimits, RealtimeModerator, Timers } from './realtime.types';
export { postRoom, authorRoom, authorPostRoom, moderatorSiteRoom } from './rooms';

export const DEFAULT_REALTIME_LIMITS: RealtimeLimits = {
  maxPostsPerSocket: READER_LIMITS.maxPostsPerSocket,
  joinBurst: READER_LIMITS.joinBurst,
  joinsPerSecond: READER_LIMITS.joinsPerSecond,
  eventBurst: 60,
  eventsPerSecond: 5,
  countIntervalMs: READER_LIMITS.countIntervalMs,
  maxReplayedEvents: 2000,
};

/** Heartbeats: a load balancer's idle timeout must exceed pingInterval + pingTimeout (45 s). */
export const PING_INTERVAL_MS = 25_000;
export const PING_TIMEOUT_MS = 20_000;

/**
 * Socket.IO server options for `new Server(http, …)`. Connection state
 * recovery needs an adapter that keeps packets (in-memory or streams): it is on
 * for a single instance only; with Redis, `post:join` + `since` does the job.
 * Several instances without sticky sessions need the websocket transport.
 */
export function realtimeServerOptions(options: { redisUrl?: string | undefined }): Partial<ServerOptions> {
  const isClustered = options.redisUrl !== undefined;
  return {
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: PING_TIMEOUT_MS,
    transports: isClustered ? ['websocket'] : ['polling', 'websocket'],
    ...(isClustered ? {} : { connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false } }),
  };
}

export interface Realtime {
  /** Stops listening to the bus and closes Redis connections. Call after `io.close()`. */
  close(): Promise<void>;
}

export interface AttachRealtimeDeps extends RealtimeDeps {
  /** The panel's session cookie name (from identity). */
  moderatorSessionCookie: string;
  /** PUBLIC_URL's origin: the panel's own pages. */
  panelOrigin?: string | undefined;
}

const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};

/**
 * Wires the Socket.IO server: reader and moderator handlers, bus → room
 * bridges, the Redis adapter when `redisUrl` is set. Resolves once Redis (if
 * any) is subscribed, so call it before the HTTP server listens.
 */
export async function attachRealtime(deps: AttachRealtimeDeps): Promise<Realtime> {
  // The composition root creates an untyped server; the event maps are this component's contract.
  const io = deps.io as unknown as ReaderServer;
  const { bus, logger, clock } = deps;
  const timers = deps.timers ?? systemTimers;
  const limits: RealtimeLimits = { ...DEFAULT_REALTIME_LIMITS, ...deps.limits };

  let redis: RedisAdapterHandle | undefined;
  if (deps.redisUrl !== undefined) {
    redis = createRedisAdapter({ url: deps.redisUrl, logger, connectTimeoutMs: 10_000 });
    io.adapter(redis.adapter);
  }
  const moderation = io.of('/moderation') as unknown as ModerationNamespace;
  if (redis) {
    try {
      await redis.waitUntilSubscribed();
    } catch (error) {
      await redis.close();
      throw error;
    }
  }

  const dispatcher = createPostDispatcher({ io, timers, countIntervalMs: limits.countIntervalMs });
  registerReaderHandlers({
    io,
    dispatcher,
    logger,
    clock,
    limits,
    checkJoin: deps.checkJoin,
    replayPostEvents: deps.replayPostEvents,
    identifyReader: deps.identifyReader,
  });
  const stopModeration = registerModerationHandlers({
    nsp: moderation,
    bus,
    logger,
    clock,
    timers,
    limits,
    authenticateModerator: deps.authenticateModerator,
    onModeratorGone: deps.onModeratorGone,
    sessionCookie: deps.moderatorSessionCookie,
    panelOrigin: deps.panelOrigin,
    sessionRecheckMs: 5 * 60_000,
  });

  // Every instance gets every post event: its own from the bus, the others' through
  // the adapter. Each then delivers to its own sockets (see PostDispatcher for why).
  const isClustered = redis !== undefined;
  const unsubscribers = [
    bus.subscribe('post.event', (event) => {
      dispatcher.deliver(event);
      if (isClustered) io.serverSideEmit('parley:post-event', event);
    }),
    bus.subscribe('post.count', (event) => {
      dispatcher.deliverCount(event);
      if (isClustered) io.serverSideEmit('parley:post-count', event);
    }),
    bus.subscribe('post.reactions', (event) => {
      dispatcher.deliverReactions(event);
      if (isClustered) io.serverSideEmit('parley:post-reactions', event);
    }),
    // Only this instance's own writes go out; the others' come back in as remote ones.
    bus.subscribe('post.pages-changed', (event) => {
      if (isClustered && !event.isRemote) io.serverSideEmit('parley:post-pages-changed', event.postIds);
    }),
  ];
  io.on('parley:post-event', (event) => dispatcher.deliver(event));
  io.on('parley:post-count', (event) => dispatcher.deliverCount(event));
  io.on('parley:post-reactions', (event) => dispatcher.deliverReactions(event));
  io.on('parley:post-pages-changed', (postIds) => bus.publish('post.pages-changed', { postIds, isRemote: true }));

  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        for (const unsubscribe of unsubscribers) unsubscribe();
        stopModeration();
        dispatcher.close();
        await redis?.close();
      })();
      return closing;
    },
  };
}
