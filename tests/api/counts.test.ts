import { Types } from 'mongoose';
import request from 'supertest';
import { repairCommentCounts } from '../../src/comments';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createSite, loginAdmin, postComment, readCounts, readThread, reportComment, uniqueId } from '../helpers/factories';
import { storedCounts } from '../helpers/stored';

describe('comment counts', () => {
  let server: TestServer;
  let site: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    site = (await createSite(server, { token: await loginAdmin(server) })).id;
  });
  afterAll(async () => {
    await server.close();
  });

  const posts = () => server.database.connection.collection('posts');
  const comments = () => server.database.connection.collection('comments');

  it('when counts are asked for known and unknown posts, then each gets its published count, unknown ones 0, cacheable for 10 s', async () => {
    const a = uniqueId('a');
    const b = uniqueId('b');
    await postComment(server, { site, post: a });
    await postComment(server, { site, post: a });
    await postComment(server, { site, post: b });
    const res = await request(server.url).get(`${API}/sites/${site}/counts`).query({ posts: `${a},${b},never-used` });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=10');
    expect(res.body).toEqual({ [a]: 2, [b]: 1, 'never-used': 0 });
  });

  it.each([
    ['no posts', ''],
    ['101 posts', Array.from({ length: 101 }, (_, i) => `p${i}`).join(',')],
    ['an empty key', 'a,,b'],
    ['a key over 200 characters', 'k'.repeat(201)],
  ])('when the counts query has %s, then it is VALIDATION_FAILED', async (_name, list) => {
    const res = await request(server.url).get(`${API}/sites/${site}/counts`).query({ posts: list });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('when replies come and go, then the post count and the parent reply count follow every change', async () => {
    const post = uniqueId('post');
    const root = await postComment(server, { site, post });
    const reply = await postComment(server, { site, post, parentId: root.comment.id });
    const leaf = await postComment(server, { site, post, parentId: reply.comment.id });
    let page = await readThread(server, { site, post });
    expect(await storedCounts(server, site, post)).toEqual({ published: 3, pending: 0, reported: 0 });
    expect(page.comments[0]?.replyCount).toBe(1);
    expect(page.comments[0]?.replies?.[0]?.replyCount).toBe(1);
    await request(server.url).delete(`${API}/comments/${reply.comment.id}`).set('Authorization', `Bearer ${reply.token}`).expect(204);
    page = await readThread(server, { site, post });
    expect(await storedCounts(server, site, post)).toEqual({ published: 2, pending: 0, reported: 0 });
    // The deleted reply stays among the root's replies as a tombstone for its own reply.
    expect(page.comments[0]?.replyCount).toBe(1);
    expect(page.comments[0]?.replies?.[0]).toMatchObject({ id: reply.comment.id, status: 'deleted', replyCount: 1 });
    expect(page.comments[0]?.replies?.[0]?.replies).toHaveLength(1);
    expect((await readCounts(server, site, [post]))[post]).toBe(2);
    // When the tombstone's last reply goes, the tombstone leaves the root's replies as well.
    await request(server.url).delete(`${API}/comments/${leaf.comment.id}`).set('Authorization', `Bearer ${leaf.token}`).expect(204);
    page = await readThread(server, { site, post });
    expect(await storedCounts(server, site, post)).toEqual({ published: 1, pending: 0, reported: 0 });
    expect(page.comments[0]?.replyCount).toBe(0);
    expect(page.comments[0]?.replies).toEqual([]);
    // Repair agrees with the diffs.
    expect(await repairCommentCounts(server.database.connection, site)).toMatchObject({ postsFixed: 0, replyCountsFixed: 0 });
  });

  it('when a comment is reported, then the post counts it once as reported', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(server, { site, post });
    expect((await reportComment(server, comment.id, { reason: 'spam' })).status).toBe(201);
    expect((await reportComment(server, comment.id, { reason: 'abuse' })).status).toBe(201);
    expect((await readThread(server, { site, post })).post.counts).toEqual({ published: 1 });
    expect(await storedCounts(server, site, post)).toEqual({ published: 1, pending: 0, reported: 1 });
  });

  it('when stored counts are corrupted, then repairCounts recomputes post and reply counts from the comments', async () => {
    const post = uniqueId('post');
    const root = await postComment(server, { site, post });
    await postComment(server, { site, post, parentId: root.comment.id });
    await postComment(server, { site, post, parentId: root.comment.id });
    const reported = await postComment(server, { site, post });
    await reportComment(server, reported.comment.id);
    await posts().updateOne({ site, key: post }, { $set: { counts: { published: 99, pending: -3, reported: 7 } } });
    await comments().updateOne({ _id: new Types.ObjectId(root.comment.id) }, { $set: { replyCount: 42 } });
    expect((await readCounts(server, site, [post]))[post]).toBe(99);

    const report = await repairCommentCounts(server.database.connection, site);

    expect(report.postsFixed).toBeGreaterThanOrEqual(1);
    expect(report.replyCountsFixed).toBeGreaterThanOrEqual(1);
    const page = await readThread(server, { site, post, sort: 'oldest' });
    expect(await storedCounts(server, site, post)).toEqual({ published: 4, pending: 0, reported: 1 });
    expect(page.comments[0]?.replyCount).toBe(2);
    // A second run finds nothing to fix.
    const again = await repairCommentCounts(server.database.connection, site);
    expect(again).toMatchObject({ postsFixed: 0, replyCountsFixed: 0 });
  });
});

describe('counts through moderation transitions', () => {
  let server: TestServer;
  let site: string;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    admin = await loginAdmin(server);
    site = (await createSite(server, { token: admin, settings: { premoderation: 'all' } })).id;
  });
  afterAll(async () => {
    await server.close();
  });

  const mod = (path: string, body: object) => request(server.url).post(`${API}/mod${path}`).set('Authorization', `Bearer ${admin}`).send(body);
  const authorCounts = async (authorId: string) =>
    (await server.database.connection.collection('authors').findOne({ _id: new Types.ObjectId(authorId) }))?.['counts'];

  it('when a held comment is approved, rejected and restored, then post, reply and author counts follow each step', async () => {
    const post = uniqueId('post');
    const root = await postComment(server, { site, post, body: 'a root comment here' });
    expect(root.comment.status).toBe('pending');
    expect(root.created.verdict?.action).toBe('hold');
    let page = await readThread(server, { site, post });
    expect(await storedCounts(server, site, post)).toEqual({ published: 0, pending: 1, reported: 0 });
    expect(page.comments).toEqual([]);
    // Its author sees it, marked as theirs.
    const own = await readThread(server, { site, post, token: root.token });
    expect(own.comments.map((c) => [c.id, c.status, c.isOwn])).toEqual([[root.comment.id, 'pending', true]]);
    const authorId = root.comment.author?.id ?? '';
    expect(await authorCounts(authorId)).toEqual({ published: 0, pending: 1, rejected: 0 });

    expect((await mod(`/comments/${root.comment.id}/approve`, { revision: 1 })).status).toBe(200);
    expect(await storedCounts(server, site, post)).toEqual({ published: 1, pending: 0, reported: 0 });
    expect(await authorCounts(authorId)).toEqual({ published: 1, pending: 0, rejected: 0 });

    const reply = await postComment(server, { site, post, body: 'a reply to the root', parentId: root.comment.id });
    await mod(`/comments/${reply.comment.id}/approve`, { revision: 1 }).expect(200);
    page = await readThread(server, { site, post });
    expect(page.comments[0]?.replyCount).toBe(1);

    expect((await mod(`/comments/${reply.comment.id}/reject`, { reason: 'spam' })).status).toBe(200);
    page = await readThread(server, { site, post });
    expect(await storedCounts(server, site, post)).toEqual({ published: 1, pending: 0, reported: 0 });
    expect(page.comments[0]?.replyCount).toBe(0);
    expect(page.comments[0]?.replies).toEqual([]);

    expect((await mod(`/comments/${reply.comment.id}/restore`, {})).status).toBe(200);
    page = await readThread(server, { site, post });
    expect(page.post.counts.published).toBe(2);
    expect(page.comments[0]?.replyCount).toBe(1);

    // Approving twice is not a transition.
    const twice = await mod(`/comments/${root.comment.id}/approve`, { revision: 1 });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('INVALID_TRANSITION');
    expect(await repairCommentCounts(server.database.connection, site)).toMatchObject({ postsFixed: 0, replyCountsFixed: 0 });
  });

  it('when the author edits a held comment after the moderator read it, then approving the old revision is REVISION_CONFLICT', async () => {
    const post = uniqueId('post');
    const { comment, token } = await postComment(server, { site, post, body: 'first version of it' });
    await request(server.url).patch(`${API}/comments/${comment.id}`).set('Authorization', `Bearer ${token}`).send({ body: 'second version of it' }).expect(200);
    const res = await mod(`/comments/${comment.id}/approve`, { revision: 1 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('REVISION_CONFLICT');
    expect(await storedCounts(server, site, post)).toEqual({ published: 0, pending: 1, reported: 0 });
  });

  it('when a reported comment is rejected, then it leaves the reported count', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(server, { site, post, body: 'to be reported' });
    await mod(`/comments/${comment.id}/approve`, { revision: 1 }).expect(200);
    await reportComment(server, comment.id).expect(201);
    expect(await storedCounts(server, site, post)).toEqual({ published: 1, pending: 0, reported: 1 });
    await mod(`/comments/${comment.id}/reject`, { reason: 'abuse' }).expect(200);
    expect(await storedCounts(server, site, post)).toEqual({ published: 0, pending: 0, reported: 0 });
  });
});
