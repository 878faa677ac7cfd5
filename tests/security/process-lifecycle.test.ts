import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { findFreePort } from '../browser/helpers/browser';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');

interface Started {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

/** Starts a command as the user would from a terminal, and waits for "parley is listening". */
async function start(command: string, args: string[], port: number): Promise<Started> {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', EMBEDDED_DB: 'emulator', EMULATOR_DBPATH: mkdtempSync(path.join(os.tmpdir(), 'parley-lifecycle-')), LOG_LEVEL: 'info', NODE_ENV: 'development', MONGODB_URI: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('parley is listening')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`exited with ${code} before listening:\n${output}`));
    });
  });
  return { child, exited, output: () => output };
}

function childrenOf(pid: number): { pid: number; args: string }[] {
  const found: { pid: number; args: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push({ pid: Number(entry), args: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** One raw HTTP/1.1 connection: write, and read what comes back. */
function openConnection(port: number): Promise<{ socket: net.Socket; read: () => string; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    const ended = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', reject);
    socket.once('connect', () => resolve({ socket, read: () => received, ended }));
  });
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the README start command and signals', () => {
  const started: Started[] = [];
  afterAll(() => {
    for (const { child } of started) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('when `npm start` gets SIGTERM, then the one server process exits cleanly, the port is free and the next start works', async () => {
    const port = await findFreePort();
    const first = await start('npm', ['start'], port);
    started.push(first);
    // npm's child is the server itself (exec'd node, no shell and no tsx parent in between).
    const children = childrenOf(first.child.pid ?? -1);
    expect(children).toHaveLength(1);
    expect(children[0]?.args).toMatch(/^node .*src\/main\.ts$/);
    // tsx may keep an esbuild service as a child; what must not exist is a second Node process.
    expect(childrenOf(children[0]?.pid ?? -1).filter((c) => path.basename(c.args.split(' ')[0] ?? '') === 'node')).toEqual([]);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/"msg":"bye"/);
    expect(await isPortFree(port)).toBe(true);

    const second = await start('npm', ['start'], port);
    started.push(second);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(await isPortFree(port)).toBe(true);
  });

  it('when the server gets SIGTERM mid-request, then the in-flight request finishes and new requests get 503 with Connection: close', async () => {
    const port = await findFreePort();
    const server = await start('node', ['--import', 'tsx', 'src/main.ts'], port);
    started.push(server);

    // A kept-alive connection that has done one request already.
    const idle = await openConnection(port);
    idle.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => idle.read().includes('{"status":"ok"}'), 'the first response');

    // A request whose body is only half sent when the signal arrives.
    const body = JSON.stringify({ email: 'nobody@example.com', password: 'not the password' });
    const slow = await openConnection(port);
    slow.socket.write(`POST /api/v1/mod/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));

    server.child.kill('SIGTERM');
    await until(() => server.output().includes('"msg":"shutting down"'), 'the shutdown log line');

    const before = idle.read().length;
    idle.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await idle.ended;
    const refused = idle.read().slice(before);
    expect(refused).toMatch(/^HTTP\/1\.1 503/);
    expect(refused).toMatch(/Connection: close/i);
    expect(refused).toMatch(/application\/problem\+json/);
    expect(refused).toMatch(/"code":"SERVICE_UNAVAILABLE"/);

    slow.socket.write(body.slice(10));
    await slow.ended;
    expect(slow.read()).toMatch(/^HTTP\/1\.1 401/);
    expect(slow.read()).toMatch(/Connection: close/i);
    expect(slow.read()).toMatch(/"code":"INVALID_CREDENTIALS"/);

    expect(await server.exited).toBe(0);
    expect(await isPortFree(port)).toBe(true);
  });
});
