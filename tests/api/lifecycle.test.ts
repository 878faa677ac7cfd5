import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

interface RunningProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything written so far, split in lines. */
  stdoutLines(): string[];
  stderrLines(): string[];
  /** Resolves with the exit code (or the signal's name) and how long after `since` it came. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Starts `src/main.ts` as `npm start` would, with a clean environment plus `env`. */
function startMain(env: Record<string, string>): RunningProcess {
  const base: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? ROOT,
    // A .env that does not exist, so a developer's own .env cannot change what is tested.
    DOTENV_CONFIG_PATH: path.join(ROOT, 'tests', 'api', 'no-such.env'),
  };
  const mongodbUri = process.env['MONGODB_URI'];
  const database: Record<string, string> = mongodbUri
    ? { MONGODB_URI: mongodbUri, MONGODB_DB: `parley_lifecycle_${randomBytes(4).toString('hex')}` }
    : { EMBEDDED_DB: 'emulator', EMULATOR_DBPATH: ':memory:' };
  // As `npm start` runs it: one node process with tsx as a loader (no tsx parent relaying signals).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...base, ...database, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });
  const lines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');
  return { child, exited, stdoutLines: () => lines(stdout), stderrLines: () => lines(stderr) };
}

function parseJsonLines(lines: string[]): Record<string, unknown>[] {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits for the "listening" log line and returns the port it names. */
async function waitForPort(running: RunningProcess): Promise<number> {
  return waitFor(() => {
    const line = parseJsonLines(running.stdoutLines()).find((entry) => entry['msg'] === 'parley is listening');
    return typeof line?.['port'] === 'number' ? line['port'] : undefined;
  }, `the listening line; stdout so far: ${running.stdoutLines().join('\n')} stderr: ${running.stderrLines().join('\n')}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('process lifecycle (the real src/main.ts)', () => {
  const started: RunningProcess[] = [];

  afterEach(() => {
    for (const running of started.splice(0)) {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
    }
  });

  it('when SIGTERM arrives during a request, then that request completes, new connections are refused and the process exits 0 within 10 s', async () => {
    const running = startMain({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    started.push(running);
    const port = await waitForPort(running);

    // A request whose body is still arriving when the signal comes: in flight.
    const body = JSON.stringify({ body: 'a comment that takes its time to upload' });
    const agent = new http.Agent({ keepAlive: true });
    const response = new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/no-such-route',
          agent,
          headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        running.child.kill('SIGTERM');
        const signalledAt = Date.now();
        void waitFor(
          () => (parseJsonLines(running.stdoutLines()).some((entry) => entry['msg'] === 'shutting down') ? true : undefined),
          'the shutting down line',
        ).then(async () => {
          expect(await canConnect(port)).toBe(false);
          expect(Date.now() - signalledAt).toBeLessThan(10_000);
          req.end(body.slice(10));
        }, reject);
      }, 200);
    });
    const signalledAt = Date.now();

    const answer = await response;
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toEqual(expect.objectContaining({ code: 'ROUTE_NOT_FOUND' }));

    const exit = await running.exited;
    agent.destroy();
    expect(exit).toEqual(expect.objectContaining({ code: 0, signal: null }));
    expect(exit.at - signalledAt).toBeLessThan(10_000);
    const messages = parseJsonLines(running.stdoutLines()).map((entry) => entry['msg']);
    expect(messages).toEqual(expect.arrayContaining(['parley is listening', 'shutting down', 'bye']));
    expect(running.stderrLines()).toEqual([]);
  }, 60_000);

  it('when SIGINT arrives while idle with a keep-alive connection open, then the process exits 0 promptly', async () => {
    const running = startMain({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    started.push(running);
    const port = await waitForPort(running);
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        })
        .on('error', reject);
    });

    const signalledAt = Date.now();
    running.child.kill('SIGINT');
    const exit = await running.exited;
    agent.destroy();

    expect(exit).toEqual(expect.objectContaining({ code: 0, signal: null }));
    expect(exit.at - signalledAt).toBeLessThan(5_000);
  }, 60_000);

  it('when PORT=abc, then it exits 1 with exactly one stderr line naming PORT and no stack trace', async () => {
    const running = startMain({ PORT: 'abc', LOG_LEVEL: 'info' });
    started.push(running);

    const exit = await running.exited;

    expect(exit.code).toBe(1);
    const errors = running.stderrLines();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/PORT/);
    expect(errors[0]).toMatch(/must be a number/);
    expect(errors.join('\n')).not.toMatch(/\bat .+:\d+:\d+|Error:|ZodError/);
    expect(running.stdoutLines()).toEqual([]);
  }, 60_000);
});
