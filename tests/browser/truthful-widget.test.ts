/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import type { CommentDto, CreatedCommentDto, ThreadPageDto } from '../../src/contracts/comments';
import type { TestServer } from '../helpers/test-server';
import { signInModerator, type ModeratorClient } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';
import { startHostBlog, type HostBlog } from './helpers/host-blog';

/**
 * The widget tells each person what really happened: authors learn why their
 * comment was refused or held, and what a moderator decided, live; readers get
 * honest counts, removed placeholders, live banners, the host page's theme, an
 * unbiased report form and permalinks; blog owners get setup errors they can act on.
 */
const ARTIFACTS = path.resolve(__dirname, '../../artifacts');
const SITE = 'truthful';

let server: TestServer;
let blog: HostBlog;
let strangerBlog: HostBlog;
let launched: LaunchedBrowser;
let moderator: ModeratorClient;
const contexts: BrowserContext[] = [];
let nextAddress = 1;
const freshAddress = (): string => {
  nextAddress += 1;
  return `10.88.${Math.floor(nextAddress / 250)}.${(nextAddress % 250) + 1}`;
};

/** `/host/<post>?theme=&bg=&site=`: a host page; `bg` paints the page's background. */
function hostPage(serviceUrl: string, requested: URL): string | undefined {
  const post = /^\/host\/([a-z0-9-]+)$/.exec(requested.pathname)?.[1];
  if (!post) return undefined;
  const theme = requested.searchParams.get('theme');
  const bg = requested.searchParams.get('bg');
  const site = requested.searchParams.get('site') ?? SITE;
  const themeAttribute = theme ? ` data-theme="${theme}"` : '';
  const style = bg ? `<style>body { background: ${bg}; color: #ddd; }</style>` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${post}</title>${style}</head>
<body><h1>A blog post</h1><p>Some text. <span data-parley-count data-site="${site}" data-post="${post}"></span></p>
<div id="parley-thread" data-site="${site}" data-post="${post}"${themeAttribute}></div>
<script src="${serviceUrl}/embed.js" async></script></body></html>`;
}

beforeAll(async () => {
  [server, launched] = await Promise.all([startBrowserTestServer({ TRUST_PROXY: '1' }), launchBrowser()]);
  blog = await startHostBlog((requested) => hostPage(server.url, requested));
  strangerBlog = await startHostBlog((requested) => hostPage(server.url, requested));
  moderator = await signInModerator(server.url);
  const created = await moderator.request('POST', '/mod/sites', { id: SITE, name: 'Truthful blog', origins: [blog.url] });
  if (created.status !== 201) throw new Error(`could not create the site: ${JSON.stringify(created.body)}`);
  await moderator.setSiteSettings(SITE, { bannedWords: ['rotten'], suspectWords: ['propaganda'] });
}, 60_000);

afterAll(async () => {
  await launched?.close();
  await Promise.all([blog?.close(), strangerBlog?.close()]);
  await server?.close();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

interface Reader {
  page: Page;
  /** Console errors and warnings. */
  console: string[];
}

async function openReader(url: string, options: BrowserContextOptions = {}): Promise<Reader> {
  const context = await launched.browser.newContext({ viewport: { width: 1000, height: 900 }, ...options });
  contexts.push(context);
  const address = freshAddress();
  await context.route(`${server.url}/api/**`, (route) =>
    route.continue({ headers: { ...route.request().headers(), 'x-forwarded-for': address } }),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const messages: string[] = [];
  page.on('console', (message) => {
    if (!/Failed to load resource/.test(message.text())) messages.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => messages.push(`pageerror: ${error.message}`));
  await page.goto(url.startsWith('http') ? url : `${blog.url}${url}`);
  return { page, console: messages };
}

const thread = (page: Page): Locator => page.locator('#parley-thread');
const composer = (page: Page): Locator => thread(page).locator('form.composer').first();
const commentById = (page: Page, id: string): Locator => thread(page).locator(`li[data-comment-id="${id}"]`);
const commentByText = (page: Page, text: string): Locator =>
  thread(page).locator('li[data-comment-id]').filter({ has: page.locator('.body', { hasText: text }) }).last();

async function waitForThread(page: Page): Promise<void> {
  await thread(page).locator('.count').waitFor();
  await eventually(async () => {
    if ((await thread(page).locator('section.parley').getAttribute('aria-busy')) !== 'false') throw new Error('still loading');
  });
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await eventually(async () => {
    const text = await textOf(locator);
    if (typeof expected === 'string') expect(text).toBe(expected);
    else expect(text).toMatch(expected);
  });
}

async function postThroughForm(page: Page, body: string, name = 'Ada'): Promise<void> {
  const form = composer(page);
  if ((await form.getByLabel('Your name').count()) > 0) await form.getByLabel('Your name').fill(name);
  await form.getByLabel('Join the discussion').fill(body);
  await form.getByRole('button', { name: 'Post comment' }).click();
}

async function postViaApi(post: string, body: string, parentId?: string): Promise<CommentDto> {
  const response = await fetch(`${server.url}/api/v1/sites/${SITE}/posts/${post}/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: blog.url, 'X-Forwarded-For': freshAddress() },
    body: JSON.stringify({ body, authorName: 'Other Reader', ...(parentId ? { parentId } : {}) }),
  });
  const created = (await response.json()) as CreatedCommentDto;
  if (response.status !== 201) throw new Error(`posting failed: ${response.status} ${JSON.stringify(created)}`);
  return created.comment;
}

async function postIdOf(post: string): Promise<string> {
  const response = await fetch(`${server.url}/api/v1/sites/${SITE}/posts/${post}/comments`);
  return ((await response.json()) as ThreadPageDto).post.id;
}

async function ownPendingId(page: Page, text: string): Promise<string> {
  const id = await commentByText(page, text).getAttribute('data-comment-id');
  if (!id) throw new Error(`no comment "${text}"`);
  return id;
}

describe('the widget tells every person what really happened', () => {
  it('when the filter rejects a comment, then the author reads "not published" and why, the text stays in the form, and nothing claims it was posted', async () => {
    const { page, console: messages } = await openReader('/host/rejected-thread');
    await waitForThread(page);
    await postThroughForm(page, 'This is a rotten plan');
    await expectText(composer(page).locator('p.error'), /^Your comment was not published: it contains language this site doesn't allow\./);
    expect(await composer(page).getByLabel('Join the discussion').inputValue()).toBe('This is a rotten plan');
    expect(await thread(page).locator('li[data-comment-id]').count()).toBe(0);
    expect(await textOf(thread(page).locator('.sr-only[role="status"]'))).not.toMatch(/was posted/);
    expect(await textOf(composer(page))).not.toMatch(/rotten"|banned word/);
    expect(messages.filter((m) => m.startsWith('error') || m.startsWith('pageerror'))).toEqual([]);
  });

  it('when a comment is held, then its author sees a short reason, still there after a reload, and the moderator’s approval and removal arrive live', async () => {
    const { page } = await openReader('/host/held-thread');
    await waitForThread(page);
    await postThroughForm(page, 'Pure propaganda, first');
    const first = commentByText(page, 'Pure propaganda, first');
    await expectText(first.locator('.own-notice'), 'Held for review: it contains words a moderator checks first.');
    await postThroughForm(page, 'More propaganda, second');
    await commentByText(page, 'More propaganda, second').waitFor();

    await page.reload();
    await waitForThread(page);
    await expectText(commentByText(page, 'Pure propaganda, first').locator('.own-notice'), 'Held for review: it contains words a moderator checks first.');
    await expectText(commentByText(page, 'Pure propaganda, first').locator('.badge').first(), 'Awaiting moderation');

    const firstId = await ownPendingId(page, 'Pure propaganda, first');
    const secondId = await ownPendingId(page, 'More propaganda, second');
    // Give the socket its moment to join with the author token before the decisions.
    await eventually(async () => expect(await thread(page).locator('.status-line').count()).toBe(0));
    await moderator.approve({ id: firstId, revision: 1 });
    await expectText(commentById(page, firstId).locator('.badge'), 'Published');
    expect(await commentById(page, firstId).locator('.own-notice').count()).toBe(0);
    await moderator.reject(secondId, 'off-topic');
    await expectText(commentById(page, secondId).locator('.own-notice'), 'Removed by a moderator: off-topic.');
    mkdirSync(ARTIFACTS, { recursive: true });
    await thread(page).screenshot({ path: path.join(ARTIFACTS, 'widget-author-outcomes.png') });
  });

  it('when a parent with replies is rejected, then readers see a "removed" placeholder with the replies, and the header counts what they can reach', async () => {
    const parent = await postViaApi('placeholder-thread', 'A parent that goes');
    await postViaApi('placeholder-thread', 'Reply one stays', parent.id);
    await postViaApi('placeholder-thread', 'Reply two stays', parent.id);
    await postViaApi('placeholder-thread', 'Another top-level comment');
    await moderator.reject(parent.id, 'abuse');
    const { page } = await openReader('/host/placeholder-thread');
    await waitForThread(page);
    await expectText(commentById(page, parent.id).locator(':scope > article .tombstone'), 'This comment was removed.');
    await commentByText(page, 'Reply two stays').waitFor();
    const reachable = await thread(page).locator('li[data-comment-id] .body').count();
    expect(reachable).toBe(3);
    await expectText(thread(page).locator('.count'), '3 Comments');
    await expectText(page.locator('span[data-parley-count]'), '3 Comments');
  });

  it('when a moderator heats, locks down and closes a post, then open widgets show the banners and lose the form without a reload', async () => {
    await postViaApi('banner-thread', 'Before the storm');
    const postId = await postIdOf('banner-thread');
    const { page } = await openReader('/host/banner-thread');
    await waitForThread(page);
    await eventually(async () => expect(await thread(page).locator('.status-line').count()).toBe(0));
    expect(await thread(page).locator('[data-banner]').count()).toBe(0);
    const patch = async (body: Record<string, unknown>): Promise<void> => {
      const result = await moderator.request('PATCH', `/mod/posts/${postId}`, body);
      expect(result.status).toBe(200);
    };
    await patch({ heat: 'heated' });
    await expectText(thread(page).locator('[data-banner="heated"]'), /slow mode is on, and comments from new voices are reviewed/);
    await patch({ heat: 'lockdown' });
    await expectText(thread(page).locator('[data-banner="lockdown"]'), /every new comment is reviewed by a moderator/);
    expect(await thread(page).locator('[data-banner="heated"]').count()).toBe(0);
    await patch({ closed: true });
    await expectText(thread(page).locator('[data-banner="closed"]'), 'Comments are closed on this article.');
    expect(await thread(page).locator('form.composer').count()).toBe(0);
    await patch({ closed: false, heat: 'normal' });
    await composer(page).waitFor();
    expect(await thread(page).locator('[data-banner]').count()).toBe(0);
  });

  it('when the host page is light or dark, then the widget follows the page (not the OS), data-theme forces or reads the page, and screenshots are saved', async () => {
    await postViaApi('theme-thread', 'A comment to show the theme');
    const backgroundOf = async (page: Page): Promise<string> => {
      await waitForThread(page);
      return thread(page).locator('section.parley').evaluate((element) => getComputedStyle(element).backgroundColor);
    };
    const dark = 'rgb(22, 24, 29)';
    const light = 'rgb(255, 255, 255)';
    mkdirSync(ARTIFACTS, { recursive: true });

    const whitePageDarkOs = await openReader('/host/theme-thread', { colorScheme: 'dark' });
    expect(await backgroundOf(whitePageDarkOs.page)).toBe(light);
    await whitePageDarkOs.page.screenshot({ path: path.join(ARTIFACTS, 'widget-light.png'), fullPage: true });

    const darkPageLightOs = await openReader('/host/theme-thread?bg=%23101418', { colorScheme: 'light' });
    expect(await backgroundOf(darkPageLightOs.page)).toBe(dark);
    await darkPageLightOs.page.screenshot({ path: path.join(ARTIFACTS, 'widget-dark.png'), fullPage: true });

    const autoOnDark = await openReader('/host/theme-thread?theme=auto&bg=%23101418', { colorScheme: 'light' });
    expect(await backgroundOf(autoOnDark.page)).toBe(dark);
    const forcedLight = await openReader('/host/theme-thread?theme=light&bg=%23101418');
    expect(await backgroundOf(forcedLight.page)).toBe(light);
    const forcedDark = await openReader('/host/theme-thread?theme=dark');
    expect(await backgroundOf(forcedDark.page)).toBe(dark);

    const phone = await openReader('/host/theme-thread', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await waitForThread(phone.page);
    await phone.page.screenshot({ path: path.join(ARTIFACTS, 'widget-phone.png'), fullPage: true });
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('when a reader opens the report form, then no reason is chosen and nothing can be sent until they pick one', async () => {
    await postViaApi('report-thread', 'A comment someone may report');
    const { page } = await openReader('/host/report-thread');
    await waitForThread(page);
    const comment = commentByText(page, 'A comment someone may report');
    await comment.locator(':scope > article .actions').getByRole('button', { name: 'Report' }).click();
    const form = comment.locator('form.inline-form');
    const select = form.getByLabel('Why are you reporting this comment?');
    expect(await select.inputValue()).toBe('');
    expect(await form.getByRole('button', { name: 'Report' }).isDisabled()).toBe(true);
    await select.selectOption('off-topic');
    await form.getByRole('button', { name: 'Report' }).click();
    await expectText(comment.locator('.inline-form .notice'), 'Thanks for your report. A moderator will review this comment.');
  });

  it('when a page opens with #parley-<id> of a reply on a later page, then the widget loads the pages it needs and highlights that comment; every comment has its link', async () => {
    const target = await postViaApi('permalink-thread', 'The oldest top-level comment');
    const reply = await postViaApi('permalink-thread', 'The reply people link to', target.id);
    for (let index = 0; index < 4; index += 1) await postViaApi('permalink-thread', `Reply filler ${index}`, target.id);
    for (let index = 0; index < 22; index += 1) await postViaApi('permalink-thread', `Newer comment ${index}`);
    // The target's replies come oldest first; put the linked reply behind the first replies page too.
    const late = await postViaApi('permalink-thread', 'A late reply, linked', target.id);
    const { page } = await openReader(`/host/permalink-thread#parley-${late.id}`);
    await waitForThread(page);
    const linked = commentById(page, late.id);
    await eventually(async () => expect(await linked.locator(':scope > article').getAttribute('class')).toMatch(/is-highlighted/));
    expect(await linked.locator(':scope > article').isVisible()).toBe(true);
    expect(await commentById(page, reply.id).count()).toBe(1);
    const href = await commentById(page, reply.id).locator(':scope > article a.permalink').getAttribute('href');
    expect(href).toBe(`#parley-${reply.id}`);
    await page.evaluate((id) => {
      location.hash = `parley-${id}`;
    }, reply.id);
    await eventually(async () => expect(await commentById(page, reply.id).locator(':scope > article').getAttribute('class')).toMatch(/is-highlighted/));
  });

  it('when the site is not registered or the page’s origin is not one of its origins, then readers read a calm sentence and the owner gets the fix in the console, never "offline"', async () => {
    const unknown = await openReader('/host/setup-thread?site=no-such-blog');
    await expectText(thread(unknown.page).locator('[role="alert"] p.error'), "Comments aren't set up for this site yet.");
    // No form to write into a thread that cannot exist.
    expect(await thread(unknown.page).locator('form.composer').count()).toBe(0);
    await eventually(() => expect(unknown.console.join('\n')).toMatch(/there is no site "no-such-blog".*Fix: sign in at .*\/moderate/));
    expect(await textOf(thread(unknown.page).locator('section.parley'))).not.toMatch(/offline/i);

    const stranger = await openReader(`${strangerBlog.url}/host/setup-thread`);
    await expectText(thread(stranger.page).locator('[role="alert"] p.error'), "Comments aren't available at this page's address yet.");
    await eventually(() => expect(stranger.console.join('\n')).toContain(`add ${strangerBlog.url} to the origins of "${SITE}"`));
    expect(await textOf(thread(stranger.page).locator('section.parley'))).not.toMatch(/offline/i);
  });
});
