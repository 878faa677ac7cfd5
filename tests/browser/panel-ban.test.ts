/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildAssets } from '../../scripts/build-assets';
import type { CreatedCommentDto, ThreadPageDto } from '../../src/contracts/comments';
import type { TestServer } from '../helpers/test-server';
import { signInModerator, type ModeratorClient } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';
import { startHostBlog, type HostBlog } from './helpers/host-blog';

/**
 * "Ban and reject their comments" is one action in the panel's ban dialog, it says
 * how many comments went, and the banned guest's device stays refused in the widget
 * (with the truth: this device or network is blocked, until when) after a new identity.
 */
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };
const ARTIFACTS = path.resolve(__dirname, '../../artifacts');
const SITE = 'ban-dialog';
const POST = 'the-post';
const SPAMMER_ADDRESS = '10.77.0.5';

jest.setTimeout(90_000);

describe('the ban dialog bans and rejects in one action; the ban holds on the device', () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  let blog: HostBlog;
  let moderator: ModeratorClient;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildAssets();
    [server, chromium] = await Promise.all([startBrowserTestServer({ TRUST_PROXY: '1' }), launchBrowser()]);
    blog = await startHostBlog((requested) =>
      requested.pathname === `/${POST}`
        ? `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A post</title></head><body><h1>A post</h1>
<div id="parley-thread" data-site="${SITE}" data-post="${POST}"></div>
<script src="${server.url}/embed.js" async></script></body></html>`
        : undefined,
    );
    moderator = await signInModerator(server.url);
    const created = await moderator.request('POST', '/mod/sites', { id: SITE, name: 'Ban dialog blog', origins: [blog.url] });
    if (created.status !== 201) throw new Error(`could not create the site: ${JSON.stringify(created.body)}`);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
    await chromium?.close();
    await blog?.close();
    await server?.close();
  });

  async function newPage(address: string): Promise<Page> {
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    contexts.push(context);
    await context.route(`${server.url}/api/**`, (route) =>
      route.continue({ headers: { ...route.request().headers(), 'x-forwarded-for': address } }),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  async function postViaApi(body: string, address: string, token?: string): Promise<CreatedCommentDto> {
    const response = await fetch(`${server.url}/api/v1/sites/${SITE}/posts/${POST}/comments`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Origin: blog.url,
        'X-Forwarded-For': address,
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ body, ...(token ? {} : { authorName: address === SPAMMER_ADDRESS ? 'Spammer' : 'Regular Reader' }) }),
    });
    const created = (await response.json()) as CreatedCommentDto;
    if (response.status !== 201) throw new Error(`posting failed: ${response.status} ${JSON.stringify(created)}`);
    return created;
  }

  it('when a moderator bans with "Also reject their comments", then the panel says how many went and the widget refuses the same device under a new name', async () => {
    const first = await postViaApi('Great article, read my blog too', SPAMMER_ADDRESS);
    const token = first.authorToken ?? '';
    await postViaApi('Another thought of mine on this', SPAMMER_ADDRESS, token);
    const held = await postViaApi('Cheap deals at https://cheap-pills.example/now', SPAMMER_ADDRESS, token);
    expect(held.comment.status).toBe('pending');
    const regular = await postViaApi('A thoughtful reply from someone else', '10.77.0.6');

    const page = await newPage('10.77.0.9');
    await page.goto(`${server.url}/moderate`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const card = page.locator(`article[data-comment-id="${held.comment.id}"]`);
    await card.waitFor();
    await card.getByLabel('Author action for Spammer').selectOption('ban');

    const dialog = page.getByRole('dialog', { name: 'Ban author: Spammer' });
    await dialog.waitFor();
    const checkbox = dialog.getByLabel('Also reject their comments');
    expect(await checkbox.isChecked()).toBe(false);
    await checkbox.check();
    await dialog.getByLabel('Reason for the rejections').selectOption('spam');
    await dialog.getByLabel('Note (optional)').fill('link spam');
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-ban-dialog.png') });
    await dialog.getByRole('button', { name: 'Ban author' }).click();

    await page.locator('.toast').filter({ hasText: 'Spammer: banned; 3 comments rejected.' }).first().waitFor();
    await card.waitFor({ state: 'detached' });

    // The service agrees: only the other reader's comment is left, and every one of the spammer's is rejected.
    const thread = (await (await fetch(`${server.url}/api/v1/sites/${SITE}/posts/${POST}/comments`)).json()) as ThreadPageDto;
    expect(thread.comments.map((c) => c.id)).toEqual([regular.comment.id]);
    expect(thread.post.counts.published).toBe(1);
    const rejected = await moderator.request<{ items: { comment: { id: string }; decision: { reason: string | null; note: string | null } | null }[] }>(
      'GET',
      `/mod/queue?queue=rejected&site=${SITE}`,
    );
    expect(rejected.body.items).toHaveLength(3);
    expect(rejected.body.items.every((item) => item.decision?.reason === 'spam' && item.decision.note === 'link spam')).toBe(true);

    // Back on the same device with localStorage cleared (a fresh browser context): a new name is refused, truthfully.
    const comeback = await newPage(SPAMMER_ADDRESS);
    await comeback.goto(`${blog.url}/${POST}`);
    const widget = comeback.locator('#parley-thread');
    const form = widget.locator('form.composer').first();
    await form.getByLabel('Your name').fill('Brand New Person');
    await form.getByLabel('Join the discussion').fill('Hello again, nobody knows me');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await eventually(async () => {
      const text = ((await form.locator('p.error').textContent()) ?? '').replace(/\s+/g, ' ').trim();
      expect(text).toMatch(/^Commenting from this device or network is blocked until .+: an account banned or suspended on this site posted from it\.$/);
    });
    await comeback.screenshot({ path: path.join(ARTIFACTS, 'widget-client-banned.png') });

    // Someone on another network posts as usual.
    const neighbour = await newPage('10.77.0.7');
    await neighbour.goto(`${blog.url}/${POST}`);
    const neighbourForm = neighbour.locator('#parley-thread form.composer').first();
    await neighbourForm.getByLabel('Your name').fill('Neighbour');
    await neighbourForm.getByLabel('Join the discussion').fill('I am somebody else entirely');
    await neighbourForm.getByRole('button', { name: 'Post comment' }).click();
    await neighbour.locator('#parley-thread li[data-comment-id]').filter({ hasText: 'I am somebody else entirely' }).first().waitFor();
  });
});
