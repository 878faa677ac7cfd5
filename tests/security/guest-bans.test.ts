import request from 'supertest';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';
import { createSite, loginAdmin, readThread, sendComment, uniqueId } from '../helpers/factories';
import { storedCounts } from '../helpers/stored';
import {
  closeAllSockets,
  connectModerator,
  connectReader,
  emitWithAck,
  handshake,
  record,
  waitFor,
} from '../realtime/realtime-helpers';

const HOURS = 72;
const HOUR_MS = 60 * 60 * 1000;

describe('guest bans hold on the client, and ban-and-reject is one action', () => {
  let server: TestServer;
  let admin: string;
  const clock = new ManualClock();

  beforeAll(async () => {
    server = await startTestServer({ clock, env: { TRUST_PROXY: 'true', GUEST_BAN_CLIENT_HOURS: String(HOURS) } });
  });
  // Sessions expire on the test clock, which these tests move by days.
  beforeEach(async () => {
    admin = await loginAdmin(server);
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await server.close();
  });

  const asAdmin = () => ({ Authorization: `Bearer ${admin}` });
  const authorAction = (authorId: string, action: string, body: Record<string, unknown> = {}) =>
    request(server.url).post(`/api/v1/mod/authors/${authorId}/${action}`).set('Authorization', `Bearer ${admin}`).send(body);
  /** Each comment a minute after the last, so slow mode and flood checks stay out of the way. */
  const comment = (options: Parameters<typeof sendComment>[1]) => {
    clock.advance(61_000);
    return sendComment(server, options);
  };

  it('when a banned guest clears their token and comes back from the same client, then the new guest is refused with AUTHOR_BANNED until the configured time has passed', async () => {
    const site = (await createSite(server, { token: admin })).id;
    const post = uniqueId('post');
    const ip = '198.51.100.10';
    const first = await comment({ site, post, ip, authorName: 'Troll' });
    expect(first.status).toBe(201);
    const authorId = first.body.comment.author.id as string;

    const ban = await authorAction(authorId, 'ban', { note: 'trolling' });
    expect(ban.status).toBe(200);
    expect(ban.body).toMatchObject({ author: { standing: 'banned' }, rejected: { count: 0, ids: [] }, clients: { held: 1 } });
    expect(new Date(ban.body.clients.until as string).getTime()).toBe(clock.now().getTime() + HOURS * HOUR_MS);

    // localStorage cleared: no token, a new name, the same address.
    const comeback = await comment({ site, post, ip, authorName: 'Totally New Person' });
    expect(comeback.status).toBe(403);
    expect(comeback.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(comeback.body).toMatchObject({ code: 'AUTHOR_BANNED', scope: 'client', until: ban.body.clients.until });
    // Refused before a guest was made: no author left behind for the new name.
    expect(await server.database.connection.collection('authors').countDocuments({ site, name: 'Totally New Person' })).toBe(0);

    // Another reader on another client is not affected.
    expect((await comment({ site, post, ip: '198.51.100.11', authorName: 'Neighbour' })).status).toBe(201);
    // Another site is not affected either: the ban is the site's.
    const otherSite = (await createSite(server, { token: admin })).id;
    expect((await comment({ site: otherSite, post, ip, authorName: 'Elsewhere' })).status).toBe(201);

    clock.advance(HOURS * HOUR_MS - 10 * 60_000);
    expect((await comment({ site, post, ip, authorName: 'Still Blocked' })).body.code).toBe('AUTHOR_BANNED');
    clock.advance(HOUR_MS);
    const later = await comment({ site, post, ip, authorName: 'Much Later' });
    expect(later.status).toBe(201);
    // The banned token itself stays banned: the client hold was only the extra.
    const ownToken = first.body.authorToken as string;
    expect((await comment({ site, post, ip: '198.51.100.12', token: ownToken })).body.code).toBe('AUTHOR_BANNED');
  });

  it('when a guest who posted from two clients is banned, then both clients refuse new guests, also a guest who already had a token there', async () => {
    const site = (await createSite(server, { token: admin })).id;
    const post = uniqueId('post');
    const bystander = await comment({ site, post, ip: '198.51.100.21', authorName: 'Flatmate' });
    const first = await comment({ site, post, ip: '198.51.100.20', authorName: 'Hopper' });
    const token = first.body.authorToken as string;
    expect((await comment({ site, post, ip: '198.51.100.21', token })).status).toBe(201);

    const ban = await authorAction(first.body.comment.author.id as string, 'ban');
    expect(ban.body.clients.held).toBe(2);
    for (const ip of ['198.51.100.20', '198.51.100.21']) {
      expect((await comment({ site, post, ip, authorName: `Fresh ${ip}` })).body).toMatchObject({ code: 'AUTHOR_BANNED', scope: 'client' });
    }
    // A second token from the banned client is the same person as far as anyone can tell.
    const second = await comment({ site, post, ip: '198.51.100.21', token: bystander.body.authorToken as string });
    expect(second.status).toBe(403);
    expect(second.body.code).toBe('AUTHOR_BANNED');
  });

  it('when a guest is suspended, then their client holds until the suspension ends (AUTHOR_SUSPENDED), and reinstating lifts the hold', async () => {
    const site = (await createSite(server, { token: admin })).id;
    const post = uniqueId('post');
    const ip = '198.51.100.30';
    const first = await comment({ site, post, ip, authorName: 'Heated' });
    const authorId = first.body.comment.author.id as string;
    const until = new Date(clock.now().getTime() + 2 * HOUR_MS).toISOString();
    const suspend = await authorAction(authorId, 'suspend', { until });
    expect(suspend.body.clients).toEqual({ held: 1, until });
    const during = await comment({ site, post, ip, authorName: 'Someone Else' });
    expect(during.status).toBe(403);
    expect(during.body).toMatchObject({ code: 'AUTHOR_SUSPENDED', scope: 'client', until });
    clock.advance(2 * HOUR_MS);
    expect((await comment({ site, post, ip, authorName: 'After Suspension' })).status).toBe(201);

    await authorAction(authorId, 'ban');
    expect((await comment({ site, post, ip, authorName: 'While Banned' })).body.code).toBe('AUTHOR_BANNED');
    const reinstate = await authorAction(authorId, 'reinstate');
    expect(reinstate.body).toMatchObject({ author: { standing: 'active' }, clients: { held: 0, until: null } });
    expect((await comment({ site, post, ip, authorName: 'After Reinstating' })).status).toBe(201);
  });

  it('when a moderator bans with rejectComments, then the pending and published comments are rejected in the same action, audited, counted and announced', async () => {
    const site = (await createSite(server, { token: admin })).id;
    const origin = `https://${site}.example`;
    const post = uniqueId('post');
    const ip = '198.51.100.40';
    const first = await comment({ site, post, ip, origin, authorName: 'Spammer', body: 'First of my comments here' });
    const token = first.body.authorToken as string;
    const second = await comment({ site, post, ip, origin, token, body: 'Second comment of mine, also published' });
    const held = await comment({ site, post, ip, origin, token, body: 'Buy now at https://cheap-pills.example/deal' });
    expect(held.body.comment.status).toBe('pending');
    const keeper = await comment({ site, post, ip: '198.51.100.41', origin, authorName: 'Regular', body: 'An ordinary reader comment' });
    const authorId = first.body.comment.author.id as string;
    expect(await storedCounts(server, site, post)).toMatchObject({ published: 3, pending: 1 });

    const reader = await connectReader(server.url, { origin });
    const joined = await emitWithAck(reader, 'post:join', { site, post });
    expect(joined.ok).toBe(true);
    const readerEvents = record(reader);
    const moderator = connectModerator(server.url, { token: admin, sites: [site] });
    expect(await handshake(moderator)).toEqual({ connected: true });
    const moderatorEvents = record(moderator);

    const ban = await authorAction(authorId, 'ban', { rejectComments: true, reason: 'spam', note: 'spam run' });
    expect(ban.status).toBe(200);
    const ids = [first.body.comment.id, second.body.comment.id, held.body.comment.id] as string[];
    expect(ban.body.rejected.count).toBe(3);
    expect([...(ban.body.rejected.ids as string[])].sort()).toEqual([...ids].sort());
    expect(ban.body.author).toMatchObject({ standing: 'banned', history: { published: 0, pending: 0, rejected: 3 } });

    // The thread keeps only the other reader; the counts follow.
    const thread = await readThread(server, { site, post, origin });
    expect(thread.comments.map((c) => c.id)).toEqual([keeper.body.comment.id]);
    expect(thread.post.counts.published).toBe(1);
    expect(await storedCounts(server, site, post)).toMatchObject({ published: 1, pending: 0 });
    const stored = await server.database.connection.collection('comments').find({ authorId }).toArray();
    expect(stored.map((doc) => doc['status'])).toEqual(['rejected', 'rejected', 'rejected']);

    // Live: readers see both published comments go; moderators see the held one leave the queue.
    await waitFor(() => readerEvents.filter((e) => e.event === 'comment:removed').length === 2, 'two comment:removed');
    expect(readerEvents.filter((e) => e.event === 'comment:removed').map((e) => e.payload['id']).sort()).toEqual(
      [first.body.comment.id, second.body.comment.id].sort(),
    );
    await waitFor(() => moderatorEvents.some((e) => e.event === 'queue:removed' && e.payload['id'] === held.body.comment.id), 'queue:removed');

    // Audited: one rejection per comment with the reason and note, and the ban with its count.
    const audit = await request(server.url).get(`/api/v1/mod/audit?site=${site}`).set(asAdmin());
    const entries = audit.body.entries as { action: string; commentId: string | null; reason: string | null; note: string | null; detail: Record<string, unknown> }[];
    const rejections = entries.filter((e) => e.action === 'comment.reject');
    expect(rejections.map((e) => e.commentId).sort()).toEqual([...ids].sort());
    expect(rejections.every((e) => e.reason === 'spam' && e.note === 'spam run')).toBe(true);
    expect(entries.find((e) => e.action === 'author.ban')?.detail).toMatchObject({ to: 'banned', rejectedComments: 3, clientsHeld: 1 });

    // The queues agree.
    const pending = await request(server.url).get(`/api/v1/mod/queue?queue=pending&site=${site}`).set(asAdmin());
    expect(pending.body.items).toHaveLength(0);
    const rejected = await request(server.url).get(`/api/v1/mod/queue?queue=rejected&site=${site}`).set(asAdmin());
    expect(rejected.body.items).toHaveLength(3);
  });

  it('when a ban carries options it cannot honour, then it is refused with 400 rather than ignored', async () => {
    const site = (await createSite(server, { token: admin })).id;
    const first = await comment({ site, post: uniqueId('post'), authorName: 'Someone' });
    const authorId = first.body.comment.author.id as string;
    const cases: [string, Record<string, unknown>][] = [
      ['ban', { until: new Date(clock.now().getTime() + HOUR_MS).toISOString() }],
      ['ban', { reason: 'spam' }],
      ['premoderate', { rejectComments: true }],
      ['ban', { rejectComments: 'yes' }],
      ['ban', { rejectComments: true, reason: 'not-a-reason' }],
    ];
    for (const [action, body] of cases) {
      const res = await authorAction(authorId, action, body);
      expect([action, body, res.status, res.body.code]).toEqual([action, body, 400, 'VALIDATION_FAILED']);
    }
    const standing = await server.database.connection.collection('authors').findOne({ name: 'Someone', site });
    expect(standing?.['standing']).toBe('active');
  });
});
