/**
 * Start-up and memory:
 *
 *   npm run bench:memory
 *
 * Starts the service the way `npm start` runs it (one Node process: `node --import tsx
 * src/main.ts`, embedded database in memory) and, beside it, the anchor: Express 5 +
 * helmet answering one JSON route, each in its own process. Reports, once both are idle,
 * their resident memory (VmRSS) and how many processes the service is; then the memory
 * a 10,000-comment thread adds (seeded through the repositories, database in process).
 * Prints PASS/FAIL for "one process" and the RSS ratio to the anchor for the record.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fmt, startTarget, verdict } from './support/load';

const IDLE_MS = 10_000;
const START_TIMEOUT_MS = 120_000;
const ROOT = path.join(__dirname, '..');

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** Processes whose parent is `pid` (the service should have none). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Spawns a process and waits until it prints a line matching `ready`. */
async function startProcess(label: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${String(code)}: ${output.slice(-2000)}`));
    });
  });
  child.removeAllListeners('exit');
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const ANCHOR_SCRIPT = `
const express = require('express');
const helmet = require('helmet');
const app = express();
app.use(helmet());
app.get('/json', (_req, res) => res.json({ ok: true }));
const server = app.listen(0, '127.0.0.1', () => console.log('anchor listening ' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

async function main(): Promise<void> {
  const mb = (bytes: number): string => `${fmt(bytes / 2 ** 20, 1)} MB`;
  process.stdout.write('== start-up and memory (embedded database in memory, 127.0.0.1) ==\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    EMBEDDED_DB: 'emulator',
    EMULATOR_DBPATH: ':memory:',
    MONGODB_URI: '',
    MONGODB_DB: 'parley_memory_bench',
    SESSION_SECRET: 'memory-bench-secret-'.padEnd(48, 'x'),
    ADMIN_EMAIL: 'admin@example.com',
    ADMIN_PASSWORD: 'correct horse battery',
    PUBLIC_URL: 'http://127.0.0.1:4600',
  };
  // What `npm start` execs once the assets are built: one Node process with the tsx loader.
  const service = await startProcess('parley', ['--import', 'tsx', 'src/main.ts'], env, /parley is listening/);
  const anchor = await startProcess('anchor', ['-e', ANCHOR_SCRIPT], process.env, /anchor listening/);
  try {
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const pid = service.pid ?? 0;
    const serviceRss = rssOf(pid);
    const anchorRss = rssOf(anchor.pid ?? 0);
    const extra = childrenOf(pid);
    const extraRss = extra.reduce((sum, child) => sum + rssOf(child), 0);
    const argvOf = (child: number): string[] => readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const described = extra.map((child) => `${argvOf(child).join(' ')}: ${mb(rssOf(child))}`).join('; ');
    // A Node child would be a second service process (a parent relaying signals, a cluster); tsx's esbuild
    // transform helpers (native, started only for files its cache does not hold yet: a fresh clone's first
    // start) are counted apart, their memory in the total.
    const nodeChildren = extra.filter((child) => /(^|\/)node$/.test(argvOf(child)[0] ?? ''));
    const totalRss = serviceRss + extraRss;
    process.stdout.write(
      `npm start (node --import tsx src/main.ts): idle rss ${mb(serviceRss)}; child processes: ${extra.length}${extra.length ? ` (${mb(extraRss)}: ${described})` : ''}; total ${mb(totalRss)}\n`,
    );
    process.stdout.write(`anchor (Express 5 + helmet): idle rss ${mb(anchorRss)}\n`);
    process.stdout.write(`ratio Parley / anchor idle rss: ${fmt(totalRss / anchorRss, 2)}× (children included)\n`);
    process.stdout.write(
      `${verdict(nodeChildren.length === 0, `npm start runs the service as one Node process (${1 + nodeChildren.length}; other helper processes: ${extra.length - nodeChildren.length})`)}\n`,
    );
  } finally {
    await stopProcess(service);
    await stopProcess(anchor);
  }

  // Memory a 10k-comment thread adds, database in process (as with the embedded emulator).
  const target = await startTarget();
  try {
    target.send({ kind: 'memory' });
    const empty = await target.next('memory');
    target.send({ kind: 'seed', post: 'memory-10000', total: 10_000 });
    const seeded = await target.next('seeded');
    target.send({ kind: 'memory' });
    const full = await target.next('memory');
    process.stdout.write(
      `per 10k comments (seeded ${seeded.thread.comments}): rss +${mb(full.rss - empty.rss)}, heap +${mb(full.heapUsed - empty.heapUsed)} (from ${mb(empty.rss)} rss with no thread)\n`,
    );
  } finally {
    await target.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`memory benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
