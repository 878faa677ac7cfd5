import request from 'supertest';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';
import {
  API,
  createModerator,
  createSite,
  flattenComments,
  loginAdmin,
  postComment,
  readThread,
} from '../helpers/factories';

describe('GDPR: a reader downloads and deletes their data (no grace period)', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { GDPR_DELETION_GRACE_HOURS: '0' } });
    admin = await loginAdmin(server);
  });
  afterAll(async () => {
    await server.close();
  });

  it('when a guest asks for their data, then they get every comment of theirs, and nobody else can', async () => {
    const site = await createSite(server, { token: admin });
    const origin = site.origins[0];
    const first = await postComment(server, {
      site: site.id,
      post: 'talks',
      origin,
      body: 'Моя перша думка',
      authorName: 'Ганна',
    });
    await postComment(server, {
      site: site.id,
      post: 'other',
      origin,
      body: 'And a second one',
      token: first.token,
    });
    const res = await request(server.url)
      .get(`${API}/me/data?site=${site.id}`)
      .set('Authorization', `Bearer ${first.token ?? ''}`)
      .expect(200);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="parley-data-/);
    expect(res.body).toMatchObject({
      format: 'parley-personal-data',
      site: site.id,
      author: { name: 'Ганна', kind: 'guest' },
      deletion: null,
    });
    expect((res.body.comments as { body: string }[]).map((c) => c.body)).toEqual([
      'Моя перша думка',
      'And a second one',
    ]);
    const anonymous = await request(server.url).get(`${API}/me/data?site=${site.id}`).expect(401);
    expect(anonymous.body.code).toBe('AUTHOR_TOKEN_INVALID');
    const bad = await request(server.url)
      .get(`${API}/me/data`)
      .set('Authorization', `Bearer ${first.token ?? ''}`)
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('when a guest deletes their data, then their comments become tombstones or vanish, their name is erased and the counts follow', async () => {
    const site = await createSite(server, { token: admin });
    const origin = site.origins[0];
    const mine = await postComment(server, {
      site: site.id,
      post: 'talks',
      origin,
      body: 'Answer me',
      authorName: 'Leaving Reader',
    });
    await postComment(server, { site: site.id, post: 'talks', origin, body: 'Alone', token: mine.token });
    await postComment(server, {
      site: site.id,
      post: 'talks',
      origin,
      body: 'A reply that stays',
      parentId: mine.comment.id,
      authorName: 'Staying Reader',
    });
    const erased = await request(server.url)
      .delete(`${API}/me?site=${site.id}`)
      .set('Authorization', `Bearer ${mine.token ?? ''}`)
      .expect(200);
    expect(erased.body.isDone).toBe(true);

    const thread = await readThread(server, { site: site.id, post: 'talks', sort: 'oldest' });
    const all = flattenComments(thread.comments);
    expect(all.map((c) => [c.status, c.body, c.author?.name ?? null])).toEqual([
      ['deleted', '', null],
      ['published', 'A reply that stays', 'Staying Reader'],
    ]);
    expect(thread.post.counts.published).toBe(1);
    expect(JSON.stringify(thread)).not.toContain('Leaving Reader');
    const data = await request(server.url)
      .get(`${API}/me/data?site=${site.id}`)
      .set('Authorization', `Bearer ${mine.token ?? ''}`)
      .expect(200);
    expect(data.body.author.name).toBe('Deleted reader');
    expect(
      (data.body.comments as { body: string; status: string }[]).every(
        (c) => c.body === '' && c.status === 'deleted',
      ),
    ).toBe(true);
  });

  it('when a moderator downloads or erases an author on request, then it is audited, and out-of-scope moderators are refused', async () => {
    const site = await createSite(server, { token: admin });
    const other = await createSite(server, { token: admin });
    const posted = await postComment(server, {
      site: site.id,
      post: 'p',
      origin: site.origins[0],
      body: 'Please forget me',
      authorName: 'Requester',
    });
    const authorId = posted.comment.author?.id ?? '';
    const scoped = await createModerator(server, { sites: [other.id], adminToken: admin });
    await request(server.url)
      .get(`${API}/mod/authors/${authorId}/data`)
      .set('Authorization', `Bearer ${scoped.token}`)
      .expect(403);
    const data = await request(server.url)
      .get(`${API}/mod/authors/${authorId}/data`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(data.body.comments[0].body).toBe('Please forget me');
    await request(server.url)
      .delete(`${API}/mod/authors/${authorId}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    const after = await request(server.url)
      .get(`${API}/mod/authors/${authorId}/data`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(after.body.comments[0]).toMatchObject({ body: '', status: 'deleted' });
    const audit = await request(server.url)
      .get(`${API}/mod/audit?site=${site.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect((audit.body.entries as { action: string }[]).map((e) => e.action)).toEqual(
      expect.arrayContaining(['author.data-download', 'author.erase']),
    );
    await request(server.url)
      .delete(`${API}/mod/authors/0123456789abcdef01234567`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(404);
  });
});

describe('GDPR: deletion waits out a grace period and can be withdrawn', () => {
  it('when a reader asks to be deleted, then nothing is erased until the grace period ends, and withdrawing keeps everything', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock });
    try {
      const admin = await loginAdmin(server);
      const site = await createSite(server, { token: admin });
      const mine = await postComment(server, {
        site: site.id,
        post: 'p',
        origin: site.origins[0],
        body: 'Second thoughts',
        authorName: 'Hesitant',
      });
      const bearer = { Authorization: `Bearer ${mine.token ?? ''}` };
      const scheduled = await request(server.url).delete(`${API}/me?site=${site.id}`).set(bearer).expect(202);
      expect(Date.parse(scheduled.body.scheduledFor as string) - clock.now().getTime()).toBe(24 * 3600_000);
      const status = await request(server.url).get(`${API}/me?site=${site.id}`).set(bearer).expect(200);
      expect(status.body).toEqual({
        author: { id: mine.comment.author?.id, kind: 'guest', name: 'Hesitant' },
        deletion: { scheduledFor: scheduled.body.scheduledFor, requestedBy: 'author' },
        deletionGraceHours: 24,
      });
      const pending = await request(server.url).get(`${API}/me/data?site=${site.id}`).set(bearer).expect(200);
      expect(pending.body.deletion).toMatchObject({ requestedBy: 'author' });
      expect(pending.body.comments[0].body).toBe('Second thoughts');
      expect(
        (await request(server.url).delete(`${API}/me/deletion?site=${site.id}`).set(bearer).expect(200)).body,
      ).toEqual({ cancelled: true });
      clock.advance(25 * 3600_000);
      const kept = await request(server.url).get(`${API}/me/data?site=${site.id}`).set(bearer).expect(200);
      expect(kept.body).toMatchObject({ deletion: null, author: { name: 'Hesitant' } });
      expect((await request(server.url).get(`${API}/me?site=${site.id}`).set(bearer).expect(200)).body.deletion).toBeNull();
      await request(server.url).get(`${API}/me?site=${site.id}`).expect(401);

      await request(server.url).delete(`${API}/me?site=${site.id}`).set(bearer).expect(202);
      clock.advance(25 * 3600_000);
      const done = await request(server.url).delete(`${API}/me?site=${site.id}`).set(bearer).expect(200);
      expect(done.body.isDone).toBe(true);
      const gone = await request(server.url).get(`${API}/me/data?site=${site.id}`).set(bearer).expect(200);
      expect(gone.body.author.name).toBe('Deleted reader');
    } finally {
      await server.close();
    }
  });
});
