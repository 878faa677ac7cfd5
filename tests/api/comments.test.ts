import request from 'supertest';
import type { CommentDto } from '../../src/contracts/comments';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';
import {
  API,
  commentPath,
  createSite,
  loginAdmin,
  postComment,
  readCounts,
  readReplies,
  readThread,
  sendComment,
  uniqueId,
} from '../helpers/factories';

describe('posting and reading comments', () => {
  let server: TestServer;
  const clock = new ManualClock(Date.parse('2030-01-01T10:00:00Z'));
  let site: string;
  let origin: string;

  beforeAll(async () => {
    server = await startTestServer({ clock, env: { TRUST_PROXY: 'true' } });
    const created = await createSite(server, { token: await loginAdmin(server) });
    site = created.id;
    origin = created.origins[0] ?? '';
  });
  afterAll(async () => {
    await server.close();
  });

  it('when a guest posts on a new post, then it is created with 201, an author token, and appears in the thread', async () => {
    const post = uniqueId('post');
    const res = await sendComment(server, { site, post, body: '  Hello   world  ', authorName: 'Ada', origin, postUrl: `${origin}/articles/${post}`, postTitle: 'An article' });
    expect(res.status).toBe(201);
    expect(res.body.authorToken).toEqual(expect.any(String));
    const comment = res.body.comment as CommentDto;
    expect(comment).toMatchObject({
      site,
      post,
      parentId: null,
      ancestorIds: [],
      depth: 0,
      body: 'Hello   world',
      status: 'published',
      replyCount: 0,
      revision: 1,
      editedAt: null,
      isOwn: true,
      author: { name: 'Ada', isVerified: false },
    });
    expect(comment.editableUntil).toBe(new Date(clock.now().getTime() + 300_000).toISOString());

    const page = await readThread(server, { site, post, origin });
    expect(page.post).toMatchObject({ site, key: post, url: `${origin}/articles/${post}`, title: 'An article', closed: false, counts: { published: 1 } });
    expect(page.comments.map((c) => c.id)).toEqual([comment.id]);
    expect(page.comments[0]?.isOwn).toBeUndefined();
    expect(page.seq).toBeGreaterThanOrEqual(1);
    expect(page.nextCursor).toBeNull();
  });

  it('when the same guest posts again with the token, then no new token is issued and the author is the same', async () => {
    const post = uniqueId('post');
    const first = await postComment(server, { site, post, authorName: 'Bea' });
    const second = await postComment(server, { site, post, token: first.token });
    expect(second.created.authorToken).toBeUndefined();
    expect(second.comment.author?.id).toBe(first.comment.author?.id);
    expect(second.comment.author?.name).toBe('Bea');
  });

  it('when replies are posted down to depth 6, then each carries its ancestors and the parents count replies', async () => {
    const post = uniqueId('post');
    const chain: CommentDto[] = [];
    let parentId: string | undefined;
    for (let depth = 0; depth <= 6; depth += 1) {
      const { comment } = await postComment(server, { site, post, body: `level ${depth}`, ...(parentId ? { parentId } : {}) });
      expect(comment.depth).toBe(depth);
      expect(comment.ancestorIds).toEqual(chain.map((c) => c.id));
      expect(comment.parentId).toBe(parentId ?? null);
      chain.push(comment);
      parentId = comment.id;
    }
    const page = await readThread(server, { site, post });
    expect(page.comments).toHaveLength(1);
    // Nested three levels deep, then a cursor for the rest.
    const top = page.comments[0];
    expect(top?.replyCount).toBe(1);
    const level3 = top?.replies?.[0]?.replies?.[0]?.replies?.[0];
    expect(level3?.body).toBe('level 3');
    expect(level3?.replies).toEqual([]);
    expect(level3?.repliesCursor).toEqual(expect.any(String));
    const deeper = await readReplies(server, level3?.id ?? '', { cursor: level3?.repliesCursor ?? '' });
    expect(deeper.comments.map((c) => c.body)).toEqual(['level 4']);
    expect(deeper.comments[0]?.replies?.[0]?.body).toBe('level 5');
    expect(deeper.comments[0]?.replies?.[0]?.replies?.[0]?.body).toBe('level 6');
    expect(page.post.counts.published).toBe(7);
  });

  it('when a comment has more than three replies, then the page shows three and a cursor that pages through the rest', async () => {
    const post = uniqueId('post');
    const { comment: root } = await postComment(server, { site, post, body: 'root' });
    for (let i = 0; i < 5; i += 1) {
      clock.advance(1000);
      await postComment(server, { site, post, body: `reply ${i}`, parentId: root.id });
    }
    const page = await readThread(server, { site, post });
    const shown = page.comments[0];
    expect(shown?.replyCount).toBe(5);
    expect(shown?.replies?.map((c) => c.body)).toEqual(['reply 0', 'reply 1', 'reply 2']);
    const rest = await readReplies(server, root.id, { cursor: shown?.repliesCursor ?? '', limit: 1 });
    expect(rest.comments.map((c) => c.body)).toEqual(['reply 3']);
    const last = await readReplies(server, root.id, { cursor: rest.nextCursor ?? '' });
    expect(last.comments.map((c) => c.body)).toEqual(['reply 4']);
    expect(last.nextCursor).toBeNull();
  });

  it('when reading with each sort, then the order follows it', async () => {
    const post = uniqueId('post');
    const a = await postComment(server, { site, post, body: 'a' });
    clock.advance(1000);
    const b = await postComment(server, { site, post, body: 'b' });
    clock.advance(1000);
    const c = await postComment(server, { site, post, body: 'c' });
    await postComment(server, { site, post, body: 'reply to a', parentId: a.comment.id });
    await postComment(server, { site, post, body: 'reply to a 2', parentId: a.comment.id });
    await postComment(server, { site, post, body: 'reply to b', parentId: b.comment.id });
    const ids = async (sort: 'newest' | 'oldest' | 'top'): Promise<string[]> =>
      (await readThread(server, { site, post, sort })).comments.map((x) => x.id);
    expect(await ids('newest')).toEqual([c.comment.id, b.comment.id, a.comment.id]);
    expect(await ids('oldest')).toEqual([a.comment.id, b.comment.id, c.comment.id]);
    expect(await ids('top')).toEqual([a.comment.id, b.comment.id, c.comment.id]);
  });

  it.each(['newest', 'oldest', 'top'] as const)(
    'when paging %s while 20 comments are posted in parallel, then no comment is seen twice and none that existed is missed',
    async (sort) => {
      const post = uniqueId('post');
      const before: string[] = [];
      for (let i = 0; i < 15; i += 1) {
        before.push((await postComment(server, { site, post, body: `before ${i}` })).comment.id);
        if (i % 3 === 0) clock.advance(1);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      const writers = Array.from({ length: 20 }, (_, i) => postComment(server, { site, post, body: `during ${i}` }));
      let pages = 0;
      do {
        const page = await readThread(server, { site, post, sort, limit: 4, ...(cursor ? { cursor } : {}) });
        seen.push(...page.comments.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor && pages < 50);
      const during = (await Promise.all(writers)).map((p) => p.comment.id);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of before) expect(seen).toContain(id);
      for (const id of seen) expect([...before, ...during]).toContain(id);
      if (sort === 'oldest') {
        // Every comment that existed when the last page was read is at the end of an oldest-first walk.
        const final = await readThread(server, { site, post, sort, limit: 100 });
        expect(final.comments).toHaveLength(35);
      }
    },
  );

  it('when the cursor is garbage, then it is a 400 CURSOR_INVALID problem', async () => {
    const post = uniqueId('post');
    await postComment(server, { site, post });
    const res = await request(server.url).get(commentPath(site, post)).query({ cursor: 'bm90IGEgY3Vyc29y' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('CURSOR_INVALID');
  });

  it('when a cursor of one sort is used with another, then it is CURSOR_INVALID', async () => {
    const post = uniqueId('post');
    for (let i = 0; i < 3; i += 1) await postComment(server, { site, post });
    const page = await readThread(server, { site, post, sort: 'newest', limit: 1 });
    const res = await request(server.url).get(commentPath(site, post)).query({ sort: 'oldest', cursor: page.nextCursor });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('CURSOR_INVALID');
  });

  it('when a reply names a parent from another post, then it is PARENT_NOT_FOUND', async () => {
    const { comment } = await postComment(server, { site, post: uniqueId('post') });
    const res = await sendComment(server, { site, post: uniqueId('post'), parentId: comment.id });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('PARENT_NOT_FOUND');
  });

  it('when the body is empty after trimming or too long, then it is refused and nothing is stored', async () => {
    const post = uniqueId('post');
    const empty = await sendComment(server, { site, post, body: ' \n\t\u0000 ' });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('COMMENT_EMPTY');
    const long = await sendComment(server, { site, post, body: 'x'.repeat(5001) });
    expect(long.status).toBe(400);
    expect(long.body.code).toBe('COMMENT_TOO_LONG');
    // Varied text: a run of one repeated character would be held as a spam signal.
    const exactly5000 = Array.from({ length: 5000 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz '[i % 27]).join('');
    const exact = await sendComment(server, { site, post, body: exactly5000 });
    expect(exact.status).toBe(201);
    expect(exact.body.comment.status).toBe('published');
    expect((await readCounts(server, site, [post]))[post]).toBe(1);
  });

  it('when the site does not exist, then it is SITE_NOT_FOUND', async () => {
    const res = await sendComment(server, { site: 'no-such-site', post: 'p' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('SITE_NOT_FOUND');
  });

  it('when a comment is read by id, then it is the reader view', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(server, { site, post, body: 'one' });
    const res = await request(server.url).get(`${API}/comments/${comment.id}`);
    expect(res.status).toBe(200);
    expect(res.body.comment).toMatchObject({ id: comment.id, body: 'one', status: 'published' });
  });
});
