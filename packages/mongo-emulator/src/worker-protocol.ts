import type { RecoveryReport } from './durability/persistence';
import type { MongoEmulatorOptions } from './index';

/** What the emulator's worker thread is started with: the options that can cross a thread. */
export type WorkerStartOptions = Omit<MongoEmulatorOptions, 'logger'>;

/** An error as it crosses the thread boundary: enough to rebuild the same class, code and message. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Own enumerable properties such as `code`, `errno`, `ownerPid`. */
  readonly properties: Readonly<Record<string, unknown>>;
}

export type WorkerRequest =
  | { readonly type: 'compact'; readonly id: number }
  | { readonly type: 'close'; readonly id: number };

export type WorkerMessage =
  | { readonly type: 'log'; readonly level: 'info' | 'warn'; readonly message: string }
  | {
      readonly type: 'started';
      readonly uri: string;
      readonly port: number;
      readonly isDurable: boolean;
      readonly dbPath: string | undefined;
      readonly recovery: RecoveryReport | undefined;
    }
  | { readonly type: 'failed'; readonly error: SerializedError }
  | { readonly type: 'done'; readonly id: number; readonly error?: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: String(error), stack: undefined, properties: {} };
  }
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) properties[key] = value;
  }
  return { name: error.name, message: error.message, stack: error.stack, properties };
}
