/**
 * The process under load in bench:thread and bench:post: Parley on the
 * embedded database, and beside it the anchors (Express 5 + helmet sending the
 * same JSON; Express 5 + helmet + one repository insert), on 127.0.0.1.
 * The load generator (autocannon) runs in the parent, so it never shares this
 * event loop.
 */
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import express from 'express';
import helmet from 'helmet';
import { createCommentRepository, type NewComment } from '../../src/comments/comment.repository';
import { createPostRepository } from '../../src/comments/post.repository';
import { openDatabase } from '../../src/db';
import { startServer, type RunningServer } from '../../src/server';
import { createLogger } from '../../src/shared/logger';
import { testConfig } from '../../tests/helpers/test-server';
import { seedThread, type SeededThread } from './seed-thread';
import { createDiagnostics } from './diagnostics';

export const BENCH_SITE = 'demo';

const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify']);
const READ_COMMANDS = new Set(['find', 'getMore', 'aggregate', 'count', 'distinct']);
/** Pollers that run whatever the load: counted apart from what requests cost. */
const BACKGROUND_COLLECTIONS = new Set(['webhook_deliveries', 'mail_outbox']);

export type ToTarget =
  | { kind: 'seed'; post: string; total: number }
  | { kind: 'memory' }
  /** Start counting database commands from zero (`commands` answers what was counted since). */
  | { kind: 'count-commands' }
  | { kind: 'commands' }
  /** Answer once every request Parley and the anchors accepted has been answered (a run's backlog drained). */
  | { kind: 'idle' }
  | { kind: 'stop' };

export type FromTarget =
  | { kind: 'ready'; parley: string; anchor: string }
  | { kind: 'seeded'; thread: SeededThread; firstPageBytes: number; repliesPageBytes: number }
  | { kind: 'memory'; rss: number; heapUsed: number }
  /** Commands Parley sent since `count-commands`, by kind; pollers (webhook deliveries) apart. */
  /** `commentsInserted`: documents the `insert comments` commands carried (one command may carry many). */
  | { kind: 'commands'; reads: number; writes: number; background: number; byCommand: Record<string, number>; commentsInserted: number }
  | { kind: 'idle'; waitedMs: number }
  | { kind: 'failed'; message: string };

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

export async function runTarget(): Promise<void> {
  const send = (message: FromTarget): void => void process.send?.(message);
  // The service as it ships: cached pages trusted for the default second (tests use 0).
  const config = testConfig({ LOG_LEVEL: 'silent', THREAD_CACHE_TRUST_MS: '1000' });
  const logger = createLogger({ level: 'silent' });
  // Opened here with command monitoring, so a run can say what one request costs the database.
  const database = await openDatabase({
    uri: config.mongodbUri,
    dbName: config.mongodbDb,
    embedded: config.embeddedDb,
    dataDir: '.data',
    emulatorDbPath: config.emulatorDbPath,
    emulatorThread: config.emulatorThread,
    logger,
    allowDownload: false,
    monitorCommands: true,
  });
  const counted = { reads: 0, writes: 0, background: 0, byCommand: {} as Record<string, number>, commentsInserted: 0 };
  let lastCountedAt = 0;
  const diagnostics = process.env['BENCH_DIAGNOSE'] === '1' ? createDiagnostics() : undefined;
  if (diagnostics) {
    const client = database.connection.getClient();
    client.on('commandStarted', (event) => {
      const target: unknown = (event.command as Record<string, unknown>)[event.commandName];
      diagnostics.commandStarted(event.requestId, `${event.commandName} ${typeof target === 'string' ? target : ''}`);
    });
    client.on('commandSucceeded', (event) => diagnostics.commandEnded(event.requestId));
    client.on('commandFailed', (event) => diagnostics.commandEnded(event.requestId));
  }
  database.connection.getClient().on('commandStarted', (event) => {
    const target: unknown = (event.command as Record<string, unknown>)[event.commandName];
    const collection = typeof target === 'string' ? target : '';
    const isWrite = WRITE_COMMANDS.has(event.commandName);
    if (!isWrite && !READ_COMMANDS.has(event.commandName)) return;
    if (BACKGROUND_COLLECTIONS.has(collection)) {
      counted.background += 1;
      return;
    }
    lastCountedAt = Date.now();
    if (isWrite) counted.writes += 1;
    else counted.reads += 1;
    const name = `${event.commandName} ${collection}`;
    counted.byCommand[name] = (counted.byCommand[name] ?? 0) + 1;
    if (name === 'insert comments') {
      const documents: unknown = (event.command as Record<string, unknown>)['documents'];
      counted.commentsInserted += Array.isArray(documents) ? documents.length : 1;
    }
  });
  const parley: RunningServer = await startServer({
    config,
    logger,
    database,
    allowDatabaseDownload: false,
    // Load from one address: the per-IP limits would otherwise answer 429 after 30 posts (600 reads).
    rateLimits: { commentsPerIp: 1_000_000, commentsPerAuthor: 1_000_000, readsPerIp: 1_000_000_000 },
  });
  const connection = parley.database.connection;
  const anchorComments = createCommentRepository(connection);
  const anchorPost = await createPostRepository(connection).findOrCreate({ site: BENCH_SITE, key: 'anchor-post', url: null, title: null, now: new Date() });
  const payloads = new Map<string, unknown>();
  let inFlight = 0;
  const track = (_req: unknown, res: { once(event: 'close', listener: () => void): unknown }): void => {
    inFlight += 1;
    res.once('close', () => (inFlight -= 1));
  };
  parley.io.httpServer.on('request', track);
  if (diagnostics) parley.io.httpServer.on('request', (_req, res) => res.once('close', diagnostics.requestStarted()));

  // The anchors: what Express + helmet costs for the same work without Parley's.
  const anchorApp = express();
  anchorApp.use((req, res, next) => {
    track(req, res);
    next();
  });
  anchorApp.use(helmet());
  anchorApp.get('/json/:name', (req, res) => {
    const payload = payloads.get(req.params.name);
    if (payload === undefined) res.status(404).end();
    else res.json(payload);
  });
  anchorApp.post('/comments', express.json(), async (req, res) => {
    const body = (req.body as { body?: unknown }).body;
    const now = new Date();
    const comment: NewComment = {
      site: BENCH_SITE,
      post: anchorPost.key,
      postId: anchorPost.id,
      parentId: null,
      ancestorIds: [],
      authorId: 'anchor',
      body: typeof body === 'string' ? body : '',
      status: 'published',
      revision: 1,
      verdict: null,
      history: [],
      replyCount: 0,
      reportCount: 0,
      reportReasons: {},
      hasOpenReports: false,
      firstReportedAt: null,
      lastReportedAt: null,
      createdAt: now,
      editedAt: null,
      statusChangedAt: now,
      statusChangedBy: { kind: 'system' },
      deletedAt: null,
    };
    res.status(201).json({ comment: await anchorComments.insert(comment) });
  });
  const anchorServer = anchorApp.listen(0, '127.0.0.1');
  await new Promise((resolve) => anchorServer.once('listening', resolve));
  const anchor = `http://127.0.0.1:${(anchorServer.address() as AddressInfo).port}`;

  process.on('message', (message: ToTarget) => {
    void (async () => {
      try {
        if (message.kind === 'stop') {
          anchorServer.close();
          await parley.close();
          await database.close();
          process.exit(0);
        }
        if (message.kind === 'idle') {
          const started = Date.now();
          while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
          send({ kind: 'idle', waitedMs: Date.now() - started });
        }
        if (message.kind === 'count-commands') {
          Object.assign(counted, { reads: 0, writes: 0, background: 0, byCommand: {}, commentsInserted: 0 });
          diagnostics?.start();
        }
        if (message.kind === 'commands') {
          // Handlers whose client left at the run's end still finish, and so does what follows a
          // post (audit, fingerprint, heat check): counted once the database has been quiet a second.
          while (Date.now() - lastCountedAt < 1000) await new Promise((resolve) => setTimeout(resolve, 100));
          if (diagnostics) process.stderr.write(`${diagnostics.report()}\n`);
          send({ kind: 'commands', ...counted, byCommand: { ...counted.byCommand } });
        }
        if (message.kind === 'memory') {
          collectGarbage();
          const usage = process.memoryUsage();
          send({ kind: 'memory', rss: usage.rss, heapUsed: usage.heapUsed });
        }
        if (message.kind === 'seed') {
          const thread = await seedThread(connection, { site: BENCH_SITE, post: message.post, total: message.total });
          const first = await fetch(`${parley.url}/api/v1/sites/${BENCH_SITE}/posts/${message.post}/comments`);
          const replies = await fetch(`${parley.url}/api/v1/comments/${thread.deepParentId}/replies`);
          if (first.status !== 200 || replies.status !== 200) throw new Error(`seeded thread reads answered ${first.status} / ${replies.status}`);
          const firstText = await first.text();
          const repliesText = await replies.text();
          payloads.set(`first-${message.post}`, JSON.parse(firstText));
          payloads.set(`replies-${message.post}`, JSON.parse(repliesText));
          send({ kind: 'seeded', thread, firstPageBytes: Buffer.byteLength(firstText), repliesPageBytes: Buffer.byteLength(repliesText) });
        }
      } catch (error) {
        send({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
  send({ kind: 'ready', parley: parley.url, anchor });
}
