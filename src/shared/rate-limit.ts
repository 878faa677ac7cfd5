import { ipKeyGenerator, rateLimit, type RateLimitRequestHandler, type Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import { RateLimitedError } from './errors';

/** Makes a store per limiter (the Redis store when REDIS_URL is set); undefined: in-memory. */
export type RateLimitStoreFactory = (prefix: string) => Store;

export interface RateLimitOptions {
  /** Distinguishes limiters in a shared store. */
  name: string;
  windowMs: number;
  limit: number;
  /** What is counted; undefined skips the request. Defaults to the client IP (TRUST_PROXY decides which). */
  key?: (req: Request) => string | undefined;
  /** Counters shared by every instance; in-memory when absent. */
  store?: RateLimitStoreFactory | undefined;
}

/** The client's address as Express sees it (IPv6 grouped by /56 so one host can't rotate through its prefix). */
export function clientIpKey(req: Request): string {
  return clientAddressKey(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

/** One client as limits and bans count it: an IPv4 address, or an IPv6 /56 prefix. */
export function clientAddressKey(ip: string): string {
  return ipKeyGenerator(ip);
}

/**
 * express-rate-limit with Parley's problem+json error (RATE_LIMITED with
 * `retryAfterSeconds` and a Retry-After header) and the standard `RateLimit` headers.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimitRequestHandler {
  const key = options.key ?? clientIpKey;
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Which proxies to trust is the operator's TRUST_PROXY, not the limiter's to second-guess.
    validate: { xForwardedForHeader: false, trustProxy: false },
    ...(options.store ? { store: options.store(`parley:rl:${options.name}:`) } : {}),
    skip: (req) => key(req) === undefined,
    keyGenerator: (req) => key(req) ?? '',
    handler: (req, _res, next) => {
      const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = resetTime
        ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000))
        : Math.ceil(options.windowMs / 1000);
      next(new RateLimitedError(seconds));
    },
  });
}

/** Rate-limit counters in Redis, shared by every instance. */
export function createRedisRateLimitStoreFactory(redis: Pick<Redis, 'call'>): RateLimitStoreFactory {
  return (prefix) =>
    new RedisStore({
      prefix,
      sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
    });
}
