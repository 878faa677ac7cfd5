import type { RecoveryReport } from './durability/persistence';
import { EmulatorServer, type EmulatorLogger } from './server';

/** A running in-process MongoDB wire-protocol emulator. */
export interface MongoEmulator {
  /** Connection string without a database name, e.g. `mongodb://127.0.0.1:40123/?directConnection=true`. */
  readonly uri: string;
  readonly port: number;
  /** True when every acknowledged write is in a data directory and survives a crash. */
  readonly isDurable: boolean;
  /** The data directory (absolute), when durable. */
  readonly dbPath: string | undefined;
  /** What the start found on disk: snapshot, journal records replayed, a torn record dropped. */
  readonly recovery: RecoveryReport | undefined;
  /** Writes a snapshot now and drops the journal it replaces (it also happens by itself as the journal grows). */
  compact(): Promise<void>;
  /** Destroys open connections, stops timers, flushes the journal, releases the port and the data directory. */
  close(): Promise<void>;
}

export interface MongoEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  logger?: EmulatorLogger;
  /**
   * A data directory: writes go to a journal fsync'd before they are acknowledged,
   * and a start recovers what is there. Without it everything lives in memory.
   */
  dbPath?: string;
  /** Journal size that triggers a snapshot; 64 MiB by default. */
  compactAfterBytes?: number;
  /**
   * mongod's `enableTestCommands`: adds `configureFailPoint` with the `failCommand` fail
   * point, for tests of how a client handles server errors. Off by default, as in mongod.
   */
  enableTestCommands?: boolean;
}

/**
 * Starts a server that the official `mongodb` driver and Mongoose talk to unchanged.
 * With `dbPath` its data survives restarts and crashes; without, it lives only as
 * long as the emulator.
 */
export async function startMongoEmulator(options: MongoEmulatorOptions = {}): Promise<MongoEmulator> {
  const host = options.host ?? '127.0.0.1';
  const server = new EmulatorServer({
    logger: options.logger,
    dbPath: options.dbPath,
    compactAfterBytes: options.compactAfterBytes,
    enableTestCommands: options.enableTestCommands,
  });
  const port = await server.listen(options.port ?? 0, host);
  const uriHost = host.includes(':') ? `[${host}]` : host;
  const uri = `mongodb://${uriHost}:${port}/?directConnection=true`;
  options.logger?.info(`mongo emulator listening on ${uri}`);
  const persistence = server.persistence;
  return {
    uri,
    port,
    isDurable: persistence !== undefined,
    dbPath: persistence?.directory,
    recovery: persistence?.recovery,
    compact: () => persistence?.compact() ?? Promise.resolve(),
    close: () => server.close(),
  };
}

export { startMongoEmulatorInWorker } from './in-worker';
export { DataDirectoryLockedError } from './durability/data-directory-lock';
export { DataDirectoryDamagedError, type RecoveryReport } from './durability/persistence';
export type { EmulatorLogger };
