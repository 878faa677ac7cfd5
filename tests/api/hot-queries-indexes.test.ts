import mongoose, { type Connection } from 'mongoose';
import type { CommandStartedEvent, Document } from 'mongodb';
import { createCommentRepository, type CommentRepository } from '../../src/comments/comment.repository';
import { createSite, postComment } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/test-server';

/**
 * Parley's hot queries (a thread's first page, the reply trees under it, the
 * moderation queue and its count) are sent by Parley's own repository through
 * Mongoose, recorded with command monitoring, and explained on the same database:
 * each must be answered by an index (IXSCAN), never a collection scan.
 */
let server: TestServer;
let connection: Connection;
let repository: CommentRepository;
const sent: CommandStartedEvent[] = [];
let site: string;
let heldSite: string;
const post = 'hot-queries';
const rootIds: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  site = (await createSite(server)).id;
  heldSite = (await createSite(server, { settings: { premoderation: 'all' } })).id;
  for (let i = 0; i < 6; i += 1) {
    const { comment } = await postComment(server, {
      site,
      post,
      body: `Top-level comment number ${i} on the talks`,
    });
    rootIds.push(comment.id);
    await postComment(server, { site, post, parentId: comment.id, body: `A reply to comment ${i}` });
  }
  for (let i = 0; i < 3; i += 1)
    await postComment(server, { site: heldSite, post, body: `Held comment ${i} on the talks` });
  const client = server.database.connection.getClient();
  const [address] = client.options.hosts;
  const uri =
    process.env['MONGODB_URI'] ??
    `mongodb://${address?.host ?? '127.0.0.1'}:${address?.port ?? 27017}/?directConnection=true`;
  connection = await mongoose
    .createConnection(uri, {
      dbName: server.database.connection.name,
      monitorCommands: true,
      autoIndex: false,
    })
    .asPromise();
  connection.getClient().on('commandStarted', (event) => {
    if (event.commandName === 'find' || event.commandName === 'aggregate') sent.push(event);
  });
  repository = createCommentRepository(connection);
});

afterAll(async () => {
  await connection.close();
  await server.close();
});

/** The command as sent, without the session and routing fields explain does not take. */
function explainable(event: CommandStartedEvent): Document {
  const command: Document = {};
  for (const [key, value] of Object.entries(event.command)) {
    if (
      ['lsid', '$db', '$clusterTime', 'txnNumber', '$readPreference', 'readConcern', 'writeConcern'].includes(
        key,
      )
    )
      continue;
    command[key] = value;
  }
  return command;
}

function stagesOf(
  plan: unknown,
  into: { stages: string[]; indexNames: string[] } = { stages: [], indexNames: [] },
) {
  if (Array.isArray(plan)) for (const item of plan) stagesOf(item, into);
  else if (typeof plan === 'object' && plan !== null) {
    const node = plan as Document;
    if (typeof node['stage'] === 'string') into.stages.push(node['stage']);
    if (typeof node['indexName'] === 'string') into.indexNames.push(node['indexName']);
    for (const [key, value] of Object.entries(node)) if (key !== 'rejectedPlans') stagesOf(value, into);
  }
  return into;
}

/** Runs `query`, then explains every find/aggregate it sent to the comments collection. */
async function plansOf(
  query: () => Promise<unknown>,
): Promise<{ command: string; stages: string[]; indexNames: string[] }[]> {
  sent.length = 0;
  await query();
  const commands = sent.filter((event) => event.command[event.commandName] === 'comments');
  expect(commands.length).toBeGreaterThan(0);
  const plans = [];
  for (const event of commands) {
    const explained = await connection.db!.command({
      explain: explainable(event),
      verbosity: 'queryPlanner',
    });
    const summary = stagesOf(explained['queryPlanner'] ?? explained['stages']);
    plans.push({ command: event.commandName, ...summary });
  }
  return plans;
}

describe("Parley's hot queries use indexes", () => {
  it('when the first page of a thread is read, then the query scans an index of the thread', async () => {
    const plans = await plansOf(async () => {
      const page = await repository.findThreadPage({
        site,
        post,
        parentId: null,
        order: { field: 'createdAt', direction: -1 },
        after: null,
        limit: 20,
      });
      expect(page).toHaveLength(6);
    });
    for (const plan of plans) {
      expect(plan.stages).toContain('IXSCAN');
      expect(plan.stages).not.toContain('COLLSCAN');
    }
  });

  it('when the replies under a page are read, then the aggregation starts from an index', async () => {
    const plans = await plansOf(async () => {
      const trees = await repository.findReplyTrees({
        site,
        post,
        rootIds,
        rootDepth: 0,
        levels: 2,
        perParent: 3,
      });
      expect(trees.size).toBe(6);
    });
    for (const plan of plans) {
      expect(plan.stages).toContain('IXSCAN');
      expect(plan.stages).not.toContain('COLLSCAN');
    }
  });

  it('when the moderation queue and its count are read, then both scan the status index', async () => {
    const plans = await plansOf(async () => {
      const queue = await repository.listQueue(
        { statuses: ['pending'], sites: [heldSite] },
        { field: 'createdAt', direction: 1 },
        null,
        20,
      );
      expect(queue).toHaveLength(3);
      expect(await repository.countQueue({ statuses: ['pending'], sites: [heldSite] })).toBe(3);
    });
    expect(plans.length).toBeGreaterThanOrEqual(2);
    for (const plan of plans) {
      expect(plan.stages).toContain('IXSCAN');
      expect(plan.stages).not.toContain('COLLSCAN');
    }
  });
});
