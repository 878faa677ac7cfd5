import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import type { FromTarget, ToTarget } from './target';

/** The target process (Parley + anchors), forked so the load generator never shares its event loop. */
export interface Target {
  parley: string;
  anchor: string;
  send(message: ToTarget): void;
  next<K extends FromTarget['kind']>(kind: K): Promise<Extract<FromTarget, { kind: K }>>;
  stop(): Promise<void>;
}

export async function startTarget(): Promise<Target> {
  // BENCH_TARGET_NODE_ARGS: node flags for the target alone when diagnosing it (`--cpu-prof --cpu-prof-dir=…`, `--trace-gc`).
  const extra = (process.env['BENCH_TARGET_NODE_ARGS'] ?? '').split(' ').filter((flag) => flag.length > 0);
  const child: ChildProcess = fork(path.join(__dirname, 'target-main.ts'), [], { execArgv: [...process.execArgv, ...extra], stdio: 'inherit' });
  const next = <K extends FromTarget['kind']>(kind: K): Promise<Extract<FromTarget, { kind: K }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: FromTarget): void => {
        if (message.kind === 'failed') {
          child.off('message', onMessage);
          reject(new Error(message.message));
        } else if (message.kind === kind) {
          child.off('message', onMessage);
          resolve(message as Extract<FromTarget, { kind: K }>);
        }
      };
      child.on('message', onMessage);
    });
  const ready = await next('ready');
  return {
    parley: ready.parley,
    anchor: ready.anchor,
    send: (message) => void child.send(message),
    next,
    async stop() {
      child.send({ kind: 'stop' } satisfies ToTarget);
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  completed: number;
  non2xx: number;
  errors: number;
}

/** One bounded autocannon run against 127.0.0.1. */
export async function load(options: {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  /** A fresh body per request (POST). */
  body?: () => string;
}): Promise<LoadResult> {
  if (!options.url.startsWith('http://127.0.0.1:')) throw new Error('benchmarks only load 127.0.0.1');
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    method: options.method ?? 'GET',
    headers: { 'content-type': 'application/json', 'accept-encoding': 'identity' },
    ...(options.body
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request): autocannon.Request => ({ ...request, body: options.body?.() ?? '' }),
            },
          ],
        }
      : {}),
  });
  return {
    requestsPerSecond: result.requests.total / options.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    completed: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export const fmt = (value: number, digits = 0): string => value.toFixed(digits);

export function describe(label: string, result: LoadResult): string {
  const failures = result.non2xx + result.errors > 0 ? `  (non-2xx ${result.non2xx}, errors ${result.errors})` : '';
  return `${label.padEnd(44)} ${fmt(result.requestsPerSecond).padStart(7)} req/s  p50 ${fmt(result.p50, 1).padStart(6)} ms  p99 ${fmt(result.p99, 1).padStart(7)} ms${failures}`;
}

export function verdict(isPass: boolean, text: string): string {
  return `${isPass ? 'PASS' : 'FAIL'} ${text}`;
}
