import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { ADMIN, API, createSite, loginAdmin } from '../helpers/factories';

describe('moderator API is closed to site origins', () => {
  let server: TestServer;
  const siteOrigin = 'https://blog.example.com';
  const panelOrigin = 'https://comments.example.com';

  beforeAll(async () => {
    server = await startTestServer({ env: { PUBLIC_URL: panelOrigin } });
    await createSite(server, { token: await loginAdmin(server), origins: [siteOrigin] });
  });
  afterAll(async () => {
    await server.close();
  });

  async function cookieSession(): Promise<{ cookie: string; csrf: string }> {
    const res = await request(server.url).post(`${API}/mod/sessions`).send(ADMIN);
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0] ?? '';
    return { cookie: setCookie.split(';')[0] ?? '', csrf: res.body.csrfToken as string };
  }

  it('when a site origin sends a preflight to /mod, then no CORS grant is given', async () => {
    const res = await request(server.url)
      .options(`${API}/mod/moderators`)
      .set('Origin', siteOrigin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-csrf-token');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('when a site origin reads /mod/sessions/current with the cookie, then it is refused without a grant or the token', async () => {
    const { cookie } = await cookieSession();
    const res = await request(server.url).get(`${API}/mod/sessions/current`).set('Cookie', cookie).set('Origin', siteOrigin);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toMatch(/csrf/i);
  });

  it('when a same-site page sends the cookie (Sec-Fetch-Site: same-site) with a valid CSRF token, then nothing changes', async () => {
    const { cookie, csrf } = await cookieSession();
    const res = await request(server.url)
      .post(`${API}/mod/moderators`)
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .set('Sec-Fetch-Site', 'same-site')
      .send({ email: 'evil@example.com', password: 'pwned-password-1', role: 'admin' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(await server.database.connection.collection('moderators').countDocuments({ email: 'evil@example.com' })).toBe(0);
  });

  it('when the panel origin uses the cookie, then it is granted', async () => {
    const { cookie } = await cookieSession();
    const res = await request(server.url)
      .get(`${API}/mod/sessions/current`)
      .set('Cookie', cookie)
      .set('Origin', panelOrigin)
      .set('Sec-Fetch-Site', 'same-origin');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(panelOrigin);
    expect(res.body.csrfToken).toEqual(expect.any(String));
  });

  it('when served over https, then the session cookie is __Host- prefixed, Secure and SameSite=Strict', async () => {
    const res = await request(server.url).post(`${API}/mod/sessions`).send(ADMIN);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^__Host-parley_session=/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Domain=/);
  });

  it('when served over https, then the CSP upgrades insecure requests and HSTS is sent', async () => {
    const res = await request(server.url).get('/healthz');
    expect(res.headers['content-security-policy']).toMatch(/upgrade-insecure-requests/);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});

describe('security headers on plain http', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { PUBLIC_URL: 'http://comments.internal:8080' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('when PUBLIC_URL is http, then neither upgrade-insecure-requests nor HSTS is sent (the panel and demo keep working)', async () => {
    for (const path of ['/demo', '/moderate', '/healthz']) {
      const res = await request(server.url).get(path);
      expect(res.headers['content-security-policy'] ?? '').not.toMatch(/upgrade-insecure-requests/);
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('when served over http, then the cookie keeps its plain name and is not Secure', async () => {
    const res = await request(server.url).post(`${API}/mod/sessions`).send(ADMIN);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^parley_session=/);
    expect(setCookie).not.toMatch(/; Secure/);
  });
});
