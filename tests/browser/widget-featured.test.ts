/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { CommentDto, CreatedCommentDto } from '../../src/contracts/comments';
import type { TestServer } from '../helpers/test-server';
import { signSsoToken } from '../helpers/factories';
import { signInModerator, type ModeratorClient } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';
import { startHostBlog, type HostBlog } from './helpers/host-blog';

/** Featured comments, staff replies and badges, from the panel to an open widget, live. */
const SITE = 'featured';
const SSO_SECRET = 'featured-site-sso-secret-0123456789';
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

jest.setTimeout(120_000);

let server: TestServer;
let blog: HostBlog;
let launched: LaunchedBrowser;
let moderator: ModeratorClient;
const contexts: BrowserContext[] = [];
const ssoTokens = new Map<string, string>();
let nextAddress = 1;

async function postViaApi(post: string, body: string, init: { token?: string; authorName?: string } = {}): Promise<CommentDto> {
  nextAddress += 1;
  const response = await fetch(`${server.url}/api/v1/sites/${SITE}/posts/${post}/comments`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Origin: blog.url,
      'X-Forwarded-For': `10.77.0.${nextAddress}`,
      ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
    },
    body: JSON.stringify({ body, ...(init.token ? {} : { authorName: init.authorName ?? 'A Reader' }) }),
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
    const sso = ssoTokens.get(requested.searchParams.get('user') ?? '');
    return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${post}</title></head>
<body><div id="parley-thread" data-site="${SITE}" data-post="${post}"${sso ? ` data-sso-token="${sso}"` : ''}></div>
<script src="${server.url}/embed.js" async></script></body></html>`;
  });
  moderator = await signInModerator(server.url);
  const created = await moderator.request('POST', '/mod/sites', { id: SITE, name: 'Featured blog', origins: [blog.url], ssoSecret: SSO_SECRET });
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

async function newPage(): Promise<Page> {
  const context = await launched.browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-US' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

async function openReader(post: string, query = ''): Promise<Page> {
  const page = await newPage();
  await page.goto(`${blog.url}/host/${post}${query}`);
  await page.locator('#parley-thread .count').waitFor();
  return page;
}

async function openPanelOnApproved(): Promise<Page> {
  const page = await newPage();
  await page.goto(`${server.url}/moderate`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tablist', { name: 'Queues' }).waitFor();
  await page.getByTestId('tab-approved').click();
  return page;
}

const commentById = (page: Page, id: string): Locator => page.locator(`#parley-thread li[data-comment-id="${id}"] > article`);
const featuredItem = (page: Page, id: string): Locator => page.locator(`#parley-thread [data-featured-block] [data-featured-id="${id}"]`);
const card = (page: Page, id: string): Locator => page.locator(`article.queue-card[data-comment-id="${id}"]`);
const textOf = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').trim();

describe('featured comments, staff replies and badges in the widget', () => {
  it('when a moderator features a comment in the panel, then an open widget pins it live, a click scrolls to it in the thread, and unfeaturing removes it live', async () => {
    const post = 'featuring';
    const chosen = await postViaApi(post, 'The exchange of prisoners should come first; everything else can follow.');
    for (let i = 0; i < 25; i += 1) await postViaApi(post, `Filler comment number ${i}`);
    const reader = await openReader(post);
    expect(await reader.locator('#parley-thread [data-featured-block]').count()).toBe(0);
    // The chosen comment is the oldest: past the first page of the newest-first thread.
    expect(await commentById(reader, chosen.id).count()).toBe(0);

    const panel = await openPanelOnApproved();
    await panel.getByRole('searchbox', { name: 'Search comments' }).fill('exchange of prisoners');
    await card(panel, chosen.id).getByTestId('feature-toggle').click();
    await card(panel, chosen.id).getByTestId('featured-pill').waitFor();

    await featuredItem(reader, chosen.id).waitFor();
    expect(await textOf(reader.locator('#parley-thread .featured-title'))).toBe('Featured comments');
    expect(await textOf(featuredItem(reader, chosen.id))).toContain('The exchange of prisoners should come first');

    await featuredItem(reader, chosen.id).locator('button').click();
    const inThread = commentById(reader, chosen.id);
    await inThread.waitFor();
    await eventually(async () =>
      expect(await reader.evaluate(() => document.querySelector('#parley-thread')?.shadowRoot?.activeElement?.id ?? document.activeElement?.id)).toBe(
        `parley-comment-${chosen.id}`,
      ),
    );
    await eventually(async () => expect(await inThread.isVisible()).toBe(true));
    const box = await inThread.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? -1) >= 0 && (box?.y ?? 10_000) < 900).toBe(true);

    // A reader opening the page now gets the Featured block from the first read.
    const later = await openReader(post, '?lang=uk');
    await featuredItem(later, chosen.id).waitFor();
    expect(await textOf(later.locator('#parley-thread .featured-title'))).toBe('Вибрані коментарі');

    await card(panel, chosen.id).getByTestId('feature-toggle').click();
    await eventually(async () => expect(await reader.locator('#parley-thread [data-featured-block]').count()).toBe(0));
    await eventually(async () => expect(await later.locator('#parley-thread [data-featured-block]').count()).toBe(0));
  });

  it('when a moderator replies as staff from the panel, then an open widget shows the reply live with the Moderator badge', async () => {
    const post = 'staff-answer';
    const question = await postViaApi(post, 'When do the talks actually start?');
    const reader = await openReader(post);
    const russian = await openReader(post, '?lang=ru');
    await commentById(reader, question.id).waitFor();

    const panel = await openPanelOnApproved();
    await card(panel, question.id).getByTestId('staff-reply-open').click();
    await card(panel, question.id).getByTestId('staff-reply-form').locator('textarea').fill('They open on Monday; we will update this article.');
    await card(panel, question.id).getByTestId('staff-reply-form').getByRole('button', { name: 'Post reply' }).click();
    await panel.getByText('Your reply is published in the thread.').waitFor();

    const replies = (await moderator.request<{ comments: CommentDto[] }>('GET', `/comments/${question.id}/replies`)).body.comments;
    const reply = replies.find((comment) => comment.body.startsWith('They open on Monday'));
    expect(reply?.author?.badges).toEqual(['Moderator']);
    const replyId = reply?.id ?? '';

    // Others' new comments wait behind the "new comments" button, so the page never jumps.
    await reader.getByRole('button', { name: 'Show 1 new comment' }).click();
    const shown = commentById(reader, replyId);
    await shown.waitFor();
    expect(await textOf(shown.locator('.author'))).toBe(reply?.author?.name);
    expect(await textOf(shown.locator('.author-badge[data-badge="Moderator"]'))).toBe('Moderator');
    expect(await textOf(shown.locator('.body'))).toContain('They open on Monday');

    await russian.locator('#parley-thread button.new-banner').click();
    await eventually(async () => expect(await textOf(commentById(russian, replyId).locator('.author-badge'))).toBe('Модератор'));
  });

  it("when an SSO reader's token carries badges, then the widget shows them beside the name, as text", async () => {
    const post = 'sso-badges';
    const token = await signSsoToken(SSO_SECRET, { sub: 'reader-42', name: 'Оксана', site: SITE, badges: ['Subscriber', '<b>Verified</b>'] });
    ssoTokens.set('oksana', token);
    const mine = await postViaApi(post, 'Signed in, with badges.', { token });
    const guest = await postViaApi(post, 'A guest has none.');
    const reader = await openReader(post);
    const chips = commentById(reader, mine.id).locator('.author-badge');
    await eventually(async () => expect(await chips.allTextContents()).toEqual(['Subscriber', '<b>Verified</b>']));
    expect(await commentById(reader, mine.id).locator('.author-badge b').count()).toBe(0);
    expect(await commentById(reader, guest.id).locator('.author-badge').count()).toBe(0);

    // The signed-in reader sees their own badges on what they post from the widget.
    const own = await openReader(post, '?user=oksana');
    await own.locator('#parley-thread textarea').first().fill('Posted from the widget while signed in.');
    await own.locator('#parley-thread form button[type="submit"]').first().click();
    const posted = own.locator('#parley-thread li > article', { hasText: 'Posted from the widget while signed in.' });
    await posted.waitFor();
    expect(await posted.locator('.author-badge').allTextContents()).toEqual(['Subscriber', '<b>Verified</b>']);
  });

  it("when a moderator changes the site's reaction label and downvote switch in the panel settings, then the widget's reaction button says the new word", async () => {
    const post = 'reaction-word';
    const comment = await postViaApi(post, 'A comment to react to.');
    const before = await openReader(post);
    await eventually(async () => expect(await textOf(commentById(before, comment.id).locator('button.react'))).toContain('Like'));

    const panel = await openPanelOnApproved();
    await panel.getByLabel('Site filter').selectOption(SITE);
    await panel.getByRole('link', { name: 'Settings' }).click();
    await panel.getByRole('form', { name: /Settings of/ }).waitFor();
    const label = panel.getByLabel('Reaction button label (up to 40 characters)');
    expect(await label.getAttribute('maxlength')).toBe('40');
    await label.fill('Respect');
    await panel.getByLabel(/Let readers downvote/).check();
    await panel.getByRole('button', { name: 'Save settings' }).click();
    await panel.getByText('Saved the settings of Featured blog.').waitFor();
    const stored = await moderator.request<{ settings: { reactionLabel: string | null; downvotes: boolean } }>('GET', `/mod/sites/${SITE}`);
    expect(stored.body.settings).toMatchObject({ reactionLabel: 'Respect', downvotes: true });

    const after = await openReader(post);
    await eventually(async () => expect(await textOf(commentById(after, comment.id).locator('button.react'))).toContain('Respect'));

    // Emptying the field gives the widget its own word back.
    await label.fill('');
    await panel.getByLabel(/Let readers downvote/).uncheck();
    await panel.getByRole('button', { name: 'Save settings' }).click();
    await eventually(async () =>
      expect((await moderator.request<{ settings: { reactionLabel: string | null; downvotes: boolean } }>('GET', `/mod/sites/${SITE}`)).body.settings).toMatchObject({
        reactionLabel: null,
        downvotes: false,
      }),
    );
    const reset = await openReader(post);
    await eventually(async () => expect(await textOf(commentById(reset, comment.id).locator('button.react'))).toContain('Like'));
  });
});
