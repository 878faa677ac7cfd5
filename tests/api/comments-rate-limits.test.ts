import request from 'supertest';
import { DEFAULT_RATE_LIMITS } from '../../src/comments';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createSite, loginAdmin, postComment, sendComment, uniqueId } from '../helpers/factories';

/** Every request here comes from 127.0.0.1: the server does not trust X-Forwarded-For. */
describe('rate limits on posting and reporting', () => {
  let server: TestServer;
  let site: string;

  beforeAll(async () => {
    server = await startTestServer();
    site = (await createSite(server, { token: await loginAdmin(server) })).id;
  });
  afterAll(async () => {
    await server.close();
  });

  it('when one author posts faster than the author limit, then the next post is RATE_LIMITED with Retry-After and not stored', async () => {
    const post = uniqueId('post');
    const { token } = await postComment(server, { site, post });
    // The limit counts requests carrying the author's token.
    for (let i = 0; i < DEFAULT_RATE_LIMITS.commentsPerAuthor; i += 1) await postComment(server, { site, post, token });
    const res = await sendComment(server, { site, post, token, body: 'one too many' });
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(await server.database.connection.collection('comments').countDocuments({ post, body: 'one too many' })).toBe(0);
  });

  it('when one address posts faster than the address limit, even as new guests, then it is RATE_LIMITED', async () => {
    const post = uniqueId('post');
    // The first test used commentsPerAuthor + 2 requests from this address.
    const already = DEFAULT_RATE_LIMITS.commentsPerAuthor + 2;
    for (let i = already; i < DEFAULT_RATE_LIMITS.commentsPerIp; i += 1) {
      expect((await sendComment(server, { site, post })).status).toBe(201);
    }
    const res = await sendComment(server, { site, post });
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('RATE_LIMITED');
  });

  it('when one address reports faster than the report limit, then it is RATE_LIMITED', async () => {
    // A server of its own with a small report limit: each report here is of another comment, since
    // one address reporting one comment again counts once, whatever its User-Agent.
    const reportsPerIp = 5;
    const own = await startTestServer({ rateLimits: { reportsPerIp } });
    try {
      const ownSite = (await createSite(own, { token: await loginAdmin(own) })).id;
      const ids: string[] = [];
      for (let i = 0; i <= reportsPerIp; i += 1) ids.push((await postComment(own, { site: ownSite, post: 'p' })).comment.id);
      let last = 0;
      for (const [i, id] of ids.entries()) {
        const res = await request(own.url).post(`${API}/comments/${id}/reports`).send({ reason: 'spam' });
        last = res.status;
        if (i < reportsPerIp) expect(res.status).toBe(201);
      }
      expect(last).toBe(429);
    } finally {
      await own.close();
    }
  });
});
