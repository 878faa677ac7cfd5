import { rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import { RateLimitedError } from './errors';

export interface RateLimitOptions {
  /** Distinguishes limiters in the shared store. */
  name: string;
  windowMs: number;
  limit: number;
  /** Defaults to the client IP (honours TRUST_PROXY through Express). */
  key?: (req: Request) => string;
  /** With REDIS_URL the counts are shared by every instance. */
  redis?: Redis | undefined;
}

/**
 * express-rate-limit with Parley's problem+json error, standard `RateLimit`
 * headers and an optional Redis store.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimitRequestHandler {
  const redis = options.redis;
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: options.name,
    ...(options.key ? { keyGenerator: options.key } : {}),
    ...(redis
      ? {
          store: new RedisStore({
            prefix: `parley:rl:${options.name}:`,
            sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
          }),
        }
      : {}),
    handler: (_req, _res, next, used) => {
      const resetTime = (_req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : Math.ceil(used.windowMs / 1000);
      next(new RateLimitedError(seconds));
    },
  });
}
