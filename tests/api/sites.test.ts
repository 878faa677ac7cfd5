import request from 'supertest';
import { DEFAULT_MODERATION_SETTINGS } from '../../src/contracts/moderation';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createModerator, createSite, loginAdmin, uniqueId } from '../helpers/factories';

describe('sites', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await loginAdmin(server);
  });
  afterAll(async () => {
    await server.close();
  });

  const sites = () => server.database.connection.collection('sites');
  const as = (token: string) => ({
    get: (path: string) => request(server.url).get(`${API}${path}`).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object) => request(server.url).post(`${API}${path}`).set('Authorization', `Bearer ${token}`).send(body),
    patch: (path: string, body: object) => request(server.url).patch(`${API}${path}`).set('Authorization', `Bearer ${token}`).send(body),
  });

  it('when the service starts on an empty database, then the demo site exists with the public URL as its origin', async () => {
    const res = await as(admin).get('/mod/sites/demo');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'demo', name: 'Parley demo', origins: [new URL(server.config.publicUrl).origin], hasSsoSecret: false });
    expect(res.body.settings).toEqual(DEFAULT_MODERATION_SETTINGS);
  });

  it('when an admin creates a site, then it is 201 with normalised origins, default settings and no secret shown', async () => {
    const id = uniqueId('blog');
    const res = await as(admin).post('/mod/sites', {
      id,
      name: 'My blog',
      origins: ['https://Blog.Example.com/some/page', 'https://blog.example.com:443', 'http://localhost:8080/'],
      ssoSecret: 'a-very-secret-secret-value',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id,
      name: 'My blog',
      origins: ['https://blog.example.com', 'http://localhost:8080'],
      hasSsoSecret: true,
      settings: DEFAULT_MODERATION_SETTINGS,
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toContain('a-very-secret-secret-value');
    const stored = await sites().findOne({ _id: id } as object);
    expect(stored).toMatchObject({ ssoSecret: 'a-very-secret-secret-value', settingsRevision: 1 });
  });

  it('when the id is taken, then it is SITE_EXISTS', async () => {
    const { id } = await createSite(server, { token: admin });
    const res = await as(admin).post('/mod/sites', { id, name: 'Again', origins: [] });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SITE_EXISTS');
  });

  it.each([
    ['an upper-case id', { id: 'MyBlog', name: 'x', origins: [] }],
    ['a one-letter id', { id: 'a', name: 'x', origins: [] }],
    ['an id with a slash', { id: 'a/b', name: 'x', origins: [] }],
    ['a javascript: origin', { id: 'okay-id', name: 'x', origins: ['javascript:alert(1)'] }],
    ['an origin with credentials', { id: 'okay-id', name: 'x', origins: ['https://u:p@example.com'] }],
    ['an operator as name', { id: 'okay-id', name: { $gt: '' }, origins: [] }],
    ['an unknown field', { id: 'okay-id', name: 'x', origins: [], owner: 'me' }],
    ['a short SSO secret', { id: 'okay-id', name: 'x', origins: [], ssoSecret: 'short' }],
  ])('when creating a site with %s, then it is VALIDATION_FAILED', async (_name, body) => {
    const res = await as(admin).post('/mod/sites', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('when nobody is signed in, then site administration is UNAUTHENTICATED', async () => {
    const res = await request(server.url).get(`${API}/mod/sites`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('when a moderator changes settings and word lists of a site in scope, then they are merged and the revision goes up', async () => {
    const { id } = await createSite(server, { token: admin });
    const moderator = await createModerator(server, { sites: [id], adminToken: admin });
    const res = await as(moderator.token).patch(`/mod/sites/${id}`, {
      settings: { premoderation: 'new-authors', maxLength: 2000, bannedWords: ['Badword', 'badword', 'worse'], autoHeat: { window: 50 } },
    });
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual({
      ...DEFAULT_MODERATION_SETTINGS,
      premoderation: 'new-authors',
      maxLength: 2000,
      bannedWords: ['badword', 'worse'],
      autoHeat: { ...DEFAULT_MODERATION_SETTINGS.autoHeat, window: 50 },
    });
    const second = await as(moderator.token).patch(`/mod/sites/${id}`, { settings: { suspectWords: ['hmm'] } });
    expect(second.body.settings).toMatchObject({ maxLength: 2000, bannedWords: ['badword', 'worse'], suspectWords: ['hmm'] });
    expect(await sites().findOne({ _id: id } as object)).toMatchObject({ settingsRevision: 3 });
  });

  it('when a moderator tries admin changes or sites out of scope, then it is FORBIDDEN or OUT_OF_SCOPE', async () => {
    const mine = await createSite(server, { token: admin });
    const other = await createSite(server, { token: admin });
    const moderator = await createModerator(server, { sites: [mine.id], adminToken: admin });
    const origins = await as(moderator.token).patch(`/mod/sites/${mine.id}`, { origins: ['https://evil.example'] });
    expect(origins.status).toBe(403);
    expect(origins.body.code).toBe('FORBIDDEN');
    const create = await as(moderator.token).post('/mod/sites', { id: uniqueId('nope'), name: 'x', origins: [] });
    expect(create.status).toBe(403);
    expect(create.body.code).toBe('FORBIDDEN');
    const read = await as(moderator.token).get(`/mod/sites/${other.id}`);
    expect(read.status).toBe(403);
    expect(read.body.code).toBe('OUT_OF_SCOPE');
    const list = await as(moderator.token).get('/mod/sites');
    expect(list.status).toBe(200);
    expect(list.body.sites.map((s: { id: string }) => s.id)).toEqual([mine.id]);
    expect((await sites().findOne({ _id: mine.id } as object))?.['origins']).toEqual(mine.origins);
  });

  it('when an admin changes origins and removes the SSO secret, then they are stored', async () => {
    const { id } = await createSite(server, { token: admin, ssoSecret: 'a-very-secret-secret-value' });
    const res = await as(admin).patch(`/mod/sites/${id}`, { name: 'Renamed', origins: ['https://new.example'], ssoSecret: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed', origins: ['https://new.example'], hasSsoSecret: false });
  });

  it('when settings are out of range, then it is VALIDATION_FAILED and nothing changes', async () => {
    const { id } = await createSite(server, { token: admin });
    for (const settings of [{ maxLength: 0 }, { maxLength: 5001 }, { editWindowSeconds: -1 }, { premoderation: 'sometimes' }, { autoHeat: { reportRate: 2 } }, { bannedWords: [{ $gt: '' }] }, { unknown: 1 }]) {
      const res = await as(admin).patch(`/mod/sites/${id}`, { settings });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await as(admin).get(`/mod/sites/${id}`)).body.settings).toEqual(DEFAULT_MODERATION_SETTINGS);
  });

  it('when the site does not exist, then it is SITE_NOT_FOUND', async () => {
    const res = await as(admin).get('/mod/sites/no-such-site');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('SITE_NOT_FOUND');
  });
});

describe('the OpenAPI document', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('when /openapi.json is read, then it describes every comment and site route with parameters, bodies and responses', async () => {
    const res = await request(server.url).get('/openapi.json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, { parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }>>;
    const expected: [string, string][] = [
      ['/api/v1/sites/{site}/posts/{post}/comments', 'get'],
      ['/api/v1/sites/{site}/posts/{post}/comments', 'post'],
      ['/api/v1/comments/{id}', 'get'],
      ['/api/v1/comments/{id}', 'patch'],
      ['/api/v1/comments/{id}', 'delete'],
      ['/api/v1/comments/{id}/replies', 'get'],
      ['/api/v1/comments/{id}/reports', 'post'],
      ['/api/v1/sites/{site}/counts', 'get'],
      ['/api/v1/mod/sites', 'post'],
      ['/api/v1/mod/sites', 'get'],
      ['/api/v1/mod/sites/{id}', 'get'],
      ['/api/v1/mod/sites/{id}', 'patch'],
    ];
    for (const [path, method] of expected) {
      const operation = paths[path]?.[method];
      expect(operation).toBeDefined();
      expect(Object.keys(operation?.responses ?? {}).length).toBeGreaterThan(0);
      if (['post', 'patch'].includes(method)) expect(operation?.requestBody).toBeDefined();
      if (path.includes('{')) expect(operation?.parameters?.length).toBeGreaterThan(0);
    }
    expect(res.body.components.schemas.Comment).toBeDefined();
    expect(JSON.stringify(res.body)).not.toContain('"$ref":"#/components/schemas/Missing');
  });
});
