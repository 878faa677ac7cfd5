/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { DEMO_POST, DEMO_SITE } from '../../src/pages';
import type { TestServer } from '../helpers/test-server';
import { postComment } from '../helpers/factories';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';

/**
 * /demo inlines the thread's first page, so the widget shows it as soon as its
 * bundle runs, without asking the API for it; the thread then stays live.
 */
const ARTIFACTS = path.resolve(__dirname, '../../artifacts');

let server: TestServer;
let launched: LaunchedBrowser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, launched] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
}, 60_000);

afterAll(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  await launched?.close();
  await server?.close();
});

describe('the demo page with its thread inlined', () => {
  it('when /demo is opened, then the inlined comments render without a thread request and a comment posted meanwhile arrives live', async () => {
    await postComment(server, { site: DEMO_SITE, post: DEMO_POST, body: 'Inlined for the first paint', authorName: 'Oksana' });
    await postComment(server, { site: DEMO_SITE, post: DEMO_POST, body: 'Второй комментарий тоже', authorName: 'Ivan' });

    const html = await (await fetch(`${server.url}/demo`)).text();
    expect(html).toContain('data-initial-page="parley-initial-page"');
    expect(html).toContain('Inlined for the first paint');

    const context = await launched.browser.newContext({ viewport: { width: 1100, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('console', (message) => {
      // Failed loads are checked by URL below (the browser asks for a favicon the demo has none of).
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico') problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const threadReads: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === `/api/v1/sites/${DEMO_SITE}/posts/${DEMO_POST}/comments` && request.method() === 'GET' && url.searchParams.get('featured') !== 'true') {
        threadReads.push(url.search);
      }
    });
    await page.goto(`${server.url}/demo#comments`);
    const thread = page.locator('#parley-thread');
    await thread.locator('li[data-comment-id] .body', { hasText: 'Inlined for the first paint' }).waitFor();
    await thread.locator('li[data-comment-id] .body', { hasText: 'Второй комментарий тоже' }).waitFor();
    expect(((await thread.locator('.count').textContent()) ?? '').trim()).toBe('2 Comments');
    expect(threadReads).toEqual([]);

    // Live: the inlined page's seq is where the widget joins the room from.
    await postComment(server, { site: DEMO_SITE, post: DEMO_POST, body: 'Posted after the page was served', authorName: 'Mehmet' });
    const banner = thread.getByRole('button', { name: 'Show 1 new comment' });
    await banner.waitFor();
    await banner.click();
    await thread.locator('li[data-comment-id] .body', { hasText: 'Posted after the page was served' }).waitFor();
    await eventually(async () => expect(((await thread.locator('.count').textContent()) ?? '').trim()).toBe('3 Comments'));
    expect(threadReads).toEqual([]);
    expect(problems).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await thread.screenshot({ path: path.join(ARTIFACTS, 'demo-inlined-thread.png') });
  });
});
