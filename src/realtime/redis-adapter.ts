import { Redis } from 'ioredis';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';

export interface RedisAdapterHandle {
  /** The adapter constructor to hand to `io.adapter()`. */
  adapter: ReturnType<typeof createAdapter>;
  /** Resolves once both connections are up and the adapter's subscriptions are in place. */
  waitUntilSubscribed(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The classic Redis pub/sub adapter on two ioredis connections (publishing and
 * subscribing). See the README ("Live updates and several instances") for why
 * this one rather than the sharded or streams adapter.
 */
export function createRedisAdapter(options: { url: string; logger: Logger; connectTimeoutMs: number }): RedisAdapterHandle {
  const { url, logger } = options;
  const pub = new Redis(url, { lazyConnect: false, connectTimeout: options.connectTimeoutMs, maxRetriesPerRequest: 3 });
  const sub = pub.duplicate();
  let lastError = '';
  for (const [role, client] of [
    ['publisher', pub],
    ['subscriber', sub],
  ] as const) {
    client.on('error', (error: Error) => {
      // ioredis reconnects by itself; log each distinct failure once, not every retry.
      if (error.message === lastError) return;
      lastError = error.message;
      logger.error({ err: error, role }, 'redis connection for Socket.IO failed');
    });
    client.on('ready', () => {
      lastError = '';
    });
  }
  const adapter = createAdapter(pub, sub, { key: 'parley', requestsTimeout: 5000 });

  return {
    adapter,
    async waitUntilSubscribed() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis at REDIS_URL did not answer within ${options.connectTimeoutMs} ms`)),
          options.connectTimeoutMs,
        );
      });
      try {
        // Commands on one connection run in order: once PING answers, the adapter's
        // (P)SUBSCRIBE sent before it are in place too.
        await Promise.race([Promise.all([pub.ping(), sub.ping()]), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
      pub.disconnect();
      sub.disconnect();
    },
  };
}
