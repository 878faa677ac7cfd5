import { Types } from 'mongoose';
import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { repairCommentCounts } from '../../src/comments';
import type { CommentDto } from '../../src/contracts/comments';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createSite, loginAdmin, patchSite, postComment, readThread, uniqueId } from '../helpers/factories';

/** Reactions: one per reader, toggled, counted by diff with a repair path, live, and ranking `best` with stable paging. */
describe('reactions and sort=best', () => {
  let server: TestServer;
  let site: string;
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    adminToken = await loginAdmin(server);
    site = (await createSite(server, { token: adminToken })).id;
  });
  afterAll(async () => {
    await server.close();
  });

  const react = (id: string, options: { token?: string | undefined; reader?: string; kind?: string } = {}) => {
    let req = request(server.url)
      .put(`${API}/comments/${id}/reaction`)
      .set('X-Forwarded-For', '10.9.0.1')
      .set('User-Agent', options.reader ?? 'reader-default');
    if (options.token) req = req.set('Authorization', `Bearer ${options.token}`);
    return req.send(options.kind ? { kind: options.kind } : {});
  };
  const unreact = (id: string, options: { token?: string | undefined; reader?: string } = {}) => {
    let req = request(server.url)
      .delete(`${API}/comments/${id}/reaction`)
      .set('X-Forwarded-For', '10.9.0.1')
      .set('User-Agent', options.reader ?? 'reader-default');
    if (options.token) req = req.set('Authorization', `Bearer ${options.token}`);
    return req;
  };
  const stored = (id: string) => server.database.connection.collection('comments').findOne({ _id: new Types.ObjectId(id) });

  it('when a reader reacts twice and takes it back, then the count goes 1, 1, 0 and the DTO says whether they reacted', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(server, { site, post });
    const reader = await postComment(server, { site, post, authorName: 'Reader' });

    expect((await react(comment.id, { token: reader.token })).body).toEqual({ reacted: true, reactions: 1 });
    expect((await react(comment.id, { token: reader.token })).body).toEqual({ reacted: true, reactions: 1 });
    let page = await readThread(server, { site, post, token: reader.token, sort: 'oldest' });
    expect(page.comments[0]).toMatchObject({ id: comment.id, reactions: 1, viewerReacted: true });
    const anonymous = await readThread(server, { site, post, sort: 'oldest' });
    expect(anonymous.comments[0]).toMatchObject({ reactions: 1, viewerReacted: false });

    expect((await unreact(comment.id, { token: reader.token })).body).toEqual({ reacted: false, reactions: 0 });
    expect((await unreact(comment.id, { token: reader.token })).body).toEqual({ reacted: false, reactions: 0 });
    page = await readThread(server, { site, post, token: reader.token, sort: 'oldest' });
    expect(page.comments[0]).toMatchObject({ reactions: 0, viewerReacted: false });
    expect(await stored(comment.id)).toMatchObject({ reactionUp: 0, reactionDown: 0 });
  });

  it('when anonymous readers react, then each browser (IP and user agent) counts once', async () => {
    const { comment } = await postComment(server, { site, post: uniqueId('post') });
    await react(comment.id, { reader: 'browser-a' });
    await react(comment.id, { reader: 'browser-a' });
    const res = await react(comment.id, { reader: 'browser-b' });
    expect(res.body).toEqual({ reacted: true, reactions: 2 });
  });

  it('when authors react to their own comment, then it is 403 OWN_COMMENT_REACTION and nothing is counted', async () => {
    const { comment, token } = await postComment(server, { site, post: uniqueId('post') });
    const res = await react(comment.id, { token: token ?? '' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('OWN_COMMENT_REACTION');
    expect(await stored(comment.id)).toMatchObject({ reactionUp: 0 });
  });

  it('when a reader downvotes on a site without downvotes, then it is refused; with them, the score drops and the count shown does not', async () => {
    const { comment } = await postComment(server, { site, post: uniqueId('post') });
    const refused = await react(comment.id, { reader: 'down-1', kind: 'down' });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('DOWNVOTES_DISABLED');
    const bad = await react(comment.id, { reader: 'down-1', kind: 'sideways' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');

    const withDownvotes = (await createSite(server, { token: adminToken })).id;
    await patchSite(server, withDownvotes, { settings: { downvotes: true, reactionLabel: 'Respect' } }, adminToken);
    const target = await postComment(server, { site: withDownvotes, post: uniqueId('post') });
    await react(target.comment.id, { reader: 'up-1' });
    const scoreUp = (await stored(target.comment.id))?.['bestScore'] as number;
    const down = await react(target.comment.id, { reader: 'down-2', kind: 'down' });
    expect(down.body).toEqual({ reacted: false, reactions: 1 });
    expect((await stored(target.comment.id))?.['bestScore']).toBeLessThan(scoreUp);
  });

  it('when reaction counts are corrupted, then repair:counts recounts them from the reactions', async () => {
    const { comment } = await postComment(server, { site, post: uniqueId('post') });
    await react(comment.id, { reader: 'repair-a' });
    await react(comment.id, { reader: 'repair-b' });
    await server.database.connection.collection('comments').updateOne({ _id: new Types.ObjectId(comment.id) }, { $set: { reactionUp: 40 } });
    const report = await repairCommentCounts(server.database.connection, site);
    expect(report.reactionCountsFixed).toBeGreaterThanOrEqual(1);
    expect(await stored(comment.id)).toMatchObject({ reactionUp: 2 });
  });

  it('when readers react, then the post room gets reactions:updated with the total', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(server, { site, post });
    const socket: Socket = connect(server.url, { transports: ['websocket'], forceNew: true });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.emit('post:join', { site, post }, (ack: { ok: boolean }) => (ack.ok ? resolve() : reject(new Error('join failed'))));
      });
      const received = new Promise<{ commentId: string; reactions: number }>((resolve) => {
        socket.on('reactions:updated', (event: { commentId: string; reactions: number }) => {
          if (event.reactions === 3) resolve(event);
        });
      });
      for (const reader of ['live-a', 'live-b', 'live-c']) await react(comment.id, { reader });
      expect(await received).toMatchObject({ commentId: comment.id, reactions: 3 });
    } finally {
      socket.disconnect();
    }
  });

  it('when reactions arrive while a reader pages sort=best, then the pages have no gaps and no duplicates', async () => {
    const post = uniqueId('post');
    const posted: CommentDto[] = [];
    for (let index = 0; index < 12; index += 1) posted.push((await postComment(server, { site, post, body: `Comment ${index}` })).comment);
    // A few start ahead: the first page ranks them first.
    for (const [index, count] of [[3, 3], [7, 2], [10, 1]] as const) {
      for (let reader = 0; reader < count; reader += 1) await react(posted[index]?.id ?? '', { reader: `seed-${index}-${reader}` });
    }
    const first = await readThread(server, { site, post, sort: 'best', limit: 4 });
    expect(first.sort).toBe('best');
    expect(first.comments.slice(0, 3).map((comment) => comment.id)).toEqual([posted[3]?.id, posted[7]?.id, posted[10]?.id]);
    expect(first.nextCursor).not.toBeNull();

    const seen = first.comments.map((comment) => comment.id);
    let cursor = first.nextCursor;
    let round = 0;
    while (cursor) {
      // Concurrent reactions to comments on later pages would move them up under a live score order.
      await Promise.all(posted.slice(4 + round).map((comment, index) => react(comment.id, { reader: `race-${round}-${index}` })));
      const page = await readThread(server, { site, post, sort: 'best', limit: 4, cursor });
      seen.push(...page.comments.map((comment) => comment.id));
      cursor = page.nextCursor;
      round += 1;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect(new Set(seen)).toEqual(new Set(posted.map((comment) => comment.id)));

    // A new paging session ranks by the new scores.
    const again = await readThread(server, { site, post, sort: 'best', limit: 12 });
    expect(again.comments.map((comment) => comment.reactions)).toEqual([...again.comments.map((comment) => comment.reactions)].sort((a, b) => b - a));
   }, 120_000);

  it('when a best cursor is forged or belongs to another post, then it is 400 CURSOR_INVALID', async () => {
    const post = uniqueId('post');
    for (let index = 0; index < 3; index += 1) await postComment(server, { site, post });
    const first = await readThread(server, { site, post, sort: 'best', limit: 2 });
    const other = await request(server.url).get(`${API}/sites/${site}/posts/${uniqueId('other')}/comments`).query({ sort: 'best', cursor: first.nextCursor });
    expect(other.status).toBe(400);
    expect(other.body.code).toBe('CURSOR_INVALID');
    const forged = Buffer.from(JSON.stringify({ v: 1, s: 'thread:best', k: 1, i: '0123456789abcdef01234567' })).toString('base64url');
    const res = await request(server.url).get(`${API}/sites/${site}/posts/${post}/comments`).query({ sort: 'best', cursor: forged });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('CURSOR_INVALID');
  });
});
