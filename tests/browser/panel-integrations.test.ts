/**
 * The panel's webhooks screen and its import/export screen, in a real browser
 * against the real service: a local receiver gets the test event and its
 * redelivery, signed with the secret the panel showed once; a Disqus export
 * uploaded in the panel shows its progress and lands in the thread; the export
 * downloads and restores.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { BrowserContext, Page } from 'playwright-core';
import { buildAssets } from '../../scripts/build-assets';
import type { TestServer } from '../helpers/test-server';
import { startWebhookReceiver, verifyParleySignature, type WebhookReceiver } from '../helpers/webhook-receiver';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };
const ARTIFACTS = path.resolve(__dirname, '../../artifacts');
const DISQUS_FIXTURE = path.resolve(__dirname, '../fixtures/imports/disqus-export.xml');

jest.setTimeout(90_000);

describe('panel: webhooks, import with progress, export', () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  let adminToken: string;
  let contexts: BrowserContext[] = [];
  let pageErrors: string[] = [];
  let siteCounter = 0;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildAssets();
    server = await startBrowserTestServer({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_BASE_MS: '50' });
    chromium = await launchBrowser();
    const session = await request(server.url).post('/api/v1/mod/sessions').send(ADMIN);
    expect(session.status).toBe(201);
    adminToken = session.body.token as string;
  }, 120_000);

  afterEach(async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
    contexts = [];
    const errors = pageErrors;
    pageErrors = [];
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  async function newPage(lang = 'en'): Promise<Page> {
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: lang, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    return page;
  }

  async function signIn(page: Page, hash: string, lang = 'en'): Promise<void> {
    await page.goto(`${server.url}/moderate?lang=${lang}`);
    await page.locator('input[type=email]').fill(ADMIN.email);
    await page.locator('input[type=password]').fill(ADMIN.password);
    await page.locator('form button[type=submit]').click();
    await page.getByTestId('live-status').waitFor();
    await page.goto(`${server.url}/moderate?lang=${lang}#/${hash}`);
  }

  async function createSite(origins: string[] = [server.url]): Promise<{ id: string; name: string }> {
    siteCounter += 1;
    const site = { id: `integrations-${siteCounter}`, name: `Integrations ${siteCounter}`, origins };
    await request(server.url).post('/api/v1/mod/sites').set('Authorization', `Bearer ${adminToken}`).send(site).expect(201);
    return site;
  }

  async function chooseSite(page: Page, site: string): Promise<void> {
    // The shared filter lists sites from the session's first read: reload it when a site was just made.
    await page.reload();
    await page.getByTestId('screen-site').waitFor();
    await page.getByTestId('site-filter').selectOption(site);
  }

  describe('webhooks', () => {
    let receiver: WebhookReceiver;
    beforeEach(async () => {
      receiver = await startWebhookReceiver();
    });
    afterEach(async () => {
      await receiver.close();
    });

    it('when an admin adds an endpoint and sends a test event, then the receiver gets it signed with the secret shown once, and Redeliver sends it again', async () => {
      const site = await createSite();
      const page = await newPage();
      await signIn(page, 'webhooks');
      await chooseSite(page, site.id);
      await page.getByRole('heading', { name: `Webhooks of ${site.name}` }).waitFor();

      const form = page.getByTestId('webhook-add-form');
      // The server's own refusal reaches the form as it was said.
      await form.locator('input[name=webhook-url]').fill('ftp://example.com/hook');
      await form.getByLabel('comment.created').check();
      await form.getByRole('button', { name: 'Add endpoint' }).click();
      const refusal = await form.getByTestId('webhook-form-error').textContent();
      expect(refusal).toBe('The webhook URL must be an http(s) URL');

      await form.locator('input[name=webhook-url]').fill(receiver.url);
      await form.getByLabel('comment.published').check();
      await form.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = (await page.getByTestId('webhook-secret-value').textContent()) ?? '';
      expect(secret).toMatch(/^whsec_/);

      const row = page.getByTestId('webhook-row');
      await row.getByTestId('webhook-url').filter({ hasText: receiver.url }).waitFor();
      expect(await row.locator('.chip').allTextContents()).toEqual(['comment.created', 'comment.published']);
      expect(await row.getByTestId('webhook-last').textContent()).toContain('No delivery yet.');

      await row.getByTestId('webhook-test').click();
      const [test] = await eventually(() => {
        const calls = receiver.calls.filter((call) => call.body.type === 'webhook.test');
        expect(calls).toHaveLength(1);
        return calls;
      });
      expect(verifyParleySignature(test?.headers['x-parley-signature'] as string, secret, test?.raw ?? '')).toBe(true);
      expect(test?.body.data).toMatchObject({ site: site.id, message: 'A test event from Parley' });

      // The log opens with the delivery; its outcome is read again while the log is open.
      const log = row.getByTestId('delivery-log');
      await log.locator('[data-testid=delivery-status][data-status=delivered]').waitFor();
      expect(await log.getByTestId('delivery-row').first().textContent()).toMatch(/webhook\.test.*Delivered.*HTTP 200 · \d+ ms · 1 attempt/);
      await row.getByTestId('webhook-last').filter({ hasText: 'HTTP 200' }).waitFor();
      await page.screenshot({ path: path.join(ARTIFACTS, 'panel-webhooks.png'), fullPage: true });

      receiver.failNext(1, 503);
      await log.getByTestId('redeliver').first().click();
      const [first, again] = await eventually(() => {
        const calls = receiver.calls.filter((call) => call.body.type === 'webhook.test');
        expect(calls).toHaveLength(3);
        return [calls[0], calls[2]];
      });
      expect(again?.body.id).toBe(first?.body.id);
      expect(again?.raw).toBe(first?.raw);
      expect(verifyParleySignature(again?.headers['x-parley-signature'] as string, secret, again?.raw ?? '')).toBe(true);
      // The failed attempt in between shows in the log until the retry lands.
      await log.getByTestId('delivery-row').first().filter({ hasText: '2 attempts' }).waitFor();

      await row.getByTestId('webhook-toggle').click();
      await page.locator('[data-testid=webhook-row][data-enabled=false]').waitFor();
      expect(await row.getByTestId('webhook-state').textContent()).toBe('Disabled');
      const listed = await request(server.url).get(`/api/v1/mod/sites/${site.id}/webhooks`).set('Authorization', `Bearer ${adminToken}`);
      expect(listed.body.webhooks[0]).toMatchObject({ enabled: false });

      await row.getByTestId('webhook-delete').click();
      await page.getByRole('dialog', { name: 'Delete this endpoint?' }).waitFor();
      await page.getByTestId('webhook-delete-confirm').click();
      await page.getByText('No endpoints yet.').waitFor();
      const after = await request(server.url).get(`/api/v1/mod/sites/${site.id}/webhooks`).set('Authorization', `Bearer ${adminToken}`);
      expect(after.body.webhooks).toEqual([]);
    });

    it('when the panel is in Ukrainian, then the webhooks screen speaks it', async () => {
      const site = await createSite();
      await request(server.url)
        .post(`/api/v1/mod/sites/${site.id}/webhooks`)
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ url: receiver.url, events: ['comment.created'] })
        .expect(201);
      const page = await newPage('uk');
      await signIn(page, 'webhooks', 'uk');
      await chooseSite(page, site.id);
      await page.getByRole('heading', { name: `Вебхуки сайту ${site.name}` }).waitFor();
      await page.getByTestId('webhook-row').getByRole('button', { name: 'Надіслати тестову подію' }).click();
      await page.getByTestId('delivery-row').filter({ hasText: 'Доставлено' }).waitFor();
      expect(await page.getByTestId('delivery-row').first().textContent()).toMatch(/1 спроба/);
      await page.screenshot({ path: path.join(ARTIFACTS, 'panel-webhooks-uk.png'), fullPage: true });
    });
  });

  describe('import and export', () => {
    it('when a Disqus export is uploaded, then the panel shows its progress and summary, and the comments are in the thread', async () => {
      const site = await createSite([server.url, 'https://eastern-desk.example']);
      const page = await newPage();
      await signIn(page, 'data');
      await chooseSite(page, site.id);
      await page.getByRole('heading', { name: `Import and export for ${site.name}` }).waitFor();

      // A file Parley does not read is refused with the service's sentence.
      await page.locator('input[name=import-file]').setInputFiles({
        name: 'feed.xml',
        mimeType: 'application/xml',
        buffer: Buffer.from('<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>'),
      });
      await page.getByTestId('import-start').click();
      expect(await page.getByTestId('import-refusal').textContent()).toMatch(/^This is an RSS feed, not a WordPress WXR export/);

      // Every state the status line passes through, from the first render on.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { importStates: string[] }).importStates = seen;
        new MutationObserver(() => {
          const status = document.querySelector('[data-testid=import-status]');
          const text = status ? `${status.getAttribute('data-phase') ?? ''}|${status.textContent ?? ''}` : '';
          if (text && seen[seen.length - 1] !== text) seen.push(text);
        }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      });
      await page.locator('input[name=import-file]').setInputFiles(DISQUS_FIXTURE);
      await page.getByTestId('import-start').click();
      await page.locator('[data-testid=import-job][data-status=done]').waitFor();
      const states = await page.evaluate(() => (window as unknown as { importStates: string[] }).importStates);
      expect(states.length).toBeGreaterThan(0);
      expect(states[0]).toMatch(/^(scanning\|Reading the file to map the threads: \d+%|writing\|Writing comments: \d+ of \d+|counting\|.+)$/);
      expect(await page.getByTestId('import-imported').textContent()).toBe('Imported 7 comments');
      const summary = (await page.getByTestId('import-summary').textContent()) ?? '';
      expect(summary).toContain('into 2 posts.');
      expect(summary).toContain('1 reply whose parent is not in the file is kept at the top level.');
      expect(await page.getByTestId('import-skip-reason').allTextContents()).toEqual(['1 × its thread was deleted']);
      expect(await page.getByTestId('import-job').textContent()).toContain('disqus-export.xml');
      await page.screenshot({ path: path.join(ARTIFACTS, 'panel-import.png'), fullPage: true });

      const thread = await newPage();
      await thread.goto(`${server.url}/embed/${site.id}/istanbul-talks`);
      const widget = thread.locator('#parley-thread');
      await widget.locator('.body', { hasText: 'Гарантії безпеки — головне питання.' }).waitFor();
      const bodies = (await widget.locator('.body').allTextContents()).map((text) => text.trim());
      expect(bodies).toEqual([
        expect.stringContaining('Переговоры в Стамбуле'),
        'Гарантії безпеки — головне питання. Без них це лише пауза.',
        expect.stringContaining('Agreed'),
      ]);
      await thread.screenshot({ path: path.join(ARTIFACTS, 'panel-import-thread.png'), fullPage: true });
    });

    it('when an admin downloads the export, then the file holds the site and its comments, and uploading it back restores without duplicates', async () => {
      const site = await createSite([server.url, 'https://eastern-desk.example']);
      const job = await request(server.url)
        .post(`/api/v1/mod/sites/${site.id}/imports`)
        .set('Authorization', `Bearer ${adminToken}`)
        .set('Content-Type', 'application/octet-stream')
        .send(readFileSync(DISQUS_FIXTURE))
        .expect(202);
      await eventually(async () => {
        const state = await request(server.url)
          .get(`/api/v1/mod/sites/${site.id}/imports/${job.body.id as string}`)
          .set('Authorization', `Bearer ${adminToken}`);
        expect(state.body.status).toBe('done');
      });
      const page = await newPage('ru');
      await signIn(page, 'data', 'ru');
      await chooseSite(page, site.id);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^parley-${site.id}-\\d{4}-\\d{2}-\\d{2}\\.jsonl$`));
      const file = path.join(ARTIFACTS, download.suggestedFilename());
      await download.saveAs(file);
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(JSON.parse(lines[0] ?? '')).toMatchObject({ format: 'parley-export', site: site.id, counts: { comment: 7 } });
      const comments = lines.map((line) => JSON.parse(line) as { type?: string; doc?: { body?: string } }).filter((entry) => entry.type === 'comment');
      expect(comments.map((entry) => entry.doc?.body)).toEqual(
        expect.arrayContaining(['Гарантії безпеки — головне питання. Без них це лише пауза.', 'CHEAP VISAS!!! Write to my telegram @fastvisa']),
      );

      // The import made above is shown first; the restore's report replaces it.
      await page.locator('[data-testid=import-job][data-kind=disqus][data-status=done]').waitFor();
      await page.locator('input[name=import-file]').setInputFiles(file);
      await page.getByTestId('import-start').click();
      await page.locator('[data-testid=import-job][data-kind=parley][data-status=done]').waitFor();
      expect(await page.getByTestId('import-imported').textContent()).toBe('Восстановлено 0 комментариев');
      expect(await page.getByTestId('import-unchanged').textContent()).toBe('7 комментариев уже были здесь после прошлого импорта.');
      await page.screenshot({ path: path.join(ARTIFACTS, 'panel-export-restore-ru.png'), fullPage: true });
    });
  });
});
