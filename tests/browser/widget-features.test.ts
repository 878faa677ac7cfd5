/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import { mkdirSync } from 'node:fs';
import { startHostBlog, type HostBlog } from './helpers/host-blog';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import type { BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import type { CommentDto, CreatedCommentDto, ThreadPageDto } from '../../src/contracts/comments';
import type { QueuePageDto } from '../../src/contracts/moderation-api';
import type { ParleyGlobal } from '../../src/widget/runtime';
import type { TestServer } from '../helpers/test-server';
import { signInModerator, type ModeratorClient } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';

/**
 * The widget's reader features in a real browser, through the UI only: SSO
 * sign-in, editing and deleting, reports, sorting and paging, errors next to
 * the form, batched count badges and catching up after a reconnect. A blog on
 * its own origin embeds the service's script; comments by "other readers" are
 * posted over the API, each from its own client address (TRUST_PROXY).
 */
const ARTIFACTS = path.resolve(__dirname, '../../artifacts');
const SITE = 'features';
const SSO_SECRET = 'features-sso-secret-0123456789abcdef';

let server: TestServer;
let blog: HostBlog;
let launched: LaunchedBrowser;
let moderator: ModeratorClient;
const contexts: BrowserContext[] = [];
/** Every API call gets its own client address, so the per-IP limits stay out of the way (browsers are 127.0.0.1). */
let nextAddress = 1;
const freshAddress = (): string => {
  nextAddress += 1;
  return `10.77.${Math.floor(nextAddress / 250)}.${(nextAddress % 250) + 1}`;
};

interface HostOptions {
  /** `data-sso-token` on the thread element. */
  sso?: string;
  /** Count badges for these posts (besides the thread's own). */
  badges?: string[];
  /** No thread element: badges only. */
  noThread?: boolean;
}

function hostPage(serviceUrl: string, post: string, options: HostOptions): string {
  const badges = [post, ...(options.badges ?? [])]
    .map((key) => `<li>${key}: <span data-parley-count data-site="${SITE}" data-post="${key}"></span></li>`)
    .join('');
  const sso = options.sso ? ` data-sso-token="${options.sso}"` : '';
  const thread = options.noThread
    ? ''
    : `<div id="parley-thread" data-site="${SITE}" data-post="${post}"${sso}></div>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${post}</title></head>
<body><h1>Host page</h1><ul class="badges">${badges}</ul>${thread}
<script src="${serviceUrl}/embed.js" async></script></body></html>`;
}

/** A host blog on its own origin: `/host/<post>?sso=&badges=a,b&noThread=1`. */
function startBlog(serviceUrl: string): Promise<HostBlog> {
  return startHostBlog((requested) => {
    const post = /^\/host\/([a-z0-9-]+)$/.exec(requested.pathname)?.[1];
    if (!post) return undefined;
    const badges = requested.searchParams.get('badges');
    const sso = requested.searchParams.get('sso');
    return hostPage(serviceUrl, post, {
      ...(sso ? { sso } : {}),
      ...(badges ? { badges: badges.split(',') } : {}),
      noThread: requested.searchParams.get('noThread') === '1',
    });
  });
}

beforeAll(async () => {
  [server, launched] = await Promise.all([startBrowserTestServer({ TRUST_PROXY: '1' }), launchBrowser()]);
  blog = await startBlog(server.url);
  moderator = await signInModerator(server.url);
  const created = await moderator.request('POST', '/mod/sites', {
    id: SITE,
    name: 'Features blog',
    origins: [blog.url],
  });
  if (created.status !== 201) throw new Error(`could not create the site: ${JSON.stringify(created.body)}`);
  const patched = await moderator.request('PATCH', `/mod/sites/${SITE}`, { ssoSecret: SSO_SECRET });
  if (patched.status !== 200)
    throw new Error(`could not set the SSO secret: ${JSON.stringify(patched.body)}`);
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
  context: BrowserContext;
  /** Console errors and uncaught exceptions. */
  problems: string[];
}

/**
 * A reader with their own browser profile, on a host page of the blog. With `address`,
 * the reader's API requests carry it as X-Forwarded-For (added below the page, so
 * CORS never sees the header).
 */
async function openReader(
  hostPath: string,
  options: BrowserContextOptions = {},
  address?: string,
): Promise<Reader> {
  const context = await launched.browser.newContext({ viewport: { width: 1000, height: 900 }, ...options });
  contexts.push(context);
  if (address) {
    await context.route(`${server.url}/api/**`, (route) =>
      route.continue({ headers: { ...route.request().headers(), 'x-forwarded-for': address } }),
    );
  }
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    // A refused request (4xx) is logged by the browser itself; those are expected here.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text()))
      problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${blog.url}${hostPath}`);
  return { page, context, problems };
}

const thread = (page: Page): Locator => page.locator('#parley-thread');
const composer = (page: Page): Locator => thread(page).locator('form.composer').first();
const commentByText = (page: Page, text: string): Locator =>
  thread(page)
    .locator('li[data-comment-id]')
    .filter({ has: page.locator('.body', { hasText: text }) })
    .last();
const commentById = (page: Page, id: string): Locator => thread(page).locator(`li[data-comment-id="${id}"]`);
/** A comment's own controls (not those of its replies). */
const actionsOf = (comment: Locator): Locator => comment.locator(':scope > article .actions');
const topLevelIds = (page: Page): Promise<string[]> =>
  thread(page)
    .locator('ol.thread > li[data-comment-id]')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-comment-id') ?? ''));

async function waitForThread(page: Page): Promise<void> {
  await thread(page).locator('.count').waitFor();
  await eventually(async () => {
    if ((await thread(page).locator('section.parley').getAttribute('aria-busy')) !== 'false')
      throw new Error('still loading');
  });
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await eventually(async () => {
    const text = await textOf(locator);
    if (typeof expected === 'string') expect(text).toBe(expected);
    else expect(text).toMatch(expected);
  });
}

async function postThroughForm(page: Page, body: string, name?: string): Promise<void> {
  const form = composer(page);
  if (name !== undefined) await form.getByLabel('Your name').fill(name);
  await form.getByLabel('Join the discussion').fill(body);
  await form.getByRole('button', { name: 'Post comment' }).click();
}

/** A comment by another reader, over the API (a new guest each time unless a token is given). */
async function postViaApi(
  post: string,
  body: string,
  options: { parentId?: string; name?: string; token?: string } = {},
): Promise<CommentDto> {
  const response = await fetch(`${server.url}/api/v1/sites/${SITE}/posts/${post}/comments`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Origin: blog.url,
      'X-Forwarded-For': freshAddress(),
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({
      body,
      ...(options.parentId ? { parentId: options.parentId } : {}),
      ...(options.token ? {} : { authorName: options.name ?? 'Other Reader' }),
    }),
  });
  const created = (await response.json()) as CreatedCommentDto;
  if (response.status !== 201)
    throw new Error(`posting failed: ${response.status} ${JSON.stringify(created)}`);
  return created.comment;
}

async function readThread(post: string, query = ''): Promise<ThreadPageDto> {
  const response = await fetch(`${server.url}/api/v1/sites/${SITE}/posts/${post}/comments?limit=100${query}`);
  if (response.status !== 200) throw new Error(`reading the thread failed: ${response.status}`);
  return (await response.json()) as ThreadPageDto;
}

function ssoToken(claims: Record<string, unknown>, secret = SSO_SECRET): string {
  return jwt.sign({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims }, secret, { algorithm: 'HS256' });
}

async function withSiteSettings<T>(
  settings: Record<string, unknown>,
  restore: Record<string, unknown>,
  run: () => Promise<T>,
): Promise<T> {
  await moderator.setSiteSettings(SITE, settings);
  try {
    return await run();
  } finally {
    await moderator.setSiteSettings(SITE, restore);
  }
}

async function screenshot(target: Locator, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await target.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

describe('comment widget features in a browser', () => {
  it('when the host page signs a reader in (attribute, login, logout), then they post under their SSO name without a name field, and a bad token is a plain error', async () => {
    const token = ssoToken({ sub: 'reader-42', name: 'Dana Signed' });
    const signed = await openReader(`/host/sso-thread?sso=${token}`);
    await waitForThread(signed.page);
    await expectText(composer(signed.page).locator('p.identity'), 'Commenting as Dana Signed');
    expect(await composer(signed.page).getByLabel('Your name').count()).toBe(0);

    await postThroughForm(signed.page, 'Signed in through the blog, no name asked.');
    const mine = commentByText(signed.page, 'no name asked');
    await expectText(mine.locator('.author'), 'Dana Signed');
    await mine.locator('.verified', { hasText: 'Verified' }).waitFor();
    const stored = (await readThread('sso-thread')).comments.find((comment) =>
      comment.body.includes('no name asked'),
    );
    expect(stored?.author).toMatchObject({ name: 'Dana Signed', isVerified: true });

    // No attribute: a guest form, until the host calls Parley.login(token)…
    const guest = await openReader('/host/sso-thread');
    await waitForThread(guest.page);
    await composer(guest.page).getByLabel('Your name').waitFor();
    const other = ssoToken({ sub: 'reader-43', name: 'Lee Later' });
    await guest.page.evaluate(
      (value) => (window as unknown as { Parley: ParleyGlobal }).Parley.login(value),
      other,
    );
    await expectText(composer(guest.page).locator('p.identity'), 'Commenting as Lee Later');
    expect(await composer(guest.page).getByLabel('Your name').count()).toBe(0);
    await postThroughForm(guest.page, 'Signed in after the page loaded.');
    await expectText(commentByText(guest.page, 'after the page loaded').locator('.author'), 'Lee Later');
    // …and Parley.logout() makes them a guest again.
    await guest.page.evaluate(() => (window as unknown as { Parley: ParleyGlobal }).Parley.logout());
    await composer(guest.page).getByLabel('Your name').waitFor();
    expect(await composer(guest.page).locator('p.identity', { hasText: 'Commenting as' }).count()).toBe(0);

    // An expired token and a forged one: plain words next to the form, the text kept, nothing thrown.
    const expired = ssoToken({
      sub: 'reader-44',
      name: 'Old Session',
      exp: Math.floor(Date.now() / 1000) - 60,
    });
    await guest.page.evaluate(
      (value) => (window as unknown as { Parley: ParleyGlobal }).Parley.login(value),
      expired,
    );
    await composer(guest.page).locator('p.identity', { hasText: 'Commenting as' }).waitFor();
    await postThroughForm(guest.page, 'Posting with a stale sign-in.');
    await expectText(
      composer(guest.page).locator('p.error'),
      'Your sign-in has expired. Sign in again to comment.',
    );
    expect(await composer(guest.page).getByLabel('Join the discussion').inputValue()).toBe(
      'Posting with a stale sign-in.',
    );

    const forged = ssoToken(
      { sub: 'reader-45', name: 'Forged Name' },
      'not-the-site-secret-at-all-0123456789',
    );
    await guest.page.evaluate(
      (value) => (window as unknown as { Parley: ParleyGlobal }).Parley.login(value),
      forged,
    );
    await composer(guest.page).getByRole('button', { name: 'Post comment' }).click();
    await expectText(
      composer(guest.page).locator('p.error'),
      /sign-in .*(not valid|isn't valid).*Sign in again/i,
    );
    expect(await composer(guest.page).getByLabel('Join the discussion').inputValue()).toBe(
      'Posting with a stale sign-in.',
    );
    expect((await readThread('sso-thread')).comments.map((comment) => comment.body)).not.toContain(
      'Posting with a stale sign-in.',
    );
    expect([...signed.problems, ...guest.problems]).toEqual([]);
  });

  it('when an author edits and deletes their comments, then only they see the controls and both pages follow live (gone, or a tombstone under replies)', async () => {
    const author = await openReader('/host/edit-thread');
    const reader = await openReader('/host/edit-thread');
    await Promise.all([waitForThread(author.page), waitForThread(reader.page)]);

    // A name that claims to be staff is refused, in words that say why.
    await postThroughForm(author.page, 'First draft with a tpyo.', 'Editor Eda');
    await expectText(
      composer(author.page).locator('p.error'),
      'Choose a different display name: names cannot claim to be a moderator or administrator.',
    );
    await composer(author.page).getByLabel('Your name').fill('Eda');
    await composer(author.page).getByRole('button', { name: 'Post comment' }).click();
    await commentByText(author.page, 'tpyo').waitFor();
    await postThroughForm(author.page, 'A second thought, soon withdrawn.');
    await commentByText(author.page, 'soon withdrawn').waitFor();
    await thread(reader.page).getByRole('button', { name: 'Show 2 new comments' }).click();
    const edited = commentByText(author.page, 'tpyo');
    const editedInReader = commentByText(reader.page, 'tpyo');
    await editedInReader.waitFor();

    // Only the author has Edit/Delete; the other reader has Report instead.
    await actionsOf(edited).getByRole('button', { name: 'Edit' }).waitFor();
    await actionsOf(edited).getByRole('button', { name: 'Delete' }).waitFor();
    expect(
      await actionsOf(editedInReader)
        .getByRole('button', { name: /^(Edit|Delete)$/ })
        .count(),
    ).toBe(0);
    expect(await actionsOf(editedInReader).getByRole('button', { name: 'Report' }).count()).toBe(1);
    expect(await actionsOf(edited).getByRole('button', { name: 'Report' }).count()).toBe(0);

    const id = (await edited.getAttribute('data-comment-id')) ?? '';
    // The author edits from a second tab: the first one learns of it only through the live event.
    const authorTab = await author.context.newPage();
    await authorTab.goto(author.page.url());
    await waitForThread(authorTab);
    const inTab = commentById(authorTab, id);
    await actionsOf(inTab).getByRole('button', { name: 'Edit' }).click();
    const form = inTab.locator('form.inline-form');
    await form.getByLabel('Edit your comment').fill('First draft, typo fixed.');
    await form.getByRole('button', { name: 'Save' }).click();
    const pages = [author.page, authorTab, reader.page];
    for (const page of pages) {
      await expectText(commentById(page, id).locator(':scope > article .body'), 'First draft, typo fixed.');
      await commentById(page, id).locator(':scope > article .meta', { hasText: 'edited' }).waitFor();
    }
    // Still the author's, still inside the window: the controls outlive the public live event.
    for (const page of [author.page, authorTab]) {
      expect(
        await actionsOf(commentById(page, id))
          .getByRole('button', { name: /^(Edit|Delete)$/ })
          .count(),
      ).toBe(2);
    }

    // The other reader answers the edited comment; then the author deletes both of theirs.
    const answered = commentById(reader.page, id);
    await actionsOf(answered).getByRole('button', { name: 'Reply' }).click();
    const replyForm = answered.locator('form.inline-form');
    await replyForm.getByLabel('Your name').fill('Replying Rui');
    await replyForm.getByLabel('Reply to Eda').fill('Glad you fixed it.');
    await replyForm.getByRole('button', { name: 'Post reply' }).click();
    await commentByText(reader.page, 'Glad you fixed it').waitFor();
    // The first tab shows the reply; the second leaves it waiting behind the banner.
    await thread(author.page).getByRole('button', { name: 'Show 1 new comment' }).click();
    await commentByText(author.page, 'Glad you fixed it').waitFor();
    await thread(authorTab).getByRole('button', { name: 'Show 1 new comment' }).waitFor();

    const withdrawn = commentByText(author.page, 'soon withdrawn');
    await actionsOf(withdrawn).getByRole('button', { name: 'Delete' }).click();
    await withdrawn
      .getByRole('group', { name: 'Delete comment' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await actionsOf(commentById(author.page, id)).getByRole('button', { name: 'Delete' }).click();
    await commentById(author.page, id)
      .getByRole('group', { name: 'Delete comment' })
      .getByRole('button', { name: 'Delete' })
      .click();

    await thread(authorTab).getByRole('button', { name: 'Show 1 new comment' }).click();
    for (const page of pages) {
      await eventually(async () => expect(await commentByText(page, 'soon withdrawn').count()).toBe(0));
      await expectText(
        commentById(page, id).locator(':scope > article .tombstone'),
        'This comment was deleted.',
      );
      expect(await commentById(page, id).locator(':scope > article .body').count()).toBe(0);
      await commentById(page, id).locator('ol.replies', { hasText: 'Glad you fixed it' }).waitFor();
      await expectText(thread(page).locator('.count'), '1 Comment');
    }
    const stored = await readThread('edit-thread');
    expect(stored.comments.map((comment) => comment.status)).toEqual(['deleted']);
    expect(stored.comments[0]?.replies?.map((reply) => reply.body)).toEqual(['Glad you fixed it.']);
    await screenshot(thread(author.page), 'widget-edited-tombstone');
    expect([...author.problems, ...reader.problems]).toEqual([]);
  });

  it('when a reader reports a comment with a reason, then the UI thanks them, moderators see it with that reason, and a second report says it was already reported', async () => {
    const target = await postViaApi('report-thread', 'Miracle cure: drink sea water daily.', {
      name: 'Dubious Dan',
    });
    const reader = await openReader('/host/report-thread');
    await waitForThread(reader.page);
    const comment = commentByText(reader.page, 'Miracle cure');
    await actionsOf(comment).getByRole('button', { name: 'Report' }).click();
    const form = comment.locator('form.inline-form');
    await form.getByLabel('Why are you reporting this comment?').selectOption('misinformation');
    await form.getByRole('button', { name: 'Report' }).click();
    await comment.getByText('Thanks for your report. A moderator will review this comment.').waitFor();

    const queue = await moderator.request<QueuePageDto>('GET', `/mod/queue?queue=reported&site=${SITE}`);
    expect(queue.status).toBe(200);
    const item = queue.body.items.find((entry) => entry.comment.id === target.id);
    expect(item?.reports).toEqual({ count: 1, reasons: { misinformation: 1 } });

    // Same reader, next page view: the service remembers the report.
    await reader.page.reload();
    await waitForThread(reader.page);
    const again = commentByText(reader.page, 'Miracle cure');
    await actionsOf(again).getByRole('button', { name: 'Report' }).click();
    await again.locator('form.inline-form').getByLabel('Why are you reporting this comment?').selectOption('spam');
    await again.locator('form.inline-form').getByRole('button', { name: 'Report' }).click();
    await expectText(
      again.locator('form.inline-form p.error'),
      "You've already reported this comment. Thank you.",
    );
    const after = await moderator.request<QueuePageDto>('GET', `/mod/queue?queue=reported&site=${SITE}`);
    expect(after.body.items.find((entry) => entry.comment.id === target.id)?.reports.count).toBe(1);
    expect(reader.problems).toEqual([]);
  });

  it('when the reader switches the sort, then the thread reorders', async () => {
    const older = await postViaApi('sort-thread', 'Oldest of the three.');
    const popular = await postViaApi('sort-thread', 'The one everybody answers.');
    const newer = await postViaApi('sort-thread', 'Newest of the three.');
    await postViaApi('sort-thread', 'Answer one.', { parentId: popular.id });
    await postViaApi('sort-thread', 'Answer two.', { parentId: popular.id });

    const { page } = await openReader('/host/sort-thread');
    await waitForThread(page);
    const sortButton = (label: string): Locator =>
      thread(page).getByRole('group', { name: 'Sort comments' }).getByRole('button', { name: label });
    await eventually(async () => expect(await topLevelIds(page)).toEqual([newer.id, popular.id, older.id]));
    await sortButton('Oldest').click();
    await eventually(async () => expect(await topLevelIds(page)).toEqual([older.id, popular.id, newer.id]));
    expect(await sortButton('Oldest').getAttribute('aria-pressed')).toBe('true');
    await sortButton('Top').click();
    await eventually(async () => expect((await topLevelIds(page))[0]).toBe(popular.id));
    await sortButton('Newest').click();
    await eventually(async () => expect(await topLevelIds(page)).toEqual([newer.id, popular.id, older.id]));
  });

  it('when the thread has more than a page of comments, then "load more" pages through all of them without duplicates', async () => {
    const total = 27;
    const ids: string[] = [];
    for (let index = 0; index < total; index += 1)
      ids.push((await postViaApi('long-thread', `Comment number ${index + 1} of the long thread.`)).id);

    const { page } = await openReader('/host/long-thread');
    await waitForThread(page);
    expect((await topLevelIds(page)).length).toBe(20);
    const more = thread(page).getByRole('button', { name: 'Load more comments' });
    for (let clicks = 0; clicks < 5 && (await more.count()) > 0; clicks += 1) {
      const before = (await topLevelIds(page)).length;
      await more.click();
      await eventually(async () => expect((await topLevelIds(page)).length).toBeGreaterThan(before));
    }
    expect(await more.count()).toBe(0);
    const shown = await topLevelIds(page);
    expect(shown).toEqual([...ids].reverse());
    expect(new Set(shown).size).toBe(total);
  });

  it('when replies go past what a page nests, then "show N more replies" and "continue this thread" reveal them', async () => {
    const root = await postViaApi('deep-thread', 'Root of a busy discussion.');
    const replies: CommentDto[] = [];
    for (let index = 1; index <= 5; index += 1)
      replies.push(await postViaApi('deep-thread', `Direct reply ${index}.`, { parentId: root.id }));
    // A chain under the first reply: depth 2, 3, 4 (the widget indents three levels).
    let parent = replies[0] as CommentDto;
    for (let depth = 2; depth <= 4; depth += 1)
      parent = await postViaApi('deep-thread', `Chain at depth ${depth}.`, { parentId: parent.id });

    const { page } = await openReader('/host/deep-thread');
    await waitForThread(page);
    const rootItem = commentById(page, root.id);
    const directReplies = rootItem.locator(':scope > ol.replies > li[data-comment-id]');
    await eventually(async () => expect(await directReplies.count()).toBe(3));
    await rootItem.locator(':scope > button', { hasText: 'Show 2 more replies' }).click();
    await eventually(async () => expect(await directReplies.count()).toBe(5));
    expect(await rootItem.locator(':scope > button', { hasText: /more repl/ }).count()).toBe(0);
    const replyTexts = (await directReplies.locator(':scope > article .body').allTextContents()).map((text) => text.trim());
    expect(replyTexts).toEqual([
      'Direct reply 1.',
      'Direct reply 2.',
      'Direct reply 3.',
      'Direct reply 4.',
      'Direct reply 5.',
    ]);

    // Depth 3 is the last indented level: its reply waits behind "Continue this thread".
    const atLimit = commentByText(page, 'Chain at depth 3.');
    expect(await commentByText(page, 'Chain at depth 4.').count()).toBe(0);
    await atLimit.getByRole('button', { name: 'Continue this thread →' }).click();
    await commentByText(page, 'Chain at depth 4.').waitFor();
    expect(await commentByText(page, 'Root of a busy discussion').count()).toBe(0);
    await thread(page).getByRole('button', { name: '← Back to all comments' }).click();
    await commentByText(page, 'Root of a busy discussion').waitFor();
  });

  it('when a post is refused (too long, closed, slow mode, rate limit), then a plain message shows next to the form and the text stays', async () => {
    const { page, problems } = await openReader('/host/error-thread');
    await waitForThread(page);
    const form = composer(page);
    const error = form.locator('p.error');
    const textarea = form.getByLabel('Join the discussion');

    await withSiteSettings({ maxLength: 40 }, { maxLength: 5000 }, async () => {
      const long = 'This sentence is much longer than the forty characters allowed.';
      await postThroughForm(page, long, 'Wordy Wen');
      await expectText(error, 'Your comment is too long: keep it to 40 characters or fewer.');
      expect(await textarea.inputValue()).toBe(long);
      expect(await textarea.getAttribute('aria-invalid')).toBe('true');
      await screenshot(thread(page), 'widget-error-too-long');
    });

    await withSiteSettings({ slowModeSeconds: 120 }, { slowModeSeconds: 0 }, async () => {
      await textarea.fill('A short first comment.');
      await form.getByRole('button', { name: 'Post comment' }).click();
      await commentByText(page, 'A short first comment.').waitFor();
      await expectText(error, '');
      await textarea.fill('And straight away a second one.');
      await form.getByRole('button', { name: 'Post comment' }).click();
      await expectText(error, 'This conversation is in slow mode. Please try again in 2 minutes.');
      expect(await textarea.inputValue()).toBe('And straight away a second one.');
      await screenshot(thread(page), 'widget-error-slow-mode');
    });

    const { post } = await readThread('error-thread');
    const closed = await moderator.request('PATCH', `/mod/posts/${post.id}`, { closed: true });
    expect(closed.status).toBe(200);
    try {
      // Closing reaches the open page live (post:updated): the form gives way to the notice.
      await expectText(thread(page).locator('[data-banner="closed"]'), 'Comments are closed on this article.');
      expect(await thread(page).locator('form.composer').count()).toBe(0);
      await screenshot(thread(page), 'widget-error-closed');
    } finally {
      await moderator.request('PATCH', `/mod/posts/${post.id}`, { closed: false });
    }
    expect((await readThread('error-thread')).comments.map((comment) => comment.body)).toEqual([
      'A short first comment.',
    ]);
    expect(problems).toEqual([]);
  });

  it('when a client address has used up its comment allowance, then the form says to wait, in plain words', async () => {
    const address = freshAddress();
    // Another reader at the same address (one office NAT) used the allowance up.
    for (let index = 0; index < 40; index += 1) {
      const response = await fetch(`${server.url}/api/v1/sites/${SITE}/posts/limit-thread/comments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: blog.url, 'X-Forwarded-For': address },
        body: JSON.stringify({ body: `Office comment ${index}.`, authorName: 'Office Olga' }),
      });
      if (response.status === 429) break;
    }
    const { page, problems } = await openReader('/host/limit-thread', {}, address);
    await waitForThread(page);
    await postThroughForm(page, 'Just one from me.', 'Colleague Cem');
    await expectText(
      composer(page).locator('p.error'),
      /^You're doing that too often\. Please try again in (\d+ seconds|a second)\.$/,
    );
    expect(await composer(page).getByLabel('Join the discussion').inputValue()).toBe('Just one from me.');
    await screenshot(composer(page), 'widget-error-rate-limited');
    expect(problems).toEqual([]);
  });

  it('when a host page has several count badges for one site, then one counts request fills them all', async () => {
    await postViaApi('badge-one', 'The only comment here.');
    for (let index = 0; index < 3; index += 1)
      await postViaApi('badge-many', `Comment ${index} on a popular post.`);
    // badge-none has never been commented on (or even read).
    const context = await launched.browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const countRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.endsWith('/counts')) countRequests.push(request.url());
    });
    await page.goto(`${blog.url}/host/badge-many?badges=badge-none,badge-one,badge-many`);
    await waitForThread(page);
    const badgeFor = (post: string): Locator => page.locator(`span[data-parley-count][data-post="${post}"]`);
    await expectText(badgeFor('badge-none'), '0 Comments');
    await expectText(badgeFor('badge-one'), '1 Comment');
    // The thread's own post has two badges: both right.
    await eventually(async () =>
      expect(await badgeFor('badge-many').allTextContents()).toEqual(['3 Comments', '3 Comments']),
    );
    expect(countRequests).toHaveLength(1);
    const posts = new URL(countRequests[0] ?? '').searchParams.get('posts')?.split(',').sort();
    expect(posts).toEqual(['badge-many', 'badge-none', 'badge-one']);
  });

  it('when the connection drops and comments arrive meanwhile, then after reconnecting each shows exactly once behind "new comments"', async () => {
    await postViaApi('reconnect-thread', 'Before the tunnel.');
    const { page, context, problems } = await openReader('/host/reconnect-thread');
    await waitForThread(page);
    await commentByText(page, 'Before the tunnel').waitFor();

    await context.setOffline(true);
    await thread(page).locator('p.status-line', { hasText: 'Reconnecting' }).waitFor({ timeout: 15_000 });
    await postViaApi('reconnect-thread', 'Posted while you were offline, one.');
    await postViaApi('reconnect-thread', 'Posted while you were offline, two.');
    await context.setOffline(false);

    const banner = thread(page).getByRole('button', { name: 'Show 2 new comments' });
    await banner.waitFor({ timeout: 20_000 });
    await eventually(async () => expect(await thread(page).locator('p.status-line').count()).toBe(0));
    await banner.click();
    await commentByText(page, 'offline, two').waitFor();
    const bodies = await thread(page).locator('ol.thread > li > article .body').allTextContents();
    expect(bodies.filter((body) => body.includes('offline, one'))).toHaveLength(1);
    expect(bodies.filter((body) => body.includes('offline, two'))).toHaveLength(1);
    expect(bodies).toHaveLength(3);
    await expectText(thread(page).locator('.count'), '3 Comments');
    expect(
      await thread(page)
        .getByRole('button', { name: /new comment/ })
        .count(),
    ).toBe(0);
    expect(problems.filter((problem) => !/WebSocket|ERR_INTERNET_DISCONNECTED/.test(problem))).toEqual([]);
  });
});
