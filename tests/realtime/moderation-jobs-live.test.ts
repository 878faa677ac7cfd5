import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { ImportJobDto } from '../../src/contracts/portability';
import type { WebhookDeliveryEvent } from '../../src/contracts/socket-events';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createModerator, createSite, loginAdmin, postComment } from '../helpers/factories';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { closeAllSockets, connectModerator, handshake, record, settle, waitFor, type ModeratorClient } from './realtime-helpers';

const disqus = readFileSync(path.join(__dirname, '../fixtures/imports/disqus-export.xml'));

/**
 * The panel's Import & export and Webhooks screens follow their work live: an
 * import's progress and outcome reach the site's admins (`import:updated`, never
 * other moderators), and each webhook delivery queued or attempted reaches the
 * site's moderators (`webhook:delivery`).
 */
describe('imports and webhook deliveries, live on the /moderation namespace', () => {
  let server: TestServer;
  let admin: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    server = await startTestServer({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_BASE_MS: '50' } });
    admin = await loginAdmin(server);
    receiver = await startWebhookReceiver();
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await receiver.close();
    await server.close();
  });

  const connected = async (socket: ModeratorClient): Promise<ModeratorClient> => {
    expect(await handshake(socket)).toEqual({ connected: true });
    return socket;
  };
  const payloadsOf = <T>(received: ReturnType<typeof record>, event: string): T[] =>
    received.filter((entry) => entry.event === event).map((entry) => entry.payload as unknown as T);

  it('when an admin uploads an import, then the admins watching see it through to done, and a moderator of the site sees nothing of it', async () => {
    const site = await createSite(server, { token: admin });
    const moderator = await createModerator(server, { sites: [site.id], adminToken: admin });
    const everySite = record(await connected(connectModerator(server.url, { token: admin })));
    const watchingSite = record(await connected(connectModerator(server.url, { token: admin, sites: [site.id] })));
    const otherSite = record(await connected(connectModerator(server.url, { token: admin, sites: [(await createSite(server, { token: admin })).id] })));
    const notAdmin = record(await connected(connectModerator(server.url, { token: moderator.token })));

    const started = await request(server.url)
      .post(`${API}/mod/sites/${site.id}/imports?fileName=disqus-export.xml`)
      .set('Authorization', `Bearer ${admin}`)
      .set('Content-Type', 'application/octet-stream')
      .send(disqus)
      .expect(202);
    const job = started.body as ImportJobDto;
    const isDone = (received: ReturnType<typeof record>) =>
      payloadsOf<ImportJobDto>(received, 'import:updated').some((event) => event.id === job.id && event.status !== 'running');
    await waitFor(() => isDone(everySite) && isDone(watchingSite), 'the import to be told done', 15_000);

    const stored = (await request(server.url).get(`${API}/mod/sites/${site.id}/imports/${job.id}`).set('Authorization', `Bearer ${admin}`).expect(200))
      .body as ImportJobDto;
    expect(stored).toMatchObject({ status: 'done', summary: { imported: 7 } });
    // The last word each admin heard is the stored job, field for field.
    expect(payloadsOf<ImportJobDto>(everySite, 'import:updated').at(-1)).toEqual(stored);
    expect(payloadsOf<ImportJobDto>(watchingSite, 'import:updated').at(-1)).toEqual(stored);
    await settle();
    expect(payloadsOf(otherSite, 'import:updated')).toEqual([]);
    expect(payloadsOf(notAdmin, 'import:updated')).toEqual([]);
  });

  it('when a comment is delivered to a webhook, then the site’s moderators are told it was queued and then delivered', async () => {
    const origin = 'https://live-hooks.example';
    const site = await createSite(server, { token: admin, origins: [origin] });
    const moderator = await createModerator(server, { sites: [site.id], adminToken: admin });
    const hook = (
      await request(server.url)
        .post(`${API}/mod/sites/${site.id}/webhooks`)
        .set('Authorization', `Bearer ${admin}`)
        .send({ url: receiver.url, events: ['comment.created'], secret: 'whsec_live_hooks_0123456789abcdef' })
        .expect(201)
    ).body as { id: string };
    const siteModerator = record(await connected(connectModerator(server.url, { token: moderator.token })));
    const otherSite = record(await connected(connectModerator(server.url, { token: admin, sites: [(await createSite(server, { token: admin })).id] })));

    await postComment(server, { site: site.id, post: 'live-hooks', body: 'Prisoner exchanges are the one thing these talks deliver.', origin });
    const ofHook = () => payloadsOf<WebhookDeliveryEvent>(siteModerator, 'webhook:delivery').filter((event) => event.hookId === hook.id);
    await waitFor(() => ofHook().some((event) => event.status === 'delivered'), 'the delivery to be told delivered', 10_000);

    const [queued, delivered] = [ofHook()[0], ofHook().at(-1)];
    expect(queued).toMatchObject({ site: site.id, hookId: hook.id, status: 'pending' });
    expect(delivered).toEqual({ site: site.id, hookId: hook.id, deliveryId: queued?.deliveryId, status: 'delivered' });
    const log = await request(server.url)
      .get(`${API}/mod/sites/${site.id}/webhooks/${hook.id}/deliveries`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(JSON.stringify(log.body)).toContain(queued?.deliveryId ?? 'no delivery');
    await settle();
    expect(payloadsOf(otherSite, 'webhook:delivery')).toEqual([]);
  });
});
