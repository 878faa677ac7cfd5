import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SESSION_SECRET = 'durability-secret-'.padEnd(48, 'x');
export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' } as const;

/** Parley (`src/main.ts`) as `npm start` runs it: one node process, so SIGKILL reaches the service itself. */
export interface ServiceProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Starts the service on the embedded emulator with its data in `dbPath` (or on `env.MONGODB_URI`). */
export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? ROOT,
      DOTENV_CONFIG_PATH: path.join(ROOT, 'tests', 'durability', 'no-such.env'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      EMBEDDED_DB: 'emulator',
      TRUST_PROXY: 'true',
      SESSION_SECRET,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const listening = output
      .split('\n')
      .filter((line) => line.includes('parley is listening'))
      .map((line) => JSON.parse(line) as { port?: number })[0];
    if (listening?.port !== undefined) {
      const url = `http://127.0.0.1:${listening.port}`;
      return {
        child,
        url,
        output: () => output,
        exited,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
