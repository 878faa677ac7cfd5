import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { ADMIN, API } from '../helpers/factories';

describe('sign-in lockout', () => {
  let server: TestServer;
  let sourceCounter = 0;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
  });
  afterAll(async () => {
    await server.close();
  });

  /** A fresh client address per call site (X-Forwarded-For is trusted in this server). */
  const newSource = (): string => {
    sourceCounter += 1;
    return `203.0.113.${sourceCounter}`;
  };
  const login = (source: string, credentials: { email: string; password: string }) =>
    request(server.url).post(`${API}/mod/sessions`).set('X-Forwarded-For', source).send(credentials);
  const withoutRequestId = (body: Record<string, unknown>) => {
    const { requestId: _id, lockedUntil: _until, retryAfterSeconds: _retry, ...rest } = body;
    return rest;
  };

  it('when 29 wrong passwords arrive in parallel from one source, then at most 5 are tried and the rest are 423 with Retry-After', async () => {
    const attacker = newSource();
    const results = await Promise.all(
      Array.from({ length: 29 }, (_, i) => login(attacker, { email: ADMIN.email, password: `guess number ${i}` })),
    );
    const statuses = results.map((res) => res.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 423).length).toBeGreaterThanOrEqual(24);
    expect(statuses.every((status) => status === 401 || status === 423)).toBe(true);
    for (const res of results.filter((r) => r.status === 423)) {
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('ACCOUNT_LOCKED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Even the right password is refused from the source that was guessing…
    expect((await login(attacker, ADMIN)).status).toBe(423);
    // …while the real moderator, elsewhere, signs in.
    expect((await login(newSource(), ADMIN)).status).toBe(201);
  });

  it('when an unknown and a known e-mail are guessed, then both answer the same statuses and bodies (no account oracle)', async () => {
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    const knownSource = newSource();
    const unknownSource = newSource();
    for (let i = 0; i < 7; i += 1) {
      const a = await login(knownSource, { email: ADMIN.email, password: 'not the password' });
      const b = await login(unknownSource, { email: 'nobody-here@example.com', password: 'not the password' });
      known.push([a.status, withoutRequestId(a.body as Record<string, unknown>), a.headers['retry-after'] !== undefined]);
      unknown.push([b.status, withoutRequestId(b.body as Record<string, unknown>), b.headers['retry-after'] !== undefined]);
    }
    expect(unknown).toEqual(known);
    expect((known as [number][]).map(([status]) => status)).toEqual([401, 401, 401, 401, 401, 423, 423]);
  });

  it('when many sources each fail on one account, then sources that failed are refused but a fresh source with the right password gets in', async () => {
    const email = ADMIN.email;
    const failing: string[] = [];
    for (let i = 0; i < 21; i += 1) {
      const source = newSource();
      failing.push(source);
      expect((await login(source, { email, password: `spray ${i}` })).status).toBe(401);
    }
    const retried = await login(failing[0] ?? '', ADMIN);
    expect(retried.status).toBe(423);
    expect(retried.headers['retry-after']).toBeDefined();
    expect((await login(newSource(), ADMIN)).status).toBe(201);
  });
});
