import { asError, createBatcher } from './batcher';

/**
 * Group read: reads that callers make at about the same time go to the database as
 * one command (one `find` for many keys) instead of one command each, batched as
 * `batcher.ts` describes. A batch is sent only after every one of its callers asked,
 * and never joined once sent: what arrives while a batch is in flight waits for it
 * and goes out as the next batch. So each caller's answer reflects every write that
 * was acknowledged before it asked, exactly as its own read would.
 */
export type BatchReader<Q, R> = (queries: readonly Q[]) => Promise<readonly R[]>;

export const DEFAULT_MAX_READ_BATCH = 200;

export function createGroupRead<Q, R>(
  read: BatchReader<Q, R>,
  options: { connection: object; maxBatch?: number },
): (query: Q) => Promise<R> {
  const batcher = createBatcher<Q, R>(
    async (batch) => {
      try {
        const results = await read(batch.map((waiting) => waiting.item));
        batch.forEach((waiting, index) => {
          if (index < results.length) waiting.resolve(results[index] as R);
          else waiting.reject(new Error('group read: no result for a query'));
        });
      } catch (error) {
        const failure = asError(error);
        for (const waiting of batch) waiting.reject(failure);
      }
    },
    { connection: options.connection, maxBatch: options.maxBatch ?? DEFAULT_MAX_READ_BATCH },
  );
  return (query) => batcher.add(query);
}
