import type { Clock } from '../shared/clock';

/** A replay point older than this is not used: the page then waits for the post's own seq. */
export const REPLAY_POINT_FRESH_MS = 10_000;
/** Posts remembered at most (the least recently learned are forgotten first). */
export const REPLAY_POINTS_MAX = 10_000;

/**
 * Per post, an event sequence this instance has seen reached, and when. Any seq read
 * before a thread page is a safe replay point for that page: events after it are
 * replayed, and one the page already shows is only seen twice (ids are stable), never
 * missed. Remembering the seq of the last read lets the next page start beside the
 * post's lookup instead of after it. A point may lag behind other instances' events;
 * it is used only while fresh, so a late joiner replays seconds of events, not hours.
 */
export interface ReplayPoints {
  /** A seq known to be reached, if one was learned recently enough. */
  before(site: string, post: string): number | undefined;
  learn(site: string, post: string, seq: number): void;
}

export function createReplayPoints(clock: Clock, options: { freshMs?: number; max?: number } = {}): ReplayPoints {
  const freshMs = options.freshMs ?? REPLAY_POINT_FRESH_MS;
  const max = options.max ?? REPLAY_POINTS_MAX;
  const points = new Map<string, { seq: number; at: number }>();
  const keyOf = (site: string, post: string): string => `${site}\n${post}`;
  return {
    before(site, post) {
      const point = points.get(keyOf(site, post));
      if (point === undefined || clock.now().getTime() - point.at > freshMs) return undefined;
      return point.seq;
    },
    learn(site, post, seq) {
      const key = keyOf(site, post);
      const known = points.get(key);
      // Sequences only grow; a smaller one is a read that overtook a newer one.
      const value = { seq: Math.max(seq, known?.seq ?? seq), at: clock.now().getTime() };
      points.delete(key);
      points.set(key, value);
      if (points.size > max) {
        const oldest = points.keys().next().value;
        if (oldest !== undefined) points.delete(oldest);
      }
    },
  };
}
