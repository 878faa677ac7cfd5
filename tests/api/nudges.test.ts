import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createSite, loginAdmin, sendComment } from '../helpers/factories';

/** Nudges for hostility: profanity set to hold, so the default lexicon's words hold rather than reject. */
const HOSTILE = 'This shit deal is a disgrace';

describe('nudges (409 COMMENT_NUDGED)', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    admin = await loginAdmin(server);
  });
  afterAll(async () => {
    await server.close();
  });

  async function siteHoldingProfanity(settings: Record<string, unknown> = {}): Promise<string> {
    const site = await createSite(server, { token: admin, settings: { categories: { profanity: 'hold' }, ...settings } as never });
    return site.id;
  }

  async function stats(site: string) {
    const res = await request(server.url).get(`${API}/mod/stats?site=${site}`).set('Authorization', `Bearer ${admin}`);
    expect(res.status).toBe(200);
    return res.body as { nudges: { windowHours: number; shown: number; revised: number; postedAnyway: number } };
  }

  async function thread(site: string, post: string) {
    const res = await request(server.url).get(`${API}/sites/${site}/posts/${post}/comments`);
    return res.body as { comments: { id: string }[] };
  }

  it('when a comment would be held for hostility, then it is refused once with the findings and an excerpt, and nothing is stored', async () => {
    const site = await siteHoldingProfanity();
    const res = await sendComment(server, { site, post: 'p', body: HOSTILE, authorName: 'Taras' });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('COMMENT_NUDGED');
    expect(res.body.findings).toEqual([expect.objectContaining({ category: 'profanity', action: 'hold', span: [5, 9], excerpt: 'shit' })]);
    expect(typeof res.body.authorToken).toBe('string');
    expect((await thread(site, 'p')).comments).toEqual([]);
    const pending = await request(server.url).get(`${API}/mod/queue?queue=pending&site=${site}`).set('Authorization', `Bearer ${admin}`);
    expect(pending.body.items).toEqual([]);
    expect((await stats(site)).nudges).toEqual({ windowHours: 24, shown: 1, revised: 0, postedAnyway: 0 });
  });

  it('when the author sends it again with confirmNudge, then it is accepted and held, and counted as posted anyway', async () => {
    const site = await siteHoldingProfanity();
    const nudged = await sendComment(server, { site, post: 'p', body: HOSTILE, authorName: 'Taras' });
    const token = nudged.body.authorToken as string;
    const res = await request(server.url)
      .post(`${API}/sites/${site}/posts/p/comments`)
      .set('Authorization', `Bearer ${token}`)
      .send({ body: HOSTILE, confirmNudge: true });
    expect(res.status).toBe(201);
    expect(res.body.comment.status).toBe('pending');
    expect((await stats(site)).nudges).toMatchObject({ shown: 1, revised: 0, postedAnyway: 1 });
  });

  it('when the author revises the text after a nudge and it publishes, then it counts as revised', async () => {
    const site = await siteHoldingProfanity();
    const nudged = await sendComment(server, { site, post: 'p', body: HOSTILE, authorName: 'Taras' });
    const token = nudged.body.authorToken as string;
    const res = await request(server.url)
      .post(`${API}/sites/${site}/posts/p/comments`)
      .set('Authorization', `Bearer ${token}`)
      .send({ body: 'This deal is a disgrace' });
    expect(res.status).toBe(201);
    expect(res.body.comment.status).toBe('published');
    expect((await stats(site)).nudges).toMatchObject({ shown: 1, revised: 1, postedAnyway: 0 });
  });

  it('when a comment is held for spam or policy rather than hostility, then there is no nudge', async () => {
    const site = await siteHoldingProfanity({ premoderation: 'all' });
    const res = await sendComment(server, { site, post: 'p', body: 'A perfectly calm comment', authorName: 'Olha' });
    expect(res.status).toBe(201);
    expect(res.body.comment.status).toBe('pending');
    const shouting = await sendComment(server, { site, post: 'q', body: 'BUY NOW AT HTTP://SPAM.EXAMPLE BEST PRICES', authorName: 'X' });
    expect(shouting.status).toBe(201);
    expect((await stats(site)).nudges.shown).toBe(0);
  });

  it('when confirmNudge is not a boolean, then it is refused as invalid', async () => {
    const site = await siteHoldingProfanity();
    const res = await request(server.url).post(`${API}/sites/${site}/posts/p/comments`).send({ body: HOSTILE, authorName: 'T', confirmNudge: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
