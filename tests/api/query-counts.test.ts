import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent } from 'mongodb';
import { openDatabase, type Database } from '../../src/db';
import { startServer, type RunningServer } from '../../src/server';
import { createLogger } from '../../src/shared/logger';
import type { CommentDto } from '../../src/contracts/comments';
import { testConfig } from '../helpers/test-server';
import { createSite, postComment, readReplies, readThread, uniqueId } from '../helpers/factories';

/**
 * Database commands per request, counted with the driver's command monitoring:
 * a thread page costs the same few commands whatever its size, so an N+1
 * (a query per comment) can never come back unnoticed.
 */

/**
 * Background work on its own clock, not a cost of any request: the site
 * cache's reload (every 30 s) and the webhook worker's poll (every second).
 */
const BACKGROUND_COLLECTIONS = new Set(['sites', 'webhook_deliveries']);

/** Handshakes and heartbeats are the driver's own, not the request's. */
const DRIVER_COMMANDS = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'endSessions', 'buildInfo', 'saslStart', 'saslContinue']);

// Seeding a thread over HTTP takes a while on a loaded machine.
jest.setTimeout(180_000);

let database: Database;
let server: RunningServer;
const commands: { name: string; collection: string; requestId: number }[] = [];
/** When each counted command started and finished, in the order of events (a logical clock). */
const timeline = new Map<number, { started: number; finished?: number }>();
let tick = 0;

function collectionOf(event: CommandStartedEvent): string {
  const target: unknown = (event.command as Record<string, unknown>)[event.commandName];
  return typeof target === 'string' ? target : '';
}

/** Waits until the service has issued no command for a while (the async tail of earlier posts). */
async function settle(): Promise<void> {
  for (let seen = -1; seen !== commands.length; ) {
    seen = commands.length;
    await new Promise((resolve) => setTimeout(resolve, 1300));
  }
}

async function countCommands(action: () => Promise<unknown>): Promise<string[]> {
  return (await traceCommands(action)).commands;
}

/**
 * The commands of an action and its database round trips: a command is one round trip
 * deeper than the deepest command that had already answered when it started, so commands
 * sent together (Promise.all) share a round trip and a command waiting for another's
 * answer starts the next one. The depth of the last is what a reader waits for in turn.
 */
async function traceCommands(action: () => Promise<unknown>): Promise<{ commands: string[]; roundTrips: number }> {
  await settle();
  const start = commands.length;
  await action();
  const own = commands.slice(start);
  const depth = new Map<number, number>();
  for (const command of own) {
    const span = timeline.get(command.requestId);
    if (!span) continue;
    let deepest = 0;
    for (const earlier of own) {
      const other = timeline.get(earlier.requestId);
      if (other?.finished !== undefined && other.finished < span.started) deepest = Math.max(deepest, depth.get(earlier.requestId) ?? 0);
    }
    depth.set(command.requestId, deepest + 1);
  }
  return { commands: own.map((command) => `${command.name} ${command.collection}`), roundTrips: Math.max(0, ...depth.values()) };
}

beforeAll(async () => {
  const config = testConfig();
  const logger = createLogger({ level: config.logLevel });
  database = await openDatabase({
    uri: config.mongodbUri,
    dbName: config.mongodbDb,
    embedded: config.embeddedDb,
    dataDir: '.data',
    logger,
    allowDownload: false,
    monitorCommands: true,
  });
  const client = database.connection.getClient();
  client.on('commandStarted', (event: CommandStartedEvent) => {
    const collection = collectionOf(event);
    if (DRIVER_COMMANDS.has(event.commandName) || BACKGROUND_COLLECTIONS.has(collection)) return;
    commands.push({ name: event.commandName, collection, requestId: event.requestId });
    timeline.set(event.requestId, { started: (tick += 1) });
  });
  const finish = (event: CommandSucceededEvent | CommandFailedEvent): void => {
    const span = timeline.get(event.requestId);
    if (span) span.finished = tick += 1;
  };
  client.on('commandSucceeded', finish);
  client.on('commandFailed', finish);
  server = await startServer({ config, logger, database, allowDatabaseDownload: false, rateLimits: { commentsPerIp: 10_000 } });
});

afterAll(async () => {
  await server.close();
  if (database.kind === 'uri') await database.connection.dropDatabase().catch(() => undefined);
  await database.close();
});

/** A thread where each top-level comment has 4 replies, the first of those 4 more, and so on down to depth 4. */
async function seedThread(site: string, post: string, topLevel: number): Promise<CommentDto[]> {
  const tops: CommentDto[] = [];
  for (let i = 0; i < topLevel; i += 1) {
    const top = (await postComment(server, { site, post, body: `Top ${i}`, authorName: `Reader ${i}` })).comment;
    tops.push(top);
    let parent = top;
    for (let depth = 1; depth <= 4; depth += 1) {
      const replies = depth <= 2 ? 4 : 1;
      let first: CommentDto | undefined;
      for (let r = 0; r < replies; r += 1) {
        const reply = (await postComment(server, { site, post, parentId: parent.id, body: `Reply ${i}.${depth}.${r}`, authorName: `Replier ${r}` })).comment;
        first ??= reply;
      }
      if (!first) break;
      parent = first;
    }
  }
  return tops;
}

describe('database commands per request', () => {
  let site: string;
  const post = 'big-thread';
  let tops: CommentDto[] = [];

  beforeAll(async () => {
    site = (await createSite(server, { id: uniqueId('counted') })).id;
    tops = await seedThread(site, post, 8);
  });

  it('when thread pages of 3 and of 8 comments are read, then both cost the same four commands in three round trips (post beside page, nested replies, authors)', async () => {
    let small: Awaited<ReturnType<typeof readThread>> | undefined;
    let large: Awaited<ReturnType<typeof readThread>> | undefined;
    // Connections ready, so commands sent together are not held apart by a connection being opened.
    await Promise.all([1, 2, 3, 4].map(() => readThread(server, { site, post, sort: 'oldest', limit: 2 })));
    const smallTrace = await traceCommands(async () => {
      small = await readThread(server, { site, post, sort: 'oldest', limit: 3 });
    });
    const largeTrace = await traceCommands(async () => {
      large = await readThread(server, { site, post, sort: 'oldest', limit: 8 });
    });
    expect([...largeTrace.commands].sort()).toEqual([...smallTrace.commands].sort());
    expect([...largeTrace.commands].sort()).toEqual(['aggregate comments', 'find authors', 'find comments', 'find posts']);
    expect(smallTrace.roundTrips).toBeLessThanOrEqual(3);
    expect(largeTrace.roundTrips).toBeLessThanOrEqual(3);

    // The one reply-tree query still nests three levels, three replies each, with cursors for more.
    expect(small?.comments).toHaveLength(3);
    expect(large?.comments.map((comment) => comment.id)).toEqual(tops.map((comment) => comment.id));
    const first = large?.comments[0];
    expect(first?.replies?.map((reply) => reply.body)).toEqual(['Reply 0.1.0', 'Reply 0.1.1', 'Reply 0.1.2']);
    expect(first?.repliesCursor).not.toBeNull();
    const second = first?.replies?.[0];
    expect(second?.replies?.map((reply) => reply.body)).toEqual(['Reply 0.2.0', 'Reply 0.2.1', 'Reply 0.2.2']);
    const third = second?.replies?.[0];
    expect(third?.replies?.map((reply) => reply.body)).toEqual(['Reply 0.3.0']);
    expect(third?.repliesCursor).toBeNull();
    const deepest = third?.replies?.[0];
    expect(deepest?.replies).toEqual([]);
    expect(deepest?.repliesCursor).not.toBeNull();
    expect(large?.comments.every((comment) => comment.author !== null)).toBe(true);
  });

  it('when the same page is read again with nothing written meanwhile, then it is served from the page cache for one command: the post, for its page version', async () => {
    await readThread(server, { site, post, sort: 'newest', limit: 5 });
    let again: Awaited<ReturnType<typeof readThread>> | undefined;
    const trace = await traceCommands(async () => {
      again = await readThread(server, { site, post, sort: 'newest', limit: 5 });
    });
    expect(trace.commands).toEqual(['find posts']);
    expect(again?.comments).toHaveLength(5);
    expect(again?.comments[0]?.replies?.length).toBeGreaterThan(0);
  });

  it('when a reader with an author token reads a page, then their own state (identity, pending comments, reactions) rides in the same three round trips', async () => {
    const own = await postComment(server, { site, post, body: 'Mine', authorName: 'Viewer' });
    const token = own.token;
    if (!token) throw new Error('no author token');
    await Promise.all([1, 2, 3, 4].map(() => readThread(server, { site, post, sort: 'oldest', limit: 2, token })));
    let page: Awaited<ReturnType<typeof readThread>> | undefined;
    const trace = await traceCommands(async () => {
      page = await readThread(server, { site, post, sort: 'oldest', limit: 9, token });
    });
    // The viewer's lookup and own pending comments beside the post and page; their reactions beside the authors.
    expect([...trace.commands].sort()).toEqual(['aggregate comments', 'find authors', 'find authors', 'find comments', 'find comments', 'find posts', 'find reactions'].sort());
    expect(trace.roundTrips).toBeLessThanOrEqual(3);
    // …and the page is the viewer's: their own comment is marked as theirs.
    const mine = page?.comments.find((comment) => comment.id === own.comment.id);
    expect(mine?.isOwn).toBe(true);
  });

  it('when replies pages of 2 and of 4 replies are read, then both cost the same six commands (parent, its post for the page version, the parent again as of that version beside the page, nested replies, authors)', async () => {
    const top = tops[0];
    if (!top) throw new Error('no thread');
    let page: Awaited<ReturnType<typeof readReplies>> | undefined;
    const small = await countCommands(() => readReplies(server, top.id, { limit: 2 }));
    const large = await countCommands(async () => {
      page = await readReplies(server, top.id, { limit: 4 });
    });
    expect(large).toEqual(small);
    expect(large).toEqual(['find comments', 'find posts', 'find comments', 'find comments', 'aggregate comments', 'find authors']);
    expect(page?.comments.map((reply) => reply.body)).toEqual(['Reply 0.1.0', 'Reply 0.1.1', 'Reply 0.1.2', 'Reply 0.1.3']);
    expect(page?.comments[0]?.replies?.map((reply) => reply.body)).toEqual(['Reply 0.2.0', 'Reply 0.2.1', 'Reply 0.2.2']);
  });
  /** Posts a reply and counts every command until the moderators' stats have been refreshed (the end of its async tail). */
  const countPost = async (target: { site: string; post: string; parentId: string; token: string | undefined }): Promise<string[]> =>
    countCommands(async () => {
      const stats = new Promise<void>((resolve) => {
        const off = server.bus.subscribe('moderation.stats', (event) => {
          if (event.site !== target.site) return;
          off();
          resolve();
        });
      });
      await postComment(server, { ...target, body: `A reply ${uniqueId('r')}`, ...(target.token ? { token: target.token } : {}) });
      await stats;
    });

  it('when a reply is posted on a thread of 80 comments and on one of a single comment, then both cost the same bounded commands and none counts the thread', async () => {
    const big = tops[0];
    if (!big) throw new Error('no thread');
    const author = await postComment(server, { site, post, body: 'I will reply twice', authorName: 'Poster' });
    const onBig = await countPost({ site, post, parentId: big.id, token: author.token });
    const small = await postComment(server, { site, post: 'small-thread', body: 'Alone here', authorName: 'Other' });
    const onSmall = await countPost({ site, post: 'small-thread', parentId: small.comment.id, token: author.token });
    // The site's webhook endpoints and the brigading window are read once for the posts of a short
    // while, not per post: whether one post pays for that read depends on the post before it.
    const isSharedRead = (command: string): boolean => command === 'find webhooks' || command === 'find brigading_fingerprints';
    expect(onBig.filter((command) => !isSharedRead(command)).sort()).toEqual(onSmall.filter((command) => !isSharedRead(command)).sort());
    // Reads beyond the thread's own: the site's webhook endpoints, the brigading fingerprints of the
    // window, the author's recent decisions (history), and the nudge figures of the moderators' stats.
    expect(onBig.length).toBeLessThanOrEqual(24);
    expect(onSmall.length).toBeLessThanOrEqual(24);
    // Writes: the comment, the post's counts with its event sequence (one write), the parent's reply count, the author's counts, the event,
    // the audit entry, the comment's brigading fingerprint, the author's open nudge (marked as revised or not),
    // and the guest's client (for bans that hold on the client).
    expect(onBig.filter((command) => /^(insert|update|findAndModify|delete)\b/.test(command)).sort()).toEqual(
      [
        'findAndModify comments',
        'findAndModify posts',
        'insert audit_log',
        'insert brigading_fingerprints',
        'insert comments',
        'insert post_events',
        'update authors',
        'update guest_clients',
        'update nudges',
      ].sort(),
    );
    // Stats come from the posts' counts; only the rejected queue is counted, over its index range.
    expect(onBig.filter((command) => command === 'aggregate comments')).toHaveLength(1);
  });

  it("when a new guest posts on a thread, then the post costs 3 reads and 8 writes besides the shared reads and the moderators' stats: no earlier comments, history or author read for an identity made by that request", async () => {
    // Warm the per-instance caches (site, moderators' names) and the shared brigading window.
    await postComment(server, { site, post, body: `Warm ${uniqueId('w')}`, authorName: 'Warm reader' });
    const commands = await countCommands(async () => {
      const stats = new Promise<void>((resolve) => {
        const off = server.bus.subscribe('moderation.stats', (event) => {
          if (event.site !== site) return;
          off();
          resolve();
        });
      });
      await postComment(server, { site, post, body: `A first word ${uniqueId('g')}`, authorName: `Guest ${uniqueId('n')}` });
      await stats;
    });
    // Read once for the posts of a while: the site's webhook endpoints, the brigading window, the moderators' names (30 s).
    const isShared = (command: string): boolean => ['find webhooks', 'find brigading_fingerprints', 'find moderators'].includes(command);
    const stats = ['aggregate posts', 'aggregate comments', 'aggregate nudges', 'find audit_log', 'find audit_log'];
    const own = commands.filter((command) => !isShared(command));
    for (const command of stats) {
      const at = own.indexOf(command);
      if (at >= 0) own.splice(at, 1);
    }
    expect(own.sort()).toEqual(
      [
        // Reads: the post, the client's bans, the heat check's window of the post's latest comments.
        'find posts',
        'find client_bans',
        'find comments',
        // Writes: the guest, its client, the comment, the post's counts with its event sequence, the guest's counts,
        // the stored live event, the comment's brigading fingerprint, the audit entry.
        'insert authors',
        'update guest_clients',
        'insert comments',
        'findAndModify posts',
        'update authors',
        'insert post_events',
        'insert brigading_fingerprints',
        'insert audit_log',
      ].sort(),
    );
  });
});
