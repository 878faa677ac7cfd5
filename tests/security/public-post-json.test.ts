import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, commentPath, createSite, loginAdmin, postComment, reportComment, uniqueId } from '../helpers/factories';
import { storedCounts } from '../helpers/stored';

describe('what anonymous readers see of a post', () => {
  let server: TestServer;
  let site: string;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    admin = await loginAdmin(server);
    site = (await createSite(server, { token: admin })).id;
  });
  afterAll(async () => {
    await server.close();
  });

  it('when a post has held and reported comments, then the public thread JSON shows neither those counts nor the heat', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(server, { site, post, body: 'a fine comment' });
    await postComment(server, { site, post, body: 'call me at +1 555 123 4567 or write to spam@example.com NOW' });
    expect((await reportComment(server, comment.id, { reason: 'spam' })).status).toBe(201);
    const stored = await storedCounts(server, site, post);
    expect(stored.reported).toBe(1);

    const res = await request(server.url).get(commentPath(site, post));
    expect(res.status).toBe(200);
    expect(res.body.post.counts).toEqual({ published: 1 });
    expect(res.body.post).not.toHaveProperty('heat');
    expect(JSON.stringify(res.body)).not.toMatch(/"pending"|"reported"|"heat"/);

    // Moderators still see them.
    const heat = await request(server.url)
      .patch(`${API}/mod/posts/${res.body.post.id as string}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ heat: 'heated' });
    expect(heat.status).toBe(200);
    expect(heat.body.post).toMatchObject({ heat: 'heated', counts: { reported: 1 } });
  });
});
