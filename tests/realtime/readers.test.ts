import request from 'supertest';
import type { CommentDto } from '../../src/contracts/comments';
import type { JoinResult } from '../../src/contracts/socket-events';
import { startTestServer, type TestServer } from '../helpers/test-server';
import {
  closeAllSockets,
  connectReader,
  createSite,
  emitWithAck,
  postComment,
  record,
  settle,
  signIn,
  waitFor,
  type ReaderClient,
  type Received,
} from './realtime-helpers';

const BLOG = 'https://blog.example';
const OTHER = 'https://other.example';

describe('reader rooms', () => {
  let server: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    adminToken = (await signIn(server.url)).token;
    await createSite(server.url, adminToken, 'blog', [BLOG]);
    await createSite(server.url, adminToken, 'other', [OTHER]);
    await request(server.url)
      .post('/api/v1/mod/sites')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ id: 'held', name: 'Held', origins: [BLOG], settings: { premoderation: 'all' } })
      .expect(201);
  });

  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await server.close();
  });

  const join = async (socket: ReaderClient, payload: Record<string, unknown>): Promise<JoinResult> => {
    const ack = await emitWithAck<JoinResult>(socket, 'post:join', payload);
    if (!ack.ok) throw new Error(`join failed: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  };

  const commentEvents = (received: Received[]): Received[] => received.filter((r) => r.event.startsWith('comment:'));

  it('when a reader joins a post, then the ack carries the count and the seq to resume from', async () => {
    const reader = await connectReader(server.url, { origin: BLOG });
    await postComment(server.url, { site: 'blog', post: 'join-post', body: 'First!', origin: BLOG });
    const result = await join(reader, { site: 'blog', post: 'join-post' });
    expect(result).toMatchObject({ count: 1, replayed: 0, isAuthor: false });
    expect(result.seq).toBeGreaterThanOrEqual(1);
  });

  it('when the join payload is malformed or the site unknown, then the ack is an error with a stable code', async () => {
    const reader = await connectReader(server.url, { origin: BLOG });
    expect(await emitWithAck(reader, 'post:join', { site: 'blog' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await emitWithAck(reader, 'post:join', { site: 'blog', post: 'p', since: -1 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await emitWithAck(reader, 'post:join', { site: 'blog', post: 'p', extra: { $gt: '' } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await emitWithAck(reader, 'post:join', { site: 'no-such-site', post: 'p' })).toMatchObject({
      ok: false,
      error: { code: 'SITE_NOT_FOUND' },
    });
  });

  it("when the socket's Origin is not one of the site's origins, then the join is refused and nothing reaches it", async () => {
    const intruder = await connectReader(server.url, { origin: 'https://evil.example' });
    const received = record(intruder);
    expect(await emitWithAck(intruder, 'post:join', { site: 'blog', post: 'guarded' })).toMatchObject({
      ok: false,
      error: { code: 'ORIGIN_NOT_ALLOWED' },
    });
    await postComment(server.url, { site: 'blog', post: 'guarded', body: 'Hello', origin: BLOG });
    await settle(400);
    expect(received).toEqual([]);
  });

  it('when a comment is published, then readers of that post get it once with the full comment, and readers of other posts and sites get nothing', async () => {
    const [inPost, otherPost, otherSite] = await Promise.all([
      connectReader(server.url, { origin: BLOG }),
      connectReader(server.url, { origin: BLOG }),
      connectReader(server.url, { origin: OTHER }),
    ]);
    await join(inPost, { site: 'blog', post: 'isolation' });
    await join(otherPost, { site: 'blog', post: 'isolation-2' });
    await join(otherSite, { site: 'other', post: 'isolation' });
    const [a, b, c] = [record(inPost), record(otherPost), record(otherSite)];

    const created = await postComment(server.url, { site: 'blog', post: 'isolation', body: 'Nice article', origin: BLOG });
    expect(created.comment.status).toBe('published');

    await waitFor(() => a.some((r) => r.event === 'count:updated'), 'the count update');
    await settle();
    expect(commentEvents(a)).toHaveLength(1);
    const event = commentEvents(a)[0];
    expect(event?.event).toBe('comment:created');
    const payload = event?.payload as { site: string; post: string; seq: number; comment: CommentDto };
    expect(payload).toMatchObject({ site: 'blog', post: 'isolation' });
    expect(payload.seq).toBeGreaterThan(0);
    expect(payload.comment).toMatchObject({
      id: created.comment.id,
      body: 'Nice article',
      status: 'published',
      author: expect.objectContaining({ name: 'Reader' }) as unknown,
      createdAt: created.comment.createdAt,
    });
    // The public frame never carries what only the author may see.
    expect(payload.comment.isOwn).toBeUndefined();
    expect(a.filter((r) => r.event === 'count:updated').at(-1)?.payload).toEqual({ site: 'blog', post: 'isolation', count: 1 });
    expect(b).toEqual([]);
    expect(c).toEqual([]);
  });

  it('when a held comment is posted, then only its author sockets in that post see it; once approved every reader gets it', async () => {
    const first = await postComment(server.url, { site: 'held', post: 'pending', body: 'Held for review', origin: BLOG });
    expect(first.comment.status).toBe('pending');
    const authorToken = first.authorToken;
    expect(authorToken).toEqual(expect.any(String));

    const [author, authorElsewhere, stranger] = await Promise.all([
      connectReader(server.url, { origin: BLOG }),
      connectReader(server.url, { origin: BLOG }),
      connectReader(server.url, { origin: BLOG }),
    ]);
    expect(await join(author, { site: 'held', post: 'pending', authorToken })).toMatchObject({ isAuthor: true });
    await join(authorElsewhere, { site: 'held', post: 'pending-other', authorToken });
    await join(stranger, { site: 'held', post: 'pending' });
    const [own, elsewhere, others] = [record(author), record(authorElsewhere), record(stranger)];

    const second = await postComment(server.url, {
      site: 'held',
      post: 'pending',
      body: 'Another one for review',
      origin: BLOG,
      authorToken: authorToken ?? '',
    });
    expect(second.comment.status).toBe('pending');
    await waitFor(() => commentEvents(own).length === 1, "the author's pending comment");
    expect(commentEvents(own)[0]?.payload).toMatchObject({ comment: { id: second.comment.id, status: 'pending', isOwn: true } });
    await settle();
    expect(commentEvents(elsewhere)).toEqual([]);
    expect(commentEvents(others)).toEqual([]);

    await request(server.url)
      .post(`/api/v1/mod/comments/${second.comment.id}/approve`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ revision: 1 })
      .expect(200);
    await waitFor(() => commentEvents(others).length === 1, 'the approved comment for everyone');
    expect(commentEvents(others)[0]?.payload).toMatchObject({ comment: { id: second.comment.id, status: 'published' } });
    expect(commentEvents(elsewhere)).toEqual([]);
  });

  it('when its author deletes a published comment, then readers get comment:removed and a lower count', async () => {
    const reader = await connectReader(server.url, { origin: BLOG });
    const created = await postComment(server.url, { site: 'blog', post: 'removal', body: 'Soon gone', origin: BLOG });
    await join(reader, { site: 'blog', post: 'removal' });
    const received = record(reader);
    await request(server.url)
      .delete(`/api/v1/comments/${created.comment.id}`)
      .set('Origin', BLOG)
      .set('Authorization', `Bearer ${created.authorToken ?? ''}`)
      .expect(204);
    // The creation's coalesced count (1) may still arrive after the join: what matters is
    // that the count readers end with is the lower one.
    await waitFor(
      () => received.some((r) => r.event === 'count:updated' && r.payload['count'] === 0),
      'the lower count',
    );
    expect(commentEvents(received).map((r) => [r.event, r.payload['id'], r.payload['reason']])).toEqual([
      ['comment:removed', created.comment.id, 'deleted'],
    ]);
    expect(received.filter((r) => r.event === 'count:updated').at(-1)?.payload).toMatchObject({ count: 0 });
  });

  it('when a moderator rejects a published comment, then readers get comment:removed', async () => {
    const reader = await connectReader(server.url, { origin: BLOG });
    const created = await postComment(server.url, { site: 'blog', post: 'rejection', body: 'Not for long', origin: BLOG });
    await join(reader, { site: 'blog', post: 'rejection' });
    const received = record(reader);
    await request(server.url)
      .post(`/api/v1/mod/comments/${created.comment.id}/reject`)
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ reason: 'spam' })
      .expect(200);
    await waitFor(() => commentEvents(received).length === 1, 'the removal');
    expect(commentEvents(received)[0]).toMatchObject({ event: 'comment:removed', payload: { id: created.comment.id, reason: 'rejected' } });
  });

  it('when a reader leaves a post, then it receives nothing more from it', async () => {
    const reader = await connectReader(server.url, { origin: BLOG });
    await join(reader, { site: 'blog', post: 'leaving' });
    expect(await emitWithAck(reader, 'post:leave', { site: 'blog', post: 'leaving' })).toEqual({ ok: true, data: null });
    const received = record(reader);
    await postComment(server.url, { site: 'blog', post: 'leaving', body: 'Anyone there?', origin: BLOG });
    await settle(400);
    expect(received).toEqual([]);
  });

  it('when comments arrive in a burst, then count:updated is coalesced and its last value is the final count', async () => {
    const reader = await connectReader(server.url, { origin: BLOG });
    await join(reader, { site: 'blog', post: 'burst' });
    const received = record(reader);
    for (let i = 0; i < 6; i += 1) {
      await postComment(server.url, { site: 'blog', post: 'burst', body: `Comment number ${i} in the burst`, origin: BLOG });
    }
    await waitFor(() => received.filter((r) => r.event === 'comment:created').length === 6, 'six comments');
    await settle(400);
    const counts = received.filter((r) => r.event === 'count:updated').map((r) => r.payload['count']);
    expect(counts.at(-1)).toBe(6);
    expect(counts.length).toBeLessThan(6);
  });

  it('when a socket joins more posts than allowed, then further joins get TOO_MANY_ROOMS until it leaves one', async () => {
    const reader = await connectReader(server.url, { origin: BLOG });
    // The join rate limit (a burst of 10, then 1/s) is waited out: this test is about the room limit.
    const joinPatiently = async (post: string): Promise<string> => {
      let ack = await emitWithAck<JoinResult>(reader, 'post:join', { site: 'blog', post });
      while (!ack.ok && ack.error.code === 'RATE_LIMITED') {
        await settle(300);
        ack = await emitWithAck<JoinResult>(reader, 'post:join', { site: 'blog', post });
      }
      return ack.ok ? 'ok' : ack.error.code;
    };
    const results: string[] = [];
    for (let i = 0; i < 21; i += 1) results.push(await joinPatiently(`many-${i}`));
    expect(results.slice(0, 20).every((result) => result === 'ok')).toBe(true);
    expect(results[20]).toBe('TOO_MANY_ROOMS');
    await emitWithAck(reader, 'post:leave', { site: 'blog', post: 'many-0' });
    expect(await joinPatiently('many-20')).toBe('ok');
  }, 30_000);

  it('when a socket joins too fast, then it gets RATE_LIMITED', async () => {
    const reader = await connectReader(server.url, { origin: BLOG });
    const acks = await Promise.all(
      Array.from({ length: 14 }, (_, i) => emitWithAck(reader, 'post:join', { site: 'blog', post: `fast-${i}` })),
    );
    const codes = acks.map((ack) => (ack.ok ? 'ok' : ack.error.code));
    expect(codes.filter((code) => code === 'ok').length).toBeLessThanOrEqual(11);
    expect(codes).toContain('RATE_LIMITED');
  });

  it('when a socket floods the server with events, then it alone is disconnected and other readers keep receiving', async () => {
    const [flooder, calm] = await Promise.all([connectReader(server.url, { origin: BLOG }), connectReader(server.url, { origin: BLOG })]);
    await join(calm, { site: 'blog', post: 'flood' });
    const calmEvents = record(calm);
    const disconnected = new Promise<string>((resolve) => flooder.once('disconnect', (reason) => resolve(reason)));
    for (let i = 0; i < 300; i += 1) flooder.emit('post:leave', { site: 'blog', post: 'flood' });
    expect(await disconnected).toBe('io server disconnect');
    await postComment(server.url, { site: 'blog', post: 'flood', body: 'Still here', origin: BLOG });
    await waitFor(() => commentEvents(calmEvents).length === 1, 'the calm reader to get the comment');
    expect(calm.connected).toBe(true);
  });

  it('when a frame is larger than the limit, then the connection is closed', async () => {
    const reader = await connectReader(server.url, { origin: BLOG });
    const disconnected = new Promise<string>((resolve) => reader.once('disconnect', (reason) => resolve(reason)));
    reader.emit('post:join', { site: 'blog', post: 'x'.repeat(20 * 1024) }, () => undefined);
    expect(await disconnected).toBe('transport close');
  });
});
