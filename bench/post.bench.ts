/**
 * Posting on a news-size thread:
 *
 *   npm run bench:post                  # 10k-comment thread, 50 clients, 5 s
 *   npm run bench:post -- --seconds 10
 *
 * Seeds a post with 10,000 comments (through the repositories), then posts new
 * comments on it with autocannon at 50 clients through the whole path (site,
 * post, guest author, moderation pipeline, counts, live events, audit), beside
 * the anchor in the same process and run: Express 5 + helmet + one repository
 * insert. Each side runs one second unmeasured first (the thread grows by those
 * posts too). Targets (embedded database): ≥ 200 comments/s at 50 clients with
 * p99 < 250 ms; the ratio to the anchor is printed beside them.
 */
import { randomBytes } from 'node:crypto';
import { describe, fmt, load, startTarget, verdict } from './support/load';
import { BENCH_SITE } from './support/target';

const CLIENTS = 50;
/** Unmeasured load before each side's run. */
const WARM_UP_SECONDS = 1;
const OVERALL_TIMEOUT_MS = 10 * 60_000;

function argument(name: string, fallback: number, max: number): number {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}`);
  return value;
}

const WORDS = [
  'council', 'bridge', 'vote', 'budget', 'river', 'school', 'tram', 'winter', 'market', 'taxes', 'park', 'station', 'library',
  'parking', 'housing', 'traffic', 'cycling', 'harbour', 'festival', 'museum', 'repairs', 'deadline', 'contract', 'mayor',
  'мост', 'дорога', 'город', 'школа', 'налоги', 'парк', 'рынок', 'зима', 'трамвай', 'бюджет', 'міст', 'місто', 'вибори',
];

/**
 * A different sentence each time, in two scripts. Readers of a real thread write their own
 * words: texts sharing most of a sentence would be a brigade (held, clustered), which is
 * another benchmark's load.
 */
function commentBody(): string {
  const bytes = randomBytes(16);
  const words = Array.from(bytes.subarray(0, 12), (byte) => WORDS[byte % WORDS.length] ?? 'city');
  const id = bytes.subarray(12).toString('hex');
  return JSON.stringify({ body: `I think the ${words.slice(0, 6).join(' ')}; ${words.slice(6).join(' ')}.`, authorName: `Reader ${id}` });
}

async function main(): Promise<void> {
  const seconds = argument('--seconds', 5, 60);
  const timeout = setTimeout(() => {
    process.stderr.write(`post benchmark: gave up after ${OVERALL_TIMEOUT_MS / 1000} s\n`);
    process.exit(1);
  }, OVERALL_TIMEOUT_MS);
  timeout.unref();
  const target = await startTarget();
  try {
    process.stdout.write(`== posting on a 10k-comment thread (${process.env['MONGODB_URI'] ? 'MONGODB_URI' : 'embedded database'}), ${CLIENTS} clients, ${seconds} s per run ==\n`);
    const post = 'thread-10000';
    target.send({ kind: 'seed', post, total: 10_000 });
    const seeded = await target.next('seeded');
    process.stdout.write(`seeded ${seeded.thread.comments} comments in ${fmt(seeded.thread.seconds, 1)} s\n`);

    const idle = async (): Promise<void> => {
      target.send({ kind: 'idle' });
      await target.next('idle');
    };
    const anchorUrl = `${target.anchor}/comments`;
    const parleyUrl = `${target.parley}/api/v1/sites/${BENCH_SITE}/posts/${post}/comments`;
    // Each side first runs WARM_UP_SECONDS unmeasured, so the JIT has compiled its path before the clock starts.
    await load({ url: anchorUrl, method: 'POST', connections: CLIENTS, seconds: WARM_UP_SECONDS, body: commentBody });
    await idle();
    const anchor = await load({ url: anchorUrl, method: 'POST', connections: CLIENTS, seconds, body: commentBody });
    await idle();
    await load({ url: parleyUrl, method: 'POST', connections: CLIENTS, seconds: WARM_UP_SECONDS, body: commentBody });
    await idle();
    target.send({ kind: 'count-commands' });
    const parley = await load({ url: parleyUrl, method: 'POST', connections: CLIENTS, seconds, body: commentBody });
    target.send({ kind: 'idle' });
    await target.next('idle');
    target.send({ kind: 'commands' });
    const commands = await target.next('commands');

    process.stdout.write(`${describe('anchor: Express + helmet + one insert', anchor)}\n`);
    process.stdout.write(`${describe('Parley: POST a comment', parley)}\n`);
    process.stdout.write(`ratio Parley / anchor: ${fmt(parley.requestsPerSecond / anchor.requestsPerSecond, 2)}×\n`);
    // Per comment stored (comments inserted together share one command): posts accepted near the run's end finish after it, and count too.
    const posted = Math.max(1, commands.commentsInserted);
    process.stdout.write(
      `database commands per post (${posted} stored): ${fmt(commands.reads / posted, 1)} reads + ${fmt(commands.writes / posted, 1)} writes` +
        ` (answer and what follows it; shared reads spread over the posts; pollers apart: ${commands.background} in the run)\n`,
    );
    const perPost = Object.entries(commands.byCommand)
      .map(([name, count]) => [name, count / posted] as const)
      .filter(([, share]) => share >= 0.05)
      .sort((a, b) => b[1] - a[1]);
    for (const [name, share] of perPost) process.stdout.write(`  ${fmt(share, 2).padStart(5)} × ${name}\n`);
    process.stdout.write('\n');
    const failures = parley.non2xx + parley.errors;
    process.stdout.write(`${verdict(parley.requestsPerSecond >= 200 && failures === 0, `posting at ${CLIENTS} clients: ${fmt(parley.requestsPerSecond)} comments/s (target ≥ 200)${failures ? `, ${failures} failed` : ''}`)}\n`);
    // No completed request has no p99: that is a failure, not 0 ms.
    process.stdout.write(`${verdict(parley.completed > 0 && parley.p99 < 250, `posting p99 at ${CLIENTS} clients: ${parley.completed > 0 ? `${fmt(parley.p99, 1)} ms` : 'none completed'} (target < 250 ms)`)}\n`);
  } finally {
    await target.stop();
    clearTimeout(timeout);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`post benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
