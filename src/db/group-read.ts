/**
 * Group read: reads that callers make at about the same time go to the database as
 * one command (one `find` for many keys) instead of one command each, as group commit
 * does for writes. A batch is sent only after every one of its callers asked, and
 * never joined once sent: what arrives while a batch is in flight waits for it and
 * goes out as the next batch. So each caller's answer reflects every write that was
 * acknowledged before it asked, exactly as its own read would.
 */
export type BatchReader<Q, R> = (queries: readonly Q[]) => Promise<readonly R[]>;

interface Waiting<Q, R> {
  query: Q;
  resolve: (result: R) => void;
  reject: (error: Error) => void;
}

export const DEFAULT_MAX_READ_BATCH = 200;

export function createGroupRead<Q, R>(read: BatchReader<Q, R>, options: { maxBatch?: number } = {}): (query: Q) => Promise<R> {
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_READ_BATCH;
  let queue: Waiting<Q, R>[] = [];
  let inFlight = false;
  let scheduled = false;

  const runBatch = async (batch: Waiting<Q, R>[]): Promise<void> => {
    try {
      const results = await read(batch.map((waiting) => waiting.query));
      batch.forEach((waiting, index) => {
        if (index < results.length) waiting.resolve(results[index] as R);
        else waiting.reject(new Error('group read: no result for a query'));
      });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const waiting of batch) waiting.reject(failure);
    }
  };

  const pump = (): void => {
    scheduled = false;
    if (inFlight || queue.length === 0) return;
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    inFlight = true;
    void runBatch(batch).finally(() => {
      inFlight = false;
      pump();
    });
  };

  return (query) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ query, resolve, reject });
      if (!scheduled && !inFlight) {
        scheduled = true;
        setImmediate(pump);
      }
    });
}
