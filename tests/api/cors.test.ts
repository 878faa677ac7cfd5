import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, commentPath, createSite, loginAdmin, patchSite, postComment, sendComment, uniqueId } from '../helpers/factories';

describe('CORS and origins per site', () => {
  let server: TestServer;
  let admin: string;
  let siteA: string;
  let siteB: string;
  const originA = 'https://blog-a.example';
  const originB = 'https://blog-b.example';

  beforeAll(async () => {
    server = await startTestServer();
    admin = await loginAdmin(server);
    siteA = (await createSite(server, { token: admin, origins: [originA] })).id;
    siteB = (await createSite(server, { token: admin, origins: [originB] })).id;
  });
  afterAll(async () => {
    await server.close();
  });

  it('when a site origin sends a preflight, then it is allowed with credentials', async () => {
    const res = await request(server.url)
      .options(commentPath(siteA, 'p'))
      .set('Origin', originA)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,authorization');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(originA);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
  });

  it('when an unknown origin sends a preflight, then it may send the request but never with credentials', async () => {
    const res = await request(server.url).options(commentPath(siteA, 'p')).set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBe('https://evil.example');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('when an unknown origin calls the moderator API, then no CORS grant is given', async () => {
    const res = await request(server.url).options(`${API}/mod/queue`).set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const read = await request(server.url).get(`${API}/mod/queue`).set('Origin', 'https://evil.example');
    expect(read.status).toBe(401);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('when a page of an unknown origin or an unregistered site reads a thread, then the refusal is readable by that page (CORS, no credentials)', async () => {
    const unknownSite = await request(server.url).get(commentPath('no-such-site', 'p')).set('Origin', 'https://new-blog.example');
    expect(unknownSite.status).toBe(404);
    expect(unknownSite.body.code).toBe('SITE_NOT_FOUND');
    expect(unknownSite.headers['access-control-allow-origin']).toBe('https://new-blog.example');
    expect(unknownSite.headers['access-control-allow-credentials']).toBeUndefined();
    const wrongOrigin = await request(server.url).get(commentPath(siteA, 'p')).set('Origin', 'https://new-blog.example');
    expect(wrongOrigin.status).toBe(403);
    expect(wrongOrigin.body.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(wrongOrigin.headers['access-control-allow-origin']).toBe('https://new-blog.example');
  });

  it('when a site origin reads and posts on its own site, then it works and the response is granted to that origin', async () => {
    const post = uniqueId('post');
    const posted = await sendComment(server, { site: siteA, post, origin: originA, postUrl: `${originA}/a/${post}` });
    expect(posted.status).toBe(201);
    expect(posted.headers['access-control-allow-origin']).toBe(originA);
    const read = await request(server.url).get(commentPath(siteA, post)).set('Origin', originA);
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBe(originA);
  });

  it("when one site's origin uses another site, then it is ORIGIN_NOT_ALLOWED (readable, without credentials) and nothing is created", async () => {
    const post = uniqueId('post');
    const posted = await sendComment(server, { site: siteA, post, origin: originB });
    expect(posted.status).toBe(403);
    expect(posted.body.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(posted.headers['access-control-allow-credentials']).toBeUndefined();
    const read = await request(server.url).get(commentPath(siteA, post)).set('Origin', originB);
    expect(read.status).toBe(403);
    expect(read.body.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(await server.database.connection.collection('posts').countDocuments({ site: siteA, key: post })).toBe(0);
    const counts = await request(server.url).get(`${API}/sites/${siteA}/counts`).query({ posts: post }).set('Origin', originB);
    expect(counts.status).toBe(403);
  });

  it('when a comment of one site is edited, reported or read from another site origin, then it is ORIGIN_NOT_ALLOWED', async () => {
    const { comment, token } = await postComment(server, { site: siteA, post: uniqueId('post'), origin: originA });
    const edit = await request(server.url).patch(`${API}/comments/${comment.id}`).set('Origin', originB).set('Authorization', `Bearer ${token}`).send({ body: 'x' });
    expect(edit.status).toBe(403);
    expect(edit.body.code).toBe('ORIGIN_NOT_ALLOWED');
    const report = await request(server.url).post(`${API}/comments/${comment.id}/reports`).set('Origin', originB).send({ reason: 'spam' });
    expect(report.status).toBe(403);
    const replies = await request(server.url).get(`${API}/comments/${comment.id}/replies`).set('Origin', originB);
    expect(replies.status).toBe(403);
  });

  it("when the post URL is not on the site's origins, then the post is not created", async () => {
    const post = uniqueId('post');
    const res = await sendComment(server, { site: siteA, post, origin: originA, postUrl: `${originB}/stolen` });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(await server.database.connection.collection('posts').countDocuments({ site: siteA, key: post })).toBe(0);
  });

  it('when an admin adds an origin, then it is allowed at once (CORS and site routes)', async () => {
    const added = 'https://mirror-a.example';
    const before = await request(server.url).options(commentPath(siteA, 'p')).set('Origin', added).set('Access-Control-Request-Method', 'POST');
    expect(before.headers['access-control-allow-credentials']).toBeUndefined();
    await patchSite(server, siteA, { origins: [originA, added] }, admin);
    const after = await request(server.url).options(commentPath(siteA, 'p')).set('Origin', added).set('Access-Control-Request-Method', 'POST');
    expect(after.headers['access-control-allow-origin']).toBe(added);
    expect(after.headers['access-control-allow-credentials']).toBe('true');
    expect((await sendComment(server, { site: siteA, post: uniqueId('post'), origin: added })).status).toBe(201);
  });

  it('when there is no Origin header (server-to-server or same-origin read), then the site routes answer', async () => {
    const res = await request(server.url).get(commentPath(siteB, uniqueId('post')));
    expect(res.status).toBe(200);
    expect(res.body.comments).toEqual([]);
  });
});
