import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { RateLimitedError } from '../shared/errors';

/** Requests allowed per window; each limit counts separately. */
export interface RateLimitSettings {
  windowMs: number;
  /** New comments from one IP address. */
  commentsPerIp: number;
  /** New comments and edits by one author (keyed by their bearer token). */
  commentsPerAuthor: number;
  /** Reports from one IP address. */
  reportsPerIp: number;
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
};

/** Makes a store per limiter (the Redis store when REDIS_URL is set); undefined: in-memory. */
export type RateLimitStoreFactory = (prefix: string) => Store;

export interface RateLimiters {
  commentsPerIp: RequestHandler;
  commentsPerAuthor: RequestHandler;
  reportsPerIp: RequestHandler;
}

function bearerKey(header: string | undefined): string | undefined {
  if (header === undefined || !header.startsWith('Bearer ')) return undefined;
  return createHash('sha256').update(header.slice('Bearer '.length)).digest('base64url');
}

export function createRateLimiters(settings: RateLimitSettings, makeStore?: RateLimitStoreFactory): RateLimiters {
  const limiter = (name: string, limit: number, key: (req: Parameters<RequestHandler>[0]) => string | undefined): RequestHandler =>
    rateLimit({
      windowMs: settings.windowMs,
      limit,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      // Clients behind TRUST_PROXY are told apart by X-Forwarded-For; otherwise it is
      // ignored. Which proxies to trust is the operator's TRUST_PROXY, not ours to second-guess.
      validate: { xForwardedForHeader: false, trustProxy: false },
      ...(makeStore ? { store: makeStore(`parley:rl:${name}:`) } : {}),
      skip: (req) => key(req) === undefined,
      keyGenerator: (req) => key(req) ?? '',
      handler: (req, _res, next) => {
        const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : Math.ceil(settings.windowMs / 1000);
        next(new RateLimitedError(seconds));
      },
    });
  const ipOf = (req: Parameters<RequestHandler>[0]): string => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
  return {
    commentsPerIp: limiter('comments-ip', settings.commentsPerIp, ipOf),
    commentsPerAuthor: limiter('comments-author', settings.commentsPerAuthor, (req) => bearerKey(req.headers.authorization)),
    reportsPerIp: limiter('reports-ip', settings.reportsPerIp, ipOf),
  };
}

/** Rate-limit counters in Redis, shared by every instance. */
export function createRedisRateLimitStoreFactory(redis: Pick<Redis, 'call'>): RateLimitStoreFactory {
  return (prefix) =>
    new RedisStore({
      prefix,
      sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
    });
}
