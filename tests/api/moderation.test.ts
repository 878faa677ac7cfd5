import request from 'supertest';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';

const ORIGIN = 'https://news.example.com';

describe('moderation over HTTP', () => {
  let server: TestServer;
  let admin: string;
  const clock = new ManualClock();
  let siteCounter = 0;
  let postCounter = 0;

  beforeAll(async () => {
    // One hop of proxy: each test post comes from its own address, as readers do.
    server = await startTestServer({ clock, env: { TRUST_PROXY: '1' } });
    const res = await request(server.url)
      .post('/api/v1/mod/sessions')
      .send({ email: 'admin@example.com', password: 'correct horse battery' });
    admin = res.body.token as string;
  });
  afterAll(async () => {
    await server.close();
  });

  const asAdmin = (token = admin) => ({ Authorization: `Bearer ${token}` });

  async function createSite(settings: Record<string, unknown> = {}): Promise<string> {
    siteCounter += 1;
    const id = `mod-site-${siteCounter}`;
    const created = await request(server.url)
      .post('/api/v1/mod/sites')
      .set(asAdmin())
      .send({ id, name: `Site ${siteCounter}`, origins: [ORIGIN] });
    expect(created.status).toBe(201);
    if (Object.keys(settings).length > 0) {
      const patched = await request(server.url)
        .patch(`/api/v1/mod/sites/${id}`)
        .set(asAdmin())
        .send({ settings });
      expect(patched.status).toBe(200);
    }
    return id;
  }

  async function post(
    site: string,
    body: string,
    extra: Record<string, unknown> = {},
    postKey = 'talks',
    bearer?: string,
  ) {
    clock.advance(61_000);
    const req = request(server.url)
      .post(`/api/v1/sites/${site}/posts/${postKey}/comments`)
      .set('Origin', ORIGIN)
      .set('X-Forwarded-For', `203.0.113.${(postCounter += 1) % 250}`);
    if (bearer) void req.set('Authorization', `Bearer ${bearer}`);
    return req.send({ body, ...(bearer ? {} : { authorName: 'Reader' }), ...extra });
  }

  async function queue(query: string, token = admin) {
    return request(server.url).get(`/api/v1/mod/queue?${query}`).set(asAdmin(token));
  }

  async function thread(site: string, postKey = 'talks') {
    const res = await request(server.url)
      .get(`/api/v1/sites/${site}/posts/${postKey}/comments`)
      .set('Origin', ORIGIN);
    return res.body as { comments: { id: string; body: string }[] };
  }

  async function moderatorFor(sites: string[]): Promise<string> {
    const email = `m${Math.random().toString(36).slice(2)}@example.com`;
    await request(server.url)
      .post('/api/v1/mod/moderators')
      .set(asAdmin())
      .send({ email, name: 'Scoped', password: 'a long password', sites });
    const res = await request(server.url)
      .post('/api/v1/mod/sessions')
      .send({ email, password: 'a long password' });
    return res.body.token as string;
  }

  it('when a comment has a suspect word, then it is held with the finding and its span, and sits in the pending queue', async () => {
    const site = await createSite({ suspectWords: ['propaganda'] });
    const res = await post(site, 'This is pure propaganda from both sides');
    expect(res.status).toBe(201);
    expect(res.body.comment.status).toBe('pending');

    const pending = await queue(`queue=pending&site=${site}`);
    expect(pending.status).toBe(200);
    expect(pending.body.counts.pending).toBe(1);
    const [item] = pending.body.items;
    expect(item.comment.id).toBe(res.body.comment.id);
    const finding = item.verdict.findings.find((f: { rule: string }) => f.rule === 'words.suspect');
    expect(finding.span).toEqual([13, 23]);
    expect(item.post.key).toBe('talks');
    expect(item.author.history.pending).toBe(1);
    expect(item.comment.author.name).toBe('Reader');

    expect((await thread(site)).comments).toHaveLength(0);
  });

  it('when a moderator approves the revision they saw, then the comment is published, counted and audited', async () => {
    const site = await createSite({ premoderation: 'all' });
    const created = await post(site, 'Held for review by site policy');
    const id = created.body.comment.id as string;
    const approved = await request(server.url)
      .post(`/api/v1/mod/comments/${id}/approve`)
      .set(asAdmin())
      .send({ revision: 1 });
    expect(approved.status).toBe(200);
    expect(approved.body.comment.status).toBe('published');
    expect((await thread(site)).comments.map((c) => c.id)).toEqual([id]);
    const counts = await request(server.url)
      .get(`/api/v1/sites/${site}/counts?posts=talks`)
      .set('Origin', ORIGIN);
    expect(counts.body).toEqual({ talks: 1 });
    const audit = await request(server.url).get(`/api/v1/mod/audit?comment=${id}`).set(asAdmin());
    const actions = audit.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['comment.approve', 'pipeline.hold']));
    const approval = audit.body.entries.find((e: { action: string }) => e.action === 'comment.approve');
    expect(approval).toMatchObject({ actor: { kind: 'moderator' }, revision: 1, site });
  });

  it('when the comment was edited since the moderator saw it, then approving answers 409 REVISION_CONFLICT', async () => {
    const site = await createSite({ premoderation: 'all' });
    const created = await post(site, 'First version of my point');
    const id = created.body.comment.id as string;
    const token = created.body.authorToken as string;
    const edit = await request(server.url)
      .patch(`/api/v1/comments/${id}`)
      .set('Origin', ORIGIN)
      .set('Authorization', `Bearer ${token}`)
      .send({ body: 'Second version, now with a link http://spam.example' });
    expect(edit.status).toBe(200);
    const res = await request(server.url)
      .post(`/api/v1/mod/comments/${id}/approve`)
      .set(asAdmin())
      .send({ revision: 1 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('REVISION_CONFLICT');
    expect(res.body.currentRevision).toBe(2);
  });

  it('when a moderator rejects with a reason, then it leaves the thread, enters the rejected view, and can be restored', async () => {
    const site = await createSite();
    const created = await post(site, 'A published opinion that turns out to be abuse');
    const id = created.body.comment.id as string;
    const rejected = await request(server.url)
      .post(`/api/v1/mod/comments/${id}/reject`)
      .set(asAdmin())
      .send({ reason: 'abuse', note: 'targets another reader' });
    expect(rejected.status).toBe(200);
    expect((await thread(site)).comments).toHaveLength(0);
    const view = await queue(`queue=rejected&site=${site}`);
    expect(view.body.items.map((i: { comment: { id: string } }) => i.comment.id)).toEqual([id]);
    const audit = await request(server.url)
      .get(`/api/v1/mod/audit?comment=${id}&action=comment.reject`)
      .set(asAdmin());
    expect(audit.body.entries[0]).toMatchObject({ reason: 'abuse', note: 'targets another reader' });

    const restored = await request(server.url)
      .post(`/api/v1/mod/comments/${id}/restore`)
      .set(asAdmin())
      .send({});
    expect(restored.status).toBe(200);
    expect((await thread(site)).comments.map((c) => c.id)).toEqual([id]);
    const again = await request(server.url)
      .post(`/api/v1/mod/comments/${id}/restore`)
      .set(asAdmin())
      .send({});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVALID_TRANSITION');
  });

  it('when a banned word is posted, then it is rejected by the pipeline and shows in the rejected view', async () => {
    const site = await createSite();
    const res = await post(site, 'You are a complete sh1t and everyone knows it');
    expect(res.status).toBe(201);
    expect(res.body.comment.status).toBe('rejected');
    const view = await queue(`queue=rejected&site=${site}`);
    expect(view.body.items[0].verdict.findings.map((f: { rule: string }) => f.rule)).toContain(
      'words.banned',
    );
  });

  it('when three comments are rejected in bulk, then each result is reported and the queue empties', async () => {
    const site = await createSite({ premoderation: 'all' });
    const ids: string[] = [];
    for (const text of ['one held comment', 'two held comment', 'three held comment']) {
      ids.push((await post(site, text)).body.comment.id as string);
    }
    const res = await request(server.url)
      .post('/api/v1/mod/comments/bulk')
      .set(asAdmin())
      .send({ action: 'reject', ids: [...ids, 'f'.repeat(24)], reason: 'spam' });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: ids[0], ok: true },
      { id: ids[1], ok: true },
      { id: ids[2], ok: true },
      { id: 'f'.repeat(24), ok: false, code: 'COMMENT_NOT_FOUND' },
    ]);
    expect((await queue(`queue=pending&site=${site}`)).body.counts).toMatchObject({
      pending: 0,
      rejected: 3,
    });
  });

  it('when a reader reports a published comment, then it enters the reported queue and approving dismisses the reports', async () => {
    const site = await createSite();
    const created = await post(site, 'Claims about the prisoner swap numbers');
    const id = created.body.comment.id as string;
    const report = await request(server.url)
      .post(`/api/v1/comments/${id}/reports`)
      .set('Origin', ORIGIN)
      .send({ reason: 'misinformation' });
    expect(report.status).toBeLessThan(300);
    const reported = await queue(`queue=reported&site=${site}`);
    expect(reported.body.items[0]).toMatchObject({
      comment: { id },
      reports: { count: 1, reasons: { misinformation: 1 } },
    });
    const ok = await request(server.url)
      .post(`/api/v1/mod/comments/${id}/approve`)
      .set(asAdmin())
      .send({ revision: 1 });
    expect(ok.status).toBe(200);
    expect((await queue(`queue=reported&site=${site}`)).body.items).toHaveLength(0);
    expect((await thread(site)).comments.map((c) => c.id)).toEqual([id]);
  });

  it('when one moderator claims a comment, then another gets 409 CLAIMED_BY_OTHER and sees the claim in the queue', async () => {
    const site = await createSite({ premoderation: 'all' });
    const id = (await post(site, 'claim me please')).body.comment.id as string;
    const other = await moderatorFor([site]);
    expect(
      (await request(server.url).post(`/api/v1/mod/comments/${id}/claim`).set(asAdmin()).send({})).status,
    ).toBe(200);
    const second = await request(server.url)
      .post(`/api/v1/mod/comments/${id}/claim`)
      .set(asAdmin(other))
      .send({});
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('CLAIMED_BY_OTHER');
    const view = await queue(`queue=pending&site=${site}`, other);
    expect(view.body.items[0].claim).toMatchObject({ moderatorName: 'Admin' });
    clock.advance(3 * 60 * 1000);
    expect(
      (await request(server.url).post(`/api/v1/mod/comments/${id}/claim`).set(asAdmin(other)).send({}))
        .status,
    ).toBe(200);
  });

  it('when an author is banned, then their next comment is refused; suspended until a time, refused until then', async () => {
    const site = await createSite();
    const first = await post(site, 'My first fair comment');
    const token = first.body.authorToken as string;
    const authorId = first.body.comment.author.id as string;
    const ban = await request(server.url)
      .post(`/api/v1/mod/authors/${authorId}/ban`)
      .set(asAdmin())
      .send({ note: 'troll' });
    expect(ban.status).toBe(200);
    expect(ban.body.author.standing).toBe('banned');
    const refused = await post(site, 'Trying again', {}, 'talks', token);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('AUTHOR_BANNED');

    const until = new Date(clock.now().getTime() + 60 * 60 * 1000).toISOString();
    const suspend = await request(server.url)
      .post(`/api/v1/mod/authors/${authorId}/suspend`)
      .set(asAdmin())
      .send({ until });
    expect(suspend.body.author).toMatchObject({ standing: 'suspended', suspendedUntil: until });
    const during = await post(site, 'During the suspension', {}, 'talks', token);
    expect(during.body.code).toBe('AUTHOR_SUSPENDED');
    clock.advance(2 * 60 * 60 * 1000);
    const after = await post(site, 'After the suspension ended', {}, 'talks', token);
    expect(after.status).toBe(201);

    const pre = await request(server.url)
      .post(`/api/v1/mod/authors/${authorId}/premoderate`)
      .set(asAdmin())
      .send({});
    expect(pre.body.author.standing).toBe('premoderated');
    const held = await post(site, 'Now every comment waits', {}, 'talks', token);
    expect(held.body.comment.status).toBe('pending');
    const back = await request(server.url)
      .post(`/api/v1/mod/authors/${authorId}/reinstate`)
      .set(asAdmin())
      .send({});
    expect(back.body.author.standing).toBe('active');
  });

  it('when a post is locked down or closed by a moderator, then new comments are held or refused', async () => {
    const site = await createSite();
    const first = await post(site, 'An early comment', {}, 'hot-post');
    const items = await queue(`queue=approved&site=${site}`);
    const postId = items.body.items[0].post.id as string;
    const lock = await request(server.url)
      .patch(`/api/v1/mod/posts/${postId}`)
      .set(asAdmin())
      .send({ heat: 'lockdown' });
    expect(lock.status).toBe(200);
    expect(lock.body.post.heat).toBe('lockdown');
    const held = await post(site, 'A comment under lockdown', { authorName: 'Other' }, 'hot-post');
    expect(held.body.comment.status).toBe('pending');
    await request(server.url).patch(`/api/v1/mod/posts/${postId}`).set(asAdmin()).send({ closed: true });
    const closed = await post(site, 'Too late', {}, 'hot-post');
    expect(closed.status).toBe(403);
    expect(closed.body.code).toBe('POST_CLOSED');
    expect(first.status).toBe(201);
    const hot = await request(server.url).get(`/api/v1/mod/posts?site=${site}`).set(asAdmin());
    expect(hot.body.posts[0]).toMatchObject({ id: postId, closed: true, heat: 'lockdown' });
  });

  it('when a moderator tries a sentence, then the verdict comes back and nothing is stored; word list changes alter it', async () => {
    const site = await createSite();
    const before = await request(server.url)
      .post(`/api/v1/mod/sites/${site}/try`)
      .set(asAdmin())
      .send({ text: 'The ceasefire is a charade' });
    expect(before.status).toBe(200);
    expect(before.body.action).toBe('publish');
    await request(server.url)
      .patch(`/api/v1/mod/sites/${site}`)
      .set(asAdmin())
      .send({ settings: { bannedWords: ['charade'] } });
    const after = await request(server.url)
      .post(`/api/v1/mod/sites/${site}/try`)
      .set(asAdmin())
      .send({ text: 'The ceasefire is a charade' });
    expect(after.body.action).toBe('reject');
    expect(after.body.findings[0]).toMatchObject({ rule: 'words.banned', span: [19, 26] });
    expect((await queue(`queue=rejected&site=${site}`)).body.counts.rejected).toBe(0);
  });

  it('when stats are read, then queue depths, decisions and the median wait are reported', async () => {
    const site = await createSite({ premoderation: 'all' });
    const id = (await post(site, 'waiting for a decision')).body.comment.id as string;
    clock.advance(90_000);
    await request(server.url).post(`/api/v1/mod/comments/${id}/approve`).set(asAdmin()).send({ revision: 1 });
    const stats = await request(server.url).get(`/api/v1/mod/stats?site=${site}`).set(asAdmin());
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ decisionsLastHour: 1, medianSecondsToDecision: 90 });
    expect(stats.body.queues).toMatchObject({ pending: 0 });
  });

  it('when the queue is searched by keyword, then only matching comments come back, regex characters inert', async () => {
    const site = await createSite({ premoderation: 'all' });
    await post(site, 'Istanbul talks produced a swap');
    await post(site, 'Nothing about the city (.*)');
    const hit = await queue(`queue=pending&site=${site}&q=istanbul`);
    expect(hit.body.items.map((i: { comment: { body: string } }) => i.comment.body)).toEqual([
      'Istanbul talks produced a swap',
    ]);
    const literal = await queue(`queue=pending&site=${site}&q=${encodeURIComponent('(.*)')}`);
    expect(literal.body.items).toHaveLength(1);
  });

  it('when queue pages are walked by cursor, then every item comes once, oldest first', async () => {
    const site = await createSite({ premoderation: 'all' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1)
      ids.push((await post(site, `queued comment number ${i}`)).body.comment.id as string);
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 5; page += 1) {
      const res = await queue(
        `queue=pending&site=${site}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...res.body.items.map((i: { comment: { id: string } }) => i.comment.id));
      if (!res.body.nextCursor) break;
      cursor = res.body.nextCursor as string;
    }
    expect(seen).toEqual(ids);
  });

  it("when a moderator changes a site's word lists, then the audit log names who changed which settings", async () => {
    const site = await createSite({ bannedWords: ['charade'] });
    const audit = await request(server.url)
      .get(`/api/v1/mod/audit?site=${site}&action=site.update`)
      .set(asAdmin());
    expect(audit.status).toBe(200);
    expect(audit.body.entries[0]).toMatchObject({
      actor: { kind: 'moderator', name: 'Admin' },
      action: 'site.update',
      detail: { fields: ['settings.bannedWords'] },
    });
  });

  it('when held comments pile up on a post, then the post heats by itself and the audit log says why', async () => {
    const site = await createSite({
      suspectWords: ['propaganda'],
      autoHeat: { enabled: true, window: 4, holdRate: 0.5, reportRate: 0.9 },
    });
    await post(site, 'A calm first comment', {}, 'heating');
    await post(site, 'More propaganda here', { authorName: 'B' }, 'heating');
    await post(site, 'Another calm comment', { authorName: 'C' }, 'heating');
    await post(site, 'Propaganda again and again', { authorName: 'D' }, 'heating');
    let heat = 'normal';
    for (let attempt = 0; attempt < 20 && heat === 'normal'; attempt += 1) {
      const hot = await request(server.url).get(`/api/v1/mod/posts?site=${site}`).set(asAdmin());
      heat = hot.body.posts[0].heat as string;
      if (heat === 'normal') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(heat).toBe('heated');
    const audit = await request(server.url)
      .get(`/api/v1/mod/audit?site=${site}&action=post.auto-heat`)
      .set(asAdmin());
    expect(audit.body.entries[0]).toMatchObject({
      actor: { kind: 'system' },
      detail: { from: 'normal', to: 'heated' },
    });
    const newcomer = await post(site, 'A newcomer arrives on a heated post', { authorName: 'E' }, 'heating');
    expect(newcomer.body.comment.status).toBe('pending');
  });

  it('when approve carries no revision, then the current one is approved', async () => {
    const site = await createSite({ premoderation: 'all' });
    const id = (await post(site, 'approve me without a revision')).body.comment.id as string;
    const res = await request(server.url).post(`/api/v1/mod/comments/${id}/approve`).set(asAdmin());
    expect(res.status).toBe(200);
    expect(res.body.comment.status).toBe('published');
  });

  it("when the queue is filtered by post key or post id, then only that post's comments come back", async () => {
    const site = await createSite({ premoderation: 'all' });
    await post(site, 'on the first post', {}, 'first-post');
    await post(site, 'on the second post', {}, 'second-post');
    const byKey = await queue(`queue=pending&site=${site}&post=second-post`);
    expect(byKey.status).toBe(200);
    expect(byKey.body.items.map((i: { comment: { body: string } }) => i.comment.body)).toEqual([
      'on the second post',
    ]);
    const postId = byKey.body.items[0].post.id as string;
    const byId = await queue(`queue=pending&post=${postId}`);
    expect(byId.body.items.map((i: { comment: { body: string } }) => i.comment.body)).toEqual([
      'on the second post',
    ]);
    const unknown = await queue(`queue=pending&site=${site}&post=no-such-post`);
    expect(unknown.body.items).toEqual([]);
    const keyWithoutSite = await queue('queue=pending&post=second-post');
    expect(keyWithoutSite.status).toBe(400);
  });

  it("when a sentence is tried against a locked-down post by key, then the post's heat counts", async () => {
    const site = await createSite();
    await post(site, 'the post exists now', {}, 'locked');
    const item = await queue(`queue=approved&site=${site}&post=locked`);
    await request(server.url)
      .patch(`/api/v1/mod/posts/${item.body.items[0].post.id as string}`)
      .set(asAdmin())
      .send({ heat: 'lockdown' });
    const res = await request(server.url)
      .post(`/api/v1/mod/sites/${site}/try`)
      .set(asAdmin())
      .send({ text: 'calm words', post: 'locked' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      action: 'hold',
      findings: [expect.objectContaining({ rule: 'policy.lockdown' })],
    });
  });
});
