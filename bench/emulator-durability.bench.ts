/**
 * Emulator durability benchmark: how long a restart on 100k comments takes, and what
 * the journal (fsync before every acknowledgement) costs writes.
 *
 * (a) Recovery. 100,000 comment-shaped documents with Parley's comment indexes are
 *     written into a data directory; then the emulator CLI is started on it as a child
 *     process and timed from spawn until a first query (an indexed thread page) answers:
 *       1. after a clean stop with everything in a compacted snapshot,
 *       2. after a clean stop with the last N writes only in the journal (replayed),
 *       3. after SIGKILL of a CLI process in the middle of concurrent writes.
 *     The anchor is the same CLI started on an empty directory in the same run (the
 *     cost of node + tsx + connecting); each line also shows the emulator's own figure
 *     (`recovered in … ms`, the load of snapshot and journal).
 * (b) Write cost. The same workload (comment inserts, then an update of each, from 16
 *     concurrent clients) against an in-memory emulator and a durable one: writes/s of
 *     each and the ratio.
 *
 * PASS lines: every recovery answers within RECOVERY_TARGET_S; the journal keeps at
 * least 1/MAX_WRITE_COST of the in-memory write throughput at 16 clients.
 *
 * Run: npm run bench:emulator-durability   (DOCS=20000 and JOURNAL_WRITES=2000 for a quick try)
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, ObjectId, type Collection, type Document, type IndexSpecification } from 'mongodb';
import { startMongoEmulator } from '@parley/mongo-emulator';

const DOCS = Number(process.env['DOCS'] ?? 100_000);
const JOURNAL_WRITES = Number(process.env['JOURNAL_WRITES'] ?? 10_000);
const POSTS = 200;
const INSERT_BATCH = 1000;
const CLIENTS = 16;
const THROUGHPUT_COMMENTS = Number(process.env['THROUGHPUT_COMMENTS'] ?? 2000);
const RECOVERY_TARGET_S = 10;
const MAX_WRITE_COST = 10;
const OVERALL_TIMEOUT_MS = 45 * 60_000;
const PACKAGE_ROOT = path.resolve(__dirname, '..', 'packages', 'mongo-emulator');

/** The indexes of src/comments/comment.repository.ts, as Mongoose creates them. */
const COMMENT_INDEXES: readonly IndexSpecification[] = [
  { site: 1, post: 1, parentId: 1, status: 1, createdAt: 1, _id: 1 },
  { site: 1, post: 1, parentId: 1, replyCount: -1, _id: -1 },
  { site: 1, post: 1, parentId: 1, bestScore: -1, _id: -1 },
  { ancestorIds: 1 },
  { authorId: 1, createdAt: -1 },
  { status: 1, site: 1, createdAt: 1, _id: 1 },
  { status: 1, site: 1, statusChangedAt: 1, _id: 1 },
  { hasOpenReports: 1, site: 1, firstReportedAt: 1, _id: 1 },
  { postId: 1, status: 1 },
  { postId: 1, createdAt: 1, _id: 1 },
];

const postIds = Array.from({ length: POSTS }, () => new ObjectId());
const BASE_TIME = Date.UTC(2026, 0, 1);

/** A comment as Parley stores it: every field of CommentDoc, in two scripts. */
function commentDocument(n: number): Document {
  const createdAt = new Date(BASE_TIME + n * 1000);
  return {
    _id: new ObjectId(),
    site: 'bench',
    post: `post-${n % POSTS}`,
    postId: postIds[n % POSTS],
    parentId: null,
    ancestorIds: [],
    authorId: `guest:${n % 997}`,
    body: `Comment ${n}: the council got the bridge vote right; мост нужен городу.`,
    status: n % 10 === 0 ? 'pending' : 'published',
    revision: 1,
    verdict: null,
    history: [],
    replyCount: 0,
    reportCount: 0,
    reportReasons: {},
    hasOpenReports: false,
    reactionUp: 0,
    reactionDown: 0,
    bestScore: 0,
    firstReportedAt: null,
    lastReportedAt: null,
    createdAt,
    editedAt: null,
    statusChangedAt: createdAt,
    statusChangedBy: null,
    deletedAt: null,
  };
}

function comments(client: MongoClient): Collection<Document> {
  return client.db('parley').collection('comments');
}

/** The thread page query, answered by the first comment index. */
function threadPage(client: MongoClient): Promise<Document[]> {
  return comments(client)
    .find({ site: 'bench', post: 'post-7', parentId: null, status: 'published' })
    .sort({ createdAt: -1, _id: -1 })
    .limit(20)
    .toArray();
}

function directorySize(directory: string): string {
  const bytes = readdirSync(directory).reduce((sum, name) => sum + statSync(path.join(directory, name)).size, 0);
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly uri: Promise<string>;
  readonly exited: Promise<void>;
  stderr(): string;
}

/** The emulator CLI as one node process (tsx as a loader), so SIGKILL reaches the server itself. */
function startCli(dbPath: string): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--dbpath', dbPath], {
    cwd: PACKAGE_ROOT,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const uri = new Promise<string>((resolve, reject) => {
    const check = (): void => {
      const line = stdout.split('\n').find((l) => l.startsWith('mongodb://'));
      if (line !== undefined) resolve(line.trim());
      else if (child.exitCode !== null) reject(new Error(`emulator exited: ${stderr}`));
      else setTimeout(check, 5);
    };
    check();
  });
  return { child, uri, exited, stderr: () => stderr };
}

interface Recovery {
  readonly label: string;
  readonly seconds: number;
  /** The emulator's own load time (snapshot + journal), from its start-up line. */
  readonly emulatorMs: number | undefined;
  readonly found: number;
  readonly wasUnclean: boolean;
}

/** Spawns the CLI on `dbPath` and times it until the thread page answers; stops it with SIGTERM. */
async function timeRecovery(label: string, dbPath: string, expectedDocs: number | undefined): Promise<Recovery> {
  const started = process.hrtime.bigint();
  const cli = startCli(dbPath);
  const client = await MongoClient.connect(await cli.uri, { serverSelectionTimeoutMS: 60_000 });
  const page = await threadPage(client);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (expectedDocs !== undefined && page.length === 0) throw new Error(`${label}: the thread page came back empty`);
  const found = await comments(client).estimatedDocumentCount();
  await client.close();
  cli.child.kill('SIGTERM');
  await cli.exited;
  const reported = /recovered in (\d+) ms/.exec(cli.stderr())?.[1];
  return {
    label,
    seconds,
    emulatorMs: reported === undefined ? undefined : Number(reported),
    found,
    wasUnclean: cli.stderr().includes('did not shut down cleanly'),
  };
}

async function seed(dbPath: string): Promise<void> {
  const emulator = await startMongoEmulator({ port: 0, dbPath });
  const client = await MongoClient.connect(emulator.uri);
  const started = Date.now();
  for (const key of COMMENT_INDEXES) await comments(client).createIndex(key);
  for (let start = 0; start < DOCS; start += INSERT_BATCH) {
    const batch: Document[] = [];
    for (let n = start; n < Math.min(DOCS, start + INSERT_BATCH); n += 1) batch.push(commentDocument(n));
    await comments(client).insertMany(batch, { ordered: false });
  }
  const loaded = (Date.now() - started) / 1000;
  await emulator.compact();
  await client.close();
  await emulator.close();
  console.log(`seeded ${DOCS} comments with ${COMMENT_INDEXES.length} indexes in ${loaded.toFixed(1)} s; data directory ${directorySize(dbPath)}`);
}

/** JOURNAL_WRITES single-document updates and inserts after the snapshot, then a clean stop. */
async function writeJournalTail(dbPath: string): Promise<void> {
  const emulator = await startMongoEmulator({ port: 0, dbPath });
  const client = await MongoClient.connect(emulator.uri);
  const ids = await comments(client)
    .find({}, { projection: { _id: 1 } })
    .limit(JOURNAL_WRITES / 2)
    .toArray();
  await runConcurrently(ids.length, async (i) => {
    await comments(client).updateOne({ _id: ids[i]?.['_id'] as ObjectId }, { $inc: { replyCount: 1 }, $set: { editedAt: new Date() } });
  });
  await runConcurrently(JOURNAL_WRITES - ids.length, async (i) => {
    await comments(client).insertOne(commentDocument(DOCS + i));
  });
  await client.close();
  await emulator.close();
  console.log(`then ${JOURNAL_WRITES} single writes kept in the journal only; data directory ${directorySize(dbPath)}`);
}

/** Concurrent inserts into a CLI process, killed with SIGKILL after `before` acknowledgements. */
async function killDuringWrites(dbPath: string, before: number): Promise<number> {
  const cli = startCli(dbPath);
  const client = await MongoClient.connect(await cli.uri, { serverSelectionTimeoutMS: 60_000, retryWrites: false });
  let acknowledged = 0;
  let next = 0;
  let isKilled = false;
  const worker = async (): Promise<void> => {
    while (!isKilled) {
      const n = next;
      next += 1;
      try {
        await comments(client).insertOne(commentDocument(DOCS + JOURNAL_WRITES + n));
        acknowledged += 1;
      } catch {
        return;
      }
    }
  };
  const workers = Array.from({ length: CLIENTS }, () => worker());
  while (acknowledged < before) await new Promise((resolve) => setTimeout(resolve, 5));
  isKilled = true;
  cli.child.kill('SIGKILL');
  await cli.exited;
  await Promise.all(workers);
  await client.close().catch(() => undefined);
  return acknowledged;
}

async function runConcurrently(count: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < count) {
        const i = next;
        next += 1;
        await task(i);
      }
    }),
  );
}

/** Writes/s of the same workload: each client inserts comments, then bumps each one's replyCount. */
async function measureWrites(dbPath: string | undefined): Promise<number> {
  const emulator = await startMongoEmulator(dbPath === undefined ? { port: 0 } : { port: 0, dbPath });
  const client = await MongoClient.connect(emulator.uri, { maxPoolSize: CLIENTS });
  for (const key of COMMENT_INDEXES) await comments(client).createIndex(key);
  const documents = Array.from({ length: THROUGHPUT_COMMENTS }, (_, n) => commentDocument(n));
  await threadPage(client); // warm the connection pool and the JIT alike for both engines
  const started = process.hrtime.bigint();
  await runConcurrently(documents.length, async (i) => {
    const document = documents[i] ?? {};
    await comments(client).insertOne(document);
    await comments(client).updateOne({ _id: document['_id'] as ObjectId }, { $inc: { replyCount: 1 } });
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await client.close();
  await emulator.close();
  return (documents.length * 2) / seconds;
}

function describeRecovery(recovery: Recovery, anchor: Recovery): string {
  const own = recovery.emulatorMs === undefined ? '' : `, emulator load ${recovery.emulatorMs} ms`;
  return (
    `${recovery.label.padEnd(46)} ${recovery.seconds.toFixed(2)} s to the first answer ` +
    `(${(recovery.seconds / anchor.seconds).toFixed(1)}× the empty start, +${(recovery.seconds - anchor.seconds).toFixed(2)} s${own}); ` +
    `${recovery.found} comments${recovery.wasUnclean ? ', unclean shutdown detected' : ''}`
  );
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'parley-durability-bench-'));
  const timeout = setTimeout(() => {
    process.stderr.write(`emulator durability benchmark: gave up after ${OVERALL_TIMEOUT_MS / 1000} s\n`);
    rmSync(root, { recursive: true, force: true });
    process.exit(1);
  }, OVERALL_TIMEOUT_MS);
  try {
    const anchor = await timeRecovery('anchor: empty data directory', path.join(root, 'empty'), undefined);
    console.log(describeRecovery(anchor, anchor));
    const dbPath = path.join(root, 'data');
    await seed(dbPath);
    const snapshot = await timeRecovery(`${DOCS} comments in a compacted snapshot`, dbPath, DOCS);
    console.log(describeRecovery(snapshot, anchor));
    await writeJournalTail(dbPath);
    const journal = await timeRecovery(`snapshot + ${JOURNAL_WRITES} writes in the journal`, dbPath, DOCS);
    console.log(describeRecovery(journal, anchor));
    const acknowledged = await killDuringWrites(dbPath, 500);
    const killed = await timeRecovery(`after SIGKILL during ${CLIENTS}-client inserts`, dbPath, DOCS);
    console.log(describeRecovery(killed, anchor));
    const recoveries = [snapshot, journal, killed];
    const expectedAfterKill = journal.found + acknowledged;
    const isComplete = killed.found >= expectedAfterKill && killed.wasUnclean;
    console.log(
      `${isComplete ? 'PASS' : 'FAIL'}: after SIGKILL ${killed.found} comments found, ${acknowledged} inserts were acknowledged on top of ${journal.found} (every acknowledged write must be there)`,
    );
    const slowest = Math.max(...recoveries.map((r) => r.seconds));
    const isFast = slowest <= RECOVERY_TARGET_S;
    console.log(
      `${isFast ? 'PASS' : 'FAIL'}: the slowest recovery of ${DOCS} comments answered in ${slowest.toFixed(2)} s (target ≤ ${RECOVERY_TARGET_S} s)`,
    );

    const inMemory = await measureWrites(undefined);
    const durable = await measureWrites(path.join(root, 'throughput'));
    const cost = inMemory / durable;
    console.log(`writes at ${CLIENTS} clients, in memory (no journal):   ${inMemory.toFixed(0)} writes/s`);
    console.log(`writes at ${CLIENTS} clients, journal fsync'd before ack: ${durable.toFixed(0)} writes/s`);
    const isAffordable = cost <= MAX_WRITE_COST;
    console.log(
      `${isAffordable ? 'PASS' : 'FAIL'}: the journal's write cost is ${cost.toFixed(2)}× (in-memory writes/s ÷ durable writes/s; target ≤ ${MAX_WRITE_COST}×)`,
    );
    if (!isComplete || !isFast || !isAffordable) process.exitCode = 1;
  } finally {
    clearTimeout(timeout);
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
