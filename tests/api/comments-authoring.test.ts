import { Types } from 'mongoose';
import request from 'supertest';
import type { CommentDto } from '../../src/contracts/comments';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';
import { API, createSite, flattenComments, loginAdmin, postComment, readThread, sendComment, signSsoToken, uniqueId } from '../helpers/factories';

const SSO_SECRET = 'a-host-site-secret-of-some-length';

describe('editing, deleting and signing in as a commenter', () => {
  let server: TestServer;
  const clock = new ManualClock(Date.parse('2030-03-01T12:00:00Z'));
  let site: string;

  beforeAll(async () => {
    server = await startTestServer({ clock, env: { TRUST_PROXY: 'true' } });
    site = (await createSite(server, { token: await loginAdmin(server), ssoSecret: SSO_SECRET })).id;
  });
  afterAll(async () => {
    await server.close();
  });

  const patch = (id: string, body: unknown, token?: string) => {
    const req = request(server.url).patch(`${API}/comments/${id}`).set('X-Forwarded-For', '203.0.113.9');
    return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body as object);
  };
  const remove = (id: string, token?: string) => {
    const req = request(server.url).delete(`${API}/comments/${id}`);
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };
  const storedComment = (id: string) =>
    server.database.connection.collection('comments').findOne({ _id: new Types.ObjectId(id) });

  it('when the author edits within the window, then the body changes, the revision goes up and the old body is kept', async () => {
    const post = uniqueId('post');
    const { comment, token } = await postComment(server, { site, post, body: 'first words' });
    clock.advance(60_000);
    const res = await patch(comment.id, { body: 'second words' }, token);
    expect(res.status).toBe(200);
    expect(res.body.comment).toMatchObject({ id: comment.id, body: 'second words', revision: 2, isOwn: true, status: 'published' });
    expect(res.body.comment.editedAt).toBe(clock.now().toISOString());
    const stored = await storedComment(comment.id);
    expect(stored?.['history']).toEqual([expect.objectContaining({ revision: 1, body: 'first words' })]);
    expect(stored?.['verdict']).toMatchObject({ action: 'publish', revision: 2 });
    const page = await readThread(server, { site, post });
    expect(page.comments[0]).toMatchObject({ body: 'second words', revision: 2 });
  });

  it('when someone else (or nobody) edits or deletes, then it is NOT_COMMENT_AUTHOR and nothing changes', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(server, { site, post, body: 'mine' });
    const { token: otherToken } = await postComment(server, { site, post, body: 'theirs' });
    for (const res of [await patch(comment.id, { body: 'hijacked' }, otherToken), await patch(comment.id, { body: 'hijacked' }), await remove(comment.id, otherToken)]) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('NOT_COMMENT_AUTHOR');
    }
    expect((await storedComment(comment.id))?.['body']).toBe('mine');
  });

  it('when the edit window has passed, then edit and delete are EDIT_WINDOW_CLOSED', async () => {
    const post = uniqueId('post');
    const { comment, token } = await postComment(server, { site, post, body: 'old news' });
    clock.advance(300_001);
    const edit = await patch(comment.id, { body: 'too late' }, token);
    expect(edit.status).toBe(403);
    expect(edit.body.code).toBe('EDIT_WINDOW_CLOSED');
    expect(edit.body.editableUntil).toBe(new Date(Date.parse(comment.createdAt) + 300_000).toISOString());
    const del = await remove(comment.id, token);
    expect(del.status).toBe(403);
    expect(del.body.code).toBe('EDIT_WINDOW_CLOSED');
    expect((await storedComment(comment.id))?.['status']).toBe('published');
  });

  it('when an edit is empty, then it is COMMENT_EMPTY', async () => {
    const { comment, token } = await postComment(server, { site, post: uniqueId('post') });
    const res = await patch(comment.id, { body: '   ' }, token);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('COMMENT_EMPTY');
  });

  it('when the author deletes a comment without replies, then it leaves the thread and the counts', async () => {
    const post = uniqueId('post');
    const { comment, token } = await postComment(server, { site, post, body: 'regret' });
    const res = await remove(comment.id, token);
    expect(res.status).toBe(204);
    const page = await readThread(server, { site, post });
    expect(page.comments).toEqual([]);
    expect(page.post.counts.published).toBe(0);
    expect((await storedComment(comment.id))?.['status']).toBe('deleted');
    const again = await remove(comment.id, token);
    expect(again.status).toBe(404);
  });

  it('when the author deletes a comment with replies, then a tombstone stays with its replies, without body or author', async () => {
    const post = uniqueId('post');
    const { comment, token } = await postComment(server, { site, post, body: 'parent' });
    const reply = await postComment(server, { site, post, body: 'child', parentId: comment.id });
    expect((await remove(comment.id, token)).status).toBe(204);
    const page = await readThread(server, { site, post });
    const tombstone = page.comments[0] as CommentDto;
    expect(tombstone).toMatchObject({ id: comment.id, status: 'deleted', body: '', author: null, replyCount: 1 });
    expect(tombstone.replies?.map((c) => c.id)).toEqual([reply.comment.id]);
    expect(page.post.counts.published).toBe(1);
    // A tombstone can't be replied to.
    const res = await sendComment(server, { site, post, parentId: comment.id });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PARENT_NOT_REPLYABLE');
  });

  it('when the only reply of a tombstone is deleted too, then both leave the thread', async () => {
    const post = uniqueId('post');
    const parent = await postComment(server, { site, post, body: 'parent' });
    const child = await postComment(server, { site, post, body: 'child', parentId: parent.comment.id });
    await remove(parent.comment.id, parent.token);
    await remove(child.comment.id, child.token);
    const page = await readThread(server, { site, post });
    expect(page.comments).toEqual([]);
    expect(page.post.counts.published).toBe(0);
  });

  it('when a reader signs in through the host site (SSO), then the comment is theirs, verified, and they can edit it', async () => {
    const post = uniqueId('post');
    const sso = await signSsoToken(SSO_SECRET, { sub: 'user-42', name: 'Grace', site }, { now: clock.now() });
    const res = await sendComment(server, { site, post, token: sso, body: 'signed in' });
    expect(res.status).toBe(201);
    expect(res.body.authorToken).toBeUndefined();
    expect(res.body.comment.author).toMatchObject({ name: 'Grace', isVerified: true });
    const again = await postComment(server, { site, post, token: sso, body: 'twice' });
    expect(again.comment.author?.id).toBe(res.body.comment.author.id);
    const edit = await patch(res.body.comment.id, { body: 'signed in, edited' }, sso);
    expect(edit.status).toBe(200);
  });

  const badTokens: [string, (now: Date) => Promise<string>, string][] = [
    ['a wrong signature', (now) => signSsoToken('not-the-secret-at-all-no', { sub: 'u', name: 'Eve' }, { now }), 'SSO_TOKEN_INVALID'],
    ['an expired token', (now) => signSsoToken(SSO_SECRET, { sub: 'u', name: 'Old' }, { now: new Date(now.getTime() - 3_600_000), expiresInSeconds: 60 }), 'SSO_TOKEN_EXPIRED'],
    ['another site', (now) => signSsoToken(SSO_SECRET, { sub: 'u', name: 'Wanderer', site: 'another-site' }, { now }), 'SSO_WRONG_SITE'],
    ['a forged guest token', () => Promise.resolve('pa1.0123456789abcdef01234567.some-site.forged'), 'AUTHOR_TOKEN_INVALID'],
  ];
  it.each(badTokens)('when posting with %s, then it is a 401 problem and nothing is stored', async (_name, makeToken, code) => {
    const post = uniqueId('post');
    const token = await makeToken(clock.now());
    const res = await sendComment(server, { site, post, token, body: 'should not be stored' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe(code);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const stored = await server.database.connection.collection('comments').countDocuments({ post });
    expect(stored).toBe(0);
  });

  it('when a guest reads with their token, then they see their own comments marked as theirs', async () => {
    const post = uniqueId('post');
    const { token } = await postComment(server, { site, post, body: 'my own' });
    await postComment(server, { site, post, body: 'someone else' });
    const page = await readThread(server, { site, post, token });
    const own = flattenComments(page.comments).filter((c) => c.isOwn);
    expect(own.map((c) => c.body)).toEqual(['my own']);
    expect(own[0]?.editableUntil).toEqual(expect.any(String));
  });
});
