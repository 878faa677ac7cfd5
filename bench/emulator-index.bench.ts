/**
 * Emulator index benchmark: does an indexed query stay flat as the collection grows?
 *
 * For collections of 10k, 100k and 1M comment-like documents in the emulator (through
 * the official driver, as Parley uses it), it times
 *   - the thread-page query shape: equality on `post` + sort by `createdAt` + limit 20,
 *     answered by the index { post: 1, createdAt: 1 } (explain must say IXSCAN), and
 *   - the same shape on an unindexed field (`group`), which needs a collection scan.
 * Each time is the median of several runs. The anchor is the 10k indexed time measured
 * in the same run; the line at the end is PASS when the 1M indexed query takes at most
 * 2× the 10k one (exit code 1 when not). The scan times show what the index saves.
 *
 * Run: npm run bench:emulator-index   (SIZES=10000,100000 to try smaller sizes)
 */
import { MongoClient, type Collection, type Document } from 'mongodb';
import { startMongoEmulator } from '@parley/mongo-emulator';

const SIZES = (process.env['SIZES'] ?? '10000,100000,1000000').split(',').map(Number);
const POSTS_PER_10K = 100;
const INSERT_BATCH = 10_000;
const INDEXED_RUNS = 51;
const SCAN_RUNS = 5;
const MAX_RATIO = 2;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Warm-up queries before timing, so the first size does not pay for the JIT. */
const WARM_UP_RUNS = 200;

async function timeRuns(runs: number, query: () => Promise<unknown>, warmUps = 1): Promise<number> {
  for (let i = 0; i < warmUps; i += 1) await query();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = process.hrtime.bigint();
    await query();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

async function fill(collection: Collection<Document>, size: number): Promise<number> {
  const posts = Math.max(1, Math.round((size / 10_000) * POSTS_PER_10K));
  const base = Date.UTC(2026, 0, 1);
  for (let start = 0; start < size; start += INSERT_BATCH) {
    const batch: Document[] = [];
    for (let i = start; i < Math.min(size, start + INSERT_BATCH); i += 1) {
      batch.push({
        site: 'bench',
        post: `post-${i % posts}`,
        group: `group-${i % posts}`,
        createdAt: new Date(base + i * 1000),
        status: i % 5 === 0 ? 'pending' : 'published',
        body: `comment ${i} on the talks`,
      });
    }
    await collection.insertMany(batch, { ordered: false });
  }
  return posts;
}

interface Row {
  readonly size: number;
  readonly indexedMs: number;
  readonly scanMs: number;
  readonly plan: string;
}

async function main(): Promise<void> {
  const emulator = await startMongoEmulator({ port: 0 });
  const client = await MongoClient.connect(emulator.uri);
  const rows: Row[] = [];
  try {
    for (const size of SIZES) {
      const collection = client.db('bench').collection(`comments_${size}`);
      const loadStarted = Date.now();
      await collection.createIndex({ post: 1, createdAt: 1 });
      const posts = await fill(collection, size);
      const loadSeconds = (Date.now() - loadStarted) / 1000;
      const post = `post-${Math.floor(posts / 2)}`;
      const group = `group-${Math.floor(posts / 2)}`;
      const explained = await collection
        .find({ post })
        .sort({ createdAt: -1 })
        .limit(20)
        .explain('queryPlanner');
      const plan = JSON.stringify(explained['queryPlanner']).includes('"indexName":"post_1_createdAt_1"')
        ? 'IXSCAN post_1_createdAt_1'
        : 'no index!';
      const indexedMs = await timeRuns(
        INDEXED_RUNS,
        () => collection.find({ post }).sort({ createdAt: -1 }).limit(20).toArray(),
        WARM_UP_RUNS,
      );
      const scanMs = await timeRuns(SCAN_RUNS, () =>
        collection.find({ group }).sort({ createdAt: -1 }).limit(20).toArray(),
      );
      rows.push({ size, indexedMs, scanMs, plan });
      console.log(
        `${String(size).padStart(8)} docs (loaded in ${loadSeconds.toFixed(1)} s): indexed ${indexedMs.toFixed(2)} ms [${plan}], scan ${scanMs.toFixed(1)} ms`,
      );
      await collection.drop();
    }
  } finally {
    await client.close();
    await emulator.close();
  }
  const anchor = rows[0];
  const largest = rows[rows.length - 1];
  if (anchor === undefined || largest === undefined) throw new Error('no sizes measured');
  for (const row of rows) {
    console.log(
      `${String(row.size).padStart(8)} docs: indexed ${(row.indexedMs / anchor.indexedMs).toFixed(2)}× the ${anchor.size} indexed time; ` +
        `scan ${(row.scanMs / anchor.scanMs).toFixed(1)}× the ${anchor.size} scan; scan/indexed ${(row.scanMs / row.indexedMs).toFixed(0)}×`,
    );
  }
  const ratio = largest.indexedMs / anchor.indexedMs;
  const isPass = ratio <= MAX_RATIO && rows.every((row) => row.plan.startsWith('IXSCAN'));
  console.log(
    `${isPass ? 'PASS' : 'FAIL'}: indexed equality + sort + limit 20 at ${largest.size} docs is ${ratio.toFixed(2)}× its time at ${anchor.size} (target ≤ ${MAX_RATIO}×)`,
  );
  if (!isPass) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
