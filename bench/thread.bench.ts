/**
 * Thread reads at news-thread size:
 *
 *   npm run bench:thread                 # 10k and 100k comments, 5 s per run
 *   npm run bench:thread -- --seconds 3
 *   npm run bench:thread -- --sizes 10000  # one size only (while iterating)
 *   npm run bench:thread -- --only demo    # the /demo timing on the 10k thread, no load runs
 *
 * Seeds one post with 10,000 and one with 100,000 comments (through the
 * repositories), then loads the first page and a deep replies page with
 * autocannon at 1 and 50 clients, each beside the anchor: Express 5 + helmet
 * sending the very same JSON, in the same process, in the same run. Prints the
 * ratios and PASS/FAIL lines against the targets (ratios, since machines differ):
 * a page ≥ 0.25× the anchor on the embedded database (≥ 0.6× with MONGODB_URI),
 * the 100k thread within 1.2× of the 10k one. Also reports memory per 10k comments,
 * and how soon /demo shows the 10k thread in headless Chromium (the 10k thread is
 * the demo post), against 500 ms.
 */
import { describe, fmt, load, startTarget, verdict, type LoadResult, type Target } from './support/load';
import { BENCH_SITE } from './support/target';
import { measureDemoVisible, type DemoTiming } from './support/demo-visible';
import { DEMO_POST } from '../src/pages';

const SIZES = [10_000, 100_000];
const CLIENTS = [1, 50] as const;
/** The thread /demo shows is seeded at this size. */
const DEMO_SIZE = 10_000;
const DEMO_TARGET_MS = 500;
const DEMO_RUNS = 5;
const OVERALL_TIMEOUT_MS = 15 * 60_000;

function argument(name: string, fallback: number, max: number): number {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}`);
  return value;
}

/** Waits until the target has answered every request of the last run, so no backlog leaks into the next. */
async function drain(target: Target): Promise<void> {
  target.send({ kind: 'idle' });
  await target.next('idle');
}

async function main(): Promise<void> {
  const seconds = argument('--seconds', 5, 60);
  const sizesIndex = process.argv.indexOf('--sizes');
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex < 0 ? undefined : process.argv[onlyIndex + 1];
  if (only !== undefined && only !== 'demo') throw new Error(`--only takes demo (got ${only ?? 'nothing'})`);
  const isDemoOnly = only === 'demo';
  const sizes = isDemoOnly ? [DEMO_SIZE] : sizesIndex < 0 ? SIZES : (process.argv[sizesIndex + 1] ?? '').split(',').map(Number);
  if (sizes.length === 0 || sizes.some((size) => !Number.isInteger(size) || size < 1000 || size > 1_000_000)) {
    throw new Error('--sizes takes comma-separated thread sizes from 1000 to 1000000');
  }
  const timeout = setTimeout(() => {
    process.stderr.write(`thread benchmark: gave up after ${OVERALL_TIMEOUT_MS / 1000} s\n`);
    process.exit(1);
  }, OVERALL_TIMEOUT_MS);
  timeout.unref();
  const realDatabase = process.env['MONGODB_URI'] !== undefined;
  const target = await startTarget();
  const lines: string[] = [];
  const say = (line: string): void => {
    process.stdout.write(`${line}\n`);
    lines.push(line);
  };
  try {
    say(`== thread reads (${realDatabase ? 'MONGODB_URI' : 'embedded database'}), ${seconds} s per run, 127.0.0.1 ==`);
    target.send({ kind: 'memory' });
    const empty = await target.next('memory');
    const results = new Map<string, { parley: LoadResult; anchor: LoadResult }>();
    const memory: { comments: number; rss: number; heapUsed: number }[] = [];
    let demo: DemoTiming | undefined;
    for (const total of sizes) {
      const post = total === DEMO_SIZE ? DEMO_POST : `thread-${total}`;
      target.send({ kind: 'seed', post, total });
      const seeded = await target.next('seeded');
      target.send({ kind: 'memory' });
      const usage = await target.next('memory');
      // Cumulative: both threads live in the same database.
      memory.push({ comments: (memory[memory.length - 1]?.comments ?? 0) + total, rss: usage.rss, heapUsed: usage.heapUsed });
      say(
        `seeded ${seeded.thread.comments} comments in ${fmt(seeded.thread.seconds, 1)} s; first page ${fmt(seeded.firstPageBytes / 1024, 1)} kB, deep replies page ${fmt(seeded.repliesPageBytes / 1024, 1)} kB`,
      );
      const pages = {
        first: { parley: `${target.parley}/api/v1/sites/${BENCH_SITE}/posts/${post}/comments`, anchor: `${target.anchor}/json/first-${post}` },
        replies: { parley: `${target.parley}/api/v1/comments/${seeded.thread.deepParentId}/replies`, anchor: `${target.anchor}/json/replies-${post}` },
      };
      for (const [page, urls] of Object.entries(isDemoOnly ? {} : pages)) {
        for (const connections of CLIENTS) {
          const anchor = await load({ url: urls.anchor, connections, seconds });
          await drain(target);
          const parley = await load({ url: urls.parley, connections, seconds });
          await drain(target);
          results.set(`${total}/${page}/${connections}`, { parley, anchor });
          say(describe(`${total} ${page} page, ${connections} client(s), anchor`, anchor));
          say(describe(`${total} ${page} page, ${connections} client(s), Parley`, parley));
          say(`  ratio Parley / anchor: ${fmt(parley.requestsPerSecond / anchor.requestsPerSecond, 2)}×`);
        }
      }
      if (total === DEMO_SIZE) {
        demo = await measureDemoVisible(target.parley, DEMO_RUNS);
        say(`/demo on the ${total} thread, first comment visible (headless Chromium, fresh context): ${demo.runs.map((ms) => fmt(ms)).join(', ')} ms; median ${fmt(demo.median)} ms`);
      }
    }

    say('');
    const targetRatio = realDatabase ? 0.6 : 0.25;
    for (const [key, { parley, anchor }] of results) {
      const ratio = parley.requestsPerSecond / anchor.requestsPerSecond;
      const failures = parley.non2xx + parley.errors;
      say(verdict(ratio >= targetRatio && failures === 0, `${key.replaceAll('/', ' · ')} clients: ${fmt(ratio, 2)}× the anchor (target ≥ ${targetRatio}×)${failures ? `, ${failures} failed requests` : ''}`));
    }
    for (const page of ['first', 'replies']) {
      for (const connections of CLIENTS) {
        const small = results.get(`10000/${page}/${connections}`);
        const large = results.get(`100000/${page}/${connections}`);
        if (!small || !large) continue;
        // Each size against its own anchor, so machine load during the run cancels out.
        const smallRatio = small.parley.requestsPerSecond / small.anchor.requestsPerSecond;
        const largeRatio = large.parley.requestsPerSecond / large.anchor.requestsPerSecond;
        const slowdown = smallRatio / largeRatio;
        say(verdict(slowdown <= 1.2, `100k vs 10k · ${page} page · ${connections} client(s): ${fmt(slowdown, 2)}× slower (target ≤ 1.2×)`));
      }
    }
    if (demo) say(verdict(demo.median <= DEMO_TARGET_MS, `/demo · ${DEMO_SIZE} thread visible: median ${fmt(demo.median)} ms (target ≤ ${DEMO_TARGET_MS} ms)`));
    const last = memory[memory.length - 1];
    if (last) {
      const perTenK = (bytes: number): string => `${fmt(((bytes / last.comments) * 10_000) / 2 ** 20, 1)} MB`;
      say(
        `memory: ${fmt(empty.rss / 2 ** 20)} MB rss with no thread; per 10k comments (database in process): rss ${perTenK(last.rss - empty.rss)}, heap ${perTenK(last.heapUsed - empty.heapUsed)}`,
      );
    }
  } finally {
    await target.stop();
    clearTimeout(timeout);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`thread benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
