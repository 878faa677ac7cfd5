import { execFile } from 'node:child_process';
import path from 'node:path';
import { startMongoEmulator, type MongoEmulator } from '@parley/mongo-emulator';
import { createSite, loginAdmin, postComment, readCounts, uniqueId } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/test-server';

const ROOT = path.resolve(__dirname, '../..');

/** Runs the command without blocking this process, which may host the emulator it talks to. */
function runRepair(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['scripts/repair-counts.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run repair:counts', () => {
  let emulator: MongoEmulator | undefined;
  let server: TestServer;
  let uri: string;

  beforeAll(async () => {
    // A database outside the service's process, as in production.
    if (process.env['MONGODB_URI']) {
      uri = process.env['MONGODB_URI'];
    } else {
      emulator = await startMongoEmulator({ port: 0 });
      uri = emulator.uri;
    }
    server = await startTestServer({ env: { MONGODB_URI: uri } });
  });
  afterAll(async () => {
    await server.close();
    await emulator?.close();
  });

  it('when counts drifted, then the command recomputes them, printing progress and a summary', async () => {
    const token = await loginAdmin(server);
    const site = (await createSite(server, { token })).id;
    const post = uniqueId('post');
    const parent = await postComment(server, { site, post, body: 'first' });
    await postComment(server, { site, post, body: 'a reply', parentId: parent.comment.id });
    await postComment(server, { site, post, body: 'second' });
    const db = server.database.connection;
    await db.collection('posts').updateOne({ site, key: post }, { $set: { 'counts.published': 40 } });
    await db.collection('comments').updateMany({ site }, { $set: { replyCount: 7 } });
    expect(await readCounts(server, site, [post])).toEqual({ [post]: 40 });

    const run = await runRepair({ MONGODB_URI: uri, MONGODB_DB: server.config.mongodbDb }, ['--site', site]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/1\/1 posts checked/);
    expect(run.stdout).toMatch(/done: 1 posts \(1 fixed\), 3 comments \(3 reply counts fixed\)/);

    expect(await readCounts(server, site, [post])).toEqual({ [post]: 3 });
    const replyCounts = await db
      .collection('comments')
      .find({ site })
      .sort({ createdAt: 1 })
      .map((c) => c['replyCount'])
      .toArray();
    expect(replyCounts).toEqual([1, 0, 0]);
  });

  it('when MONGODB_URI is missing or --site is malformed, then one clear line and exit code 2', async () => {
    const missing = await runRepair({ EMULATOR_DBPATH: ':memory:' });
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe(
      'repair-counts: MONGODB_URI is required: point it at the database to repair (or EMULATOR_DBPATH at the data folder of a stopped embedded emulator)',
    );
    const bad = await runRepair({ MONGODB_URI: uri }, ['--site', 'Not A Site']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--site needs a site id/);
  });
});
