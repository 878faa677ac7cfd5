import type { Logger } from 'pino';
import type { JoinResult } from '../contracts/socket-events';
import { AppError, RateLimitedError, isAppError, parseInput, type PostEvent } from '../shared';
import type { Clock } from '../shared/clock';
import type { CatchUp, PostDispatcher } from './post-dispatcher';
import type { RealtimeDeps, RealtimeLimits, ReaderServer, ReaderSocket } from './realtime.types';
import { authorPostRoom, authorRoom, postRoom } from './rooms';
import { joinPayloadSchema, leavePayloadSchema, readAck, toAckError } from './socket.schemas';
import { createTokenBucket } from './token-bucket';

export interface ReaderHandlerDeps {
  io: ReaderServer;
  dispatcher: PostDispatcher;
  logger: Logger;
  clock: Clock;
  limits: RealtimeLimits;
  checkJoin: RealtimeDeps['checkJoin'];
  replayPostEvents: RealtimeDeps['replayPostEvents'];
  identifyReader: RealtimeDeps['identifyReader'];
}

function isVisibleTo(event: PostEvent, authorId: string | null): boolean {
  return event.audience.kind === 'public' || event.audience.authorId === authorId;
}

function emitToSocket(socket: ReaderSocket, event: PostEvent): void {
  switch (event.type) {
    case 'comment:created':
      socket.emit('comment:created', event.payload);
      return;
    case 'comment:updated':
      socket.emit('comment:updated', event.payload);
      return;
    case 'comment:removed':
      socket.emit('comment:removed', event.payload);
      return;
    case 'post:updated':
      socket.emit('post:updated', event.payload);
      return;
    case 'comment:featured':
      socket.emit('comment:featured', event.payload);
      return;
  }
}

/** Leaves `author:<id>` once none of the socket's posts is joined as that author. */
function releaseAuthorRoom(socket: ReaderSocket, authorId: string | null | undefined): void {
  if (!authorId) return;
  const isStillUsed = Object.values(socket.data.joined).some((joined) => joined.authorId === authorId);
  if (!isStillUsed) void socket.leave(authorRoom(authorId));
}

function enterPost(socket: ReaderSocket, site: string, post: string, authorId: string | null): void {
  const room = postRoom(site, post);
  const previous = socket.data.joined[room];
  if (previous?.authorId && previous.authorId !== authorId) void socket.leave(authorPostRoom(previous.authorId, site, post));
  const rooms = [room];
  if (authorId) rooms.push(authorRoom(authorId), authorPostRoom(authorId, site, post));
  void socket.join(rooms);
  socket.data.joined[room] = { site, post, authorId };
  if (previous?.authorId !== authorId) releaseAuthorRoom(socket, previous?.authorId);
}

function leavePost(socket: ReaderSocket, site: string, post: string): void {
  const room = postRoom(site, post);
  const previous = socket.data.joined[room];
  void socket.leave(room);
  if (previous?.authorId) void socket.leave(authorPostRoom(previous.authorId, site, post));
  delete socket.data.joined[room];
  releaseAuthorRoom(socket, previous?.authorId);
}

/**
 * Readers on the default namespace: `post:join` (with catch-up) and `post:leave`.
 * A socket may be in `maxPostsPerSocket` posts, join at a limited rate, and is
 * disconnected when it floods the server with events of any kind.
 */
export function registerReaderHandlers(deps: ReaderHandlerDeps): void {
  const { io, dispatcher, logger, clock, limits } = deps;

  io.on('connection', (socket) => {
    // A recovered connection (connection state recovery) comes back with its data and rooms.
    socket.data.joined ??= {};
    const origin = typeof socket.handshake.headers.origin === 'string' ? socket.handshake.headers.origin : undefined;
    const events = createTokenBucket({ capacity: limits.eventBurst, perSecond: limits.eventsPerSecond, clock });
    const joins = createTokenBucket({ capacity: limits.joinBurst, perSecond: limits.joinsPerSecond, clock });
    /** Joins awaiting the database, by room. */
    const joining = new Map<string, { catchUp: CatchUp | undefined; isCancelled: boolean }>();

    socket.use((_packet, next) => {
      if (events.take()) {
        next();
        return;
      }
      logger.warn({ socketId: socket.id, address: socket.handshake.address }, 'reader socket flooded us: disconnecting it');
      socket.disconnect(true);
    });

    const join = async (raw: unknown): Promise<JoinResult> => {
      const input = parseInput(joinPayloadSchema, raw, 'post:join payload');
      if (!joins.take()) throw new RateLimitedError(Math.ceil(joins.secondsUntilToken()));
      const { site, post } = input;
      const room = postRoom(site, post);
      if (joining.has(room)) throw new AppError('RATE_LIMITED', 'This post is already being joined');
      const isMember = socket.rooms.has(room);
      if (!isMember && Object.keys(socket.data.joined).length + joining.size >= limits.maxPostsPerSocket) {
        throw new AppError('TOO_MANY_ROOMS', `A connection may follow at most ${limits.maxPostsPerSocket} posts`, {
          limit: limits.maxPostsPerSocket,
        });
      }
      // A member has been receiving live events all along (or got them back through
      // connection state recovery): nothing to replay. Anyone else holds live events
      // from now on, before reading anything, so nothing can fall between reads.
      const pending = { catchUp: isMember ? undefined : dispatcher.beginCatchUp(socket.id, site, post), isCancelled: false };
      joining.set(room, pending);
      try {
        const reader = input.authorToken ? await deps.identifyReader({ site, bearer: input.authorToken }) : undefined;
        const authorId = reader?.authorId ?? null;
        const state = await deps.checkJoin(site, post, origin);
        // A cursor from the future (a database that was reset) replays from the current state.
        const since = pending.catchUp ? Math.min(input.since ?? state.seq, state.seq) : state.seq;
        // The log answers in pages; a client too far behind reloads the thread instead.
        const replay: PostEvent[] = [];
        let cursor = since;
        let isReset = false;
        while (pending.catchUp && cursor < state.seq) {
          const page = await deps.replayPostEvents({ site, post, since: cursor, viewerAuthorId: authorId ?? undefined });
          const pageEnd = page.reduce((max, event) => Math.max(max, event.payload.seq), cursor);
          if (pageEnd <= cursor) break;
          replay.push(...page);
          cursor = pageEnd;
          if (replay.length >= limits.maxReplayedEvents && cursor < state.seq) {
            isReset = true;
            replay.length = 0;
            break;
          }
        }
        if (pending.isCancelled || !socket.connected) throw new AppError('VALIDATION_FAILED', 'Left before the join finished');

        // From here on everything is synchronous: no live event can slip between these lines.
        enterPost(socket, site, post, authorId);
        let last = isReset ? state.seq : since;
        let replayed = 0;
        const send = (event: PostEvent): void => {
          if (event.payload.seq <= last || !isVisibleTo(event, authorId)) return;
          emitToSocket(socket, event);
          last = event.payload.seq;
          replayed += 1;
        };
        for (const event of [...replay].sort((a, b) => a.payload.seq - b.payload.seq)) send(event);
        const held = pending.catchUp?.finish();
        for (const event of held?.events ?? []) send(event);
        return {
          seq: Math.max(last, state.seq),
          count: held?.count?.count ?? state.count,
          replayed,
          isAuthor: authorId !== null,
          ...(isReset ? { isReset } : {}),
        };
      } finally {
        pending.catchUp?.cancel();
        joining.delete(room);
      }
    };

    socket.on('post:join', (payload: unknown, ackCandidate: unknown) => {
      const ack = readAck<JoinResult>(ackCandidate);
      join(payload).then(
        (data) => ack({ ok: true, data }),
        (error: unknown) => {
          if (!isAppError(error)) logger.error({ err: error, socketId: socket.id }, 'post:join failed');
          ack(toAckError(error));
        },
      );
    });

    socket.on('post:leave', (payload: unknown, ackCandidate?: unknown) => {
      const ack = readAck<null>(ackCandidate);
      try {
        const { site, post } = parseInput(leavePayloadSchema, payload, 'post:leave payload');
        const pending = joining.get(postRoom(site, post));
        if (pending) pending.isCancelled = true;
        leavePost(socket, site, post);
        ack({ ok: true, data: null });
      } catch (error) {
        ack(toAckError(error));
      }
    });

    socket.on('disconnect', () => {
      for (const pending of joining.values()) {
        pending.isCancelled = true;
        pending.catchUp?.cancel();
      }
    });
  });
}
