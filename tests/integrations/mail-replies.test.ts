import request from 'supertest';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';
import { API, createSite, loginAdmin, postComment, sendComment } from '../helpers/factories';
import { eventually } from '../helpers/webhook-receiver';
import { linkIn, startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../helpers/smtp-receiver';
import type { SiteDto } from '../../src/contracts/moderation-api';

const BATCH_MS = 300_000;

/** The path and query of a link the service put in a mail (its host is PUBLIC_URL). */
function pathOf(link: string): string {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}

describe('reply notifications over a real SMTP server', () => {
  let smtp: SmtpReceiver;
  let server: TestServer;
  let clock: ManualClock;
  let site: SiteDto;
  let origin: string;
  const postUrl = (): string => `${origin}/2026/istanbul-talks`;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    clock = new ManualClock();
    server = await startTestServer({
      clock,
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Parley <comments@parley.test>',
        MAIL_RETRY_BASE_MS: '1000',
        PUBLIC_URL: 'https://comments.parley.test',
        GDPR_DELETION_GRACE_HOURS: '0',
      },
    });
    site = await createSite(server, { name: 'Стамбульський блог', token: await loginAdmin(server) });
    origin = site.origins[0] ?? '';
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  /** A guest's comment and a confirmed subscription for it; returns the guest's token. */
  async function subscribedGuest(email: string, lang: 'en' | 'ru' | 'uk' = 'en') {
    const own = await postComment(server, { site: site.id, post: 'istanbul', origin, authorName: 'Оксана', postUrl: postUrl(), body: 'Чудова розмова' });
    const res = await request(server.url)
      .post(`${API}/sites/${site.id}/subscriptions`)
      .set('Origin', origin)
      .set('Authorization', `Bearer ${own.token ?? ''}`)
      .send({ email, lang })
      .expect(202);
    expect(res.body).toMatchObject({ isConfirmationSent: true, subscription: { status: 'pending', lang } });
    const [confirmation] = await eventually(() => smtp.mailsTo(email), (mails) => mails.length === 1, `confirmation to ${email}`);
    return { own, token: own.token ?? '', confirmation: confirmation as ReceivedMail };
  }

  async function confirm(mail: ReceivedMail): Promise<request.Response> {
    const link = linkIn(mail, 'https://comments.parley.test/api/v1/subscriptions/confirm?token=');
    return request(server.url).get(pathOf(link));
  }

  /** Waits until the replies to an author's comments were noted for their next mail (listeners run after the 201). */
  async function noticesOf(authorId: string, count: number): Promise<void> {
    const db = server.database.connection;
    await eventually(
      async () => {
        const subscription = await db.collection('mail_subscriptions').findOne({ authorId });
        return subscription ? db.collection('mail_reply_notices').countDocuments({ subscriptionId: subscription._id.toHexString() }) : -1;
      },
      (found) => found >= count,
      `${count} noted replies for ${authorId}`,
    );
  }

  /** Moves past the batching window and waits until the outbox has nothing left to send. */
  async function flushBatches(): Promise<void> {
    clock.advance(BATCH_MS + 1000);
    const outbox = server.database.connection.collection('mail_outbox');
    const notices = server.database.connection.collection('mail_reply_notices');
    await eventually(
      async () => ({
        unsent: await outbox.countDocuments({ status: { $in: ['pending', 'sending'] } }),
        due: await notices.countDocuments({ mailedAt: null, dueAt: { $lte: clock.now() } }),
      }),
      (state) => state.unsent === 0 && state.due === 0,
      'the outbox to be sent',
    );
  }

  it('when a guest subscribes, confirms, and someone replies, then one mail brings the reply, its permalink and RFC 8058 headers; one click stops them', async () => {
    const email = 'oksana@example.test';
    const { own, token, confirmation } = await subscribedGuest(email, 'uk');
    expect(confirmation.parsed.subject).toBe('Підтвердьте сповіщення про відповіді на Стамбульський блог');
    expect(confirmation.parsed.from?.text).toContain('comments@parley.test');
    expect(confirmation.parsed.html).toContain('lang="uk"');

    // Double opt-in: before the link is opened, replies send nothing.
    await postComment(server, { site: site.id, post: 'istanbul', origin, parentId: own.comment.id, authorName: 'Petro', body: 'Before confirming' });
    await flushBatches();
    expect(smtp.mailsTo(email)).toHaveLength(1);

    const page = await confirm(confirmation);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<html lang="uk"');
    expect(page.text).toContain('Сповіщення підтверджено');
    const state = await request(server.url).get(`${API}/sites/${site.id}/subscriptions`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(state.body).toEqual({ isMailEnabled: true, subscription: { status: 'active', email: 'o•••@example.test', lang: 'uk' }, signInEmail: null });

    // Replying to oneself sends nothing.
    await postComment(server, { site: site.id, post: 'istanbul', origin, parentId: own.comment.id, token, body: 'Дякую всім' });
    const reply = await postComment(server, { site: site.id, post: 'istanbul', origin, parentId: own.comment.id, authorName: 'Petro', body: 'Згоден, дуже цікаво!' });
    await noticesOf(own.comment.author?.id ?? '', 1);
    await flushBatches();
    const mails = smtp.mailsTo(email);
    expect(mails).toHaveLength(2);
    const notification = mails[1] as ReceivedMail;
    expect(notification.parsed.subject).toBe('1 нова відповідь на ваш коментар на Стамбульський блог');
    expect(notification.parsed.text).toContain('Згоден, дуже цікаво!');
    expect(notification.parsed.text).toContain('Petro');
    expect(notification.parsed.text).not.toContain('Дякую всім');
    expect(notification.parsed.text).not.toContain('Before confirming');
    expect(notification.parsed.text).toContain(`${postUrl()}#parley-${reply.comment.id}`);
    expect(notification.parsed.html).toContain(`href="${postUrl()}#parley-${reply.comment.id}"`);
    const listUnsubscribe = notification.header('list-unsubscribe') ?? '';
    expect(listUnsubscribe).toMatch(/^<https:\/\/comments\.parley\.test\/api\/v1\/subscriptions\/unsubscribe\?token=[\w.-]+>$/);
    expect(notification.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    // Opening the link shows a button and changes nothing (mail scanners open links).
    const unsubscribePath = pathOf(listUnsubscribe.slice(1, -1));
    const asked = await request(server.url).get(unsubscribePath).expect(200);
    expect(asked.text).toContain('Відписатися');
    expect(asked.text).toContain('<form method="post"');
    expect(await server.database.connection.collection('mail_subscriptions').countDocuments({ authorId: own.comment.author?.id ?? '' })).toBe(1);

    // RFC 8058 one-click: a POST with the form body, no sign-in.
    const done = await request(server.url)
      .post(unsubscribePath)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    expect(done.text).toContain('Ви відписалися');
    expect(await server.database.connection.collection('mail_subscriptions').countDocuments({ authorId: own.comment.author?.id ?? '' })).toBe(0);

    // A sentinel subscriber shows the batch ran; the unsubscribed reader gets nothing.
    const sentinel = await subscribedGuest('sentinel@example.test');
    await confirm(sentinel.confirmation).then((res) => expect(res.status).toBe(200));
    await postComment(server, { site: site.id, post: 'istanbul', origin, parentId: own.comment.id, authorName: 'Petro', body: 'After unsubscribing' });
    await postComment(server, { site: site.id, post: 'istanbul', origin, parentId: sentinel.own.comment.id, authorName: 'Petro', body: 'To the sentinel' });
    await noticesOf(sentinel.own.comment.author?.id ?? '', 1);
    await flushBatches();
    expect(smtp.mailsTo('sentinel@example.test')).toHaveLength(2);
    expect(smtp.mailsTo(email)).toHaveLength(2);

    // The link again: already done, nothing changes.
    const again = await request(server.url).post(unsubscribePath).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(again.headers['x-parley-outcome']).toBe('gone');
  });

  it('when several replies arrive within the window, then they go out in one mail', async () => {
    const email = 'batch@example.test';
    const { own, confirmation } = await subscribedGuest(email, 'en');
    await confirm(confirmation);
    for (const [name, body] of [['Ali', 'First answer, **in bold**'], ['Мария', 'Второй ответ'], ['Li', '第三个回答']] as const) {
      await postComment(server, { site: site.id, post: 'istanbul', origin, parentId: own.comment.id, authorName: name, body });
    }
    await noticesOf(own.comment.author?.id ?? '', 3);
    await flushBatches();
    const mails = smtp.mailsTo(email);
    expect(mails).toHaveLength(2);
    const digest = mails[1] as ReceivedMail;
    expect(digest.parsed.subject).toBe('3 new replies to your comments on Стамбульський блог');
    for (const body of ['First answer', 'Второй ответ', '第三个回答']) expect(digest.parsed.text).toContain(body);
    // The HTML part shows the formatting readers see in the thread, not the Markdown source.
    expect(digest.parsed.html).toContain('<strong>in bold</strong>');
    expect(digest.parsed.html).not.toContain('**in bold**');
  });

  it('when a reply is held, then no mail goes until a moderator approves it', async () => {
    const email = 'held@example.test';
    const admin = await loginAdmin(server);
    const { own, confirmation } = await subscribedGuest(email);
    await confirm(confirmation);
    await request(server.url)
      .patch(`${API}/mod/sites/${site.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ settings: { premoderation: 'all' } })
      .expect(200);
    const held = await postComment(server, { site: site.id, post: 'istanbul', origin, parentId: own.comment.id, authorName: 'Held', body: 'Held for review' });
    expect(held.comment.status).toBe('pending');
    await flushBatches();
    expect(smtp.mailsTo(email)).toHaveLength(1);
    await request(server.url).post(`${API}/mod/comments/${held.comment.id}/approve`).set('Authorization', `Bearer ${admin}`).send({}).expect(200);
    await noticesOf(own.comment.author?.id ?? '', 1);
    await flushBatches();
    expect(smtp.mailsTo(email)).toHaveLength(2);
    expect(smtp.mailsTo(email)[1]?.parsed.text).toContain('Held for review');
    await request(server.url)
      .patch(`${API}/mod/sites/${site.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ settings: { premoderation: 'none' } })
      .expect(200);
  });

  it('when a confirmation link is expired or forged, then a page in the right language says so and nothing is confirmed', async () => {
    const email = 'late@example.test';
    const { token, confirmation } = await subscribedGuest(email, 'ru');
    clock.advance(49 * 3600_000);
    const expired = await confirm(confirmation);
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('Срок действия ссылки истёк');
    const forged = await request(server.url).get(`${API}/subscriptions/confirm?token=eyJwIjoiY29uZmlybSJ9.AAAA`).set('Accept-Language', 'uk-UA,uk;q=0.9');
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('Це посилання не працює');
    const missing = await request(server.url).get(`${API}/subscriptions/confirm`);
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('This link does not work');
    const state = await request(server.url).get(`${API}/sites/${site.id}/subscriptions`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(state.body.subscription).toMatchObject({ status: 'pending' });
  });

  it('when a subscriber downloads and deletes their data, then the address is in the download and erased after', async () => {
    const email = 'gdpr@example.test';
    const { token, own, confirmation } = await subscribedGuest(email);
    await confirm(confirmation);
    const data = await request(server.url).get(`${API}/me/data?site=${site.id}`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(data.body.mailSubscriptions).toEqual([expect.objectContaining({ site: site.id, email, status: 'active' })]);
    const stored = await server.database.connection.collection('mail_subscriptions').findOne({ authorId: own.comment.author?.id ?? '' });
    expect(JSON.stringify(stored)).not.toContain(email);
    await request(server.url).delete(`${API}/me?site=${site.id}`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(await server.database.connection.collection('mail_subscriptions').countDocuments({ authorId: own.comment.author?.id ?? '' })).toBe(0);
  });

  it('when the SMTP server is down, then posts still succeed, /readyz and metrics show it, and the mail goes once it is back', async () => {
    const email = 'retry@example.test';
    const { own, confirmation } = await subscribedGuest(email);
    await confirm(confirmation);
    await smtp.stop();
    const res = await sendComment(server, { site: site.id, post: 'istanbul', origin, parentId: own.comment.id, authorName: 'Petro', body: 'While the mail server sleeps' });
    expect(res.body).toMatchObject({ comment: { status: 'published' } });
    expect(res.status).toBe(201);
    await noticesOf(own.comment.author?.id ?? '', 1);
    clock.advance(BATCH_MS + 1000);
    const ready = await eventually(
      async () => (await request(server.url).get('/readyz')).body as { status: string; mail: { status: string; pending: number; lastError: string | null } },
      (body) => body.mail.status === 'failing',
      '/readyz to show failing mail',
    );
    expect(ready).toMatchObject({ status: 'degraded', database: true, mail: { status: 'failing', pending: 1 } });
    expect(ready.mail.lastError).toMatch(/ECONNREFUSED|connect/i);
    const metrics = await request(server.url).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/parley_mail_send_failures_total\{kind="replies"\} [1-9]/);
    expect(metrics.text).toMatch(/parley_mail_smtp_up 0/);
    const failed = await server.database.connection.collection('mail_outbox').findOne({ kind: 'replies', status: 'pending', attempts: { $gte: 1 } });
    expect(failed?.['lastError']).toMatch(/ECONNREFUSED|connect/i);
    expect(failed?.['toSealed']).not.toContain(email);

    await smtp.start();
    clock.advance(60_000);
    await eventually(() => smtp.mailsTo(email), (mails) => mails.length === 2, 'the retried notification');
    expect(smtp.mailsTo(email)[1]?.parsed.text).toContain('While the mail server sleeps');
    const after = await eventually(
      async () => (await request(server.url).get('/readyz')).body as { status: string; mail: { status: string } },
      (body) => body.mail.status === 'ok',
      '/readyz to recover',
    );
    expect(after.status).toBe('ready');
  });
});

describe('mail off (no SMTP_URL)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('when a reader asks for notifications, then 409 MAIL_DISABLED says mail is off; the widget is told before asking', async () => {
    const site = await createSite(server);
    const origin = site.origins[0] ?? '';
    const own = await postComment(server, { site: site.id, post: 'p', origin });
    const state = await request(server.url).get(`${API}/sites/${site.id}/subscriptions`).set('Origin', origin).expect(200);
    expect(state.body).toEqual({ isMailEnabled: false, subscription: null, signInEmail: null });
    const res = await request(server.url)
      .post(`${API}/sites/${site.id}/subscriptions`)
      .set('Origin', origin)
      .set('Authorization', `Bearer ${own.token ?? ''}`)
      .send({ email: 'someone@example.test' })
      .expect(409);
    expect(res.body).toMatchObject({ code: 'MAIL_DISABLED' });
    expect(res.body.detail).toMatch(/SMTP_URL/);
    const ready = await request(server.url).get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready', mail: { status: 'off' } });
  });

  it('when input is wrong, then 4xx with a code, never a 500', async () => {
    const site = await createSite(server);
    const own = await postComment(server, { site: site.id, post: 'p' });
    const bearer = `Bearer ${own.token ?? ''}`;
    const path = `${API}/sites/${site.id}/subscriptions`;
    expect((await request(server.url).post(path).send({ email: 'x@example.test' })).body.code).toBe('AUTHOR_TOKEN_INVALID');
    expect((await request(server.url).post(path).set('Authorization', bearer).send({ email: 'not an address' })).body.code).toBe('VALIDATION_FAILED');
    expect((await request(server.url).post(path).set('Authorization', bearer).send({ email: { $gt: '' } })).body.code).toBe('VALIDATION_FAILED');
    expect((await request(server.url).post(path).set('Authorization', bearer).send({ email: 'x@example.test', lang: 'de' })).body.code).toBe('VALIDATION_FAILED');
    expect((await request(server.url).post(path).set('Authorization', bearer).send({ email: 'x@example.test', extra: 1 })).body.code).toBe('VALIDATION_FAILED');
    expect((await request(server.url).post(`${API}/sites/nope-site/subscriptions`).set('Authorization', bearer).send({ email: 'x@example.test' })).body.code).toBe('SITE_NOT_FOUND');
    expect((await request(server.url).post(path).set('Origin', 'https://evil.example').set('Authorization', bearer).send({ email: 'x@example.test' })).body.code).toBe('ORIGIN_NOT_ALLOWED');
  });
});
