import request from 'supertest';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';
import { API, createModerator, createSite, loginAdmin, postComment, reportComment } from '../helpers/factories';
import { eventually } from '../helpers/webhook-receiver';
import { startSmtpReceiver, type SmtpReceiver } from '../helpers/smtp-receiver';

describe('moderator notifications over a real SMTP server', () => {
  let smtp: SmtpReceiver;
  let server: TestServer;
  let clock: ManualClock;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    clock = new ManualClock();
    server = await startTestServer({
      clock,
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'comments@parley.test', PUBLIC_URL: 'https://comments.parley.test' },
    });
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  const setMode = (token: string, body: Record<string, unknown>) =>
    request(server.url).put(`${API}/mod/me/notifications`).set('Authorization', `Bearer ${token}`).send(body);

  it('when a moderator sets nothing, then every site is off; another site is refused', async () => {
    const site = await createSite(server);
    const other = await createSite(server);
    const moderator = await createModerator(server, { sites: [site.id] });
    const res = await request(server.url).get(`${API}/mod/me/notifications`).set('Authorization', `Bearer ${moderator.token}`).expect(200);
    expect(res.body).toEqual({ isMailEnabled: true, email: moderator.email, sites: [{ site: site.id, name: site.name, mode: 'off', lang: null }] });
    expect((await setMode(moderator.token, { site: other.id, mode: 'instant' })).body.code).toBe('OUT_OF_SCOPE');
    expect((await setMode(moderator.token, { site: site.id, mode: 'weekly' })).body.code).toBe('VALIDATION_FAILED');
    expect((await request(server.url).get(`${API}/mod/me/notifications`)).status).toBe(401);
  });

  it('when set to instant, then a held comment brings a mail at once with a link into the panel; a report brings another', async () => {
    const site = await createSite(server, { settings: { premoderation: 'all' } });
    const moderator = await createModerator(server, { sites: [site.id] });
    const set = await setMode(moderator.token, { site: site.id, mode: 'instant', lang: 'ru' }).expect(200);
    expect(set.body.sites).toEqual([expect.objectContaining({ site: site.id, mode: 'instant', lang: 'ru' })]);
    const held = await postComment(server, { site: site.id, post: 'news', authorName: 'Гость', body: 'Подождёт проверки' });
    expect(held.comment.status).toBe('pending');
    const [alert] = await eventually(() => smtp.mailsTo(moderator.email), (mails) => mails.length === 1, 'the instant alert');
    expect(alert?.parsed.subject).toBe(`Комментарий ждёт проверки на ${site.name}`);
    expect(alert?.parsed.text).toContain('Подождёт проверки');
    expect(alert?.parsed.text).toMatch(/https:\/\/comments\.parley\.test\/moderate#\/queue\/pending\?post=[0-9a-f]{24}/);

    const admin = await loginAdmin(server);
    await request(server.url).post(`${API}/mod/comments/${held.comment.id}/approve`).set('Authorization', `Bearer ${admin}`).send({}).expect(200);
    await reportComment(server, held.comment.id, { reason: 'spam' }).expect(201);
    const mails = await eventually(() => smtp.mailsTo(moderator.email), (found) => found.length === 2, 'the report alert');
    expect(mails[1]?.parsed.subject).toBe(`На комментарий пожаловались на ${site.name}`);
    expect(mails[1]?.parsed.text).toMatch(/moderate#\/queue\/reported\?post=/);
  });

  it('when set to hourly, then items gather into one digest an hour later; off stops them', async () => {
    const site = await createSite(server, { settings: { premoderation: 'all' } });
    const moderator = await createModerator(server, { sites: [site.id] });
    await setMode(moderator.token, { site: site.id, mode: 'hourly', lang: 'en' }).expect(200);
    for (const body of ['First held', 'Second held', 'Третій']) {
      await postComment(server, { site: site.id, post: 'digest', authorName: 'Guest', body });
    }
    const items = server.database.connection.collection('mail_moderator_digest_items');
    await eventually(() => items.countDocuments({ site: site.id }), (count) => count === 3, 'three gathered items');
    expect(smtp.mailsTo(moderator.email)).toHaveLength(0);
    clock.advance(3600_000 + 1000);
    const [digest] = await eventually(() => smtp.mailsTo(moderator.email), (mails) => mails.length === 1, 'the hourly digest');
    expect(digest?.parsed.subject).toBe(`3 new items to review on ${site.name}`);
    for (const body of ['First held', 'Second held', 'Третій']) expect(digest?.parsed.text).toContain(body);
    expect(digest?.parsed.text).toContain('https://comments.parley.test/moderate#/notifications');

    await setMode(moderator.token, { site: site.id, mode: 'off' }).expect(200);
    await postComment(server, { site: site.id, post: 'digest', authorName: 'Guest', body: 'Nobody is told' });
    expect(await items.countDocuments({ site: site.id })).toBe(0);
  });
});

describe('moderator notifications with mail off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('when a moderator asks for mail, then 409 MAIL_DISABLED; off is accepted', async () => {
    const site = await createSite(server);
    const token = await loginAdmin(server);
    const on = await request(server.url).put(`${API}/mod/me/notifications`).set('Authorization', `Bearer ${token}`).send({ site: site.id, mode: 'daily' });
    expect(on.status).toBe(409);
    expect(on.body.code).toBe('MAIL_DISABLED');
    const off = await request(server.url).put(`${API}/mod/me/notifications`).set('Authorization', `Bearer ${token}`).send({ site: site.id, mode: 'off' });
    expect(off.status).toBe(200);
    expect(off.body.isMailEnabled).toBe(false);
  });
});
