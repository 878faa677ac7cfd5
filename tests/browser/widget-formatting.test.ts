/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { CommentDto, CreatedCommentDto } from '../../src/contracts/comments';
import { COMMENT_HTML_MAX_DEPTH } from '../../src/contracts/formatting';
import type { TestServer } from '../helpers/test-server';
import { signInModerator } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';
import { startHostBlog, type HostBlog } from './helpers/host-blog';

/** Formatting in the widget: toolbar, shortcuts and preview; rendered comments, spoilers; hostile Markdown stays inert. */
const SITE = 'formatting';

let server: TestServer;
let blog: HostBlog;
let launched: LaunchedBrowser;
const contexts: BrowserContext[] = [];
let nextAddress = 1;

async function postViaApi(post: string, body: string): Promise<CommentDto> {
  nextAddress += 1;
  const response = await fetch(`${server.url}/api/v1/sites/${SITE}/posts/${post}/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: blog.url, 'X-Forwarded-For': `10.67.0.${nextAddress}` },
    body: JSON.stringify({ body, authorName: 'Other Reader' }),
  });
  if (response.status !== 201) throw new Error(`posting failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as CreatedCommentDto).comment;
}

beforeAll(async () => {
  [server, launched] = await Promise.all([startBrowserTestServer({ TRUST_PROXY: '1' }), launchBrowser()]);
  blog = await startHostBlog((requested) => {
    const post = /^\/host\/([a-z0-9-]+)$/.exec(requested.pathname)?.[1];
    if (!post) return undefined;
    const lang = requested.searchParams.get('lang') ?? 'en';
    return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${post}</title></head>
<body><div id="parley-thread" data-site="${SITE}" data-post="${post}"></div><script src="${server.url}/embed.js" async></script></body></html>`;
  });
  const moderator = await signInModerator(server.url);
  const created = await moderator.request('POST', '/mod/sites', {
    id: SITE,
    name: 'Formatting blog',
    origins: [blog.url],
    settings: { trustedDomains: ['example.org'] },
  });
  if (created.status !== 201) throw new Error(`could not create the site: ${JSON.stringify(created.body)}`);
}, 60_000);

afterAll(async () => {
  await launched?.close();
  await blog?.close();
  await server?.close();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function openReader(path: string): Promise<Page> {
  const context = await launched.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'en-US' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${blog.url}${path}`);
  await page.locator('#parley-thread .count').waitFor();
  return page;
}

const commentById = (page: Page, id: string): Locator => page.locator(`#parley-thread li[data-comment-id="${id}"] > article`);

/** Selects `text` inside the textarea, as a reader dragging over it would. */
async function select(field: Locator, text: string): Promise<void> {
  await field.evaluate((element, wanted) => {
    const area = element as HTMLTextAreaElement;
    const start = area.value.indexOf(wanted);
    area.focus();
    area.setSelectionRange(start, start + wanted.length);
  }, text);
}

describe('formatting in the widget', () => {
  it('when a reader formats with the toolbar and shortcuts, previews and posts, then the thread shows the formatting and the spoiler reveals on click', async () => {
    const page = await openReader('/host/format-post');
    const form = page.locator('#parley-thread form.composer').first();
    await form.getByLabel('Your name').fill('Mira');
    const field = form.getByLabel('Join the discussion');
    await field.fill('Strong claim and soft words. Source: the report. Ending: he wins');

    await select(field, 'Strong claim');
    await form.getByRole('button', { name: /^Bold/ }).click();
    await select(field, 'soft words');
    await page.keyboard.press('Control+i');
    await select(field, 'the report');
    await form.getByRole('button', { name: 'Link' }).click();
    // The address is selected, ready to type over.
    await page.keyboard.type('https://example.org/report');
    await select(field, 'he wins');
    await form.getByRole('button', { name: 'Spoiler' }).click();
    await field.press('End');
    await field.press('Control+b');
    await page.keyboard.type('!');
    expect(await field.inputValue()).toBe('**Strong claim** and _soft words_. Source: [the report](https://example.org/report). Ending: ||he wins||**!**');

    await form.getByRole('tab', { name: 'Preview' }).click();
    const preview = form.locator('.format-preview');
    await eventually(async () => expect(await preview.locator('strong').first().textContent()).toBe('Strong claim'));
    expect(await preview.locator('em').textContent()).toBe('soft words');
    expect(await field.isHidden()).toBe(true);
    await form.getByRole('tab', { name: 'Write' }).click();
    expect(await field.isVisible()).toBe(true);

    await form.getByRole('button', { name: 'Post comment' }).click();
    const article = page.locator('#parley-thread article', { hasText: 'Strong claim' }).first();
    await article.waitFor();
    const body = article.locator('.body');
    expect(await body.locator('strong').first().textContent()).toBe('Strong claim');
    expect(await body.locator('em').textContent()).toBe('soft words');
    const link = body.locator('a');
    expect(await link.getAttribute('href')).toBe('https://example.org/report');
    expect(await link.getAttribute('rel')).toBe('ugc nofollow noopener');
    expect(await link.getAttribute('target')).toBe('_blank');

    const spoiler = body.locator('.spoiler');
    expect(await spoiler.getAttribute('role')).toBe('button');
    expect(await spoiler.getAttribute('aria-label')).toBe('Spoiler: show');
    // Hidden: drawn as a bar, its words neither readable nor read out.
    expect(await spoiler.evaluate((element) => getComputedStyle(element.firstElementChild ?? element).color)).toBe('rgba(0, 0, 0, 0)');
    expect(await spoiler.locator('[aria-hidden="true"]').count()).toBe(1);
    await spoiler.click();
    await eventually(async () => expect(await spoiler.getAttribute('class')).toBe('spoiler is-revealed'));
    expect(await spoiler.getAttribute('role')).toBeNull();
    expect(await spoiler.textContent()).toBe('he wins');
  });

  it('when a spoiler is reached with the keyboard, then Enter reveals it', async () => {
    const comment = await postViaApi('format-keys', 'Plot: ||the butler did it||');
    const page = await openReader('/host/format-keys');
    const spoiler = commentById(page, comment.id).locator('.spoiler');
    await spoiler.waitFor();
    await spoiler.focus();
    await page.keyboard.press('Enter');
    await eventually(async () => expect(await spoiler.getAttribute('class')).toBe('spoiler is-revealed'));
  });

  it('when Markdown is hostile, then javascript: links stay text, raw HTML shows as text, and an emphasis bomb renders flat without freezing the page', async () => {
    const link = await postViaApi('format-hostile', 'Click [x](javascript:alert(1)) now');
    const image = await postViaApi('format-hostile', '<img src=x onerror="document.title=\'owned\'">');
    const bomb = await postViaApi('format-hostile', `${'*_'.repeat(1000)}core${'_*'.repeat(1000)}`);
    const page = await openReader('/host/format-hostile');

    const linkBody = commentById(page, link.id).locator('.body');
    await linkBody.waitFor();
    expect(await linkBody.locator('a').count()).toBe(0);
    expect(await linkBody.textContent()).toContain('[x](javascript:alert(1))');

    const imageBody = commentById(page, image.id).locator('.body');
    expect(await imageBody.locator('img').count()).toBe(0);
    expect(await imageBody.textContent()).toContain('<img src=x onerror=');
    expect(await page.title()).toBe('format-hostile');

    const bombBody = commentById(page, bomb.id).locator('.body');
    expect(await bombBody.textContent()).toContain('core');
    const depth = await bombBody.evaluate((element) => {
      const deepest = (node: Element): number => Math.max(0, ...Array.from(node.children, (child) => 1 + deepest(child)));
      return deepest(element);
    });
    expect(depth).toBeLessThanOrEqual(COMMENT_HTML_MAX_DEPTH);
    // The page still answers: the thread is interactive after rendering it.
    await page.locator('#parley-thread form.composer').first().getByLabel('Join the discussion').fill('still responsive');
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBeGreaterThan(0);
  });
});
