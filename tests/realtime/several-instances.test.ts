import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import request from 'supertest';
import type { JoinResult } from '../../src/contracts/socket-events';
import type { RunningServer } from '../../src/server';
import {
  closeAllSockets,
  connectModerator,
  connectReader,
  createSite,
  emitWithAck,
  handshake,
  postComment,
  record,
  settle,
  signIn,
  startInstance,
  startSharedMongo,
  testConfig,
  waitFor,
} from './realtime-helpers';

const BLOG = 'https://blog.example';
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startRedis(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${String(code)}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, process: child };
}

describe('several instances through Redis', () => {
  beforeAll(() => {
    if (!hasRedis) throw new Error('These tests need a `redis-server` binary on the PATH (apt-get install redis-server)');
  });

  let redis: Awaited<ReturnType<typeof startRedis>>;
  let mongo: Awaited<ReturnType<typeof startSharedMongo>>;
  let instanceA: RunningServer;
  let instanceB: RunningServer;
  let adminToken: string;

  beforeAll(async () => {
    redis = await startRedis();
    mongo = await startSharedMongo();
    const config = testConfig({ ...mongo.env, REDIS_URL: redis.url });
    instanceA = await startInstance(config);
    instanceB = await startInstance(config);
    adminToken = (await signIn(instanceA.url)).token;
    await createSite(instanceA.url, adminToken, 'blog', [BLOG]);
  });

  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await instanceA?.close();
    await instanceB?.close();
    await mongo?.close();
    redis?.process.kill('SIGTERM');
  });

  it('when a comment is published through instance A, then a reader connected to instance B receives it once', async () => {
    const onB = await connectReader(instanceB.url, { origin: BLOG });
    const onA = await connectReader(instanceA.url, { origin: BLOG });
    const ack = await emitWithAck<JoinResult>(onB, 'post:join', { site: 'blog', post: 'cross' });
    expect(ack.ok).toBe(true);
    await emitWithAck<JoinResult>(onA, 'post:join', { site: 'blog', post: 'cross' });
    const [receivedB, receivedA] = [record(onB), record(onA)];

    const created = await postComment(instanceA.url, { site: 'blog', post: 'cross', body: 'Written on A', origin: BLOG });
    await waitFor(() => receivedB.some((r) => r.event === 'count:updated'), 'the count on B');
    await settle();
    for (const received of [receivedA, receivedB]) {
      expect(received.filter((r) => r.event === 'comment:created').map((r) => (r.payload['comment'] as { id: string }).id)).toEqual([
        created.comment.id,
      ]);
      expect(received.filter((r) => r.event === 'count:updated').at(-1)?.payload).toEqual({ site: 'blog', post: 'cross', count: 1 });
    }
  });

  it('when a moderator approves on instance A, then the held comment reaches a reader on instance B', async () => {
    await request(instanceA.url)
      .patch('/api/v1/mod/sites/blog')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ settings: { premoderation: 'all' } })
      .expect(200);
    const held = await postComment(instanceA.url, { site: 'blog', post: 'approve-cross', body: 'Please approve me', origin: BLOG });
    expect(held.comment.status).toBe('pending');

    const onB = await connectReader(instanceB.url, { origin: BLOG });
    await emitWithAck<JoinResult>(onB, 'post:join', { site: 'blog', post: 'approve-cross' });
    const received = record(onB);
    await request(instanceA.url)
      .post(`/api/v1/mod/comments/${held.comment.id}/approve`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ revision: 1 })
      .expect(200);
    await waitFor(() => received.some((r) => r.event.startsWith('comment:')), 'the approved comment on B');
    expect(received.find((r) => r.event.startsWith('comment:'))?.payload).toMatchObject({
      comment: { id: held.comment.id, status: 'published' },
    });
  });

  it('when a moderation event happens on instance A, then moderators on instance B receive it', async () => {
    const moderator = connectModerator(instanceB.url, { token: adminToken });
    expect(await handshake(moderator)).toEqual({ connected: true });
    const received = record(moderator);
    instanceA.bus.publish('moderation.claimed', {
      id: 'c1',
      site: 'blog',
      moderatorId: 'm1',
      moderatorName: 'Mo',
      until: new Date().toISOString(),
    });
    await waitFor(() => received.length === 1, 'the claim on B');
    expect(received[0]).toMatchObject({ event: 'comment:claimed', payload: { id: 'c1', site: 'blog' } });
  });
});
