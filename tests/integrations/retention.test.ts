import request from 'supertest';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';
import { API, createSite, loginAdmin, postComment, reportComment } from '../helpers/factories';
import { eventually } from '../helpers/webhook-receiver';

describe('retention of client hashes (DATA_RETENTION_DAYS)', () => {
  let server: TestServer;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock();
    server = await startTestServer({ clock, env: { DATA_RETENTION_DAYS: '30' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('when the retention period passes, then client hashes and sign-in addresses go, and the reports, reactions and bans they served stay', async () => {
    const db = server.database.connection;
    const admin = await loginAdmin(server);
    const site = await createSite(server, { token: admin });
    const posted = await postComment(server, { site: site.id, post: 'kept', authorName: 'Guest', body: 'Зберігається' });
    const authorId = posted.comment.author?.id ?? '';
    await reportComment(server, posted.comment.id, { reason: 'spam', userAgent: 'anonymous-reader' }).expect(201);
    await request(server.url).put(`${API}/comments/${posted.comment.id}/reaction`).set('User-Agent', 'anonymous-reader').send({}).expect(200);
    await request(server.url).post(`${API}/mod/authors/${authorId}/ban`).set('Authorization', `Bearer ${admin}`).send({ note: 'spam' }).expect(200);

    const anonymous = { reader: { $regex: '^anon:' }, commentId: { $exists: true } };
    expect(await db.collection('guest_clients').countDocuments({ authorId })).toBe(1);
    expect(await db.collection('client_bans').countDocuments({ authorId })).toBe(1);
    expect(await db.collection('reports').countDocuments({ ...anonymous, site: site.id })).toBe(1);
    expect(await db.collection('reactions').countDocuments({ ...anonymous, site: site.id })).toBe(1);
    expect(await db.collection('moderator_sessions').countDocuments({ ip: { $ne: null } })).toBeGreaterThan(0);

    clock.advance(31 * 24 * 3600_000);
    await eventually(
      async () => ({
        clients: await db.collection('guest_clients').countDocuments({ authorId }),
        bans: await db.collection('client_bans').countDocuments({ authorId }),
        reports: await db.collection('reports').countDocuments({ ...anonymous, site: site.id }),
        reactions: await db.collection('reactions').countDocuments({ ...anonymous, site: site.id }),
        sessions: await db.collection('moderator_sessions').countDocuments({ ip: { $ne: null } }),
      }),
      (left) => Object.values(left).every((count) => count === 0),
      'the retention sweep',
    );
    // What the hashes served is still there: the report and its reason, the reaction, the author's own ban.
    const report = await db.collection('reports').findOne({ site: site.id });
    expect(report).toMatchObject({ reason: 'spam', reader: expect.stringMatching(/^expired:/) });
    expect(await db.collection('reactions').countDocuments({ site: site.id })).toBe(1);
    const author = await request(server.url).get(`${API}/mod/authors/${authorId}`).set('Authorization', `Bearer ${await loginAdmin(server)}`).expect(200);
    expect(JSON.stringify(author.body)).toContain('banned');
  });
});
