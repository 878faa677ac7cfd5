import request from 'supertest';
import { startMongoEmulator, type MongoEmulator } from '@parley/mongo-emulator';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, commentPath, createSite, loginAdmin } from '../helpers/factories';
import { eventually } from '../browser/helpers/eventually';

jest.setTimeout(60_000);

describe('when the database goes away and comes back', () => {
  let emulator: MongoEmulator | undefined;
  let server: TestServer;
  let port: number;
  let site: string;
  let admin: string;

  beforeAll(async () => {
    emulator = await startMongoEmulator({ port: 0 });
    port = emulator.port;
    server = await startTestServer({ env: { MONGODB_URI: emulator.uri } });
    admin = await loginAdmin(server);
    site = (await createSite(server, { token: admin })).id;
  });
  afterAll(async () => {
    await server.close();
    await emulator?.close();
  });

  const expectUnavailable = (res: request.Response): void => {
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('DATABASE_UNAVAILABLE');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  };

  it('then requests answer 503 DATABASE_UNAVAILABLE with Retry-After, and work again by themselves once it is back', async () => {
    expect((await request(server.url).get(commentPath(site, 'before')).set('Origin', `https://${site}.example`)).status).toBe(200);
    await emulator?.close();
    emulator = undefined;

    expectUnavailable(await request(server.url).get(commentPath(site, 'during')));
    expectUnavailable(await request(server.url).post(`${API}/mod/sessions`).send({ email: 'a@example.com', password: 'whatever1' }));
    expectUnavailable(await request(server.url).get(`${API}/mod/queue`).set('Authorization', `Bearer ${admin}`));
    expect((await request(server.url).get('/readyz')).status).toBe(503);
    expect((await request(server.url).get('/healthz')).status).toBe(200);

    emulator = await startMongoEmulator({ port });
    await eventually(async () => expect((await request(server.url).get('/readyz')).status).toBe(200), 20_000, 200);
    // The restarted in-memory emulator is empty; what matters is that the database answers again.
    const after = await request(server.url).post(`${API}/mod/sessions`).send({ email: 'a@example.com', password: 'whatever1' });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('INVALID_CREDENTIALS');
  });
});
