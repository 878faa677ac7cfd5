import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { buildAssets } from '../../scripts/build-assets';
import type { CreatedCommentDto } from '../../src/contracts/comments';
import { COMMENT_LINK_REL } from '../../src/contracts/formatting';
import type { TestServer } from '../helpers/test-server';
import { signInModerator, type ModeratorClient } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';

/** Formatting in the moderator panel: cards show a comment's rendered html, and its source with the findings marked. */
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };
const ARTIFACTS = path.resolve(__dirname, '../../artifacts');
const SITE = 'panel-formatting';

jest.setTimeout(90_000);

let server: TestServer;
let launched: LaunchedBrowser;
let moderator: ModeratorClient;
let context: BrowserContext | undefined;
let pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // The panel route serves what the build wrote to public/build.
  await buildAssets();
  [server, launched] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  moderator = await signInModerator(server.url, ADMIN);
  const created = await moderator.request('POST', '/mod/sites', {
    id: SITE,
    name: 'Formatting in the panel',
    origins: [server.url],
    settings: { suspectWords: ['propaganda'], trustedDomains: ['example.org'] },
  });
  if (created.status !== 201) throw new Error(`could not create the site: ${JSON.stringify(created.body)}`);
}, 120_000);

afterAll(async () => {
  await launched?.close();
  await server?.close();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  const errors = pageErrors;
  pageErrors = [];
  // An uncaught error in the page fails the test that caused it.
  expect(errors).toEqual([]);
});

async function postComment(post: string, body: string): Promise<CreatedCommentDto['comment']> {
  const response = await fetch(`${server.url}/api/v1/sites/${SITE}/posts/${post}/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: server.url },
    body: JSON.stringify({ body, authorName: 'Formatting Reader' }),
  });
  if (response.status !== 201) throw new Error(`posting failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as CreatedCommentDto).comment;
}

async function openPanel(): Promise<Page> {
  context = await launched.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  await page.goto(`${server.url}/moderate`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tablist', { name: 'Queues' }).waitFor();
  await page.getByLabel('Site filter').selectOption(SITE);
  return page;
}

const card = (page: Page, id: string): Locator => page.locator(`article[data-comment-id="${id}"]`);

describe('formatting in the moderator panel', () => {
  it('when a held comment has bold text and a link, then its card shows them formatted, and the toggle shows the source with the finding marked', async () => {
    const source = 'This is **bold** propaganda, see [the report](https://example.org/report) for more';
    const comment = await postComment('formatted-held', source);
    expect(comment.status).toBe('pending');
    const page = await openPanel();

    const item = card(page, comment.id);
    await item.waitFor();
    const body = item.getByTestId('comment-body');
    expect(await body.getAttribute('data-view')).toBe('formatted');
    expect(await body.locator('strong').textContent()).toBe('bold');
    const link = body.locator('a');
    expect(await link.count()).toBe(1);
    expect(await link.textContent()).toBe('the report');
    expect(await link.getAttribute('href')).toBe('https://example.org/report');
    expect(await link.getAttribute('rel')).toBe(COMMENT_LINK_REL);
    expect(await link.getAttribute('rel')).toBe('ugc nofollow noopener');
    expect(await link.getAttribute('target')).toBe('_blank');
    // Formatted, the Markdown markers are gone.
    expect((await body.textContent())?.trim()).toBe('This is bold propaganda, see the report for more');
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-formatting.png'), fullPage: true });

    await item.getByRole('button', { name: 'Show source' }).click();
    await eventually(async () => expect(await body.getAttribute('data-view')).toBe('source'));
    // The source as written, every character a text node; the finding's span marked in it.
    expect(await body.textContent()).toBe(source);
    expect(await body.locator('strong, a').count()).toBe(0);
    const marks = body.locator('mark');
    expect(await marks.allTextContents()).toEqual(['propaganda']);
    expect(await marks.first().getAttribute('data-rules')).toContain('words.suspect');
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-formatting-source.png'), fullPage: true });

    await item.getByRole('button', { name: 'Show formatted' }).click();
    await eventually(async () => expect(await body.getAttribute('data-view')).toBe('formatted'));
    expect(await body.locator('strong').textContent()).toBe('bold');
  });

  it('when a held comment has a javascript: link or raw HTML, then its card shows them as inert text', async () => {
    const scripted = await postComment('formatted-hostile', 'Click [x](javascript:alert(1)) now, propaganda');
    const image = await postComment('formatted-hostile', 'propaganda <img src=x onerror="document.title=\'owned\'">');
    const page = await openPanel();
    const title = await page.title();

    const scriptedBody = card(page, scripted.id).getByTestId('comment-body');
    await scriptedBody.waitFor();
    expect(await scriptedBody.getAttribute('data-view')).toBe('formatted');
    expect(await scriptedBody.locator('a').count()).toBe(0);
    expect(await scriptedBody.textContent()).toContain('[x](javascript:alert(1))');

    const imageBody = card(page, image.id).getByTestId('comment-body');
    await imageBody.waitFor();
    expect(await imageBody.locator('img').count()).toBe(0);
    expect(await imageBody.textContent()).toContain('<img src=x onerror=');
    expect(await page.title()).toBe(title);
  });
});
