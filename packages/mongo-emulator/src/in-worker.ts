import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DataDirectoryLockedError } from './durability/data-directory-lock';
import { DataDirectoryDamagedError } from './durability/persistence';
import type { MongoEmulator, MongoEmulatorOptions } from './index';
import type { SerializedError, WorkerMessage, WorkerRequest, WorkerStartOptions } from './worker-protocol';

/**
 * The worker's file beside this one: `worker-entry.ts` when running from source
 * (tsx, jest), `worker-entry.js` from the compiled package (dist/).
 */
const ENTRY = path.join(__dirname, `worker-entry${path.extname(__filename)}`);

/** From source the worker needs tsx's require hook; compiled, it loads plain JavaScript. */
function typeScriptLoader(): string | undefined {
  return ENTRY.endsWith('.ts') ? require.resolve('tsx/cjs') : undefined;
}

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.loader !== undefined) require(workerData.loader);
require(workerData.entry);
`;

/** Rebuilds an error of the same class, name, message and properties (code, ownerPid…). */
function reviveError(serialized: SerializedError): Error {
  const prototype =
    serialized.name === 'DataDirectoryLockedError'
      ? DataDirectoryLockedError.prototype
      : serialized.name === 'DataDirectoryDamagedError'
        ? DataDirectoryDamagedError.prototype
        : Error.prototype;
  const error = Object.create(prototype) as Error;
  Object.defineProperty(error, 'message', { value: serialized.message, writable: true, configurable: true });
  Object.assign(error, serialized.properties);
  if (prototype === Error.prototype && serialized.name !== 'Error') {
    Object.defineProperty(error, 'name', { value: serialized.name, writable: true, configurable: true });
  }
  Object.defineProperty(error, 'stack', {
    value: serialized.stack ?? `${serialized.name}: ${serialized.message}`,
    writable: true,
    configurable: true,
  });
  return error;
}

/**
 * Starts the emulator on a worker thread of this process: the same server on TCP
 * (clients cannot tell), but its query planning, index upkeep and BSON work run
 * beside the caller's event loop instead of on it. Refusals to start
 * (DataDirectoryLockedError, DataDirectoryDamagedError, a port in use) reject with
 * the same class, code and message as `startMongoEmulator`; log lines arrive on the
 * caller's logger; `close()` flushes the journal and releases the data directory
 * before the thread ends.
 */
export function startMongoEmulatorInWorker(options: MongoEmulatorOptions = {}): Promise<MongoEmulator> {
  const { logger, ...rest } = options;
  const startOptions: WorkerStartOptions = rest;
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { ...startOptions, entry: ENTRY, loader: typeScriptLoader() },
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let exited: Error | undefined;
  let closing: Promise<void> | undefined;

  const request = (type: WorkerRequest['type']): Promise<void> => {
    if (exited !== undefined) return Promise.reject(exited);
    const id = nextId;
    nextId += 1;
    return new Promise<void>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ type, id } satisfies WorkerRequest);
    });
  };

  return new Promise<MongoEmulator>((resolve, reject) => {
    let started = false;
    const failAll = (error: Error): void => {
      exited = error;
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
      if (!started) reject(error);
    };
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'log':
          logger?.[message.level](message.message);
          return;
        case 'failed':
          started = true;
          exited = reviveError(message.error);
          reject(exited);
          return;
        case 'done': {
          const waiter = pending.get(message.id);
          pending.delete(message.id);
          if (message.error === undefined) waiter?.resolve();
          else waiter?.reject(reviveError(message.error));
          return;
        }
        case 'started':
          started = true;
          resolve({
            uri: message.uri,
            port: message.port,
            isDurable: message.isDurable,
            dbPath: message.dbPath,
            recovery: message.recovery,
            compact: () => request('compact'),
            close: () => {
              closing ??= request('close').then(
                () => worker.terminate().then(() => undefined),
                (error: unknown) => {
                  void worker.terminate();
                  throw error;
                },
              );
              return closing;
            },
          });
          return;
      }
    });
    // An exception that escapes the running emulator would have ended the process had it
    // run on the caller's thread: it still does, rather than leaving a service whose
    // database silently went away (a restart recovers the data directory).
    const crash = (error: Error): void => {
      const wasRunning = started && exited === undefined && closing === undefined;
      failAll(error);
      if (wasRunning) {
        process.nextTick(() => {
          throw error;
        });
      }
    };
    worker.on('error', crash);
    worker.on('exit', (code) => {
      if (exited === undefined) crash(new Error(`mongo emulator worker exited with code ${code}`));
    });
  });
}
