/**
 * The body of the emulator's worker thread (see `startMongoEmulatorInWorker`): starts
 * the emulator here, reports the outcome, forwards its log lines and answers compact
 * and close. The emulator listens on TCP as usual; only its CPU work moves off the
 * caller's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startMongoEmulator, type MongoEmulator } from './index';
import { serializeError, type WorkerMessage, type WorkerRequest, type WorkerStartOptions } from './worker-protocol';

if (parentPort === null) throw new Error('worker-entry runs only as a worker thread');
const port = parentPort;
const post = (message: WorkerMessage): void => port.postMessage(message);

async function main(options: WorkerStartOptions): Promise<void> {
  let emulator: MongoEmulator;
  try {
    emulator = await startMongoEmulator({
      ...options,
      logger: {
        info: (message) => post({ type: 'log', level: 'info', message }),
        warn: (message) => post({ type: 'log', level: 'warn', message }),
      },
    });
  } catch (error) {
    // Nothing is left to keep the thread alive: it ends once the message is out.
    post({ type: 'failed', error: serializeError(error) });
    return;
  }
  port.on('message', (request: WorkerRequest) => {
    const work = request.type === 'compact' ? emulator.compact() : emulator.close();
    work.then(
      () => post({ type: 'done', id: request.id }),
      (error: unknown) => post({ type: 'done', id: request.id, error: serializeError(error) }),
    );
  });
  post({
    type: 'started',
    uri: emulator.uri,
    port: emulator.port,
    isDurable: emulator.isDurable,
    dbPath: emulator.dbPath,
    recovery: emulator.recovery,
  });
}

void main(workerData as WorkerStartOptions);
