import type { BroadcastOperator } from 'socket.io';
import type { CountEvent, ReactionsEvent, ServerToClientEvents } from '../contracts/socket-events';
import type { PostEvent } from '../shared';
import type { ReaderServer, ReaderSocketData, Timers } from './realtime.types';
import { authorPostRoom, postRoom } from './rooms';

/** A socket catching up on one post: live events are held here instead of sent. */
export interface CatchUp {
  /** Ends the catch-up: the held events (seq order, no repeats) and the latest count, if one came. */
  finish(): { events: PostEvent[]; count: CountEvent | undefined };
  /** Ends the catch-up, dropping what was held (the join failed). */
  cancel(): void;
}

/**
 * Delivers post events to this instance's reader sockets. Every instance runs
 * one and receives every post event (its own bus, other instances through the
 * adapter), so a socket catching up can hold live events until its replay is
 * sent: that is what makes `since` exact (no misses, no repeats, in order).
 */
export interface PostDispatcher {
  deliver(event: PostEvent): void;
  /** Coalesced per post: at most one `count:updated` per interval, last value wins. */
  deliverCount(event: CountEvent): void;
  /** Coalesced per comment like counts: a burst of reactions is one `reactions:updated` with the last total. */
  deliverReactions(event: ReactionsEvent): void;
  beginCatchUp(socketId: string, site: string, post: string): CatchUp;
  close(): void;
}

interface HeldEvents {
  events: PostEvent[];
  count: CountEvent | undefined;
}

type ReaderBroadcast = BroadcastOperator<ServerToClientEvents, ReaderSocketData>;

function emitPostEvent(target: ReaderBroadcast, event: PostEvent): void {
  switch (event.type) {
    case 'comment:created':
      target.emit('comment:created', event.payload);
      return;
    case 'comment:updated':
      target.emit('comment:updated', event.payload);
      return;
    case 'comment:removed':
      target.emit('comment:removed', event.payload);
      return;
    case 'post:updated':
      target.emit('post:updated', event.payload);
      return;
    case 'comment:featured':
      target.emit('comment:featured', event.payload);
      return;
  }
}

export function createPostDispatcher(deps: { io: ReaderServer; timers: Timers; countIntervalMs: number }): PostDispatcher {
  const { io, timers, countIntervalMs } = deps;
  /** room → socket id → what it missed while catching up. */
  const catchUps = new Map<string, Map<string, HeldEvents>>();
  const pendingCounts = new Map<string, { event: CountEvent; timer: NodeJS.Timeout }>();

  const pendingReactions = new Map<string, { event: ReactionsEvent; timer: NodeJS.Timeout }>();

  const flushReactions = (key: string): void => {
    const pending = pendingReactions.get(key);
    if (!pending) return;
    pendingReactions.delete(key);
    io.local.to(postRoom(pending.event.site, pending.event.post)).emit('reactions:updated', pending.event);
  };

  const flushCount = (room: string): void => {
    const pending = pendingCounts.get(room);
    if (!pending) return;
    pendingCounts.delete(room);
    io.local.to(room).emit('count:updated', pending.event);
    for (const held of catchUps.get(room)?.values() ?? []) held.count = pending.event;
  };

  return {
    deliver(event) {
      const { site, post } = event.payload;
      const room = postRoom(site, post);
      const catchingUp = catchUps.get(room);
      const target = event.audience.kind === 'public' ? room : authorPostRoom(event.audience.authorId, site, post);
      // One broadcast: Socket.IO encodes the frame once for every socket in the room.
      const broadcast = catchingUp ? io.local.to(target).except([...catchingUp.keys()]) : io.local.to(target);
      emitPostEvent(broadcast, event);
      for (const held of catchingUp?.values() ?? []) held.events.push(event);
    },

    deliverCount(event) {
      const room = postRoom(event.site, event.post);
      const pending = pendingCounts.get(room);
      if (pending) {
        pending.event = event;
        return;
      }
      pendingCounts.set(room, { event, timer: timers.setTimeout(() => flushCount(room), countIntervalMs) });
    },

    deliverReactions(event) {
      const key = `${postRoom(event.site, event.post)}\n${event.commentId}`;
      const pending = pendingReactions.get(key);
      if (pending) {
        pending.event = event;
        return;
      }
      pendingReactions.set(key, { event, timer: timers.setTimeout(() => flushReactions(key), countIntervalMs) });
    },

    beginCatchUp(socketId, site, post) {
      const room = postRoom(site, post);
      let sockets = catchUps.get(room);
      if (!sockets) {
        sockets = new Map();
        catchUps.set(room, sockets);
      }
      const held: HeldEvents = { events: [], count: undefined };
      sockets.set(socketId, held);
      const end = (): void => {
        const current = catchUps.get(room);
        if (current?.get(socketId) !== held) return;
        current.delete(socketId);
        if (current.size === 0) catchUps.delete(room);
      };
      return {
        finish() {
          end();
          const bySeq = new Map<number, PostEvent>();
          for (const event of held.events) bySeq.set(event.payload.seq, event);
          return { events: [...bySeq.values()].sort((a, b) => a.payload.seq - b.payload.seq), count: held.count };
        },
        cancel: end,
      };
    },

    close() {
      for (const pending of pendingCounts.values()) timers.clearTimeout(pending.timer);
      pendingCounts.clear();
      for (const pending of pendingReactions.values()) timers.clearTimeout(pending.timer);
      pendingReactions.clear();
      catchUps.clear();
    },
  };
}
