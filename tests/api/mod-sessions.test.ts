import request from 'supertest';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

describe('moderator sessions', () => {
  let server: TestServer;
  const clock = new ManualClock();

  beforeAll(async () => {
    server = await startTestServer({ clock });
  });
  afterAll(async () => {
    await server.close();
  });

  async function login(credentials = ADMIN) {
    return request(server.url).post('/api/v1/mod/sessions').send(credentials);
  }

  it('when the first admin signs in, then a bearer token, a CSRF token and a strict HTTP-only cookie come back', async () => {
    const res = await login();
    expect(res.status).toBe(201);
    expect(res.body.token).toEqual(expect.any(String));
    expect(res.body.csrfToken).toEqual(expect.any(String));
    expect(res.body.moderator).toMatchObject({ email: ADMIN.email, role: 'admin' });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/parley_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);

    const stored = await server.database.connection.collection('moderators').findOne({ email: ADMIN.email });
    expect(String(stored?.['passwordHash'])).toMatch(/^scrypt\$/);
    expect(JSON.stringify(stored)).not.toContain(ADMIN.password);
    const session = await server.database.connection.collection('moderator_sessions').findOne({});
    expect(JSON.stringify(session)).not.toContain(res.body.token);
  });

  it('when the password is wrong, then 401 INVALID_CREDENTIALS as problem+json', async () => {
    const res = await login({ email: ADMIN.email, password: 'wrong password' });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('when the e-mail is an operator object, then 400 and no sign-in', async () => {
    const res = await request(server.url)
      .post('/api/v1/mod/sessions')
      .send({ email: { $gt: '' }, password: { $ne: null } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('when no credentials are sent, then every /mod route is 401', async () => {
    for (const path of ['/api/v1/mod/sessions/current', '/api/v1/mod/moderators', '/api/v1/mod/anything']) {
      const res = await request(server.url).get(path);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
  });

  it('when a bearer token is sent, then the session is recognised; after logout it is not', async () => {
    const { body } = await login();
    const auth = { Authorization: `Bearer ${body.token as string}` };
    const current = await request(server.url).get('/api/v1/mod/sessions/current').set(auth);
    expect(current.status).toBe(200);
    expect(current.body.moderator.email).toBe(ADMIN.email);
    expect(current.body.csrfToken).toBe(body.csrfToken);

    const out = await request(server.url).delete('/api/v1/mod/sessions').set(auth);
    expect(out.status).toBe(204);
    const after = await request(server.url).get('/api/v1/mod/sessions/current').set(auth);
    expect(after.status).toBe(401);
  });

  it('when the cookie authenticates an unsafe request, then it needs the CSRF token', async () => {
    const { body } = await login();
    const cookie = `parley_session=${body.token as string}`;
    const read = await request(server.url).get('/api/v1/mod/moderators').set('Cookie', cookie);
    expect(read.status).toBe(200);

    const moderator = { email: 'csrf@example.com', name: 'C', password: 'long enough pw', sites: ['demo'] };
    const forged = await request(server.url).post('/api/v1/mod/moderators').set('Cookie', cookie).send(moderator);
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('CSRF_TOKEN_INVALID');

    const ok = await request(server.url)
      .post('/api/v1/mod/moderators')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', body.csrfToken as string)
      .send(moderator);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ email: 'csrf@example.com', role: 'moderator', sites: ['demo'] });
  });

  it('when a moderator (not admin) manages moderators, then 403 FORBIDDEN', async () => {
    const admin = await login();
    const created = await request(server.url)
      .post('/api/v1/mod/moderators')
      .set('Authorization', `Bearer ${admin.body.token as string}`)
      .send({ email: 'mod@example.com', name: 'Mod', password: 'another long one', sites: ['demo'] });
    expect(created.status).toBe(201);
    const mod = await login({ email: 'mod@example.com', password: 'another long one' });
    expect(mod.status).toBe(201);
    const res = await request(server.url)
      .post('/api/v1/mod/moderators')
      .set('Authorization', `Bearer ${mod.body.token as string}`)
      .send({ email: 'x@example.com', name: 'X', password: 'another long one' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('when the same e-mail is added twice, then 409 MODERATOR_EXISTS', async () => {
    const admin = await login();
    const body = { email: 'twice@example.com', name: 'T', password: 'another long one' };
    const auth = { Authorization: `Bearer ${admin.body.token as string}` };
    expect((await request(server.url).post('/api/v1/mod/moderators').set(auth).send(body)).status).toBe(201);
    const again = await request(server.url).post('/api/v1/mod/moderators').set(auth).send(body);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('MODERATOR_EXISTS');
  });

  it('when a session outlives its expiry, then 401 SESSION_EXPIRED', async () => {
    const { body } = await login();
    clock.advance(13 * 60 * 60 * 1000);
    const res = await request(server.url)
      .get('/api/v1/mod/sessions/current')
      .set('Authorization', `Bearer ${body.token as string}`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SESSION_EXPIRED');
  });

  it('when the password is wrong five times from one source, then that source is locked even for the right password', async () => {
    const admin = await login();
    await request(server.url)
      .post('/api/v1/mod/moderators')
      .set('Authorization', `Bearer ${admin.body.token as string}`)
      .send({ email: 'lock@example.com', name: 'L', password: 'the right password' });
    const codes: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      codes.push((await login({ email: 'lock@example.com', password: `wrong ${i}` })).body.code as string);
    }
    expect(codes).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    expect((await login({ email: 'lock@example.com', password: 'wrong again' })).body.code).toBe('ACCOUNT_LOCKED');
    const right = await login({ email: 'lock@example.com', password: 'the right password' });
    expect(right.status).toBe(423);
    expect(right.body.code).toBe('ACCOUNT_LOCKED');
    clock.advance(16 * 60 * 1000);
    expect((await login({ email: 'lock@example.com', password: 'the right password' })).status).toBe(201);
  });
});
