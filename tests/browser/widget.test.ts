/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import { mkdirSync } from 'node:fs';
import { startHostBlog, type HostBlog } from './helpers/host-blog';
import path from 'node:path';
import type { BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import type { TestServer } from '../helpers/test-server';
import { signInModerator, type ModeratorClient } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';

/**
 * The widget in a real browser against the whole service: the demo page as
 * readers get it (helmet's CSP included), and a blog on another origin (its own
 * little server) embedding one post per test, as PRODUCT.md's "Embedding" shows.
 */
const ARTIFACTS = path.resolve(__dirname, '../../artifacts');

let server: TestServer;
let blog: HostBlog;
let launched: LaunchedBrowser;
let moderator: ModeratorClient;
const contexts: BrowserContext[] = [];

/** A host blog on its own origin: `/host/<post>?theme=` pages embedding the service's script. */
function startBlog(serviceUrl: string): Promise<HostBlog> {
  return startHostBlog((requested) => {
    const post = /^\/host\/([a-z0-9-]+)$/.exec(requested.pathname)?.[1];
    return post ? hostPage(serviceUrl, post, requested.searchParams.get('theme')) : undefined;
  });
}

beforeAll(async () => {
  [server, launched] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  blog = await startBlog(server.url);
  moderator = await signInModerator(server.url);
  const demo = await moderator.request<{ origins: string[] }>('GET', '/mod/sites/demo');
  const origins = [...(demo.body.origins ?? []), blog.url];
  const patched = await moderator.request('PATCH', '/mod/sites/demo', { origins });
  if (patched.status !== 200)
    throw new Error(`could not add the blog origin: ${JSON.stringify(patched.body)}`);
}, 60_000);

afterAll(async () => {
  await launched?.close();
  await blog?.close();
  await server?.close();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

interface Reader {
  page: Page;
  /** Problems the page reported: console errors (CSP violations among them) and uncaught exceptions. */
  problems: string[];
}

/**
 * A reader with their own browser profile (own localStorage, own author token).
 * `/demo` is the service's page; `/host/<post>` a page of the blog on another origin.
 */
async function openReader(url: string, options: BrowserContextOptions = {}): Promise<Reader> {
  const context = await launched.browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
  contexts.push(context);
  const page = await context.newPage();
  // Fail on the step that hangs, well before Jest's own timeout.
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${url.startsWith('/host/') ? blog.url : server.url}${url}`);
  return { page, problems };
}

function hostPage(serviceUrl: string, post: string, theme: string | null): string {
  const themeAttribute = theme === 'dark' || theme === 'light' ? ` data-theme="${theme}"` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${post}</title>
<style>p, button, li { color: rgb(255, 0, 0) !important; font-family: monospace !important; }</style></head>
<body><h1>Host page</h1><p>Host text <span data-parley-count data-site="demo" data-post="${post}"></span></p>
<div id="parley-thread" data-site="demo" data-post="${post}"${themeAttribute}></div>
<script src="${serviceUrl}/embed.js" async></script></body></html>`;
}

const thread = (page: Page): Locator => page.locator('#parley-thread');
const commentByText = (page: Page, text: string): Locator =>
  thread(page)
    .locator('li[data-comment-id]')
    .filter({ has: page.locator('.body', { hasText: text }) })
    .first();
const badge = (page: Page): Locator => page.locator('[data-parley-count]').first();

async function waitForThread(page: Page): Promise<void> {
  await thread(page).locator('.count').waitFor();
  await eventually(async () => {
    if ((await thread(page).locator('section.parley').getAttribute('aria-busy')) !== 'false')
      throw new Error('still loading');
  });
}

async function postComment(page: Page, body: string, name = 'Ayla'): Promise<void> {
  const form = thread(page).locator('form.composer').first();
  const nameField = form.getByLabel('Your name');
  if ((await nameField.count()) > 0 && !(await nameField.inputValue())) await nameField.fill(name);
  await form.getByLabel('Join the discussion').fill(body);
  await form.getByRole('button', { name: 'Post comment' }).click();
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

async function expectText(locator: Locator, expected: string): Promise<void> {
  await eventually(async () => expect(await textOf(locator)).toBe(expected));
}

async function commentId(comment: Locator): Promise<string> {
  const id = await comment.getAttribute('data-comment-id');
  if (!id) throw new Error('comment has no id');
  return id;
}

describe('comment widget in a browser', () => {
  it('when a comment is posted on the demo page, then it shows at once for its author and behind "new comments" for another reader, and every count updates', async () => {
    const author = await openReader('/demo');
    const reader = await openReader('/demo');
    for (const { page } of [author, reader]) {
      await page.locator('#comments').scrollIntoViewIfNeeded();
      await waitForThread(page);
      await expectText(badge(page), '0 Comments');
      await expectText(thread(page).locator('.count'), '0 Comments');
    }

    await postComment(author.page, 'The swap is the first concrete result in three years.');

    await commentByText(author.page, 'first concrete result').waitFor();
    const banner = thread(reader.page).getByRole('button', { name: 'Show 1 new comment' });
    await banner.waitFor();
    expect(await commentByText(reader.page, 'first concrete result').count()).toBe(0);
    await banner.click();
    await commentByText(reader.page, 'first concrete result').waitFor();
    for (const { page } of [author, reader]) {
      await expectText(badge(page), '1 Comment');
      await expectText(thread(page).locator('.count'), '1 Comment');
    }
    // The demo page runs under helmet's CSP (script-src 'self', no inline scripts): nothing was blocked.
    expect(
      [...author.problems, ...reader.problems].filter((problem) =>
        /Content Security Policy|Refused/i.test(problem),
      ),
    ).toEqual([]);
  });

  it('when a reader replies, then the reply nests under its parent for both readers', async () => {
    const first = await openReader('/host/reply-thread');
    const second = await openReader('/host/reply-thread');
    await Promise.all([waitForThread(first.page), waitForThread(second.page)]);
    await postComment(first.page, 'Will the exchange happen this month?', 'Marko');
    await thread(second.page).getByRole('button', { name: 'Show 1 new comment' }).click();
    const parent = commentByText(second.page, 'this month?');

    await parent.locator('article').getByRole('button', { name: 'Reply' }).click();
    const replyForm = parent.locator('form.inline-form');
    await replyForm.getByLabel('Your name').fill('Elif');
    await replyForm.getByLabel('Reply to Marko').fill('Officials said within days.');
    await replyForm.getByRole('button', { name: 'Post reply' }).click();

    await parent.locator('ol.replies', { hasText: 'Officials said within days.' }).waitFor();
    const parentInFirst = commentByText(first.page, 'this month?');
    await thread(first.page).getByRole('button', { name: 'Show 1 new comment' }).click();
    const nested = parentInFirst.locator('ol.replies li[data-comment-id]', {
      hasText: 'Officials said within days.',
    });
    await nested.waitFor();
    expect(await nested.getAttribute('data-comment-id')).not.toBe(await commentId(parentInFirst));
  });

  it('when the site holds every comment, then the author sees it awaiting moderation, others see nothing until a moderator approves it', async () => {
    await moderator.setSiteSettings('demo', { premoderation: 'all' });
    try {
      const author = await openReader('/host/held-thread');
      const reader = await openReader('/host/held-thread');
      await Promise.all([waitForThread(author.page), waitForThread(reader.page)]);

      await postComment(author.page, 'Both sides should publish the lists of prisoners.', 'Tom');
      const held = commentByText(author.page, 'lists of prisoners');
      await held.locator('.badge', { hasText: 'Awaiting moderation' }).waitFor();
      await reader.page.waitForTimeout(1000);
      expect(
        await thread(reader.page)
          .getByRole('button', { name: /new comment/ })
          .count(),
      ).toBe(0);
      expect(await textOf(thread(reader.page).locator('.count'))).toBe('0 Comments');

      await moderator.approve({ id: await commentId(held), revision: 1 });

      await thread(reader.page).getByRole('button', { name: 'Show 1 new comment' }).click();
      await commentByText(reader.page, 'lists of prisoners').waitFor();
      // The author's own copy now says it was published after review, instead of "awaiting moderation".
      await expectText(held.locator('.badge'), 'Published');
      await expectText(thread(reader.page).locator('.count'), '1 Comment');
      await expectText(badge(author.page), '1 Comment');
    } finally {
      await moderator.setSiteSettings('demo', { premoderation: 'none' });
    }
  });

  it('when a moderator rejects a published comment, then it vanishes for every reader', async () => {
    const author = await openReader('/host/rejected-thread');
    const reader = await openReader('/host/rejected-thread');
    await Promise.all([waitForThread(author.page), waitForThread(reader.page)]);
    await postComment(author.page, 'Buy cheap watches at my shop today', 'Spammer');
    await thread(reader.page).getByRole('button', { name: 'Show 1 new comment' }).click();
    const inReader = commentByText(reader.page, 'cheap watches');
    await inReader.waitFor();

    await moderator.reject(await commentId(inReader));

    await eventually(async () => expect(await commentByText(reader.page, 'cheap watches').count()).toBe(0));
    // Its author is told why instead of watching it vanish.
    await expectText(commentByText(author.page, 'cheap watches').locator('.own-notice'), 'Removed by a moderator: spam.');
    await expectText(thread(reader.page).locator('.count'), '0 Comments');
  });

  it('when a comment carries HTML, then it renders as text and its links are safe anchors', async () => {
    const { page } = await openReader('/host/xss-thread');
    await waitForThread(page);
    const payload =
      '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> see https://example.org/report';
    await postComment(page, payload, 'Mallory');

    const body = commentByText(page, 'window.__pwned').locator('.body');
    await body.waitFor();
    expect(await textOf(body)).toBe(payload);
    expect(await body.locator('img, script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const link = body.locator('a');
    expect(await link.getAttribute('href')).toBe('https://example.org/report');
    expect(await link.getAttribute('rel')).toBe('ugc nofollow noopener');
    expect(await link.getAttribute('target')).toBe('_blank');
  });

  it('when a reader uses only the keyboard, then they can reach the form and post', async () => {
    const { page } = await openReader('/host/keyboard-thread');
    await waitForThread(page);
    const focusedLabel = (): Promise<string> =>
      page.evaluate(() => {
        let active: Element | null = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        if (!active) return '';
        return (active.getAttribute('name') ?? '') + '|' + (active.textContent ?? '').trim();
      });

    let reached = '';
    for (let presses = 0; presses < 15 && !reached.startsWith('authorName|'); presses += 1) {
      await page.keyboard.press('Tab');
      reached = await focusedLabel();
    }
    expect(reached.startsWith('authorName|')).toBe(true);
    await page.keyboard.type('Keyboard Kim');
    // Then the Write/Preview tabs and the formatting toolbar, one Tab stop each (arrow keys move within them).
    await page.keyboard.press('Tab');
    expect(await focusedLabel()).toBe('|Write');
    await page.keyboard.press('Tab');
    expect(await focusedLabel()).toBe('|B');
    await page.keyboard.press('Tab');
    expect((await focusedLabel()).startsWith('body|')).toBe(true);
    await page.keyboard.type('Posted without touching the mouse.');
    await page.keyboard.press('Tab');
    expect(await focusedLabel()).toBe('|Post comment');
    await page.keyboard.press('Enter');

    await commentByText(page, 'without touching the mouse').waitFor();
    // Focus is visible: the widget draws an outline on keyboard focus.
    await page.keyboard.press('Shift+Tab');
    const outline = await page.evaluate(() => {
      let active: Element | null = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return active ? getComputedStyle(active).outlineStyle : 'none';
    });
    expect(outline).not.toBe('none');
  });

  it('when the theme is dark by attribute, then the widget is dark; on a plain white page it stays light even with a dark OS; host styles never leak in', async () => {
    const background = async (page: Page): Promise<string> => {
      await waitForThread(page);
      return thread(page)
        .locator('section.parley')
        .evaluate((element) => getComputedStyle(element).backgroundColor);
    };
    const dark = 'rgb(22, 24, 29)';
    const light = 'rgb(255, 255, 255)';

    const byAttribute = await openReader('/host/theme-thread?theme=dark');
    expect(await background(byAttribute.page)).toBe(dark);
    // A white blog read with the OS in dark mode: the widget follows the page, not the OS.
    const bySystem = await openReader('/host/theme-thread', { colorScheme: 'dark' });
    expect(await background(bySystem.page)).toBe(light);
    const forcedLight = await openReader('/host/theme-thread?theme=light', { colorScheme: 'dark' });
    expect(await background(forcedLight.page)).toBe(light);

    // The host page paints every p and button red in monospace with !important.
    const heading = await thread(forcedLight.page)
      .locator('.count')
      .evaluate((element) => ({
        color: getComputedStyle(element).color,
        font: getComputedStyle(element).fontFamily,
      }));
    expect(heading.color).not.toBe('rgb(255, 0, 0)');
    expect(heading.font).not.toContain('monospace');
    // …and the widget's styles stay inside: the host's own paragraph keeps its style.
    const hostParagraph = await forcedLight.page
      .locator('body > p')
      .evaluate((element) => getComputedStyle(element).color);
    expect(hostParagraph).toBe('rgb(255, 0, 0)');
  });

  it('when the demo page is captured in light and dark, desktop and 320 px, then the screenshots are saved', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const shots: { name: string; options: BrowserContextOptions; url: string }[] = [
      {
        name: 'demo-light-desktop',
        options: { viewport: { width: 1280, height: 900 }, colorScheme: 'light' },
        url: '/demo',
      },
      {
        name: 'demo-dark-desktop',
        options: { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' },
        url: '/demo',
      },
      {
        name: 'demo-light-mobile',
        options: { viewport: { width: 320, height: 720 }, colorScheme: 'light' },
        url: '/demo',
      },
      {
        name: 'demo-dark-mobile',
        options: { viewport: { width: 320, height: 720 }, colorScheme: 'dark' },
        url: '/demo?theme=dark',
      },
    ];
    for (const shot of shots) {
      const { page, problems } = await openReader(shot.url, shot.options);
      await page.locator('#comments').scrollIntoViewIfNeeded();
      await waitForThread(page);
      await page.screenshot({ path: path.join(ARTIFACTS, `${shot.name}.png`), fullPage: true });
      await thread(page).screenshot({ path: path.join(ARTIFACTS, `${shot.name}-thread.png`) });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBe(0);
      expect(problems.filter((problem) => /Content Security Policy|Refused/i.test(problem))).toEqual([]);
    }
  });
});
