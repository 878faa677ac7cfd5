import request from 'supertest';
import { io, type Socket } from 'socket.io-client';
import type { AuditPageDto, QueuePageDto } from '../../src/contracts/moderation-api';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/contracts/socket-events';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';
import { API, createSite, loginAdmin, patchSite, postComment, readThread, sendComment, uniqueId } from '../helpers/factories';

type Reader = Socket<ServerToClientEvents, ClientToServerEvents>;
const DAY_MS = 24 * 3600_000;

/**
 * A site's `closeAfterDays` closes each post that many days after it was first
 * seen, as a moderator's Close would: new comments are refused, open widgets
 * are told, the audit log says the system did it. A post a moderator opens
 * again stays open.
 */
describe('closing posts after a site’s closeAfterDays', () => {
  // From now on, not from a fixed day: the database's TTL sweep deletes by the real clock, and a session
  // the service's clock issued in the real past would be swept before the test used it.
  const clock = new ManualClock();
  const origin = 'https://old-news.example';
  let server: TestServer;
  let admin: string;
  let site: string;
  const sockets: Socket[] = [];

  const waitFor = async <T>(read: () => Promise<T>, isDone: (value: T) => boolean, what: string): Promise<T> => {
    for (let attempt = 0; attempt < 80; attempt += 1) {
      const value = await read();
      if (isDone(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  // Sessions expire while the clock moves days ahead: sign in again for each moderator call.
  const signIn = async (): Promise<string> => (admin = await loginAdmin(server));
  const postIdOf = async (commentId: string): Promise<string> => {
    await signIn();
    const queue = (await request(server.url).get(`${API}/mod/queue?queue=approved&site=${site}`).set('Authorization', `Bearer ${admin}`).expect(200))
      .body as QueuePageDto;
    const id = queue.items.find((item) => item.comment.id === commentId)?.post.id;
    if (id === undefined) throw new Error('post not in the queue');
    return id;
  };

  beforeAll(async () => {
    server = await startTestServer({ clock });
    admin = await loginAdmin(server);
    site = (await createSite(server, { token: admin, origins: [origin], settings: { closeAfterDays: 7 } })).id;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server.close();
  });

  it('when a post is older than the site’s closeAfterDays, then it closes: readers are told live, new comments are refused, the audit log names the system', async () => {
    const old = uniqueId('post');
    const fresh = uniqueId('post');
    const { comment } = await postComment(server, { site, post: old, body: 'Written on the first day', origin });
    const reader: Reader = io(server.url, { transports: ['websocket'], extraHeaders: { origin }, forceNew: true });
    sockets.push(reader);
    const updates: unknown[] = [];
    reader.on('post:updated', (event) => updates.push(event.state));
    await new Promise<void>((resolve) => reader.once('connect', () => resolve()));
    await new Promise<void>((resolve) => reader.emit('post:join', { site, post: old }, () => resolve()));

    clock.advance(6 * DAY_MS);
    await postComment(server, { site, post: fresh, body: 'Written on day six', origin });
    clock.advance(2 * DAY_MS);

    const page = await waitFor(() => readThread(server, { site, post: old }), (thread) => thread.post.closed, 'the old post to close');
    expect(page.comments.map((c) => c.id)).toEqual([comment.id]);
    expect((await readThread(server, { site, post: fresh })).post.closed).toBe(false);
    const refused = await sendComment(server, { site, post: old, body: 'Too late to the party', origin });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'POST_CLOSED' });
    expect((await sendComment(server, { site, post: fresh, body: 'Still open here', origin })).status).toBe(201);
    await waitFor(() => Promise.resolve(updates), (list) => list.length > 0, 'post:updated');
    expect(updates).toEqual([{ closed: true, banner: null }]);
    await signIn();
    const audit = (await request(server.url).get(`${API}/mod/audit?site=${site}&action=post.close`).set('Authorization', `Bearer ${admin}`).expect(200))
      .body as AuditPageDto;
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ actor: { kind: 'system' }, action: 'post.close' });
  });

  it('when a moderator opens an auto-closed post again, then it stays open on later sweeps', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(server, { site, post, body: 'An old thread worth reopening', origin });
    clock.advance(8 * DAY_MS);
    await waitFor(() => readThread(server, { site, post }), (thread) => thread.post.closed, 'the post to close');
    const postId = await postIdOf(comment.id);
    await signIn();
    await request(server.url).patch(`${API}/mod/posts/${postId}`).set('Authorization', `Bearer ${admin}`).send({ closed: false }).expect(200);
    clock.advance(2 * DAY_MS);
    // Another post closing shows a sweep ran after the reopening.
    const other = uniqueId('post');
    await postComment(server, { site, post: other, body: 'Another thread', origin });
    clock.advance(8 * DAY_MS);
    await waitFor(() => readThread(server, { site, post: other }), (thread) => thread.post.closed, 'the other post to close');
    expect((await readThread(server, { site, post })).post.closed).toBe(false);
    expect((await sendComment(server, { site, post, body: 'Back in the conversation', origin })).status).toBe(201);
  });

  it('when closeAfterDays is 0 or left out, then posts never close by age; a bad value is refused', async () => {
    await signIn();
    const never = (await createSite(server, { token: admin, origins: ['https://never.example'] })).id;
    expect((await request(server.url).get(`${API}/mod/sites/${never}`).set('Authorization', `Bearer ${admin}`).expect(200)).body).toMatchObject({
      settings: { closeAfterDays: 0 },
    });
    const post = uniqueId('post');
    await postComment(server, { site: never, post, body: 'Evergreen', origin: 'https://never.example' });
    clock.advance(400 * DAY_MS);
    // A sweep ran: a post of the closing site, first seen now, closes after its own days.
    const probe = uniqueId('post');
    await postComment(server, { site, post: probe, body: 'Probe', origin });
    clock.advance(8 * DAY_MS);
    await waitFor(() => readThread(server, { site, post: probe }), (thread) => thread.post.closed, 'the probe to close');
    expect((await readThread(server, { site: never, post })).post.closed).toBe(false);
    await signIn();
    for (const bad of [-1, 1.5, 'seven', 100_000]) {
      const res = await request(server.url).patch(`${API}/mod/sites/${never}`).set('Authorization', `Bearer ${admin}`).send({ settings: { closeAfterDays: bad } });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    await patchSite(server, never, { settings: { closeAfterDays: 30 } }, admin);
    // Sweeps run once a minute of service time.
    clock.advance(2 * 60_000);
    await waitFor(() => readThread(server, { site: never, post }), (thread) => thread.post.closed, 'the evergreen post to close once the site sets 30 days');
  });
});
