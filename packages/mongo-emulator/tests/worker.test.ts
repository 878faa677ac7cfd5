import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import {
  DataDirectoryDamagedError,
  DataDirectoryLockedError,
  startMongoEmulator,
  startMongoEmulatorInWorker,
} from '../src';

const directories: string[] = [];
function freshDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'parley-emulator-worker-'));
  directories.push(directory);
  return directory;
}
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function recordingLogger(): { lines: string[]; info(message: string): void; warn(message: string): void } {
  const lines: string[] = [];
  return { lines, info: (message) => lines.push(`info ${message}`), warn: (message) => lines.push(`warn ${message}`) };
}

describe('the emulator on a worker thread', () => {
  it('when a client writes through it and it is closed and started again, then the data is back, the journal flushed and the lock released', async () => {
    const dbPath = freshDirectory();
    const logger = recordingLogger();
    const first = await startMongoEmulatorInWorker({ dbPath, logger });
    expect(first).toMatchObject({ isDurable: true, dbPath, recovery: { directory: dbPath, wasUncleanShutdown: false } });
    expect(first.uri).toBe(`mongodb://127.0.0.1:${first.port}/?directConnection=true`);
    expect(logger.lines).toContain(`info mongo emulator listening on ${first.uri}`);
    const client = await MongoClient.connect(first.uri, { serverSelectionTimeoutMS: 5000 });
    await client.db('d').collection('notes').insertMany([{ n: 1 }, { n: 2 }]);
    await client.close();
    expect(JSON.parse(readFileSync(path.join(dbPath, 'mongod.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    await first.close();
    expect(existsSync(path.join(dbPath, 'mongod.lock'))).toBe(false);

    // The same folder read back on this thread: the worker wrote the same format.
    const second = await startMongoEmulator({ dbPath });
    expect(second.recovery).toMatchObject({ wasUncleanShutdown: false });
    const reader = await MongoClient.connect(second.uri, { serverSelectionTimeoutMS: 5000 });
    expect(await reader.db('d').collection('notes').countDocuments()).toBe(2);
    await reader.close();
    await second.close();
  });

  it('when compact is asked for, then the journal becomes a snapshot and its log line reaches the caller', async () => {
    const dbPath = freshDirectory();
    const logger = recordingLogger();
    const emulator = await startMongoEmulatorInWorker({ dbPath, logger });
    const client = await MongoClient.connect(emulator.uri, { serverSelectionTimeoutMS: 5000 });
    await client.db('d').collection('notes').insertOne({ n: 1 });
    await client.close();
    await emulator.compact();
    expect(readdirSync(dbPath).some((name) => /^snapshot\.\d{8}\.bson$/.test(name))).toBe(true);
    expect(logger.lines.some((line) => /^info mongo emulator: compacted /.test(line))).toBe(true);
    await emulator.close();
  });

  it('when its data directory is in use, then it refuses with the same DataDirectoryLockedError as on the caller thread', async () => {
    const dbPath = freshDirectory();
    const owner = await startMongoEmulator({ dbPath });
    const refusal: unknown = await startMongoEmulatorInWorker({ dbPath }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DataDirectoryLockedError);
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal).toMatchObject({ name: 'DataDirectoryLockedError', ownerPid: process.pid });
    expect((refusal as Error).message).toMatch(new RegExp(`in use by process ${process.pid} .*mongod\\.lock`));
    await owner.close();
    const next = await startMongoEmulatorInWorker({ dbPath });
    await expect(startMongoEmulator({ dbPath })).rejects.toThrow(DataDirectoryLockedError);
    await next.close();
  });

  it('when its journal is damaged mid-file, then it refuses with DataDirectoryDamagedError and the message of the caller thread', async () => {
    const dbPath = freshDirectory();
    const first = await startMongoEmulator({ dbPath });
    const client = await MongoClient.connect(first.uri, { serverSelectionTimeoutMS: 5000 });
    for (let n = 1; n <= 3; n += 1) await client.db('d').collection('notes').insertOne({ n });
    await client.close();
    await first.close();
    const journal = readdirSync(dbPath).find((name) => /^journal\.\d{8}\.log$/.test(name));
    const file = path.join(dbPath, journal!);
    const bytes = readFileSync(file);
    bytes[12] = bytes[12]! ^ 0xff;
    writeFileSync(file, bytes);
    const inThread: unknown = await startMongoEmulator({ dbPath }).catch((error: unknown) => error);
    const inWorker: unknown = await startMongoEmulatorInWorker({ dbPath }).catch((error: unknown) => error);
    expect(inWorker).toBeInstanceOf(DataDirectoryDamagedError);
    expect((inWorker as Error).name).toBe('DataDirectoryDamagedError');
    expect((inWorker as Error).message).toBe((inThread as Error).message);
    expect(existsSync(path.join(dbPath, 'mongod.lock'))).toBe(false);
  });

  it('when its port is taken, then the listen error arrives with its code', async () => {
    const holder = await startMongoEmulator({ port: 0 });
    const refusal: unknown = await startMongoEmulatorInWorker({ port: holder.port }).catch((error: unknown) => error);
    await holder.close();
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal).toMatchObject({ code: 'EADDRINUSE', syscall: 'listen' });
  });
});
