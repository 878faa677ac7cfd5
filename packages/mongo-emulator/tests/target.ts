import { randomBytes } from 'node:crypto';
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import { startMongoEmulator, type MongoEmulator } from '../src';

/**
 * Where the conformance suite runs: a real MongoDB when MONGODB_URI is set (so the
 * suite proves its own expectations), otherwise a fresh emulator on a free port.
 */
export interface TestTarget {
  readonly uri: string;
  readonly databaseName: string;
  readonly client: MongoClient;
  readonly db: Db;
  readonly isRealMongo: boolean;
  /** host and port of the server, for tests that talk raw TCP. */
  readonly host: string;
  readonly port: number;
  connect(options?: MongoClientOptions): Promise<MongoClient>;
  close(): Promise<void>;
}

export const isRealMongo = process.env['MONGODB_URI'] !== undefined && process.env['MONGODB_URI'] !== '';

export async function openTarget(suite: string): Promise<TestTarget> {
  const databaseName = `emu_${suite}_${randomBytes(4).toString('hex')}`;
  let emulator: MongoEmulator | undefined;
  let uri = process.env['MONGODB_URI'] ?? '';
  if (!isRealMongo) {
    emulator = await startMongoEmulator({ port: 0 });
    uri = emulator.uri;
  }
  const extraClients: MongoClient[] = [];
  const connect = async (options: MongoClientOptions = {}): Promise<MongoClient> => {
    const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000, ...options });
    extraClients.push(client);
    return client;
  };
  const client = await connect();
  const address = /^mongodb:\/\/(?:[^@/]*@)?([^:/,]+|\[[^\]]+\]):(\d+)/.exec(uri);
  return {
    uri,
    databaseName,
    client,
    db: client.db(databaseName),
    isRealMongo,
    host: (address?.[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''),
    port: Number(address?.[2] ?? 27017),
    connect,
    close: async () => {
      await client.db(databaseName).dropDatabase();
      for (const extra of extraClients) await extra.close();
      await emulator?.close();
    },
  };
}

/** `it` that only runs against the emulator, for behaviour real MongoDB shows only eventually (TTL monitor: 60 s). */
export const itEmulatorOnly = isRealMongo ? it.skip : it;
