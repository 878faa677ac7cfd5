/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  API,
  createModerator,
  createSite,
  loginAdmin,
  postComment,
  readThread,
  uniqueId,
} from '../helpers/factories';
import { findFreePort, launchBrowser, type LaunchedBrowser } from '../browser/helpers/browser';
import { ADMIN, startService, type ServiceProcess } from './service-process';

const isRealMongo = Boolean(process.env['MONGODB_URI']);

(isRealMongo ? describe.skip : describe)('a restart of Parley on the durable embedded emulator', () => {
  const dbPath = mkdtempSync(path.join(tmpdir(), 'parley-restart-'));
  let service: ServiceProcess | undefined;
  let launched: LaunchedBrowser | undefined;

  afterAll(async () => {
    await service?.stop();
    await launched?.close();
    rmSync(dbPath, { recursive: true, force: true });
  });

  it('when the service is stopped and started again, then sites, moderators, comments and sessions are all there, and the widget shows the thread', async () => {
    const port = await findFreePort();
    const env = {
      EMULATOR_DBPATH: dbPath,
      MONGODB_DB: 'parley_restart',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    };
    service = await startService(env);
    expect(service.output()).toMatch(/using the MongoDB emulator with its data in/);
    const site = await createSite(service, { id: uniqueId('rs') });
    const moderator = await createModerator(service, { sites: [site.id] });
    const adminToken = await loginAdmin(service);
    const first = await postComment(service, {
      site: site.id,
      post: 'kept',
      body: 'Перший коментар переживе перезапуск',
    });
    const reply = await postComment(service, {
      site: site.id,
      post: 'kept',
      body: 'A reply that stays',
      parentId: first.comment.id,
    });
    const onDemo = await postComment(service, {
      site: 'demo',
      post: 'istanbul-talks',
      body: 'Seen again after the restart',
    });
    await service.stop();
    expect((await service.exited).code).toBe(0);

    service = await startService(env);
    expect(service.output()).not.toMatch(/not shut down cleanly/);
    const page = await readThread(service, { site: site.id, post: 'kept', sort: 'oldest' });
    expect(page.comments.map((comment) => comment.body)).toEqual(['Перший коментар переживе перезапуск']);
    expect(page.comments[0]?.replyCount).toBe(1);
    const replies = await request(service.url).get(`${API}/comments/${first.comment.id}/replies`);
    expect(replies.body.comments.map((comment: { id: string }) => comment.id)).toEqual([reply.comment.id]);
    const counts = await request(service.url).get(`${API}/sites/${site.id}/counts`).query({ posts: 'kept' });
    expect(counts.body).toEqual({ kept: 2 });
    // Sessions signed with the same SESSION_SECRET before the restart still work.
    const siteRead = await request(service.url)
      .get(`${API}/mod/sites/${site.id}`)
      .set('Authorization', `Bearer ${adminToken}`);
    expect(siteRead.status).toBe(200);
    expect(siteRead.body.id).toBe(site.id);
    const queue = await request(service.url)
      .get(`${API}/mod/queue`)
      .query({ queue: 'approved', site: site.id })
      .set('Authorization', `Bearer ${moderator.token}`);
    expect(queue.status).toBe(200);
    // The moderator and the first admin can still sign in (stored, not recreated).
    expect(await loginAdmin(service, { email: moderator.email, password: moderator.password })).toEqual(
      expect.any(String),
    );
    expect(await loginAdmin(service, ADMIN)).toEqual(expect.any(String));

    launched = await launchBrowser();
    const context = await launched.browser.newContext();
    const browserPage = await context.newPage();
    await browserPage.goto(`${service.url}/demo`);
    await browserPage.locator('#parley-thread').scrollIntoViewIfNeeded();
    const shown = browserPage
      .locator('#parley-thread li[data-comment-id]')
      .filter({ has: browserPage.locator('.body', { hasText: 'Seen again after the restart' }) });
    await shown.first().waitFor({ timeout: 30_000 });
    expect(await shown.first().getAttribute('data-comment-id')).toBe(onDemo.comment.id);
    await context.close();
  }, 180_000);
});
