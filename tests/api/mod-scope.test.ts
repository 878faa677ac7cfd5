import request from 'supertest';
import { listRoutes } from '../helpers/routes';
import { startTestServer, type TestServer } from '../helpers/test-server';

const ORIGIN = 'https://scope.example.com';

describe('every /mod route is guarded and scoped', () => {
  let server: TestServer;
  let admin: string;
  let outsider: string;
  let commentId: string;
  let authorId: string;
  let postId: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = (
      await request(server.url)
        .post('/api/v1/mod/sessions')
        .send({ email: 'admin@example.com', password: 'correct horse battery' })
    ).body.token as string;
    const auth = { Authorization: `Bearer ${admin}` };
    for (const id of ['scope-a', 'scope-b']) {
      const res = await request(server.url)
        .post('/api/v1/mod/sites')
        .set(auth)
        .send({ id, name: id, origins: [ORIGIN] });
      expect(res.status).toBe(201);
    }
    await request(server.url)
      .patch('/api/v1/mod/sites/scope-a')
      .set(auth)
      .send({ settings: { premoderation: 'all' } });
    await request(server.url)
      .post('/api/v1/mod/moderators')
      .set(auth)
      .send({
        email: 'outsider@example.com',
        name: 'Outsider',
        password: 'a long password',
        sites: ['scope-b'],
      });
    outsider = (
      await request(server.url)
        .post('/api/v1/mod/sessions')
        .send({ email: 'outsider@example.com', password: 'a long password' })
    ).body.token as string;
    const posted = await request(server.url)
      .post('/api/v1/sites/scope-a/posts/secret-post/comments')
      .set('Origin', ORIGIN)
      .send({ body: 'a comment on site A', authorName: 'Reader A' });
    expect(posted.status).toBe(201);
    commentId = posted.body.comment.id as string;
    authorId = posted.body.comment.author.id as string;
    const item = await request(server.url).get('/api/v1/mod/queue?queue=pending&site=scope-a').set(auth);
    postId = item.body.items[0].post.id as string;
  });
  afterAll(async () => {
    await server.close();
  });

  function concrete(path: string): string {
    return `/api/v1${path}`
      .replace(':id/:action', `${authorId}/ban`)
      .replace(/\/mod\/comments\/:id/, `/mod/comments/${commentId}`)
      .replace(/\/mod\/authors\/:id/, `/mod/authors/${authorId}`)
      .replace(/\/mod\/posts\/:id/, `/mod/posts/${postId}`)
      .replace(/\/mod\/sites\/:id/, '/mod/sites/scope-a')
      .replace(/:id/, 'f'.repeat(24));
  }

  it('when the app is listed, then it has the moderator routes of PRODUCT.md', () => {
    const routes = listRoutes(server.app).map((r) => `${r.method} ${r.path}`);
    for (const expected of [
      'POST /mod/sessions',
      'DELETE /mod/sessions',
      'GET /mod/queue',
      'POST /mod/comments/:id/approve',
      'POST /mod/comments/:id/reject',
      'POST /mod/comments/:id/restore',
      'POST /mod/comments/:id/claim',
      'POST /mod/comments/bulk',
      'POST /mod/authors/:id/:action',
      'PATCH /mod/posts/:id',
      'GET /mod/sites/:id',
      'PATCH /mod/sites/:id',
      'POST /mod/sites/:id/try',
      'POST /mod/sites',
      'POST /mod/moderators',
      'GET /mod/audit',
      'GET /mod/stats',
    ]) {
      expect(routes).toContain(expected);
    }
  });

  it('when nobody is signed in, then every /mod route but sign-in answers 401', async () => {
    const routes = listRoutes(server.app).filter(
      (r) => r.path.startsWith('/mod/') && !(r.method === 'POST' && r.path === '/mod/sessions'),
    );
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      const method = route.method.toLowerCase() as 'get';
      const res = await request(server.url)[method](concrete(route.path)).send({});
      expect({ route: `${route.method} ${route.path}`, status: res.status, code: res.body.code }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it.each([
    ['POST', '/mod/comments/:id/approve', { revision: 1 }],
    ['POST', '/mod/comments/:id/reject', { reason: 'spam' }],
    ['POST', '/mod/comments/:id/restore', {}],
    ['POST', '/mod/comments/:id/claim', {}],
    ['POST', '/mod/authors/:id/:action', {}],
    ['PATCH', '/mod/posts/:id', { heat: 'lockdown' }],
    ['GET', '/mod/sites/:id', undefined],
    ['PATCH', '/mod/sites/:id', { settings: { maxLinks: 9 } }],
    ['POST', '/mod/sites/:id/try', { text: 'hello' }],
  ])(
    'when a moderator of another site calls %s %s, then 403 and nothing changes',
    async (method, path, body) => {
      const verb = method.toLowerCase() as 'post';
      const req = request(server.url)[verb](concrete(path)).set('Authorization', `Bearer ${outsider}`);
      const res = body === undefined ? await req : await req.send(body);
      expect(res.status).toBe(403);
      expect(['OUT_OF_SCOPE', 'FORBIDDEN']).toContain(res.body.code);
      const queue = await request(server.url)
        .get('/api/v1/mod/queue?queue=pending&site=scope-a')
        .set('Authorization', `Bearer ${admin}`);
      expect(queue.body.items.map((i: { comment: { id: string } }) => i.comment.id)).toEqual([commentId]);
    },
  );

  it('when a moderator of another site reads queues, audit and stats, then nothing of site A shows', async () => {
    const auth = { Authorization: `Bearer ${outsider}` };
    const filtered = await request(server.url).get('/api/v1/mod/queue?queue=pending&site=scope-a').set(auth);
    expect(filtered.status).toBe(403);
    const all = await request(server.url).get('/api/v1/mod/queue?queue=pending').set(auth);
    expect(all.status).toBe(200);
    expect(all.body.items).toEqual([]);
    expect(all.body.counts.pending).toBe(0);
    const audit = await request(server.url).get('/api/v1/mod/audit').set(auth);
    expect(audit.body.entries.filter((e: { site: string }) => e.site === 'scope-a')).toEqual([]);
    const stats = await request(server.url).get('/api/v1/mod/stats').set(auth);
    expect(stats.body.queues.pending).toBe(0);
    const sites = await request(server.url).get('/api/v1/mod/sites').set(auth);
    expect(JSON.stringify(sites.body)).not.toContain('scope-a');
  });

  it('when a plain moderator calls admin-only routes, then 403 FORBIDDEN', async () => {
    const auth = { Authorization: `Bearer ${outsider}` };
    const site = await request(server.url)
      .post('/api/v1/mod/sites')
      .set(auth)
      .send({ id: 'sneaky', name: 'S', origins: [ORIGIN] });
    expect(site.status).toBe(403);
    const mod = await request(server.url)
      .post('/api/v1/mod/moderators')
      .set(auth)
      .send({ email: 'x@example.com', name: 'X', password: 'a long password' });
    expect(mod.status).toBe(403);
  });
});
