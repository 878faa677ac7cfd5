import request from 'supertest';
import type { CommentDto, ThreadPageDto } from '../../src/contracts/comments';
import { startServer, type RunningServer } from '../../src/server';
import { createLogger } from '../../src/shared/logger';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createSite, flattenComments, loginAdmin, postComment, readReplies, readThread, signSsoToken, uniqueId, type HasUrl } from '../helpers/factories';

/**
 * Thread and replies pages are served from a cache of serialised pages. Two
 * instances share one database here, each with its own cache: after every kind
 * of write through one of them, both answer the new state, for anonymous and
 * identified readers alike.
 */
describe('cached thread pages never show what a write changed', () => {
  let first: TestServer;
  let second: RunningServer;
  let admin: string;
  let site: string;
  const instances = (): HasUrl[] => [first, second];
  const asAdmin = (): Record<string, string> => ({ Authorization: `Bearer ${admin}` });

  beforeAll(async () => {
    first = await startTestServer();
    second = await startServer({ config: first.config, logger: createLogger({ level: 'silent' }), database: first.database, allowDatabaseDownload: false });
    admin = await loginAdmin(first);
    site = (await createSite(first, { token: admin })).id;
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  /** Reads the page twice on each instance, so each one holds it cached. */
  const warm = async (post: string, token?: string): Promise<void> => {
    for (const server of instances()) {
      await readThread(server, { site, post, sort: 'oldest', token });
      await readThread(server, { site, post, sort: 'oldest', token });
    }
  };
  /** The page as each instance answers it now. */
  const pages = (post: string, token?: string): Promise<ThreadPageDto[]> =>
    Promise.all(instances().map((server) => readThread(server, { site, post, sort: 'oldest', token })));
  const find = (page: ThreadPageDto, id: string): CommentDto | undefined => flattenComments(page.comments).find((comment) => comment.id === id);

  it('when a comment and a reply are posted, then both instances show them, the reply nested and counted', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(first, { site, post, body: 'First words' });
    await warm(post);
    const { comment: reply } = await postComment(second, { site, post, parentId: comment.id, body: 'An answer' });
    const { comment: later } = await postComment(first, { site, post, body: 'Later words' });
    for (const page of await pages(post)) {
      expect(page.comments.map((c) => c.id)).toEqual([comment.id, later.id]);
      expect(page.post.counts.published).toBe(3);
      expect(page.comments[0]?.replyCount).toBe(1);
      expect(page.comments[0]?.replies?.map((c) => c.body)).toEqual(['An answer']);
      expect(find(page, reply.id)?.body).toBe('An answer');
    }
  });

  it('when a comment is edited and another deleted, then both instances show the new text and drop the deleted one', async () => {
    const post = uniqueId('post');
    const kept = await postComment(first, { site, post, body: 'Before the edit' });
    const gone = await postComment(first, { site, post, body: 'About to go' });
    await warm(post);
    const edited = await request(second.url).patch(`${API}/comments/${kept.comment.id}`).set('Authorization', `Bearer ${kept.token ?? ''}`).send({ body: 'After the edit' });
    expect(edited.status).toBe(200);
    const deleted = await request(first.url).delete(`${API}/comments/${gone.comment.id}`).set('Authorization', `Bearer ${gone.token ?? ''}`);
    expect(deleted.status).toBe(204);
    for (const page of await pages(post)) {
      expect(page.comments.map((c) => c.body)).toEqual(['After the edit']);
      expect(page.comments[0]?.editedAt).not.toBeNull();
      expect(page.post.counts.published).toBe(1);
    }
  });

  it('when a moderator approves a held comment, then it appears on both instances; its author saw it as theirs meanwhile, others did not', async () => {
    const heldSite = (await createSite(first, { token: admin, settings: { premoderation: 'all' } })).id;
    const post = uniqueId('post');
    const held = await postComment(first, { site: heldSite, post, body: 'Waiting for a moderator' });
    expect(held.comment.status).toBe('pending');
    for (const server of instances()) {
      await readThread(server, { site: heldSite, post, sort: 'oldest' });
      const anonymous = await readThread(server, { site: heldSite, post, sort: 'oldest' });
      expect(anonymous.comments).toEqual([]);
      // The author's own page is read for them: their held comment with its notice.
      const own = await readThread(server, { site: heldSite, post, sort: 'oldest', token: held.token });
      expect(own.comments.map((c) => [c.id, c.status, c.isOwn])).toEqual([[held.comment.id, 'pending', true]]);
    }
    const approved = await request(second.url).post(`${API}/mod/comments/${held.comment.id}/approve`).set(asAdmin()).send({ revision: 1 });
    expect(approved.status).toBe(200);
    for (const server of instances()) {
      const page = await readThread(server, { site: heldSite, post, sort: 'oldest' });
      expect(page.comments.map((c) => [c.id, c.status])).toEqual([[held.comment.id, 'published']]);
      expect(page.comments[0]?.isOwn).toBeUndefined();
      const own = await readThread(server, { site: heldSite, post, sort: 'oldest', token: held.token });
      expect(own.comments.map((c) => [c.id, c.status, c.isOwn])).toEqual([[held.comment.id, 'published', true]]);
    }
  });

  it('when a reader reacts, then both instances count it, and only that reader sees it as theirs', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(first, { site, post, body: 'Worth a reaction' });
    const reader = await postComment(first, { site, post, body: 'I am a reader' });
    await warm(post);
    await warm(post, reader.token);
    const reacted = await request(second.url).put(`${API}/comments/${comment.id}/reaction`).set('Authorization', `Bearer ${reader.token ?? ''}`).send({});
    expect(reacted.body).toEqual({ reacted: true, reactions: 1 });
    for (const page of await pages(post)) expect(find(page, comment.id)).toMatchObject({ reactions: 1, viewerReacted: false });
    for (const page of await pages(post, reader.token)) {
      expect(find(page, comment.id)).toMatchObject({ reactions: 1, viewerReacted: true });
      expect(find(page, comment.id)?.isOwn).toBeUndefined();
      expect(find(page, reader.comment.id)).toMatchObject({ isOwn: true, viewerReacted: false });
    }
    await request(first.url).delete(`${API}/comments/${comment.id}/reaction`).set('Authorization', `Bearer ${reader.token ?? ''}`).expect(200);
    for (const page of await pages(post, reader.token)) expect(find(page, comment.id)).toMatchObject({ reactions: 0, viewerReacted: false });
  });

  it('when readers rank the thread best or top, then they share one ranking while nothing changes, and a reaction or a reply reorders it on both instances', async () => {
    const post = uniqueId('post');
    const quiet = await postComment(first, { site, post, body: 'The quiet one' });
    const loud = await postComment(first, { site, post, body: 'The one people answer' });
    const third = await postComment(first, { site, post, body: 'A third view' });
    for (const sort of ['best', 'top'] as const) {
      const [a, b] = [await readThread(first, { site, post, sort, limit: 2 }), await readThread(first, { site, post, sort, limit: 2 })];
      // The second reader got the first one's page: the same snapshot behind the same cursor, and it pages on.
      expect(b.nextCursor).toBe(a.nextCursor);
      const rest = await readThread(second, { site, post, sort, limit: 2, cursor: a.nextCursor ?? undefined });
      expect([...a.comments, ...rest.comments].map((c) => c.id).sort()).toEqual([quiet.comment.id, loud.comment.id, third.comment.id].sort());
    }
    const reader = await postComment(first, { site, post: uniqueId('post'), body: 'Another reader' });
    await request(second.url).put(`${API}/comments/${loud.comment.id}/reaction`).set('Authorization', `Bearer ${reader.token ?? ''}`).send({}).expect(200);
    await postComment(second, { site, post, parentId: quiet.comment.id, body: 'An answer to the quiet one' });
    for (const server of instances()) {
      expect((await readThread(server, { site, post, sort: 'best', limit: 2 })).comments[0]?.id).toBe(loud.comment.id);
      expect((await readThread(server, { site, post, sort: 'top', limit: 2 })).comments[0]?.id).toBe(quiet.comment.id);
    }
  });

  it('when a moderator features a comment and closes the post, then both instances show it featured and the post closed', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(first, { site, post, body: 'A good one' });
    await warm(post);
    await request(second.url).post(`${API}/mod/comments/${comment.id}/feature`).set(asAdmin()).send({}).expect(200);
    for (const page of await pages(post)) expect(find(page, comment.id)?.featured).toBe(true);
    const postId = (await readThread(first, { site, post })).post.id;
    await request(first.url).patch(`${API}/mod/posts/${postId}`).set(asAdmin()).send({ closed: true }).expect(200);
    for (const page of await pages(post)) {
      expect(page.post.closed).toBe(true);
      expect(find(page, comment.id)?.featured).toBe(true);
    }
  });

  it('when a reply is posted under a comment, then its replies page shows it on both instances', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(first, { site, post, body: 'Parent' });
    await postComment(first, { site, post, parentId: comment.id, body: 'Reply one' });
    for (const server of instances()) {
      await readReplies(server, comment.id);
      expect((await readReplies(server, comment.id)).comments.map((c) => c.body)).toEqual(['Reply one']);
    }
    await postComment(second, { site, post, parentId: comment.id, body: 'Reply two' });
    for (const server of instances()) expect((await readReplies(server, comment.id)).comments.map((c) => c.body)).toEqual(['Reply one', 'Reply two']);
  });

  it('when a guest posts under a new name on another post, then the pages of their older comments show the new name on both instances', async () => {
    const [older, newer] = [uniqueId('post'), uniqueId('post')];
    const first_ = await postComment(first, { site, post: older, body: 'Written under my first name', authorName: 'Oksana' });
    await warm(older);
    expect((await pages(older)).map((page) => page.comments[0]?.author?.name)).toEqual(['Oksana', 'Oksana']);
    await postComment(second, { site, post: newer, token: first_.token, authorName: 'Oksana K.', body: 'Now with my initial' });
    for (const page of await pages(older)) expect(page.comments[0]?.author?.name).toBe('Oksana K.');
  });

  it('when a signed-in reader comes back with another name, avatar or badges from their site, then their older comments show them', async () => {
    const ssoSecret = 'a-long-enough-sso-secret-for-this-test';
    const ssoSite = (await createSite(first, { token: admin, ssoSecret })).id;
    const post = uniqueId('post');
    const sub = uniqueId('reader');
    const before = await signSsoToken(ssoSecret, { sub, name: 'Taras', site: ssoSite });
    await postComment(first, { site: ssoSite, post, token: before, body: 'Signed in and commenting' });
    for (const server of instances()) await readThread(server, { site: ssoSite, post, sort: 'oldest' });
    const after = await signSsoToken(ssoSecret, { sub, name: 'Taras Shevchuk', site: ssoSite, badges: ['subscriber'] });
    // Any request with the new token tells the service what the site says of its reader now.
    await readThread(second, { site: ssoSite, post, sort: 'oldest', token: after });
    for (const server of instances()) {
      const page = await readThread(server, { site: ssoSite, post, sort: 'oldest' });
      expect(page.comments[0]?.author?.name).toBe('Taras Shevchuk');
      expect(page.comments[0]?.author?.badges).toEqual(['subscriber']);
    }
  });

  it('when a client sends back the ETag of the page it holds, then it gets 304 until the thread changes', async () => {
    const post = uniqueId('post');
    await postComment(first, { site, post, body: 'Stable' });
    await warm(post);
    const path = `${API}/sites/${site}/posts/${post}/comments?sort=oldest`;
    const answer = await request(first.url).get(path).expect(200);
    const etag = String(answer.headers['etag']);
    await request(first.url).get(path).set('If-None-Match', etag).expect(304);
    await postComment(second, { site, post, body: 'News' });
    const changed = await request(first.url).get(path).set('If-None-Match', etag).expect(200);
    expect((changed.body as ThreadPageDto).comments.map((c) => c.body)).toEqual(['Stable', 'News']);
  });
});

describe('a cached page trusted for a while (THREAD_CACHE_TRUST_MS) still goes at once when this instance writes', () => {
  let server: TestServer;
  let admin: string;
  let site: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { THREAD_CACHE_TRUST_MS: '60000' } });
    admin = await loginAdmin(server);
    site = (await createSite(server, { token: admin })).id;
  });
  afterAll(async () => {
    await server.close();
  });

  const read = (post: string): Promise<ThreadPageDto> => readThread(server, { site, post, sort: 'oldest' });

  it('when a comment is posted, reacted to, featured, edited, deleted and the post closed, then each read right after shows it', async () => {
    const post = uniqueId('post');
    const first = await postComment(server, { site, post, body: 'One' });
    await read(post);
    await read(post);
    const second = await postComment(server, { site, post, body: 'Two' });
    expect((await read(post)).comments.map((c) => c.body)).toEqual(['One', 'Two']);
    await request(server.url).put(`${API}/comments/${first.comment.id}/reaction`).set('Authorization', `Bearer ${second.token ?? ''}`).send({}).expect(200);
    expect((await read(post)).comments[0]?.reactions).toBe(1);
    await request(server.url).post(`${API}/mod/comments/${first.comment.id}/feature`).set('Authorization', `Bearer ${admin}`).send({}).expect(200);
    expect((await read(post)).comments[0]?.featured).toBe(true);
    await request(server.url).patch(`${API}/comments/${second.comment.id}`).set('Authorization', `Bearer ${second.token ?? ''}`).send({ body: 'Two, edited' }).expect(200);
    expect((await read(post)).comments.map((c) => c.body)).toEqual(['One', 'Two, edited']);
    await request(server.url).delete(`${API}/comments/${second.comment.id}`).set('Authorization', `Bearer ${second.token ?? ''}`).expect(204);
    expect((await read(post)).comments.map((c) => c.body)).toEqual(['One']);
    const reply = await postComment(server, { site, post, parentId: first.comment.id, body: 'Under one' });
    await readReplies(server, first.comment.id);
    expect((await readReplies(server, first.comment.id)).comments.map((c) => c.id)).toEqual([reply.comment.id]);
    await postComment(server, { site, post, parentId: first.comment.id, body: 'Also under one' });
    expect((await readReplies(server, first.comment.id)).comments.map((c) => c.body)).toEqual(['Under one', 'Also under one']);
    const postId = (await read(post)).post.id;
    await request(server.url).patch(`${API}/mod/posts/${postId}`).set('Authorization', `Bearer ${admin}`).send({ closed: true }).expect(200);
    const closed = await read(post);
    expect(closed.post.closed).toBe(true);
    expect(closed.post.counts.published).toBe(3);
  });
});
