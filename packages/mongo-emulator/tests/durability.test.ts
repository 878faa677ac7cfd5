import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, type CollationOptions, type Db, type Document } from 'mongodb';
import { DataDirectoryDamagedError, DataDirectoryLockedError, startMongoEmulator } from '../src';

const PACKAGE_ROOT = path.resolve(__dirname, '..');

/** Documents with any kind of _id (the driver's default types assume ObjectId). */
type Stored = { _id?: number | string; edits?: number; [field: string]: unknown };
const collection = (db: Db, name: string) => db.collection<Stored>(name);

const directories: string[] = [];
function freshDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'parley-emulator-'));
  directories.push(directory);
  return directory;
}
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/** An emulator on `dbPath` with one client; `stop` closes both. */
async function open(dbPath: string, options: { compactAfterBytes?: number } = {}) {
  const emulator = await startMongoEmulator({ dbPath, ...options });
  const client = await MongoClient.connect(emulator.uri, { serverSelectionTimeoutMS: 5000 });
  const stop = async (): Promise<void> => {
    await client.close();
    await emulator.close();
  };
  return { emulator, client, db: client.db('app'), stop };
}

function journalFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => name.startsWith('journal.'))
    .sort();
}

async function idsOf(emulatorUri: string, name: string): Promise<unknown[]> {
  const client = await MongoClient.connect(emulatorUri);
  try {
    return (
      await client
        .db('app')
        .collection<Stored>(name)
        .find({}, { sort: { _id: 1 } })
        .toArray()
    ).map((d) => d['_id']);
  } finally {
    await client.close();
  }
}

describe('a durable emulator (dbPath)', () => {
  it('when it is stopped and started again, then documents, collections options and every index come back, and unique still holds', async () => {
    const dbPath = freshDirectory();
    const first = await open(dbPath);
    expect(first.emulator.isDurable).toBe(true);
    const comments = collection(first.db, 'comments');
    await comments.createIndex({ slug: 1 }, { unique: true, name: 'slug_unique' });
    await comments.createIndex({ createdAt: 1 }, { expireAfterSeconds: 3600 });
    await comments.createIndex({ post: 1, at: -1 }, { partialFilterExpression: { visible: true } });
    await first.db.createCollection('capped_like', { validationLevel: 'off' });
    await comments.insertMany([
      { _id: 1, slug: 'один', body: 'Привіт, світ', createdAt: new Date() },
      { _id: 2, slug: 'two', body: 'hello', createdAt: new Date() },
      { _id: 3, slug: 'three', body: 'bye' },
    ]);
    await comments.updateOne({ _id: 2 }, { $set: { body: 'edited' }, $inc: { edits: 1 } } as Document);
    await comments.deleteOne({ _id: 3 });
    await collection(first.db, 'dropped').insertOne({ gone: true });
    await collection(first.db, 'dropped').drop();
    const indexesBefore = await comments.indexes();
    await first.stop();

    const second = await open(dbPath);
    expect(second.emulator.recovery?.wasUncleanShutdown).toBe(false);
    expect(second.emulator.recovery?.journalRecords).toBeGreaterThan(0);
    const restored = collection(second.db, 'comments');
    expect(await restored.find({}, { sort: { _id: 1 }, projection: { createdAt: 0 } }).toArray()).toEqual([
      { _id: 1, slug: 'один', body: 'Привіт, світ' },
      { _id: 2, slug: 'two', body: 'edited', edits: 1 },
    ]);
    expect(await restored.indexes()).toEqual(indexesBefore);
    const names = (await second.db.listCollections().toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['capped_like', 'comments']);
    await expect(restored.insertOne({ slug: 'один' })).rejects.toMatchObject({ code: 11000 });
    await second.stop();
  });

  it('when indexes are rebuilt at the start from the snapshot and journal, then each query plans the same index and finds what it found before the restart', async () => {
    const dbPath = freshDirectory();
    const first = await open(dbPath);
    const items = collection(first.db, 'items');
    await items.createIndex({ tags: 1 });
    await items.createIndex({ post: 1, at: -1 }, { partialFilterExpression: { visible: true } });
    await items.createIndex({ nick: 1 }, { sparse: true });
    await items.createIndex({ name: 1 }, { unique: true, collation: { locale: 'en', strength: 2 } });
    await items.createIndex({ 'meta.rank': -1, _id: 1 });
    await items.insertMany(
      Array.from({ length: 300 }, (_, n) => ({
        _id: n,
        tags: n % 3 === 0 ? ['a', 'b', 'a'] : n % 3 === 1 ? [] : 'b',
        post: `p${n % 4}`,
        at: n,
        visible: n % 2 === 0,
        ...(n % 5 === 0 ? { nick: `nick${n}` } : {}),
        name: `Name ${n}`,
        meta: { rank: n % 7 },
      })),
    );
    await first.emulator.compact();
    // After the snapshot: writes that move, add and remove index entries, replayed from the journal.
    await items.updateMany({ _id: { $lt: 30 } }, { $set: { tags: ['c'], 'meta.rank': 100 } });
    await items.deleteMany({ _id: { $gte: 290 } });
    await items.insertOne({
      _id: 1000,
      tags: ['c', 'd'],
      post: 'p1',
      at: 1000,
      visible: true,
      name: 'Новий',
      meta: { rank: 3 },
    });
    const queries: { filter: Document; sort: Document; collation?: CollationOptions }[] = [
      { filter: { tags: 'a' }, sort: { _id: 1 } },
      { filter: { tags: { $in: ['c', 'd'] } }, sort: { _id: 1 } },
      { filter: { post: 'p2', visible: true }, sort: { at: -1 } },
      { filter: { nick: { $gte: 'nick1' } }, sort: { nick: 1 } },
      { filter: { name: 'name 42' }, sort: { _id: 1 }, collation: { locale: 'en', strength: 2 } },
      { filter: { 'meta.rank': { $gte: 5 } }, sort: { 'meta.rank': -1, _id: 1 } },
    ];
    const answer = async (db: Db) =>
      Promise.all(
        queries.map(async ({ filter, sort, collation }) => {
          const cursor = () =>
            collection(db, 'items').find(filter, { sort, ...(collation ? { collation } : {}) });
          const plan = JSON.stringify(await cursor().explain());
          return {
            ids: (await cursor().toArray()).map((d) => d._id),
            index: /"indexName":"([^"]+)"/.exec(plan)?.[1],
          };
        }),
      );
    const before = await answer(first.db).finally(first.stop);

    const second = await open(dbPath);
    try {
      expect(second.emulator.recovery?.snapshotChanges).toBeGreaterThan(0);
      expect(second.emulator.recovery?.journalRecords).toBeGreaterThan(0);
      const after = await answer(second.db);
      expect(after).toEqual(before);
      for (const { index } of after) expect(index).toEqual(expect.any(String));
      expect(after[0]?.ids).toHaveLength(87); // tags [a, b, a] counted once per document, the updated and deleted ones gone
      expect(after[1]?.ids).toEqual([...Array.from({ length: 30 }, (_, n) => n), 1000]);
      expect(after[4]?.ids).toEqual([42]);
      // The collated unique index still refuses a case variant, and the sparse one still skips documents without the field.
      await expect(
        collection(second.db, 'items').insertOne({ _id: 2000, name: 'NAME 7' }),
      ).rejects.toMatchObject({ code: 11000 });
      expect(await collection(second.db, 'items').countDocuments({ nick: { $exists: true } })).toBe(58);
    } finally {
      await second.stop();
    }
  });

  it('when the journal passes the compaction size, then a snapshot replaces it and a restart reads the snapshot plus the newer journal', async () => {
    const dbPath = freshDirectory();
    const first = await open(dbPath, { compactAfterBytes: 4096 });
    const items = collection(first.db, 'items');
    await items.createIndex({ n: 1 }, { unique: true });
    for (let batch = 0; batch < 10; batch += 1) {
      await items.insertMany(
        Array.from({ length: 20 }, (_, i) => ({ n: batch * 20 + i, text: 'x'.repeat(50) })),
      );
    }
    await first.emulator.compact();
    await items.updateMany({ n: { $lt: 5 } }, { $set: { after: true } });
    await first.stop();
    const files = readdirSync(dbPath);
    expect(files.filter((name) => name.startsWith('snapshot.'))).toHaveLength(1);
    expect(files).not.toContain('snapshot.tmp');

    const second = await open(dbPath);
    expect(second.emulator.recovery?.snapshotChanges).toBeGreaterThan(0);
    expect(await collection(second.db, 'items').countDocuments()).toBe(200);
    expect(await collection(second.db, 'items').countDocuments({ after: true })).toBe(5);
    await expect(collection(second.db, 'items').insertOne({ n: 7 })).rejects.toMatchObject({ code: 11000 });
    await second.stop();
  });

  it('when the last journal record was cut mid-write, then the start drops only that record, says so, and later writes survive', async () => {
    const dbPath = freshDirectory();
    const first = await open(dbPath);
    for (let i = 1; i <= 5; i += 1)
      await collection(first.db, 'notes').insertOne({ _id: i, text: `note ${i}` });
    await first.stop();
    const [journal] = journalFiles(dbPath);
    const file = path.join(dbPath, journal!);
    const size = statSync(file).size;
    truncateSync(file, size - 7); // the fifth insert is now a torn record

    const second = await open(dbPath);
    expect(second.emulator.recovery?.tornRecord).toMatchObject({ file });
    expect(await idsOf(second.emulator.uri, 'notes')).toEqual([1, 2, 3, 4]);
    await collection(second.db, 'notes').insertOne({ _id: 6, text: 'after the crash' });
    await second.stop();

    const third = await open(dbPath);
    expect(third.emulator.recovery?.tornRecord).toBeUndefined();
    expect(await idsOf(third.emulator.uri, 'notes')).toEqual([1, 2, 3, 4, 6]);
    await third.stop();
  });

  it('when a record in the middle of the journal is damaged, then the start refuses with a clear error instead of losing what follows', async () => {
    const dbPath = freshDirectory();
    const first = await open(dbPath);
    for (let i = 1; i <= 3; i += 1)
      await collection(first.db, 'notes').insertOne({ _id: i, text: `note ${i}` });
    await first.stop();
    const file = path.join(dbPath, journalFiles(dbPath)[0]!);
    const bytes = readFileSync(file);
    bytes[12] = bytes[12]! ^ 0xff; // inside the first record's payload
    writeFileSync(file, bytes);
    await expect(startMongoEmulator({ dbPath })).rejects.toThrow(DataDirectoryDamagedError);
    await expect(startMongoEmulator({ dbPath })).rejects.toThrow(/is damaged at byte 0 .*refusing to start/);
  });

  it('when a second emulator opens a directory in use, then it refuses naming the owner; after the owner closes it can', async () => {
    const dbPath = freshDirectory();
    const owner = await startMongoEmulator({ dbPath });
    await expect(startMongoEmulator({ dbPath })).rejects.toThrow(DataDirectoryLockedError);
    await expect(startMongoEmulator({ dbPath })).rejects.toThrow(
      new RegExp(`in use by process ${process.pid} .*mongod\\.lock`),
    );
    await owner.close();
    const next = await startMongoEmulator({ dbPath });
    expect(next.isDurable).toBe(true);
    await next.close();
  });

  it('when the lock file names a process that is gone, then the lock is taken over and the start reports an unclean shutdown', async () => {
    const dbPath = freshDirectory();
    const gone = spawn(process.execPath, ['-e', '0']);
    const pid = gone.pid!;
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(path.join(dbPath, 'mongod.lock'), JSON.stringify({ pid }));
    const emulator = await startMongoEmulator({ dbPath });
    expect(emulator.recovery?.wasUncleanShutdown).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dbPath, 'mongod.lock'), 'utf8'))).toMatchObject({
      pid: process.pid,
    });
    await emulator.close();
    expect(existsSync(path.join(dbPath, 'mongod.lock'))).toBe(false);
  });

  it('when a TTL index is recovered, then it still expires documents', async () => {
    const dbPath = freshDirectory();
    const first = await open(dbPath);
    await collection(first.db, 'sessions').createIndex({ at: 1 }, { expireAfterSeconds: 0 });
    await collection(first.db, 'sessions').insertOne({ _id: 'old', at: new Date(Date.now() - 60_000) });
    await first.stop();
    const second = await open(dbPath);
    for (let i = 0; i < 50 && (await collection(second.db, 'sessions').countDocuments()) > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await collection(second.db, 'sessions').countDocuments()).toBe(0);
    await second.stop();
    const third = await open(dbPath);
    expect(await collection(third.db, 'sessions').countDocuments()).toBe(0);
    await third.stop();
  });
});

describe('the emulator CLI with --dbpath', () => {
  function startCli(dbPath: string) {
    // One node process (tsx as a loader, not its wrapper), so SIGKILL reaches the server itself.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--dbpath', dbPath],
      {
        cwd: PACKAGE_ROOT,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const uri = (async () => {
      for (;;) {
        const line = stdout.split('\n').find((l) => l.startsWith('mongodb://'));
        if (line) return line.trim();
        if (child.exitCode !== null) throw new Error(`emulator exited: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    uri.catch(() => undefined); // a start that is meant to fail is awaited through `exited`
    return { child, uri, exited, stderr: () => stderr };
  }

  it('when a second process starts on the same directory, then it exits 1 with a message naming the owner', async () => {
    const dbPath = freshDirectory();
    const first = startCli(dbPath);
    await first.uri;
    const second = startCli(dbPath);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(new RegExp(`data directory .* is in use by process ${first.child.pid}`));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('when the process is killed with SIGKILL under concurrent writes, then every acknowledged write is there after a restart', async () => {
    const dbPath = freshDirectory();
    const first = startCli(dbPath);
    const client = await MongoClient.connect(await first.uri, {
      serverSelectionTimeoutMS: 3000,
      retryWrites: false,
    });
    const acknowledged = new Set<number>();
    const updated = new Set<number>();
    let next = 0;
    let isKilled = false;
    const worker = async (): Promise<void> => {
      while (!isKilled && next < 3000) {
        const n = next;
        next += 1;
        try {
          await client
            .db('app')
            .collection<Stored>('c')
            .insertOne({ _id: n, body: `comment ${n}`, edits: 0 });
          acknowledged.add(n);
          await client
            .db('app')
            .collection<Stored>('c')
            .updateOne({ _id: n }, { $inc: { edits: 1 } } as Document);
          updated.add(n);
        } catch {
          return;
        }
      }
    };
    const workers = Array.from({ length: 16 }, () => worker());
    while (acknowledged.size < 200 && next < 3000) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(acknowledged.size).toBeGreaterThanOrEqual(200);
    isKilled = true;
    first.child.kill('SIGKILL');
    await first.exited;
    await Promise.all(workers);
    await client.close().catch(() => undefined);

    const second = startCli(dbPath);
    const restarted = await MongoClient.connect(await second.uri);
    const stored = await collection(restarted.db('app'), 'c').find({}).toArray();
    const byId = new Map(stored.map((d) => [d['_id'] as number, d]));
    expect(byId.size).toBe(stored.length); // no duplicates
    for (const n of acknowledged) expect(byId.has(n)).toBe(true);
    for (const n of updated) expect(byId.get(n)?.['edits']).toBe(1);
    expect(second.stderr()).toMatch(/did not shut down cleanly/);
    await restarted.close();
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
