/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { CommentDto, CreatedCommentDto } from '../../src/contracts/comments';
import type { TestServer } from '../helpers/test-server';
import { signInModerator } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';
import { startHostBlog, type HostBlog } from './helpers/host-blog';

/** Reacting in the widget: a second click takes it back, a second reader sees it live, and nobody reacts to their own comment. */
const SITE = 'reactions';

let server: TestServer;
let blog: HostBlog;
let launched: LaunchedBrowser;
const contexts: BrowserContext[] = [];
let nextAddress = 1;

async function postViaApi(post: string, body: string): Promise<CommentDto> {
  nextAddress += 1;
  const response = await fetch(`${server.url}/api/v1/sites/${SITE}/posts/${post}/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: blog.url, 'X-Forwarded-For': `10.66.0.${nextAddress}` },
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
  const created = await moderator.request('POST', '/mod/sites', { id: SITE, name: 'Reactions blog', origins: [blog.url] });
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

async function openReader(post: string, userAgent: string): Promise<Page> {
  const context = await launched.browser.newContext({ viewport: { width: 1000, height: 900 }, userAgent, locale: 'en-US' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${blog.url}/host/${post}`);
  await page.locator('#parley-thread .count').waitFor();
  return page;
}

const commentById = (page: Page, id: string): Locator => page.locator(`#parley-thread li[data-comment-id="${id}"] > article`);
const textOf = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').trim();

describe('reacting in the widget', () => {
  it('when a reader reacts and clicks again, then the count goes up and back, and a second reader sees it live', async () => {
    const comment = await postViaApi('react-post', 'A comment worth a reaction');
    const first = await openReader('react-post', 'reader-one');
    const second = await openReader('react-post', 'reader-two');
    const button = commentById(first, comment.id).locator('button.react');
    await eventually(async () => expect(await textOf(button)).toBe('♡ Like · 0'));

    await button.click();
    await eventually(async () => expect(await textOf(button)).toBe('♥ Like · 1'));
    expect(await button.getAttribute('aria-pressed')).toBe('true');
    await eventually(async () => expect(await textOf(commentById(second, comment.id).locator('button.react'))).toBe('♡ Like · 1'));

    await button.click();
    await eventually(async () => expect(await textOf(button)).toBe('♡ Like · 0'));
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    await eventually(async () => expect(await textOf(commentById(second, comment.id).locator('button.react'))).toBe('♡ Like · 0'));
  });

  it('when readers look at their own comment, then it shows its count without a reaction button', async () => {
    const page = await openReader('own-post', 'reader-own');
    const form = page.locator('#parley-thread form.composer').first();
    await form.getByLabel('Your name').fill('Self Reader');
    await form.getByLabel('Join the discussion').fill('My own words');
    await form.getByRole('button', { name: 'Post comment' }).click();
    const own = page.locator('#parley-thread article.own-comment').first();
    await own.waitFor();
    expect(await own.locator('button.react').count()).toBe(0);
    expect(await textOf(own.locator('.reactions'))).toBe('♥ 0');
  });

  it('when the widget is Russian, then the reaction button speaks Russian', async () => {
    const comment = await postViaApi('ru-react', 'Комментарий');
    const context = await launched.browser.newContext({ locale: 'en-US', userAgent: 'reader-ru' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${blog.url}/host/ru-react?lang=ru`);
    const button = commentById(page, comment.id).locator('button.react');
    await eventually(async () => expect(await textOf(button)).toBe('♡ Нравится · 0'));
    expect(await textOf(page.locator('#parley-thread .sort button').last())).toBe('Лучшие');
  });
});
