import { EmulatorServer, type EmulatorLogger } from './server';

/** A running in-process MongoDB wire-protocol emulator. */
export interface MongoEmulator {
  /** Connection string without a database name, e.g. `mongodb://127.0.0.1:40123/?directConnection=true`. */
  readonly uri: string;
  readonly port: number;
  /** Destroys open connections, stops timers and releases the port. */
  close(): Promise<void>;
}

export interface MongoEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  logger?: EmulatorLogger;
}

/**
 * Starts an in-memory server that the official `mongodb` driver and Mongoose talk to
 * unchanged. Data lives only as long as the emulator.
 */
export async function startMongoEmulator(options: MongoEmulatorOptions = {}): Promise<MongoEmulator> {
  const host = options.host ?? '127.0.0.1';
  const server = new EmulatorServer(options.logger);
  const port = await server.listen(options.port ?? 0, host);
  const uriHost = host.includes(':') ? `[${host}]` : host;
  const uri = `mongodb://${uriHost}:${port}/?directConnection=true`;
  options.logger?.info(`mongo emulator listening on ${uri}`);
  return { uri, port, close: () => server.close() };
}

export type { EmulatorLogger };
