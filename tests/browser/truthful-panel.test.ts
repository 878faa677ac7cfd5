/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { BrowserContext, Page } from 'playwright-core';
import { buildAssets } from '../../scripts/build-assets';
import type { TestServer } from '../helpers/test-server';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';

/**
 * The panel tells moderators and blog owners what really happened: the snippet
 * for a new site, who decided a comment and why, a readable audit log, claims
 * that ask before overriding, a layout that works on a phone, and a warning
 * when the database forgets everything on restart.
 */
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };
const ARTIFACTS = path.resolve(__dirname, '../../artifacts');

jest.setTimeout(90_000);

describe('the panel tells moderators what really happened', () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  let adminToken: string;
  let contexts: BrowserContext[] = [];
  let pageErrors: string[] = [];
  let counter = 0;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildAssets();
    server = await startBrowserTestServer();
    chromium = await launchBrowser();
    const session = await request(server.url).post('/api/v1/mod/sessions').send(ADMIN);
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

  const asAdmin = () => ({ Authorization: `Bearer ${adminToken}` });

  async function newPage(width = 1280, height = 900): Promise<Page> {
    const context = await chromium.browser.newContext({ viewport: { width, height }, colorScheme: 'light' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /pattern|Invalid regular expression/i.test(message.text())) pageErrors.push(message.text());
    });
    return page;
  }

  async function signIn(page: Page, credentials = ADMIN, hash = ''): Promise<void> {
    await page.goto(`${server.url}/moderate${hash}`);
    await page.getByLabel('Email').fill(credentials.email);
    await page.getByLabel('Password').fill(credentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('live-status').filter({ hasText: 'connected' }).waitFor();
  }

  async function createSite(): Promise<string> {
    counter += 1;
    const id = `truth-panel-${counter}`;
    await request(server.url).post('/api/v1/mod/sites').set(asAdmin()).send({ id, name: `Truth ${counter}`, origins: [server.url] }).expect(201);
    await request(server.url).patch(`/api/v1/mod/sites/${id}`).set(asAdmin()).send({ settings: { suspectWords: ['propaganda'] } }).expect(200);
    return id;
  }

  async function postComment(site: string, post: string, body: string, authorName: string) {
    const res = await request(server.url)
      .post(`/api/v1/sites/${site}/posts/${post}/comments`)
      .set('Origin', server.url)
      .set('X-Forwarded-For', `10.9.0.${(counter % 250) + 1}`)
      .send({ body, authorName, postUrl: `${server.url}/blog/${post}`, postTitle: `Post ${post}` });
    expect(res.status).toBe(201);
    return res.body as { comment: { id: string; revision: number } };
  }

  async function createModerator(sites: string[]): Promise<{ email: string; password: string; name: string }> {
    counter += 1;
    const moderator = { email: `truth-mod-${counter}@example.com`, password: 'moderator password 1', name: `Mira ${counter}` };
    await request(server.url)
      .post('/api/v1/mod/moderators')
      .set(asAdmin())
      .send({ ...moderator, role: 'moderator', sites })
      .expect(201);
    return moderator;
  }

  it('when the admin creates a site, then the id field validates in the browser and the exact snippet appears with a copy button', async () => {
    const page = await newPage();
    await signIn(page, ADMIN, '#/admin');
    const form = page.getByRole('form', { name: 'Create a site' });
    const idInput = form.locator('input[name="site-id"]');
    await idInput.fill('Not An Id!');
    expect(await idInput.evaluate((input: HTMLInputElement) => input.validity.patternMismatch)).toBe(true);
    await idInput.fill('my-new-blog');
    expect(await idInput.evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(true);
    await form.getByLabel('Name').fill('My new blog');
    await form.getByLabel(/Origins/).fill('https://my-new-blog.example');
    await form.getByRole('button', { name: 'Create site' }).click();
    const snippet = page.getByTestId('site-snippet');
    await snippet.waitFor();
    const code = (await snippet.locator('code').textContent()) ?? '';
    expect(code).toContain('<div id="parley-thread" data-site="my-new-blog" data-post="your-post-slug"></div>');
    expect(code).toContain(`<script src="${server.url}/embed.js" async></script>`);
    expect(code).toContain('<span data-parley-count data-site="my-new-blog" data-post="your-post-slug"></span>');
    await snippet.getByRole('button', { name: 'Copy snippet' }).click();
    await eventually(async () => expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code));
    await snippet.screenshot({ path: path.join(ARTIFACTS, 'panel-site-snippet.png') });
  });

  it('when a moderator searches by author name and opens the rejected queue, then the card says who decided, when, the reason and the note', async () => {
    const site = await createSite();
    const { comment } = await postComment(site, 'decided', 'Some propaganda that will go', 'Bartholomew Quill');
    await postComment(site, 'decided', 'Another propaganda piece by someone else', 'Someone Else');
    await request(server.url)
      .post(`/api/v1/mod/comments/${comment.id}/reject`)
      .set(asAdmin())
      .send({ reason: 'misinformation', note: 'Source is a parody site' })
      .expect(200);
    const page = await newPage();
    await signIn(page, ADMIN, '#/queue/pending');
    await page.getByLabel('Site filter').selectOption(site);
    await page.getByTestId('tab-rejected').click();
    await page.getByLabel('Search comments').fill('bartholomew');
    await eventually(async () => expect(await page.locator('.queue-card').count()).toBe(1));
    const decision = page.locator('.queue-card').getByTestId('decision');
    await eventually(async () => expect(await decision.textContent()).toMatch(/^Rejected by Admin/));
    expect(await decision.getByTestId('decision-reason').textContent()).toBe('misinformation');
    expect(await decision.getByTestId('decision-note').textContent()).toContain('Source is a parody site');
    await page.getByTestId('tab-pending').click();
    await eventually(async () => expect(await page.locator('.queue-card').count()).toBe(0));
    await page.getByLabel('Search comments').fill('someone else');
    await eventually(async () => expect(await page.locator('.queue-card').count()).toBe(1));
  });

  it('when a comment is claimed by another moderator, then approving asks first, and only "Approve anyway" acts', async () => {
    const site = await createSite();
    const { comment } = await postComment(site, 'claimed', 'Claimed propaganda', 'Claire');
    const other = await createModerator([site]);
    const otherToken = (await request(server.url).post('/api/v1/mod/sessions').send(other).expect(201)).body.token as string;
    await request(server.url).post(`/api/v1/mod/comments/${comment.id}/claim`).set('Authorization', `Bearer ${otherToken}`).expect(200);

    const page = await newPage();
    await signIn(page, ADMIN, '#/queue/pending');
    await page.getByLabel('Site filter').selectOption(site);
    const card = page.locator(`#item-${comment.id}`);
    await card.waitFor();
    await card.getByRole('button', { name: /^Approve/ }).click();
    const dialog = page.getByRole('dialog', { name: `${other.name} is reviewing this comment` });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const stillPending = await request(server.url).get(`/api/v1/mod/queue?queue=pending&site=${site}`).set(asAdmin()).expect(200);
    expect(stillPending.body.items.map((item: { comment: { id: string } }) => item.comment.id)).toEqual([comment.id]);
    await card.getByRole('button', { name: /^Approve/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve anyway' }).click();
    await eventually(async () => {
      const approved = await request(server.url).get(`/api/v1/mod/queue?queue=approved&site=${site}`).set(asAdmin()).expect(200);
      expect(approved.body.items.map((item: { comment: { id: string } }) => item.comment.id)).toEqual([comment.id]);
    });
  });

  it('when the audit log is opened, then it shows author names, excerpts and links, and filters by moderator, action and date', async () => {
    const site = await createSite();
    const { comment } = await postComment(site, 'audited', 'An audited propaganda comment', 'Audra Lane');
    await request(server.url).post(`/api/v1/mod/comments/${comment.id}/reject`).set(asAdmin()).send({ reason: 'spam' }).expect(200);
    const page = await newPage();
    await signIn(page, ADMIN, '#/audit');
    await page.getByLabel('Site filter').selectOption(site);
    await page.getByLabel('Action').selectOption('comment.reject');
    await page.getByLabel('Moderator').selectOption({ label: 'Admin' });
    const rows = page.getByTestId('audit-row');
    await eventually(async () => expect(await rows.count()).toBe(1));
    expect(await rows.first().getByTestId('audit-excerpt').textContent()).toBe('An audited propaganda comment');
    expect(await rows.first().getByRole('button', { name: 'Audra Lane' }).count()).toBe(1);
    expect(await rows.first().getByTestId('audit-post-link').getAttribute('href')).toBe(`${server.url}/blog/audited`);
    expect(await rows.first().getByTestId('audit-comment-link').getAttribute('href')).toBe(`${server.url}/blog/audited#parley-${comment.id}`);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('From').fill(tomorrow);
    await eventually(async () => expect(await rows.count()).toBe(0));
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-audit-desktop.png'), fullPage: true });
  });

  it('when the panel is used at 390×844, then every section and queue tab is in sight, nothing scrolls sideways, and screenshots are saved', async () => {
    const site = await createSite();
    await postComment(site, 'phone', 'A propaganda comment to review on a phone', 'Phone Reader');
    const page = await newPage(390, 844);
    await signIn(page, ADMIN, '#/queue/pending');
    await page.getByLabel('Site filter').selectOption(site);
    await page.locator('.queue-card').first().waitFor();
    const outside = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.nav-link, .queue-tabs .tab')]
        .filter((element) => {
          const box = element.getBoundingClientRect();
          return box.left < 0 || box.right > window.innerWidth + 0.5;
        })
        .map((element) => element.textContent),
    );
    expect(outside).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-phone.png'), fullPage: true });
    const desktop = await newPage();
    await signIn(desktop, ADMIN, '#/queue/pending');
    await desktop.getByLabel('Site filter').selectOption(site);
    await desktop.locator('.queue-card').first().waitFor();
    await desktop.screenshot({ path: path.join(ARTIFACTS, 'panel-desktop.png'), fullPage: true });
  });

  it('when the database does not keep data across restarts, then every panel screen carries a warning banner', async () => {
    const page = await newPage();
    await signIn(page);
    const system = await request(server.url).get('/api/v1/mod/system').set(asAdmin()).expect(200);
    const banner = page.getByTestId('durability-banner');
    if (system.body.database.durable === false) {
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(/lost when it restarts/);
      await page.goto(`${server.url}/moderate#/settings`);
      await banner.waitFor();
    } else {
      await page.getByRole('tablist', { name: 'Queues' }).waitFor();
      expect(await banner.count()).toBe(0);
    }
    expect(system.body.database.durable).toBe(server.database.isDurable);
  });
});
