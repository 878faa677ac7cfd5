/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import type { BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import type { TestServer } from '../helpers/test-server';
import { signInModerator } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';
import { startHostBlog, type HostBlog } from './helpers/host-blog';

/**
 * The widget in the reader's language: `data-lang`, else the page's `<html lang>`,
 * else the browser's; count badges and plurals ("1 комментарий, 2 комментария,
 * 5 комментариев") included. Comments are seeded over the API.
 */
const SITE = 'languages';
const COUNTS: Record<string, number> = { 'post-one': 1, 'post-two': 2, 'post-five': 5 };

let server: TestServer;
let blog: HostBlog;
let launched: LaunchedBrowser;
const contexts: BrowserContext[] = [];
let nextAddress = 1;

/** `/host/<post>?html=ru&data=uk`: the thread of <post> and a badge for every seeded post. */
function hostPage(serviceUrl: string, post: string, htmlLang: string | null, dataLang: string | null): string {
  const badges = Object.keys(COUNTS)
    .map((key) => `<li><span data-parley-count data-site="${SITE}" data-post="${key}"></span></li>`)
    .join('');
  const lang = htmlLang ? ` lang="${htmlLang}"` : '';
  const data = dataLang ? ` data-lang="${dataLang}"` : '';
  return `<!doctype html><html${lang}><head><meta charset="utf-8"><title>${post}</title></head>
<body><ul class="badges">${badges}</ul><div id="parley-thread" data-site="${SITE}" data-post="${post}"${data}></div>
<script src="${serviceUrl}/embed.js" async></script></body></html>`;
}

const SEEDED_SENTENCES = [
  'Согласен с автором статьи',
  'Интересный разбор переговоров в Стамбуле',
  'А что об этом думают в Киеве?',
  'Спасибо за ссылки на первоисточники',
  'Посмотрим, чем закончится перемирие',
  'Хорошо бы увидеть карту фронта',
] as const;

/** The seeded comment number `index` (from 0) of `post`. */
function seededText(post: string, index: number): string {
  return `${SEEDED_SENTENCES[index % SEEDED_SENTENCES.length] ?? ''} (${post}, №${index + 1})`;
}

async function postViaApi(post: string, body: string): Promise<void> {
  nextAddress += 1;
  const response = await fetch(`${server.url}/api/v1/sites/${SITE}/posts/${post}/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: blog.url, 'X-Forwarded-For': `10.88.0.${nextAddress}` },
    body: JSON.stringify({ body, authorName: `Читатель ${nextAddress}` }),
  });
  if (response.status !== 201) throw new Error(`posting failed: ${response.status} ${await response.text()}`);
}

beforeAll(async () => {
  [server, launched] = await Promise.all([startBrowserTestServer({ TRUST_PROXY: '1' }), launchBrowser()]);
  blog = await startHostBlog((requested) => {
    const post = /^\/host\/([a-z0-9-]+)$/.exec(requested.pathname)?.[1];
    if (!post) return undefined;
    return hostPage(server.url, post, requested.searchParams.get('html'), requested.searchParams.get('data'));
  });
  const moderator = await signInModerator(server.url);
  const created = await moderator.request('POST', '/mod/sites', { id: SITE, name: 'Languages blog', origins: [blog.url] });
  if (created.status !== 201) throw new Error(`could not create the site: ${JSON.stringify(created.body)}`);
  for (const [post, count] of Object.entries(COUNTS)) {
    // Different sentences: near-identical comments from different readers would be held as brigading.
    for (let index = 0; index < count; index += 1) await postViaApi(post, seededText(post, index));
  }
}, 90_000);

afterAll(async () => {
  await launched?.close();
  await blog?.close();
  await server?.close();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function openReader(hostPath: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await launched.browser.newContext({ viewport: { width: 1000, height: 900 }, ...options });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${blog.url}${hostPath}`);
  await thread(page).locator('.count').waitFor();
  return page;
}

const thread = (page: Page): Locator => page.locator('#parley-thread');
const badgeTexts = (page: Page): Promise<string[]> =>
  page.locator('[data-parley-count]').evaluateAll((badges) => badges.map((badge) => badge.textContent ?? ''));

async function expectText(locator: Locator, expected: string): Promise<void> {
  await eventually(async () => expect(((await locator.textContent()) ?? '').trim()).toBe(expected));
}

describe('the widget in the reader’s language', () => {
  it('when the page says <html lang="ru">, then the thread, the badges and the plurals are Russian', async () => {
    const page = await openReader('/host/post-five?html=ru');
    await expectText(thread(page).locator('.count'), '5 комментариев');
    await eventually(async () => expect(await badgeTexts(page)).toEqual(['1 комментарий', '2 комментария', '5 комментариев']));
    expect(await thread(page).locator('section.parley').evaluate((section) => section.closest('[lang]')?.getAttribute('lang'))).toBe('ru');
    expect(await thread(page).locator('.sort button').allTextContents()).toEqual(['Новые', 'Старые', 'Популярные', 'Лучшие']);
    await expectText(thread(page).locator('form.composer label').last(), 'Присоединяйтесь к обсуждению');
    await expectText(thread(page).locator('.meta time').first(), 'только что');

    await thread(page).getByRole('button', { name: 'Отправить' }).click();
    await expectText(thread(page).locator('form.composer p.error'), 'Напишите что-нибудь перед отправкой.');
  });

  it('when data-lang="uk" is set on a Russian page, then the thread is Ukrainian and the page’s own badges stay Russian', async () => {
    const page = await openReader('/host/post-two?html=ru&data=uk');
    await expectText(thread(page).locator('.count'), '2 коментарі');
    expect(await thread(page).locator('.sort button').allTextContents()).toEqual(['Нові', 'Старі', 'Популярні', 'Найкращі']);
    await expectText(thread(page).locator('article.comment .comment-head + .body').first(), seededText('post-two', 1));
    await thread(page).getByRole('button', { name: 'Відповісти' }).first().click();
    await eventually(async () =>
      expect(((await thread(page).locator('form.inline-form label').last().textContent()) ?? '').trim()).toMatch(/^Відповідь для Читатель \d+$/),
    );
    await eventually(async () => expect(await badgeTexts(page)).toEqual(['1 комментарий', '2 комментария', '5 комментариев']));
  });

  it('when neither the element nor the page names a language, then the browser’s Ukrainian is used', async () => {
    const page = await openReader('/host/post-five', { locale: 'uk-UA' });
    await expectText(thread(page).locator('.count'), '5 коментарів');
    await eventually(async () => expect(await badgeTexts(page)).toEqual(['1 коментар', '2 коментарі', '5 коментарів']));
    await expectText(thread(page).locator('.meta time').first(), 'щойно');
  });

  it('when the language is one Parley does not ship, then the widget falls back to English and says so in the console', async () => {
    const context = await launched.browser.newContext({ locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await page.goto(`${blog.url}/host/post-one?html=en&data=tlh`);
    await expectText(thread(page).locator('.count'), '1 Comment');
    await eventually(async () => expect(await badgeTexts(page)).toEqual(['1 Comment', '2 Comments', '5 Comments']));
    await eventually(() => expect(warnings.join('\n')).toContain('data-lang="tlh" is not available'));
  });

  it('when the panel is opened with ?lang=uk, then the moderators read it in Ukrainian', async () => {
    const context = await launched.browser.newContext({ locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/moderate?lang=uk`);
    await page.getByRole('button', { name: 'Увійти' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('uk');
    expect(await page.locator('label.field span').allTextContents()).toEqual(['Пошта', 'Пароль']);
  });
});
