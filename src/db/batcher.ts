/**
 * The batching shared by group commit (writes) and group read: items that callers
 * add at about the same time go to the database together, one batch per command.
 * At most one batch is in flight: what arrives meanwhile waits for it and goes out
 * as the next batch (never joined to one already sent), cut into batches of at most
 * `maxBatch`. A quiet collection's item goes out at once (after the current turn of
 * the event loop, where the items of requests handled together join it). Every
 * caller awaits its own answer or error. Batchers are registered per connection, so
 * that closing a database first waits for what its callers are still awaiting.
 */
export interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: Error) => void;
}

/** Sends one batch and settles every one of its callers; never rejects. */
export type SettleBatch<T, R> = (batch: readonly Waiting<T, R>[]) => Promise<void>;

export interface Batcher<T, R> {
  /** Queues one item; settles with its own answer or error. */
  add(item: T): Promise<R>;
  /** Resolves when every item added so far has been answered. */
  drain(): Promise<void>;
}

const byConnection = new WeakMap<object, Set<Batcher<never, unknown>>>();

/** Resolves once every item queued on the connection's batchers (writes and reads) has been answered (shutdown). */
export async function drainBatchers(connection: object): Promise<void> {
  await Promise.all([...(byConnection.get(connection) ?? [])].map((batcher) => batcher.drain()));
}

export function createBatcher<T, R>(settleBatch: SettleBatch<T, R>, options: { connection: object; maxBatch: number }): Batcher<T, R> {
  const { maxBatch } = options;
  let queue: Waiting<T, R>[] = [];
  let inFlight: Promise<void> | undefined;
  let scheduled = false;
  const drained: (() => void)[] = [];

  const settle = (): void => {
    if (queue.length > 0 || inFlight || scheduled) return;
    for (const resolve of drained.splice(0)) resolve();
  };

  const pump = (): void => {
    scheduled = false;
    if (inFlight || queue.length === 0) {
      settle();
      return;
    }
    const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
    queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
    inFlight = settleBatch(batch).finally(() => {
      inFlight = undefined;
      pump();
    });
  };

  const batcher: Batcher<T, R> = {
    add(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!scheduled && !inFlight) {
          scheduled = true;
          setImmediate(pump);
        }
      });
    },
    drain() {
      return new Promise<void>((resolve) => {
        drained.push(resolve);
        settle();
      });
    },
  };
  let registered = byConnection.get(options.connection);
  if (!registered) {
    registered = new Set();
    byConnection.set(options.connection, registered);
  }
  registered.add(batcher);
  return batcher;
}

/** An error as an Error (what a driver or a callback threw may be anything). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
