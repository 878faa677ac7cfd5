/**
 * Abuse under load: does Parley keep its promises when readers hammer it?
 *
 *   npm run bench:abuse                          # 50 clients for 20 s
 *   npm run bench:abuse -- --clients 10 --seconds 3   # a quick run
 *
 * Starts Parley as a child process (`node --import tsx src/main.ts`, the in-memory
 * emulator, 127.0.0.1, TRUST_PROXY so each client has its own address through
 * X-Forwarded-For, the default rate limits), then runs the clients for the given
 * time, each mixing thread reads (60 %), posts (25 %) and reports (15 %). A fifth of
 * the clients share one address (one script pretending to be many) and fire each
 * action as a burst of 8, so the per-address limits trip; they also reuse their
 * author token, so the per-author limit trips too.
 *
 * Counts every status and problem code, and checks: no 5xx and no network error;
 * every 429 is `application/problem+json` with a `Retry-After` header and a stable
 * `code`; every other 4xx is problem+json with a stable code. As in the other
 * benchmarks, the in-run anchor is the same load on `GET /healthz` (no database, no
 * limits): the thread-read rate is printed as a ratio to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PROBLEM_CODES } from '../src/contracts/problem-codes';

const ROOT = path.resolve(__dirname, '..');
const ADMIN = { email: 'bench-admin@example.com', password: 'bench admin password' };
const SITE = 'abuse-bench';
const ORIGIN = 'https://abuse-bench.example';
const POSTS = ['budget-vote', 'bridge-closure', 'school-merger'];
const OVERALL_TIMEOUT_MS = 10 * 60_000;
const STABLE_CODES = new Set<string>(PROBLEM_CODES);

function argument(name: string, fallback: number, max: number): number {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}`);
  return value;
}

interface Parley {
  url: string;
  stop(): Promise<void>;
}

/** Parley in a child process of its own, so the load generator never shares its event loop. */
async function startParley(): Promise<Parley> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'development',
      PORT: '0',
      HOST: '127.0.0.1',
      EMBEDDED_DB: 'emulator',
      EMULATOR_DBPATH: ':memory:',
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'info',
      SESSION_SECRET: randomBytes(32).toString('hex'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout ?? process.stdin });
    const timer = setTimeout(() => reject(new Error('Parley did not start within 60 s')), 60_000);
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'parley is listening' && typeof entry.port === 'number') {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${entry.port}`);
        }
      } catch {
        // Not a log line of ours.
      }
    });
    void exited.then((code) => reject(new Error(`Parley exited during start-up (code ${String(code)})`)));
  });
  // Keep draining its log so the pipe never fills.
  child.stdout?.resume();
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function setUp(base: string): Promise<{ comments: string[] }> {
  const login = await call(`${base}/api/v1/mod/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (login.status !== 201) throw new Error(`sign-in failed: ${login.status}`);
  const token = (login.body as { token: string }).token;
  const site = await call(`${base}/api/v1/mod/sites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ id: SITE, name: 'Abuse bench', origins: [ORIGIN] }),
  });
  if (site.status !== 201) throw new Error(`creating the site failed: ${site.status} ${JSON.stringify(site.body)}`);
  const comments: string[] = [];
  for (const [index, post] of POSTS.entries()) {
    for (let i = 0; i < 5; i += 1) {
      const created = await call(`${base}/api/v1/sites/${SITE}/posts/${post}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-forwarded-for': `198.19.${index}.${i + 1}` },
        body: JSON.stringify({ body: `Seed comment ${i} on ${post}: the council should publish the figures.`, authorName: `Seeder ${index}${i}` }),
      });
      if (created.status !== 201) throw new Error(`seeding failed: ${created.status} ${JSON.stringify(created.body)}`);
      const { comment } = created.body as { comment: { id: string; status: string } };
      if (comment.status === 'published') comments.push(comment.id);
    }
  }
  return { comments };
}

interface Tally {
  byStatus: Map<number, number>;
  byCode: Map<string, number>;
  byKind: Map<string, number>;
  networkErrors: number;
  /** Responses that broke a promise: a 5xx, a 429 without Retry-After, a 4xx that is not problem+json with a stable code. */
  broken: string[];
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

async function check(kind: string, response: Response, tally: Tally): Promise<unknown> {
  bump(tally.byStatus, response.status);
  bump(tally.byKind, `${kind} ${response.status}`);
  const text = await response.text();
  if (response.status < 400) return text ? (JSON.parse(text) as unknown) : undefined;
  const type = response.headers.get('content-type') ?? '';
  let code: unknown;
  try {
    code = (JSON.parse(text) as { code?: unknown }).code;
  } catch {
    code = undefined;
  }
  bump(tally.byCode, `${response.status} ${String(code)}`);
  const problems: string[] = [];
  if (response.status >= 500) problems.push('a 5xx');
  if (!type.startsWith('application/problem+json')) problems.push(`content-type ${JSON.stringify(type)}`);
  if (typeof code !== 'string' || !STABLE_CODES.has(code)) problems.push(`code ${JSON.stringify(code)}`);
  if (response.status === 429 && !/^\d+$/.test(response.headers.get('retry-after') ?? '')) problems.push('no Retry-After');
  if (problems.length > 0) tally.broken.push(`${kind} → ${response.status}: ${problems.join(', ')}`);
  return undefined;
}

/** Requests an abusive client fires at once (a script does not wait for each answer). */
const BURST = 8;

/**
 * One client: its own address, or the shared one; its guest token once it has posted.
 * A client behind the shared address fires each action as a burst of BURST requests.
 */
async function runClient(base: string, index: number, isShared: boolean, deadline: number, comments: string[], tally: Tally): Promise<void> {
  const address = isShared ? '198.18.255.1' : `198.18.${Math.floor(index / 250)}.${(index % 250) + 1}`;
  let token: string | undefined;
  let sequence = 0;
  const once = async (kind: 'read' | 'post' | 'report', post: string): Promise<void> => {
    sequence += 1;
    const headers: Record<string, string> = { origin: ORIGIN, 'x-forwarded-for': address, 'user-agent': `abuse-bench/${index}.${sequence}` };
    try {
      if (kind === 'read') {
        await check('read', await fetch(`${base}/api/v1/sites/${SITE}/posts/${post}/comments?limit=20`, { headers }), tally);
      } else if (kind === 'post') {
        const body = { body: `Client ${index} says ${randomBytes(4).toString('hex')}: the figures matter more than the speeches.`, ...(token ? {} : { authorName: `Reader ${index}` }) };
        const response = await fetch(`${base}/api/v1/sites/${SITE}/posts/${post}/comments`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });
        const created = (await check('post', response, tally)) as { comment?: { id: string; status: string }; authorToken?: string } | undefined;
        if (created?.authorToken && token === undefined) token = created.authorToken;
        if (created?.comment?.status === 'published' && comments.length < 2000) comments.push(created.comment.id);
      } else {
        const target = comments[Math.floor(Math.random() * comments.length)] ?? '0'.repeat(24);
        const response = await fetch(`${base}/api/v1/comments/${target}/reports`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ reason: 'spam' }),
        });
        await check('report', response, tally);
      }
    } catch (error) {
      tally.networkErrors += 1;
      tally.broken.push(`network error: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  while (Date.now() < deadline) {
    const post = POSTS[(index + sequence) % POSTS.length] ?? 'budget-vote';
    const roll = Math.random();
    const kind = roll < 0.6 ? 'read' : roll < 0.85 ? 'post' : 'report';
    // The first post makes the guest; a burst after it reuses the token, as a script would.
    if (isShared && (kind !== 'post' || token !== undefined)) await Promise.all(Array.from({ length: BURST }, () => once(kind, post)));
    else await once(kind, post);
  }
}

/** The anchor: the same number of clients on `GET /healthz` (no database, no limits), for as long. */
async function runAnchor(base: string, clients: number, seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let completed = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) {
        const response = await fetch(`${base}/healthz`);
        await response.arrayBuffer();
        completed += 1;
      }
    }),
  );
  return completed / seconds;
}

const pass = (isPass: boolean, text: string): string => `${isPass ? 'PASS' : 'FAIL'} ${text}`;

async function main(): Promise<boolean> {
  const clients = argument('--clients', 50, 200);
  const seconds = argument('--seconds', 20, 120);
  const timeout = setTimeout(() => {
    process.stderr.write(`abuse benchmark: gave up after ${OVERALL_TIMEOUT_MS / 1000} s\n`);
    process.exit(1);
  }, OVERALL_TIMEOUT_MS);
  timeout.unref();
  const parley = await startParley();
  try {
    if (!parley.url.startsWith('http://127.0.0.1:')) throw new Error('the benchmark only loads 127.0.0.1');
    const { comments } = await setUp(parley.url);
    const shared = Math.max(1, Math.floor(clients / 5));
    process.stdout.write(
      `== abuse: ${clients} clients (${shared} behind one address, in bursts of ${BURST}) for ${seconds} s, reads 60 % · posts 25 % · reports 15 %, embedded emulator ==\n`,
    );

    const anchorRate = await runAnchor(parley.url, clients, Math.min(seconds, 5));
    const tally: Tally = { byStatus: new Map(), byCode: new Map(), byKind: new Map(), networkErrors: 0, broken: [] };
    const started = Date.now();
    const deadline = started + seconds * 1000;
    await Promise.all(Array.from({ length: clients }, (_, index) => runClient(parley.url, index, index < shared, deadline, comments, tally)));
    const elapsed = (Date.now() - started) / 1000;

    const total = [...tally.byStatus.values()].reduce((sum, count) => sum + count, 0);
    const sorted = <K>(map: Map<K, number>): [K, number][] => [...map.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    process.stdout.write(`requests: ${total} in ${elapsed.toFixed(1)} s (${(total / elapsed).toFixed(0)}/s), network errors: ${tally.networkErrors}\n`);
    process.stdout.write(`by status: ${sorted(tally.byStatus).map(([status, count]) => `${status}: ${count}`).join(', ')}\n`);
    process.stdout.write(`by kind:   ${sorted(tally.byKind).map(([kind, count]) => `${kind}: ${count}`).join(', ')}\n`);
    process.stdout.write(`problems:  ${sorted(tally.byCode).map(([code, count]) => `${code}: ${count}`).join(', ') || 'none'}\n`);
    const reads = [...tally.byKind.entries()].filter(([kind]) => kind.startsWith('read ')).reduce((sum, [, count]) => sum + count, 0);
    process.stdout.write(`anchor GET /healthz at ${clients} clients: ${anchorRate.toFixed(0)} req/s; thread reads under the mixed load: ${(reads / elapsed).toFixed(0)}/s (ratio ${(reads / elapsed / anchorRate).toFixed(2)}×)\n`);
    for (const line of tally.broken.slice(0, 20)) process.stdout.write(`  broken: ${line}\n`);
    if (tally.broken.length > 20) process.stdout.write(`  … and ${tally.broken.length - 20} more\n`);

    const fivexx = sorted(tally.byStatus).filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0);
    const limited = tally.byStatus.get(429) ?? 0;
    const verdicts = [
      pass(fivexx === 0 && tally.networkErrors === 0, `no 5xx and no network errors (5xx: ${fivexx}, network errors: ${tally.networkErrors})`),
      pass(limited > 0, `the limits tripped: ${limited} × 429`),
      pass(tally.broken.length === 0, `every 429 is problem+json with Retry-After and a stable code; every 4xx is problem+json with a stable code (${tally.broken.length} broken)`),
    ];
    process.stdout.write(`${verdicts.join('\n')}\n`);
    return verdicts.every((line) => line.startsWith('PASS'));
  } finally {
    await parley.stop();
    clearTimeout(timeout);
  }
}

main().then(
  (isPass) => process.exit(isPass ? 0 : 1),
  (error: unknown) => {
    process.stderr.write(`abuse benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
