import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, commentPath, createSite, loginAdmin, postComment, uniqueId } from '../helpers/factories';

/** A cursor in the right shape and scope whose key a Date cannot hold. */
const crafted = (scope: string, key: number): string =>
  Buffer.from(JSON.stringify({ v: 1, s: scope, k: key, i: '0123456789abcdef01234567' })).toString('base64url');

describe('crafted cursors', () => {
  let server: TestServer;
  let admin: string;
  let site: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await loginAdmin(server);
    site = (await createSite(server, { token: admin })).id;
  });
  afterAll(async () => {
    await server.close();
  });

  const expectCursorInvalid = (res: request.Response): void => {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('CURSOR_INVALID');
  };

  it.each([
    ['beyond the date range', 1e300],
    ['just past the last date', 8.64e15 + 1],
    ['a fraction', 1700000000000.5],
  ])('when a thread, replies or queue cursor has a key %s, then each route answers 400 CURSOR_INVALID', async (_name, key) => {
    const post = uniqueId('post');
    const { comment } = await postComment(server, { site, post });
    for (const sort of ['newest', 'oldest', 'top']) {
      expectCursorInvalid(await request(server.url).get(commentPath(site, post)).query({ sort, cursor: crafted(`thread:${sort}`, key) }));
    }
    const replies = await request(server.url).get(`${API}/comments/${comment.id}/replies`).query({ cursor: crafted(`replies:${comment.id}`, key) });
    expectCursorInvalid(replies);
    for (const scope of ['queue:createdAt:1', 'queue:createdAt:-1', 'queue:statusChangedAt:-1']) {
      for (const queue of ['pending', 'reported', 'approved', 'rejected']) {
        const res = await request(server.url)
          .get(`${API}/mod/queue`)
          .query({ queue, cursor: crafted(scope, key) })
          .set('Authorization', `Bearer ${admin}`);
        expectCursorInvalid(res);
      }
    }
  });
});
