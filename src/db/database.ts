import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { DryMongoBinary, MongoBinary, MongoMemoryServer } from 'mongodb-memory-server-core';
import type { Logger } from 'pino';
import { startMongoEmulator, startMongoEmulatorInWorker } from '@parley/mongo-emulator';

export type DatabaseKind = 'uri' | 'memory-server' | 'emulator';

/** An open Mongoose connection plus whatever server had to be started for it. */
export interface Database {
  readonly connection: Connection;
  readonly kind: DatabaseKind;
  /** Where it is: the URI with any password masked. */
  readonly description: string;
  /**
   * Whether acknowledged writes survive a restart: true for MONGODB_URI, an embedded
   * mongod with its data folder and an emulator with a data directory; false for an
   * emulator in memory.
   */
  readonly isDurable: boolean;
  /** The embedded emulator found that its previous process did not shut down cleanly (and recovered). */
  readonly recoveredFromCrash: boolean;
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  uri: string | undefined;
  dbName: string;
  embedded: 'auto' | 'memory-server' | 'emulator';
  /** Folder for memory-server data, so comments survive a restart. */
  dataDir: string;
  /** Data directory of the embedded emulator; undefined: in memory only. */
  emulatorDbPath?: string | undefined;
  /**
   * Where the embedded emulator runs: on a worker thread of this process (the default;
   * its CPU work beside the service's event loop, on another core) or on the service's
   * own thread. Either way the driver talks to it over TCP on 127.0.0.1.
   */
  emulatorThread?: 'worker' | 'main';
  logger: Logger;
  /** How long to wait for a mongod download before falling back to the emulator. */
  downloadTimeoutMs?: number;
  /** Never download a mongod (tests): use one only if it is already on this machine. */
  allowDownload?: boolean;
  /** Emit the driver's command monitoring events (`commandStarted`…) on the client, e.g. to count round trips. */
  monitorCommands?: boolean;
}

interface StartedServer {
  uri: string;
  kind: DatabaseKind;
  isDurable: boolean;
  recoveredFromCrash?: boolean;
  stop(): Promise<void>;
}

function maskUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

/** Resolves after `ms` with undefined, without keeping the process alive. */
function timeoutAfter(ms: number): { promise: Promise<undefined>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  return { promise, cancel: () => timer && clearTimeout(timer) };
}

/** A mongod already on this machine, else (when allowed) one downloaded by mongodb-memory-server. */
async function findMongod(options: OpenDatabaseOptions): Promise<string | undefined> {
  const located = await DryMongoBinary.locateBinary(DryMongoBinary.getEnsuredOptions()).catch(() => undefined);
  if (located || options.allowDownload === false) return located;
  options.logger.info('no mongod binary here; trying to download one for the embedded database');
  const timeout = timeoutAfter(options.downloadTimeoutMs ?? 60_000);
  try {
    return await Promise.race([MongoBinary.getPath(), timeout.promise]);
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n').at(-1) ?? error.message) : String(error);
    options.logger.info({ reason }, 'no mongod could be downloaded');
    return undefined;
  } finally {
    timeout.cancel();
  }
}

async function startMemoryServer(options: OpenDatabaseOptions): Promise<StartedServer | undefined> {
  const systemBinary = await findMongod(options);
  if (!systemBinary) return undefined;
  const dbPath = path.join(options.dataDir, 'mongodb');
  if (!existsSync(dbPath)) mkdirSync(dbPath, { recursive: true });
  try {
    const server = await MongoMemoryServer.create({
      instance: { dbPath, storageEngine: 'wiredTiger' },
      binary: { systemBinary },
    });
    return {
      uri: server.getUri(),
      kind: 'memory-server',
      isDurable: true,
      stop: async () => void (await server.stop()),
    };
  } catch (error) {
    options.logger.info({ reason: error instanceof Error ? error.message : String(error) }, 'mongod did not start');
    return undefined;
  }
}

async function startEmulator(options: OpenDatabaseOptions): Promise<StartedServer> {
  const logger = {
    info: (message: string) => options.logger.info(message),
    warn: (message: string) => options.logger.warn(message),
  };
  const start = options.emulatorThread === 'main' ? startMongoEmulator : startMongoEmulatorInWorker;
  const emulator = await start({
    port: 0,
    logger,
    ...(options.emulatorDbPath === undefined ? {} : { dbPath: options.emulatorDbPath }),
  });
  const { recovery } = emulator;
  if (recovery === undefined) {
    options.logger.warn(
      { uri: emulator.uri },
      'USING THE IN-MEMORY MONGODB EMULATOR: data lives in this process only and is lost when it stops. Set EMULATOR_DBPATH to a folder, or MONGODB_URI for a real database.',
    );
  } else {
    options.logger.info(
      { uri: emulator.uri, dbPath: recovery.directory, recovery },
      `using the MongoDB emulator with its data in ${recovery.directory}` +
        (recovery.wasUncleanShutdown ? ' (recovered after an unclean stop)' : ''),
    );
  }
  return {
    uri: emulator.uri,
    kind: 'emulator',
    isDurable: emulator.isDurable,
    recoveredFromCrash: recovery?.wasUncleanShutdown ?? false,
    stop: () => emulator.close(),
  };
}

async function startEmbedded(options: OpenDatabaseOptions): Promise<StartedServer> {
  if (options.embedded !== 'emulator') {
    const memory = await startMemoryServer(options);
    if (memory) {
      options.logger.info({ uri: memory.uri }, 'using an embedded mongod (mongodb-memory-server)');
      return memory;
    }
    if (options.embedded === 'memory-server') {
      throw new Error('EMBEDDED_DB=memory-server but no mongod binary could be found or downloaded');
    }
  }
  return startEmulator(options);
}

/**
 * How long one operation waits for a reachable server. Kept short so that a
 * database outage answers 503 DATABASE_UNAVAILABLE within about a second
 * instead of hanging; the driver keeps probing and recovers by itself.
 */
export const SERVER_SELECTION_TIMEOUT_MS = 1000;
/** How long start-up keeps trying to reach the database before giving up. */
const STARTUP_TIMEOUT_MS = 10_000;

async function connectWithRetry(
  uri: string,
  settings: { dbName: string; monitorCommands: boolean },
  timeoutMs: number,
): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const connection = mongoose.createConnection(uri, {
      ...settings,
      serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
      // Fail at once while disconnected rather than queueing operations for 10 s.
      bufferCommands: false,
      autoIndex: true,
    });
    try {
      return await connection.asPromise();
    } catch (error) {
      await connection.close().catch(() => undefined);
      if (Date.now() >= deadline) throw error;
    }
  }
}

/**
 * Opens the database in the documented order: MONGODB_URI; else an embedded
 * mongod when one can be had; else the wire-protocol emulator. Callers get a
 * plain Mongoose connection and never learn which it is.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const started: StartedServer = options.uri
    ? { uri: options.uri, kind: 'uri', isDurable: true, stop: () => Promise.resolve() }
    : await startEmbedded(options);
  let connection: Connection;
  try {
    connection = await connectWithRetry(started.uri, { dbName: options.dbName, monitorCommands: options.monitorCommands ?? false }, STARTUP_TIMEOUT_MS);
  } catch (error) {
    await started.stop().catch(() => undefined);
    throw error;
  }
  return {
    connection,
    kind: started.kind,
    description: maskUri(started.uri),
    isDurable: started.isDurable,
    recoveredFromCrash: started.recoveredFromCrash ?? false,
    async isReachable() {
      try {
        const db = connection.db;
        if (!db || connection.readyState !== mongoose.ConnectionStates.connected) return false;
        await db.admin().command({ ping: 1 });
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await connection.close().catch(() => undefined);
      await started.stop();
    },
  };
}
