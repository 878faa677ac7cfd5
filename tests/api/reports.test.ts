import { Types } from 'mongoose';
import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createSite, loginAdmin, postComment, readThread, reportComment, uniqueId } from '../helpers/factories';
import { storedCounts } from '../helpers/stored';

describe('reporting comments', () => {
  let server: TestServer;
  let site: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    site = (await createSite(server, { token: await loginAdmin(server) })).id;
  });
  afterAll(async () => {
    await server.close();
  });

  const stored = (id: string) => server.database.connection.collection('comments').findOne({ _id: new Types.ObjectId(id) });

  it('when a reader reports a comment, then it is 201, counted by reason, enters the reported queue and stays visible', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(server, { site, post, body: 'questionable' });
    const res = await reportComment(server, comment.id, { reason: 'abuse', userAgent: 'reader-one' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ commentId: comment.id, reason: 'abuse' });
    const doc = await stored(comment.id);
    expect(doc).toMatchObject({ reportCount: 1, reportReasons: { abuse: 1 }, hasOpenReports: true, status: 'published' });
    expect(doc?.['firstReportedAt']).toBeInstanceOf(Date);
    const page = await readThread(server, { site, post });
    expect(page.comments.map((c) => c.id)).toEqual([comment.id]);
    expect((await storedCounts(server, site, post)).reported).toBe(1);
  });

  it('when the same anonymous reader reports twice, then the second is ALREADY_REPORTED and nothing is counted twice', async () => {
    const { comment } = await postComment(server, { site, post: uniqueId('post') });
    expect((await reportComment(server, comment.id, { userAgent: 'same-reader' })).status).toBe(201);
    const again = await reportComment(server, comment.id, { userAgent: 'same-reader', reason: 'hate' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_REPORTED');
    expect((await stored(comment.id))?.['reportCount']).toBe(1);
  });

  it('when a signed reader (author token) reports twice from different browsers, then the second is ALREADY_REPORTED', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(server, { site, post });
    const { token } = await postComment(server, { site, post });
    expect((await reportComment(server, comment.id, { token: token ?? '', userAgent: 'phone' })).status).toBe(201);
    const again = await reportComment(server, comment.id, { token: token ?? '', userAgent: 'laptop' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_REPORTED');
  });

  it('when several readers report, then the count grows but the post counts the comment once as reported', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(server, { site, post });
    for (const reader of ['r1', 'r2', 'r3']) expect((await reportComment(server, comment.id, { userAgent: reader, reason: 'spam' })).status).toBe(201);
    expect(await stored(comment.id)).toMatchObject({ reportCount: 3, reportReasons: { spam: 3 } });
    expect((await storedCounts(server, site, post)).reported).toBe(1);
  });

  it.each([
    ['an unknown reason', { reason: 'boring' }],
    ['no reason', {}],
    ['an operator', { reason: { $ne: null } }],
    ['extra fields', { reason: 'spam', weight: 100 }],
  ])('when the report has %s, then it is VALIDATION_FAILED', async (_name, body) => {
    const { comment } = await postComment(server, { site, post: uniqueId('post') });
    const res = await request(server.url).post(`${API}/comments/${comment.id}/reports`).send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('when the comment does not exist or was deleted, then it is COMMENT_NOT_FOUND', async () => {
    const missing = await reportComment(server, new Types.ObjectId().toHexString());
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('COMMENT_NOT_FOUND');
    const { comment, token } = await postComment(server, { site, post: uniqueId('post') });
    await request(server.url).delete(`${API}/comments/${comment.id}`).set('Authorization', `Bearer ${token}`).expect(204);
    const deleted = await reportComment(server, comment.id);
    expect(deleted.status).toBe(404);
  });
});
