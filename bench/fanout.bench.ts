/**
 * Fan-out benchmark: N readers on one post, comments posted over HTTP.
 *
 *   npm run bench:fanout                  # 1,000 then 5,000 readers
 *   npm run bench:fanout -- --readers 2000
 *
 * The service runs in this process; the readers run in a child process so the
 * server's memory per connection is not mixed with the clients'. Latency is
 * measured on one machine clock (performance.timeOrigin + now) in both.
 *
 * In the same run, the same readers join a raw Socket.IO server (no Parley, no
 * database) that broadcasts the very payload Parley sent, at the same pace: the
 * anchor. Compared: p50 over comments of the time until the LAST reader has it
 * (from the 201 for Parley, from the emit for raw), and deliveries/s within one
 * fan-out. Targets: last-reader p50 within 1.5× of raw, deliveries/s ≥ 0.8× raw.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { io as connect, type Socket } from 'socket.io-client';
import request from 'supertest';
import { startTestServer } from '../tests/helpers/test-server';

const COMMENTS = 20;
const COMMENT_SPACING_MS = 100;
const CONNECT_BATCH = 250;
const OVERALL_TIMEOUT_MS = 420_000;
const BLOG = 'https://bench.example';

type ToClient = { kind: 'connect'; url: string; readers: number } | { kind: 'report' } | { kind: 'stop' };
type ToParent =
  | { kind: 'connected'; readers: number; failed: number; ms: number }
  | { kind: 'report'; receipts: Record<string, number[]>; received: number };

function now(): number {
  return performance.timeOrigin + performance.now();
}

// ---------------------------------------------------------------- readers (child process)

function runClients(): void {
  const sockets: Socket[] = [];
  /** comment marker → receipt times, one per reader. */
  const receipts: Record<string, number[]> = {};
  let received = 0;
  const send = (message: ToParent): void => void process.send?.(message);

  process.on('message', (message: ToClient) => {
    if (message.kind === 'stop') {
      for (const socket of sockets) socket.close();
      process.exit(0);
    }
    if (message.kind === 'report') send({ kind: 'report', receipts, received });
    if (message.kind !== 'connect') return;
    const started = now();
    let failed = 0;
    const connectOne = (): Promise<void> =>
      new Promise((resolve) => {
        const socket = connect(message.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { origin: BLOG } });
        sockets.push(socket);
        socket.on('comment:created', (event: { comment: { body: string } }) => {
          const at = now();
          received += 1;
          (receipts[event.comment.body] ??= []).push(at);
        });
        socket.once('connect_error', () => {
          failed += 1;
          resolve();
        });
        socket.once('connect', () => {
          socket.emit('post:join', { site: 'bench', post: 'fanout' }, (ack: { ok: boolean }) => {
            if (!ack.ok) failed += 1;
            resolve();
          });
        });
      });
    void (async () => {
      for (let i = 0; i < message.readers; i += CONNECT_BATCH) {
        await Promise.all(Array.from({ length: Math.min(CONNECT_BATCH, message.readers - i) }, connectOne));
      }
      send({ kind: 'connected', readers: message.readers, failed, ms: now() - started });
    })();
  });
}

// ---------------------------------------------------------------- service + driver (this process)

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

function nextMessage<K extends ToParent['kind']>(child: ChildProcess, kind: K): Promise<Extract<ToParent, { kind: K }>> {
  return new Promise((resolve) => {
    const onMessage = (message: ToParent): void => {
      if (message.kind !== kind) return;
      child.off('message', onMessage);
      resolve(message as Extract<ToParent, { kind: K }>);
    };
    child.on('message', onMessage);
  });
}

interface ScenarioResult {
  /** Median over comments of the time until the last reader received it. */
  lastReaderP50: number;
  /** Readers / (last receipt − first receipt) of one comment, averaged. */
  deliveriesPerSecond: number;
  /** One event as readers received it, to replay through the raw server. */
  payload: unknown;
}

/** A raw Socket.IO server: readers join one room; each comment is one `io.to(room).emit` of the same payload. */
async function runRawScenario(readers: number, payload: { comment: { body: string } } & Record<string, unknown>): Promise<ScenarioResult> {
  const httpServer = http.createServer();
  const io = new SocketServer(httpServer, { serveClient: false, transports: ['polling', 'websocket'] });
  io.on('connection', (socket) => {
    socket.on('post:join', (_message: unknown, ack: (answer: { ok: boolean }) => void) => {
      void socket.join('post:bench:fanout');
      ack({ ok: true });
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const child = fork(__filename, ['--client'], { execArgv: process.execArgv, stdio: 'inherit' });
  try {
    child.send({ kind: 'connect', url, readers } satisfies ToClient);
    const connected = await nextMessage(child, 'connected');
    const sentAt = new Map<string, number>();
    for (let i = 0; i < COMMENTS; i += 1) {
      const body = `Benchmark comment number ${i} with some words to carry`;
      sentAt.set(body, now());
      io.to('post:bench:fanout').emit('comment:created', { ...payload, comment: { ...payload.comment, body } });
      await new Promise((resolve) => setTimeout(resolve, COMMENT_SPACING_MS));
    }
    const report = await waitForDeliveries(child, COMMENTS * (readers - connected.failed));
    const result = summarise(report, sentAt, readers);
    process.stdout.write(
      `raw Socket.IO: ${report.received} deliveries; last reader p50 ${result.lastReaderP50.toFixed(1)} ms; ${result.deliveriesPerSecond.toFixed(0)} deliveries/s within one fan-out\n`,
    );
    return { ...result, payload };
  } finally {
    child.send({ kind: 'stop' } satisfies ToClient);
    await new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve) => void io.close(() => resolve()));
  }
}

async function waitForDeliveries(child: ChildProcess, expected: number): Promise<Extract<ToParent, { kind: 'report' }>> {
  const deadline = Date.now() + 30_000;
  let report = await (child.send({ kind: 'report' } satisfies ToClient), nextMessage(child, 'report'));
  while (report.received < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    report = await (child.send({ kind: 'report' } satisfies ToClient), nextMessage(child, 'report'));
  }
  return report;
}

function summarise(report: Extract<ToParent, { kind: 'report' }>, sentAt: Map<string, number>, readers: number): Omit<ScenarioResult, 'payload'> {
  const lastReaders: number[] = [];
  const bursts: number[] = [];
  for (const [body, times] of Object.entries(report.receipts)) {
    const sent = sentAt.get(body);
    if (sent === undefined || times.length === 0) continue;
    const last = Math.max(...times);
    lastReaders.push(last - sent);
    bursts.push((last - Math.min(...times)) / 1000);
  }
  lastReaders.sort((a, b) => a - b);
  const meanBurst = bursts.reduce((sum, value) => sum + value, 0) / Math.max(1, bursts.length);
  return { lastReaderP50: percentile(lastReaders, 50), deliveriesPerSecond: readers / Math.max(meanBurst, 1e-6) };
}

async function runScenario(readers: number): Promise<ScenarioResult> {
  const server = await startTestServer({ env: { LOG_LEVEL: 'silent' } });
  const child = fork(__filename, ['--client'], { execArgv: process.execArgv, stdio: 'inherit' });
  try {
    const login = await request(server.url).post('/api/v1/mod/sessions').send({ email: 'admin@example.com', password: 'correct horse battery' });
    const token = (login.body as { token: string }).token;
    await request(server.url).post('/api/v1/mod/sites').set('Authorization', `Bearer ${token}`).send({ id: 'bench', name: 'Bench', origins: [BLOG] }).expect(201);

    collectGarbage();
    const before = process.memoryUsage();
    child.send({ kind: 'connect', url: server.url, readers } satisfies ToClient);
    const connected = await nextMessage(child, 'connected');
    collectGarbage();
    const after = process.memoryUsage();

    // When the service hands each comment to its sockets: the bus publish of the post
    // event, the moment that matches the raw anchor's emit (the 201 may come later, after
    // the request's own database writes, so the last reader is also measured from here).
    const publishedAt = new Map<string, number>();
    const bus = server.bus;
    const publish = bus.publish.bind(bus);
    bus.publish = ((type: string, payload: unknown) => {
      const event = payload as { type?: string; payload?: { comment?: { body?: string } } };
      const body = event.payload?.comment?.body;
      if (type === 'post.event' && event.type === 'comment:created' && body !== undefined) publishedAt.set(body, now());
      (publish as (type: string, payload: unknown) => void)(type, payload);
    });
    const sentAt = new Map<string, { requested: number; created: number }>();
    let sample: ({ comment: { body: string } } & Record<string, unknown>) | undefined;
    const firstRequest = now();
    for (let i = 0; i < COMMENTS; i += 1) {
      const body = `Benchmark comment number ${i} with some words to carry`;
      const requested = now();
      const response = await request(server.url).post('/api/v1/sites/bench/posts/fanout/comments').set('Origin', BLOG).send({ body, authorName: `Bench ${i}` });
      const created = now();
      if (response.status !== 201) throw new Error(`POST comment answered ${response.status}: ${JSON.stringify(response.body)}`);
      sentAt.set(body, { requested, created });
      sample ??= { site: 'bench', post: 'fanout', seq: i + 1, comment: (response.body as { comment: { body: string } }).comment };
      await new Promise((resolve) => setTimeout(resolve, COMMENT_SPACING_MS));
    }
    const expected = COMMENTS * (readers - connected.failed);
    const deadline = Date.now() + 30_000;
    let report = await (child.send({ kind: 'report' } satisfies ToClient), nextMessage(child, 'report'));
    while (report.received < expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      report = await (child.send({ kind: 'report' } satisfies ToClient), nextMessage(child, 'report'));
    }

    const fromCreated: number[] = [];
    const fromRequested: number[] = [];
    let lastReceipt = firstRequest;
    for (const [body, times] of Object.entries(report.receipts)) {
      const sent = sentAt.get(body);
      if (!sent) continue;
      for (const at of times) {
        fromCreated.push(at - sent.created);
        fromRequested.push(at - sent.requested);
        lastReceipt = Math.max(lastReceipt, at);
      }
    }
    fromCreated.sort((a, b) => a - b);
    fromRequested.sort((a, b) => a - b);
    const seconds = (lastReceipt - firstRequest) / 1000;
    // Burst throughput: the first receipt to the last one of one comment, averaged.
    const bursts = Object.values(report.receipts).map((times) => (Math.max(...times) - Math.min(...times)) / 1000);
    const meanBurst = bursts.reduce((sum, value) => sum + value, 0) / Math.max(1, bursts.length);
    const perConnection = (bytes: number): string => `${((bytes / Math.max(1, connected.readers - connected.failed)) / 1024).toFixed(1)} KiB`;
    const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

    process.stdout.write(
      [
        `readers: ${readers} (failed to join: ${connected.failed}), connected + joined in ${(connected.ms / 1000).toFixed(1)} s`,
        `comments: ${COMMENTS}, one every ${COMMENT_SPACING_MS} ms; deliveries: ${report.received} of ${expected} expected`,
        `latency from the HTTP 201:     p50 ${fmt(percentile(fromCreated, 50))}  p99 ${fmt(percentile(fromCreated, 99))}  max ${fmt(fromCreated.at(-1) ?? Number.NaN)}`,
        `latency from the POST request: p50 ${fmt(percentile(fromRequested, 50))}  p99 ${fmt(percentile(fromRequested, 99))}`,
        `deliveries/s: ${(report.received / seconds).toFixed(0)} over the run (${seconds.toFixed(1)} s, paced); ${(readers / meanBurst).toFixed(0)} within one comment's fan-out (mean ${fmt(meanBurst * 1000)} for ${readers} readers)`,
        `server memory per connection: heapUsed ${perConnection(after.heapUsed - before.heapUsed)}, rss ${perConnection(after.rss - before.rss)}`,
        '',
      ].join('\n'),
    );
    const fromResponse = summarise(report, new Map([...sentAt].map(([body, sent]) => [body, sent.created])), readers);
    const summary = summarise(report, publishedAt, readers);
    process.stdout.write(
      `Parley: last reader p50 ${summary.lastReaderP50.toFixed(1)} ms from the publish (${fromResponse.lastReaderP50.toFixed(1)} ms from the 201); ${summary.deliveriesPerSecond.toFixed(0)} deliveries/s within one fan-out\n`,
    );
    if (!sample) throw new Error('no comment was posted');
    return { ...summary, payload: sample };
  } finally {
    child.send({ kind: 'stop' } satisfies ToClient);
    await new Promise((resolve) => child.once('exit', resolve));
    await server.close();
  }
}

async function main(): Promise<void> {
  const argument = process.argv.indexOf('--readers');
  const requested = argument >= 0 ? Number(process.argv[argument + 1]) : undefined;
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1 || requested > 20_000)) {
    throw new Error('--readers must be a whole number between 1 and 20000');
  }
  const timeout = setTimeout(() => {
    process.stderr.write(`fanout benchmark: gave up after ${OVERALL_TIMEOUT_MS / 1000} s\n`);
    process.exit(1);
  }, OVERALL_TIMEOUT_MS);
  timeout.unref();
  for (const readers of requested ? [requested] : [1000, 5000]) {
    process.stdout.write(`\n== fan-out to ${readers} websocket readers on one post (127.0.0.1) ==\n`);
    const parley = await runScenario(readers);
    const raw = await runRawScenario(readers, parley.payload as { comment: { body: string } } & Record<string, unknown>);
    const latencyRatio = parley.lastReaderP50 / raw.lastReaderP50;
    const throughputRatio = parley.deliveriesPerSecond / raw.deliveriesPerSecond;
    process.stdout.write(
      `${latencyRatio <= 1.5 ? 'PASS' : 'FAIL'} ${readers} readers: last reader p50 ${latencyRatio.toFixed(2)}× raw Socket.IO (target ≤ 1.5×)\n` +
        `${throughputRatio >= 0.8 ? 'PASS' : 'FAIL'} ${readers} readers: deliveries/s within one fan-out ${throughputRatio.toFixed(2)}× raw Socket.IO (target ≥ 0.8×)\n`,
    );
  }
  clearTimeout(timeout);
  process.exit(0);
}

if (process.argv.includes('--client')) {
  runClients();
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`fanout benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
