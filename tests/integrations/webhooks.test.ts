import request from 'supertest';
import { ManualClock, startTestServer, type TestServer } from '../helpers/test-server';
import {
  API,
  createModerator,
  createSite,
  loginAdmin,
  postComment,
  reportComment,
} from '../helpers/factories';
import {
  eventually,
  startWebhookReceiver,
  verifyParleySignature,
  type WebhookReceiver,
} from '../helpers/webhook-receiver';

const SECRET = 'whsec-0123456789abcdef';

describe('webhooks: signed deliveries of comment and post events, retried and logged', () => {
  let server: TestServer;
  let admin: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    server = await startTestServer({
      env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_BASE_MS: '50' },
    });
    admin = await loginAdmin(server);
  });
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });
  afterAll(async () => {
    await server.close();
  });

  const mod = () => ({ Authorization: `Bearer ${admin}` });

  async function register(site: string, events: string[], url = receiver.url) {
    return request(server.url)
      .post(`${API}/mod/sites/${site}/webhooks`)
      .set(mod())
      .send({ url, events, secret: SECRET });
  }

  const ofType = (type: string) => receiver.calls.filter((call) => call.body.type === type);

  it('when an endpoint is registered, then the secret is never shown again and new comments arrive signed', async () => {
    const site = await createSite(server, { token: admin });
    const created = await register(site.id, ['comment.created', 'comment.published']);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      site: site.id,
      url: receiver.url,
      events: ['comment.created', 'comment.published'],
      secretHint: '…cdef',
    });
    expect(JSON.stringify(created.body)).not.toContain(SECRET);
    const listed = await request(server.url)
      .get(`${API}/mod/sites/${site.id}/webhooks`)
      .set(mod())
      .expect(200);
    expect(listed.body.webhooks.map((hook: { id: string }) => hook.id)).toEqual([created.body.id]);
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);

    const posted = await postComment(server, {
      site: site.id,
      post: 'talks',
      origin: site.origins[0],
      body: 'Перемир’я — це початок.',
    });
    await eventually(
      () => receiver.calls.length,
      (n) => n >= 2,
      'two deliveries',
    );
    const types = receiver.calls.map((call) => call.body.type).sort();
    expect(types).toEqual(['comment.created', 'comment.published']);
    for (const call of receiver.calls) {
      expect(verifyParleySignature(call.headers['x-parley-signature'] as string, SECRET, call.raw)).toBe(
        true,
      );
      expect(
        verifyParleySignature(
          call.headers['x-parley-signature'] as string,
          'another secret entirely',
          call.raw,
        ),
      ).toBe(false);
      expect(call.headers['x-parley-event']).toBe(call.body.type);
      expect(call.headers['x-parley-delivery']).toMatch(/^[0-9a-f]{24}$/);
      expect(call.body.data).toMatchObject({
        site: site.id,
        comment: { id: posted.comment.id, body: 'Перемир’я — це початок.' },
        post: { key: 'talks' },
      });
    }
    // Two events, two event ids.
    expect(new Set(receiver.calls.map((call) => call.body.id)).size).toBe(2);
  });

  it('when the endpoint fails twice, then the delivery is retried with back-off and the log shows three attempts ending in 200', async () => {
    const site = await createSite(server, { token: admin });
    const hook = (await register(site.id, ['comment.created'])).body as { id: string };
    receiver.failNext(2, 503);
    await postComment(server, { site: site.id, post: 'p', origin: site.origins[0] });
    await eventually(
      () => receiver.calls.length,
      (n) => n >= 3,
      'three attempts',
    );
    const [a, b, c] = receiver.calls;
    expect(new Set([a, b, c].map((call) => call?.body.id)).size).toBe(1);
    expect(new Set([a, b, c].map((call) => call?.headers['x-parley-delivery'])).size).toBe(1);
    const log = await eventually(
      async () =>
        (
          await request(server.url)
            .get(`${API}/mod/sites/${site.id}/webhooks/${hook.id}/deliveries`)
            .set(mod())
        ).body as {
          deliveries: {
            status: string;
            attempts: number;
            lastStatus: number;
            lastLatencyMs: number;
            lastError: string | null;
          }[];
        },
      (body) => body.deliveries[0]?.status === 'delivered',
      'the delivery to be logged as delivered',
    );
    expect(log.deliveries).toHaveLength(1);
    expect(log.deliveries[0]).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatus: 200,
      lastError: null,
    });
    expect(typeof log.deliveries[0]?.lastLatencyMs).toBe('number');
  });

  it('when comments are rejected or reported and a post heats up or closes, then each subscribed event is delivered', async () => {
    const site = await createSite(server, { token: admin });
    await register(site.id, ['comment.rejected', 'comment.reported', 'post.heated', 'post.closed']);
    const first = await postComment(server, {
      site: site.id,
      post: 'debate',
      origin: site.origins[0],
      body: 'To be rejected',
    });
    const second = await postComment(server, {
      site: site.id,
      post: 'debate',
      origin: site.origins[0],
      body: 'To be reported',
    });
    await request(server.url)
      .post(`${API}/mod/comments/${first.comment.id}/reject`)
      .set(mod())
      .send({ reason: 'abuse' })
      .expect(200);
    await reportComment(server, second.comment.id, { reason: 'spam' }).expect(201);
    const thread = await request(server.url)
      .get(`${API}/sites/${site.id}/posts/debate/comments`)
      .set('Origin', site.origins[0] ?? '');
    const postId = (thread.body as { post: { id: string } }).post.id;
    await request(server.url)
      .patch(`${API}/mod/posts/${postId}`)
      .set(mod())
      .send({ heat: 'heated' })
      .expect(200);
    await request(server.url)
      .patch(`${API}/mod/posts/${postId}`)
      .set(mod())
      .send({ closed: true })
      .expect(200);
    await eventually(
      () => receiver.calls.length,
      (n) => n >= 4,
      'four events',
    );
    expect(ofType('comment.rejected')[0]?.body.data).toMatchObject({
      comment: { id: first.comment.id, status: 'rejected' },
      by: 'moderator',
    });
    expect(ofType('comment.reported')[0]?.body.data).toMatchObject({
      comment: { id: second.comment.id },
      reason: 'spam',
    });
    expect(ofType('post.heated')[0]?.body.data).toMatchObject({
      post: { id: postId, heat: 'heated' },
      previous: { heat: 'normal' },
    });
    expect(ofType('post.closed')[0]?.body.data).toMatchObject({
      post: { id: postId, closed: true },
      previous: { closed: false },
    });
    // Not subscribed: no comment.created.
    expect(ofType('comment.created')).toHaveLength(0);
  });

  it('when a moderator sends a test event and then redelivers it, then the receiver gets it twice with the same event id', async () => {
    const site = await createSite(server, { token: admin });
    const hook = (await register(site.id, ['comment.created'])).body as { id: string };
    const test = await request(server.url)
      .post(`${API}/mod/sites/${site.id}/webhooks/${hook.id}/test`)
      .set(mod())
      .expect(202);
    await eventually(
      () => ofType('webhook.test').length,
      (n) => n >= 1,
      'the test event',
    );
    const redelivered = await request(server.url)
      .post(`${API}/mod/sites/${site.id}/webhooks/${hook.id}/deliveries/${test.body.id as string}/redeliver`)
      .set(mod())
      .expect(202);
    expect(redelivered.body.status).toBe('pending');
    await eventually(
      () => ofType('webhook.test').length,
      (n) => n >= 2,
      'the redelivery',
    );
    const [one, two] = ofType('webhook.test');
    expect(two?.body.id).toBe(one?.body.id);
    expect(two?.raw).toBe(one?.raw);
    const audit = await request(server.url).get(`${API}/mod/audit?site=${site.id}`).set(mod()).expect(200);
    const actions = (audit.body.entries as { action: string }[]).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['webhook.create', 'webhook.test', 'webhook.redeliver']));
  });

  it('when an endpoint is deleted, then it receives nothing more', async () => {
    const site = await createSite(server, { token: admin });
    const hook = (await register(site.id, ['comment.created'])).body as { id: string };
    await request(server.url)
      .delete(`${API}/mod/sites/${site.id}/webhooks/${hook.id}`)
      .set(mod())
      .expect(204);
    await postComment(server, { site: site.id, post: 'p', origin: site.origins[0] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.calls).toHaveLength(0);
    const gone = await request(server.url)
      .delete(`${API}/mod/sites/${site.id}/webhooks/${hook.id}`)
      .set(mod())
      .expect(404);
    expect(gone.body.code).toBe('WEBHOOK_NOT_FOUND');
  });

  it('when an endpoint is registered without a secret, then the service generates one, answers it once, and signs with it', async () => {
    const site = await createSite(server, { token: admin });
    const created = await request(server.url)
      .post(`${API}/mod/sites/${site.id}/webhooks`)
      .set(mod())
      .send({ url: receiver.url, events: ['comment.created'] })
      .expect(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    expect(created.body.secretHint).toBe(`…${secret.slice(-4)}`);
    const listed = await request(server.url).get(`${API}/mod/sites/${site.id}/webhooks`).set(mod()).expect(200);
    expect(listed.body.eventTypes).toEqual(expect.arrayContaining(['comment.created', 'post.closed']));
    expect(listed.body.webhooks[0]).toMatchObject({ id: created.body.id, enabled: true });
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    await postComment(server, { site: site.id, post: 'p', origin: site.origins[0] });
    const [call] = await eventually(
      () => ofType('comment.created'),
      (calls) => calls.length >= 1,
      'the delivery',
    );
    expect(verifyParleySignature(call?.headers['x-parley-signature'] as string, secret, call?.raw ?? '')).toBe(true);
  });

  it('when an endpoint is edited and disabled, then it keeps its log, new events skip it, and re-enabling brings them back', async () => {
    const site = await createSite(server, { token: admin });
    const quiet = (await register(site.id, ['comment.created'])).body as { id: string };
    const witness = (await register(site.id, ['comment.created'], `${receiver.url}?witness`)).body as { id: string };
    const edited = await request(server.url)
      .patch(`${API}/mod/sites/${site.id}/webhooks/${quiet.id}`)
      .set(mod())
      .send({ events: ['comment.created', 'comment.reported'], enabled: false })
      .expect(200);
    expect(edited.body).toMatchObject({ id: quiet.id, enabled: false, events: ['comment.created', 'comment.reported'] });
    await postComment(server, { site: site.id, post: 'p', origin: site.origins[0] });
    // Both endpoints' deliveries of one event are queued together: once the witness has its
    // delivery, a disabled endpoint that had been picked would have one too.
    await eventually(
      () => receiver.calls.filter((call) => call.body.type === 'comment.created').length,
      (n) => n >= 1,
      "the witness's delivery",
    );
    const quietLog = await request(server.url)
      .get(`${API}/mod/sites/${site.id}/webhooks/${quiet.id}/deliveries`)
      .set(mod())
      .expect(200);
    expect(quietLog.body.deliveries).toHaveLength(0);
    const witnessLog = await request(server.url)
      .get(`${API}/mod/sites/${site.id}/webhooks/${witness.id}/deliveries`)
      .set(mod())
      .expect(200);
    expect(witnessLog.body.deliveries).toHaveLength(1);

    await request(server.url)
      .patch(`${API}/mod/sites/${site.id}/webhooks/${quiet.id}`)
      .set(mod())
      .send({ enabled: true })
      .expect(200);
    await postComment(server, { site: site.id, post: 'p', origin: site.origins[0], body: 'A second one' });
    await eventually(
      async () =>
        (
          await request(server.url)
            .get(`${API}/mod/sites/${site.id}/webhooks/${quiet.id}/deliveries`)
            .set(mod())
        ).body.deliveries.length as number,
      (n) => n === 1,
      'a delivery to the re-enabled endpoint',
    );
    const empty = await request(server.url)
      .patch(`${API}/mod/sites/${site.id}/webhooks/${quiet.id}`)
      .set(mod())
      .send({})
      .expect(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
    const audit = await request(server.url).get(`${API}/mod/audit?site=${site.id}`).set(mod()).expect(200);
    expect((audit.body.entries as { action: string }[]).map((entry) => entry.action)).toContain('webhook.update');
  });

  it('when input is bad or the moderator is out of scope, then a clear problem comes back', async () => {
    const site = await createSite(server, { token: admin });
    const other = await createSite(server, { token: admin });
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'ftp://example.com/x', events: ['comment.created'], secret: SECRET }, 'url'],
      [{ url: 'not a url', events: ['comment.created'], secret: SECRET }, 'url'],
      [{ url: receiver.url, events: ['comment.exploded'], secret: SECRET }, 'events'],
      [{ url: receiver.url, events: [], secret: SECRET }, 'events'],
      [{ url: receiver.url, events: ['comment.created'], secret: 'short' }, 'secret'],
      [{ url: receiver.url, events: ['comment.created'], secret: SECRET, extra: 1 }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await request(server.url)
        .post(`${API}/mod/sites/${site.id}/webhooks`)
        .set(mod())
        .send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      if (field) expect(JSON.stringify(res.body)).toContain(field);
    }
    const scoped = await createModerator(server, { sites: [other.id], adminToken: admin });
    const denied = await request(server.url)
      .post(`${API}/mod/sites/${site.id}/webhooks`)
      .set('Authorization', `Bearer ${scoped.token}`)
      .send({ url: receiver.url, events: ['comment.created'], secret: SECRET });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('OUT_OF_SCOPE');
    await request(server.url).get(`${API}/mod/sites/${site.id}/webhooks`).expect(401);
    const missing = await request(server.url)
      .get(`${API}/mod/sites/${site.id}/webhooks/0123456789abcdef01234567/deliveries`)
      .set(mod())
      .expect(404);
    expect(missing.body.code).toBe('WEBHOOK_NOT_FOUND');
  });
});

describe('webhooks: safety and giving up', () => {
  it('when private URLs are not allowed (the default), then a loopback endpoint is refused', async () => {
    const server = await startTestServer();
    try {
      const admin = await loginAdmin(server);
      const site = await createSite(server, { token: admin });
      const res = await request(server.url)
        .post(`${API}/mod/sites/${site.id}/webhooks`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ url: 'http://127.0.0.1:9/hook', events: ['comment.created'], secret: SECRET });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/private or loopback/);
    } finally {
      await server.close();
    }
  });

  it('when an endpoint keeps failing for a day, then the delivery is marked failed with its last error', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({
      clock,
      env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_BASE_MS: '50' },
    });
    const receiver = await startWebhookReceiver();
    try {
      receiver.failAlways(500);
      const admin = await loginAdmin(server);
      const site = await createSite(server, { token: admin });
      const hook = (
        await request(server.url)
          .post(`${API}/mod/sites/${site.id}/webhooks`)
          .set('Authorization', `Bearer ${admin}`)
          .send({ url: receiver.url, events: ['comment.created'], secret: SECRET })
      ).body as { id: string };
      await postComment(server, { site: site.id, post: 'p', origin: site.origins[0] });
      await eventually(
        () => receiver.calls.length,
        (n) => n >= 1,
        'the first attempt',
      );
      clock.advance(25 * 60 * 60 * 1000);
      await eventually(
        () => receiver.calls.length,
        (n) => n >= 2,
        'the last attempt',
      );
      const fresh = await loginAdmin(server);
      const log = await eventually(
        async () =>
          (
            await request(server.url)
              .get(`${API}/mod/sites/${site.id}/webhooks/${hook.id}/deliveries`)
              .set('Authorization', `Bearer ${fresh}`)
          ).body as {
            deliveries: {
              status: string;
              lastError: string;
              lastStatus: number;
              nextAttemptAt: string | null;
            }[];
          },
        (body) => body.deliveries[0]?.status === 'failed',
        'the delivery to fail',
      );
      expect(log.deliveries[0]).toMatchObject({
        status: 'failed',
        lastStatus: 500,
        lastError: 'HTTP 500',
        nextAttemptAt: null,
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(receiver.calls).toHaveLength(2);
    } finally {
      await receiver.close();
      await server.close();
    }
  });
});
