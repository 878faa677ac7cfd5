import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { createRateLimiter, type RateLimitStoreFactory } from '../shared/rate-limit';

/** Requests allowed per window; each limit counts separately. */
export interface RateLimitSettings {
  windowMs: number;
  /** New comments from one IP address. */
  commentsPerIp: number;
  /** New comments and edits by one author (keyed by their bearer token). */
  commentsPerAuthor: number;
  /** Reports from one IP address. */
  reportsPerIp: number;
  /** Reads (threads, replies, comments, counts) from one IP address. */
  readsPerIp: number;
  /** Reactions (and taking them back) from one IP address. */
  reactionsPerIp: number;
}

/**
 * Generous enough for a busy office behind one NAT address; tight enough to
 * stop a script. Slow mode per site (moderation) is the finer tool.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  windowMs: 60_000,
  commentsPerIp: 30,
  commentsPerAuthor: 10,
  reportsPerIp: 30,
  // A reader scrolling and paging makes a few a minute; a busy NAT a few hundred.
  readsPerIp: 600,
  reactionsPerIp: 120,
};

/** Makes a store per limiter (the Redis store when REDIS_URL is set); undefined: in-memory. */
export interface RateLimiters {
  commentsPerIp: RequestHandler;
  commentsPerAuthor: RequestHandler;
  reportsPerIp: RequestHandler;
  readsPerIp: RequestHandler;
  reactionsPerIp: RequestHandler;
}

function bearerKey(header: string | undefined): string | undefined {
  if (header === undefined || !header.startsWith('Bearer ')) return undefined;
  return createHash('sha256').update(header.slice('Bearer '.length)).digest('base64url');
}

export function createRateLimiters(settings: RateLimitSettings, store?: RateLimitStoreFactory): RateLimiters {
  const { windowMs } = settings;
  return {
    commentsPerIp: createRateLimiter({ name: 'comments-ip', windowMs, limit: settings.commentsPerIp, store }),
    commentsPerAuthor: createRateLimiter({
      name: 'comments-author',
      windowMs,
      limit: settings.commentsPerAuthor,
      key: (req) => bearerKey(req.headers.authorization),
      store,
    }),
    reportsPerIp: createRateLimiter({ name: 'reports-ip', windowMs, limit: settings.reportsPerIp, store }),
    readsPerIp: createRateLimiter({ name: 'reads-ip', windowMs, limit: settings.readsPerIp, store }),
    reactionsPerIp: createRateLimiter({ name: 'reactions-ip', windowMs, limit: settings.reactionsPerIp, store }),
  };
}
