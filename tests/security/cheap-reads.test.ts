import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, commentPath, createSite, loginAdmin, sendComment, uniqueId } from '../helpers/factories';

describe('reads cannot create posts or run unbounded', () => {
  let server: TestServer;
  let site: string;
  const origin = 'https://reader-blog.example';
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' }, rateLimits: { readsPerIp: 20 } });
    site = (await createSite(server, { token: await loginAdmin(server), origins: [origin] })).id;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await server.close();
  });

  const postsOfSite = () => server.database.connection.collection('posts').countDocuments({ site });

  it('when a script reads many new thread keys without Origin, then no post is created, while a site page or a first comment creates one', async () => {
    for (let i = 0; i < 10; i += 1) {
      const res = await request(server.url).get(commentPath(site, uniqueId('junk'))).set('X-Forwarded-For', `198.51.100.${10 + i}`);
      expect(res.status).toBe(200);
      expect(res.body.comments).toEqual([]);
    }
    expect(await postsOfSite()).toBe(0);

    const fromPage = await request(server.url).get(commentPath(site, 'real-article')).set('Origin', origin).set('X-Forwarded-For', '198.51.100.30');
    expect(fromPage.status).toBe(200);
    expect(await postsOfSite()).toBe(1);
    expect((await sendComment(server, { site, post: 'first-comment-article' })).status).toBe(201);
    expect(await postsOfSite()).toBe(2);
  });

  it('when one client reads past the limit, then it gets 429 problem+json with Retry-After', async () => {
    const ip = '198.51.100.99';
    const statuses: number[] = [];
    let limited: request.Response | undefined;
    for (let i = 0; i < 25; i += 1) {
      const res = await request(server.url).get(`${API}/sites/${site}/counts`).query({ posts: 'a' }).set('X-Forwarded-For', ip);
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    expect(limited?.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(limited?.body.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
  });

  async function join(payload: Record<string, unknown>): Promise<{ ok: boolean; error?: { code: string } }> {
    const socket = connect(server.url, { transports: ['websocket'], extraHeaders: { Origin: origin } });
    sockets.push(socket);
    return new Promise((resolve) => socket.emit('post:join', payload, resolve));
  }

  it('when sockets join new post keys, then no post is created', async () => {
    const before = await postsOfSite();
    for (let i = 0; i < 5; i += 1) expect((await join({ site, post: uniqueId('socket-junk') })).ok).toBe(true);
    expect(await postsOfSite()).toBe(before);
  });

  it.each([
    ['a bidi override', 'safe\u202Eevil'],
    ['a control character', 'a\u0007b'],
    ['surrounding whitespace', ' padded '],
    ['too long a key', 'k'.repeat(201)],
  ])('when a socket joins with %s in the post key, then it is refused like over HTTP', async (_name, post) => {
    const ack = await join({ site, post });
    expect(ack.ok).toBe(false);
    expect(ack.error?.code).toBe('VALIDATION_FAILED');
    const overHttp = await request(server.url).get(commentPath(site, post)).set('X-Forwarded-For', '198.51.100.50');
    expect(overHttp.status).toBe(400);
  });
});
