import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { createSite, loginAdmin, sendComment, signSsoToken, uniqueId } from '../helpers/factories';

const SSO_SECRET = 'an sso secret that is long enough';
const METRICS_TOKEN = 'metrics-token-0123456789';

describe('SSO token audience and lifetime', () => {
  let server: TestServer;
  let site: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_TOKEN } });
    site = (await createSite(server, { token: await loginAdmin(server), ssoSecret: SSO_SECRET })).id;
  });
  afterAll(async () => {
    await server.close();
  });

  it('when a token names this site in `site` but another in `aud`, then it is SSO_WRONG_SITE', async () => {
    const token = await signSsoToken(SSO_SECRET, { sub: 'u1', name: 'Ann', site, aud: 'another-site' });
    const res = await sendComment(server, { site, post: uniqueId('p'), token });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SSO_WRONG_SITE');
  });

  it('when `aud` names this site, then the token works', async () => {
    const token = await signSsoToken(SSO_SECRET, { sub: 'u2', name: 'Bea', aud: site });
    expect((await sendComment(server, { site, post: uniqueId('p'), token })).status).toBe(201);
  });

  it('when `exp` is years ahead, then it is SSO_TOKEN_INVALID; 29 days ahead is fine', async () => {
    const forever = await signSsoToken(SSO_SECRET, { sub: 'u3', name: 'Cy', site }, { expiresInSeconds: 5 * 365 * 86_400 });
    const res = await sendComment(server, { site, post: uniqueId('p'), token: forever });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SSO_TOKEN_INVALID');
    const month = await signSsoToken(SSO_SECRET, { sub: 'u3', name: 'Cy', site }, { expiresInSeconds: 29 * 86_400 });
    expect((await sendComment(server, { site, post: uniqueId('p'), token: month })).status).toBe(201);
  });

  it('when METRICS_TOKEN is set, then /metrics needs it', async () => {
    const anonymous = await request(server.url).get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    expect((await request(server.url).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789')).status).toBe(401);
    const allowed = await request(server.url).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(allowed.status).toBe(200);
    expect(allowed.text).toMatch(/# HELP/);
  });
});
