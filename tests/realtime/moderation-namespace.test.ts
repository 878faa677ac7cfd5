import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import {
  closeAllSockets,
  connectModerator,
  createModerator,
  handshake,
  record,
  settle,
  signIn,
  waitFor,
  emitWithAck,
  type ModeratorClient,
} from './realtime-helpers';

describe('the /moderation namespace', () => {
  let server: TestServer;
  let adminToken: string;
  let siteAToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    adminToken = (await signIn(server.url)).token;
    const moderator = await createModerator(server.url, adminToken, ['site-a']);
    siteAToken = (await signIn(server.url, moderator)).token;
  });

  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await server.close();
  });

  const connected = async (socket: ModeratorClient): Promise<ModeratorClient> => {
    expect(await handshake(socket)).toEqual({ connected: true });
    return socket;
  };

  const claim = (site: string, id: string) => ({
    id,
    site,
    moderatorId: 'm1',
    moderatorName: 'Someone',
    until: new Date(Date.now() + 60_000).toISOString(),
  });

  it('when the handshake has no session, then it is refused with UNAUTHENTICATED', async () => {
    expect(await handshake(connectModerator(server.url))).toEqual({ connected: false, code: 'UNAUTHENTICATED' });
    expect(await handshake(connectModerator(server.url, { token: 'not-a-session' }))).toEqual({
      connected: false,
      code: 'UNAUTHENTICATED',
    });
  });

  it('when the handshake auth is malformed, then it is refused with VALIDATION_FAILED', async () => {
    const socket = connectModerator(server.url, { token: siteAToken, sites: ['NOT A SITE'] });
    expect(await handshake(socket)).toEqual({ connected: false, code: 'VALIDATION_FAILED' });
  });

  it('when a moderator asks for a site outside their scope, then the handshake is refused with OUT_OF_SCOPE', async () => {
    const socket = connectModerator(server.url, { token: siteAToken, sites: ['site-b'] });
    expect(await handshake(socket)).toEqual({ connected: false, code: 'OUT_OF_SCOPE' });
  });

  it('when a moderator has no site at all, then the handshake is refused with OUT_OF_SCOPE', async () => {
    const nobody = await createModerator(server.url, adminToken, []);
    const { token } = await signIn(server.url, nobody);
    expect(await handshake(connectModerator(server.url, { token }))).toEqual({ connected: false, code: 'OUT_OF_SCOPE' });
  });

  it('when the session is signed out, then a new handshake with its token is refused', async () => {
    const moderator = await createModerator(server.url, adminToken, ['site-a']);
    const { token } = await signIn(server.url, moderator);
    await connected(connectModerator(server.url, { token }));
    await request(server.url).delete('/api/v1/mod/sessions').set('Authorization', `Bearer ${token}`).expect(204);
    expect(await handshake(connectModerator(server.url, { token }))).toEqual({ connected: false, code: 'UNAUTHENTICATED' });
  });

  it('when the panel connects with its session cookie from its own origin, then it is accepted; from another origin it is refused', async () => {
    const { cookie } = await signIn(server.url);
    expect(cookie).toContain('parley_session=');
    const own = connectModerator(server.url, { cookie, origin: server.url });
    expect(await handshake(own)).toEqual({ connected: true });
    const foreign = connectModerator(server.url, { cookie, origin: 'https://evil.example' });
    expect(await handshake(foreign)).toEqual({ connected: false, code: 'FORBIDDEN' });
  });

  it('when moderation events happen on two sites, then each reaches only the moderators whose scope includes its site', async () => {
    const siteA = await connected(connectModerator(server.url, { token: siteAToken }));
    const admin = await connected(connectModerator(server.url, { token: adminToken }));
    const siteAEvents = record(siteA);
    const adminEvents = record(admin);

    server.bus.publish('moderation.claimed', claim('site-a', 'c-a'));
    server.bus.publish('moderation.claimed', claim('site-b', 'c-b'));
    server.bus.publish('moderation.released', { id: 'c-b', site: 'site-b' });
    server.bus.publish('moderation.stats', {
      site: 'site-b',
      queues: { pending: 1, reported: 0, rejected: 0, approved: 0 },
      decisionsLastHour: 0,
      medianSecondsToDecision: null,
    });

    await waitFor(() => adminEvents.length === 4, 'the admin to get all four events');
    await settle();
    expect(adminEvents.map((e) => `${e.event}:${String(e.payload['site'])}`)).toEqual([
      'comment:claimed:site-a',
      'comment:claimed:site-b',
      'comment:released:site-b',
      'stats:updated:site-b',
    ]);
    expect(siteAEvents.map((e) => `${e.event}:${String(e.payload['site'])}:${String(e.payload['id'])}`)).toEqual([
      'comment:claimed:site-a:c-a',
    ]);
  });

  it('when an admin narrows to one site with sites:watch, then events of other sites stop reaching that socket', async () => {
    const admin = await connected(connectModerator(server.url, { token: adminToken }));
    const events = record(admin);
    const ack = await emitWithAck<{ sites: string[] }>(admin, 'sites:watch', { sites: ['site-b'] });
    expect(ack).toEqual({ ok: true, data: { sites: ['site-b'] } });

    server.bus.publish('moderation.claimed', claim('site-a', 'x-a'));
    server.bus.publish('moderation.claimed', claim('site-b', 'x-b'));
    await waitFor(() => events.length >= 1, 'the site-b claim');
    await settle();
    expect(events.map((e) => e.payload['id'])).toEqual(['x-b']);
  });

  it('when a moderator tries to watch a site outside their scope, then the ack is OUT_OF_SCOPE and the scope is unchanged', async () => {
    const siteA = await connected(connectModerator(server.url, { token: siteAToken }));
    const events = record(siteA);
    const ack = await emitWithAck(siteA, 'sites:watch', { sites: ['site-b'] });
    expect(ack).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    server.bus.publish('moderation.claimed', claim('site-b', 'y-b'));
    server.bus.publish('moderation.claimed', claim('site-a', 'y-a'));
    await waitFor(() => events.length >= 1, 'the site-a claim');
    await settle();
    expect(events.map((e) => e.payload['id'])).toEqual(['y-a']);
  });

  it('when a moderator socket floods the server with events, then it is disconnected and other moderators keep receiving', async () => {
    const flooder = await connected(connectModerator(server.url, { token: adminToken }));
    const calm = await connected(connectModerator(server.url, { token: adminToken }));
    const calmEvents = record(calm);
    const disconnected = new Promise<string>((resolve) => flooder.once('disconnect', (reason) => resolve(reason)));
    for (let i = 0; i < 200; i += 1) flooder.emit('sites:watch', { sites: [] }, () => undefined);
    expect(await disconnected).toBe('io server disconnect');
    server.bus.publish('moderation.claimed', claim('site-a', 'after-flood'));
    await waitFor(() => calmEvents.some((e) => e.payload['id'] === 'after-flood'), 'the calm socket to get the claim');
    expect(calm.connected).toBe(true);
  });
});
