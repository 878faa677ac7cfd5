import { mkdirSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { buildAssets } from '../../scripts/build-assets';
import type { TestServer } from '../helpers/test-server';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };
const ARTIFACTS = path.resolve(__dirname, '../../artifacts');
const DEMO_SITE = 'demo';
const DEMO_POST = 'istanbul-talks';

jest.setTimeout(90_000);

describe('moderator panel in a real browser', () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  let adminToken: string;
  let contexts: BrowserContext[] = [];
  let pageErrors: string[] = [];
  let siteCounter = 0;
  let authorCounter = 0;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The panel route serves what the build wrote to public/build.
    await buildAssets();
    server = await startBrowserTestServer();
    chromium = await launchBrowser();
    const session = await request(server.url).post('/api/v1/mod/sessions').send(ADMIN);
    expect(session.status).toBe(201);
    adminToken = session.body.token as string;
  }, 120_000);

  afterEach(async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
    contexts = [];
    const errors = pageErrors;
    pageErrors = [];
    // An uncaught error in the page fails the test that caused it.
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  const asAdmin = () => ({ Authorization: `Bearer ${adminToken}` });

  async function newPage(options: { colorScheme?: 'light' | 'dark'; width?: number } = {}): Promise<Page> {
    const context = await chromium.browser.newContext({
      viewport: { width: options.width ?? 1280, height: 900 },
      colorScheme: options.colorScheme ?? 'light',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    return page;
  }

  async function signIn(page: Page, credentials = ADMIN): Promise<void> {
    await page.goto(`${server.url}/moderate`);
    await page.getByLabel('Email').fill(credentials.email);
    await page.getByLabel('Password').fill(credentials.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tablist', { name: 'Queues' }).waitFor();
    await page.getByTestId('live-status').filter({ hasText: 'connected' }).waitFor();
  }

  async function createSite(settings: Record<string, unknown> = {}): Promise<string> {
    siteCounter += 1;
    const id = `panel-site-${siteCounter}`;
    const created = await request(server.url)
      .post('/api/v1/mod/sites')
      .set(asAdmin())
      .send({ id, name: `Panel site ${siteCounter}`, origins: [server.url], settings });
    expect(created.status).toBe(201);
    return id;
  }

  async function patchSettings(site: string, settings: Record<string, unknown>): Promise<void> {
    const res = await request(server.url)
      .patch(`/api/v1/mod/sites/${site}`)
      .set(asAdmin())
      .send({ settings });
    expect(res.status).toBe(200);
  }

  async function postComment(site: string, post: string, body: string) {
    authorCounter += 1;
    const res = await request(server.url)
      .post(`/api/v1/sites/${site}/posts/${post}/comments`)
      .set('Origin', server.url)
      .send({ body, authorName: `Reader ${authorCounter}` });
    expect(res.status).toBe(201);
    return res.body as { comment: { id: string; status: string; body: string }; authorToken?: string };
  }

  async function createModerator(sites: string[], name: string) {
    const email = `${name.toLowerCase()}-${Date.now()}@example.com`;
    const password = 'a long enough password';
    const res = await request(server.url)
      .post('/api/v1/mod/moderators')
      .set(asAdmin())
      .send({ email, name, password, role: 'moderator', sites });
    expect(res.status).toBe(201);
    return { email, password };
  }

  async function queueIds(query: string): Promise<string[]> {
    const res = await request(server.url).get(`/api/v1/mod/queue?${query}`).set(asAdmin());
    expect(res.status).toBe(200);
    return (res.body.items as { comment: { id: string } }[]).map((item) => item.comment.id);
  }

  const card = (page: Page, id: string) => page.locator(`article[data-comment-id="${id}"]`);

  /**
   * j/k until the comment is under the cursor: keyboard only. At least one key is
   * pressed, because the list's own preselection of its first item claims nothing.
   */
  async function moveCursorTo(page: Page, id: string): Promise<void> {
    await card(page, id).waitFor();
    let hasPressed = false;
    for (let step = 0; step < 50; step += 1) {
      const ids = await page
        .locator('article[data-comment-id]')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-comment-id')));
      const current = await page.locator('article[aria-current="true"]').getAttribute('data-comment-id');
      if (current === id && hasPressed) return;
      const isBelow = ids.indexOf(id) > ids.indexOf(current);
      await page.keyboard.press(current === id ? (ids.indexOf(id) === 0 ? 'k' : 'j') : isBelow ? 'j' : 'k');
      hasPressed = true;
    }
    throw new Error(`could not move the cursor to ${id}`);
  }

  /** Decisions are optimistic: the toast says the server agreed. */
  async function expectToast(page: Page, text: string): Promise<void> {
    await page.locator('.toast').filter({ hasText: text }).first().waitFor();
  }

  async function showSite(page: Page, site: string): Promise<void> {
    await page.getByLabel('Site filter').selectOption(site);
  }

  it('when the admin signs in, then the queue opens; a wrong password is refused with a message', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/moderate`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), 'Wrong email or password.');

    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: /Pending/ }).waitFor();
    expect(await page.getByRole('tab', { name: /Pending/ }).getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('live-status').filter({ hasText: 'connected' }).waitFor();
    // The token lives in sessionStorage only, never in a readable cookie.
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === 'parley_session')?.httpOnly).toBe(true);
  });

  it('when a comment holds a suspect word, then it appears live in pending with the word marked, and the rule is listed', async () => {
    const site = await createSite({ suspectWords: ['propaganda'] });
    const page = await newPage();
    await signIn(page);
    await showSite(page, site);
    await expectText(page.getByTestId('count-pending'), '0');

    const { comment } = await postComment(site, 'elections', 'This is pure propaganda from both sides');
    expect(comment.status).toBe('pending');

    const item = card(page, comment.id);
    await item.waitFor();
    // The card shows the formatted text; the finding's span is marked in the source.
    await item.getByRole('button', { name: 'Show source' }).click();
    const marks = item.locator('mark');
    await marks.first().waitFor();
    expect(await marks.allTextContents()).toEqual(['propaganda']);
    expect(await marks.first().getAttribute('data-rules')).toContain('words.suspect');
    // The body is text: the mark sits between two text nodes, no HTML from the comment.
    expect(await item.getByTestId('comment-body').textContent()).toBe(
      'This is pure propaganda from both sides',
    );
    await expectText(item.locator('.findings'), 'words.suspect');
    await expectText(page.getByTestId('count-pending'), '1');
    // Stats follow live too (the server coalesces them for a second).
    await expectText(page.getByTestId('stat-depth'), '1');

    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-queue-light.png'), fullPage: true });
  });

  it('when a moderator approves a held comment with the keyboard, then it appears live in a reader’s widget', async () => {
    await patchSettings(DEMO_SITE, { suspectWords: ['kebab'] });
    const reader = await newPage();
    await reader.goto(`${server.url}/demo`);
    await reader.locator('#parley-thread').scrollIntoViewIfNeeded();

    const panel = await newPage();
    await signIn(panel);
    await showSite(panel, DEMO_SITE);
    const { comment } = await postComment(
      DEMO_SITE,
      DEMO_POST,
      'The best kebab in Istanbul is near the ferry',
    );
    expect(comment.status).toBe('pending');

    await moveCursorTo(panel, comment.id);
    await panel.keyboard.press('a');
    await card(panel, comment.id).waitFor({ state: 'detached' });
    await expectToast(panel, 'Approved');

    // Readers get it over their socket, no reload: the widget offers it without moving their place.
    await reader.getByRole('button', { name: /Show 1 new comment/ }).click({ timeout: 15_000 });
    await reader.locator(`[data-comment-id="${comment.id}"]`).waitFor();
    await expectText(reader.locator(`[data-comment-id="${comment.id}"]`), 'The best kebab in Istanbul');
    expect(await queueIds(`queue=approved&site=${DEMO_SITE}`)).toContain(comment.id);
  });

  it('when three items are bulk rejected, then they leave pending and land in rejected with the reason', async () => {
    const site = await createSite({ premoderation: 'all' });
    const page = await newPage();
    await signIn(page);
    await showSite(page, site);
    const ids: string[] = [];
    for (const text of ['First held remark', 'Second held remark', 'Third held remark']) {
      ids.push((await postComment(site, 'bulk', text)).comment.id);
    }
    for (const id of ids) await card(page, id).waitFor();

    for (const id of ids) {
      await moveCursorTo(page, id);
      await page.keyboard.press('x');
    }
    await expectText(page.locator('.bulk-bar'), '3 selected');
    await page.getByTestId('bulk-reject').click();
    const dialog = page.getByRole('dialog', { name: 'Reject 3 comments' });
    await dialog.getByLabel('Reason').selectOption('spam');
    await dialog.getByRole('button', { name: 'Reject' }).click();

    for (const id of ids) await card(page, id).waitFor({ state: 'detached' });
    await expectToast(page, 'Rejected 3 comments.');
    await expectText(page.getByTestId('count-pending'), '0');
    await expectText(page.getByTestId('count-rejected'), '3');
    await expectText(page.getByTestId('stat-median'), ' s');
    expect(await queueIds(`queue=pending&site=${site}`)).toEqual([]);
    expect((await queueIds(`queue=rejected&site=${site}`)).sort()).toEqual([...ids].sort());
    const audit = await request(server.url)
      .get(`/api/v1/mod/audit?site=${site}&comment=${ids[0]}`)
      .set(asAdmin());
    expect(
      audit.body.entries.find((entry: { action: string }) => entry.action === 'comment.reject'),
    ).toMatchObject({ reason: 'spam' });
  });

  it('when one moderator opens an item, then a second moderator sees the claim live, and the item leaves after the decision', async () => {
    const site = await createSite({ premoderation: 'all' });
    const second = await createModerator([site], 'Second');
    const { comment } = await postComment(site, 'claims', 'Is this claim visible to the other moderator?');

    const other = await newPage();
    await signIn(other, second);
    await card(other, comment.id).waitFor();
    // Merely listed, not opened: nobody holds it yet.
    expect(await card(other, comment.id).getByTestId('claim').count()).toBe(0);

    const first = await newPage();
    await signIn(first);
    await showSite(first, site);
    await moveCursorTo(first, comment.id);
    await expectText(card(first, comment.id).getByTestId('claim'), 'You are reviewing');

    await expectText(card(other, comment.id).getByTestId('claim'), 'Claimed by');
    await first.keyboard.press('r');
    const dialog = first.getByRole('dialog', { name: 'Reject comment' });
    await dialog.getByLabel('Reason').selectOption('off-topic');
    await dialog.getByLabel(/Note/).fill('Not about the post');
    await dialog.getByRole('button', { name: 'Reject' }).click();

    await card(other, comment.id).waitFor({ state: 'detached' });
    await expectToast(first, 'Rejected');
    expect(await queueIds(`queue=rejected&site=${site}`)).toContain(comment.id);
  });

  it('when a moderator is scoped to another site, then the panel shows nothing of this one', async () => {
    const visible = await createSite({ premoderation: 'all' });
    const hidden = await createSite({ premoderation: 'all' });
    const scoped = await createModerator([visible], 'Scoped');
    const mine = await postComment(visible, 'scope', 'A comment on my own site');
    const theirs = await postComment(hidden, 'scope', 'A comment on a site I do not moderate');

    const page = await newPage();
    await signIn(page, scoped);
    await card(page, mine.comment.id).waitFor();
    const options = await page.getByLabel('Site filter').locator('option').allTextContents();
    expect(options).toEqual(['All my sites', 'Panel site ' + visible.split('-').pop()]);

    // A live event on the hidden site never reaches this panel either.
    const later = await postComment(hidden, 'scope', 'Another comment this moderator must not see');
    await postComment(visible, 'scope', 'A later comment on my own site');
    await page.locator('article[data-comment-id]').nth(1).waitFor();
    const shown = await page
      .locator('article[data-comment-id]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-comment-id')));
    expect(shown).not.toContain(theirs.comment.id);
    expect(shown).not.toContain(later.comment.id);
    expect(await page.locator('body').textContent()).not.toContain('must not see');
  });

  it('when the site’s word lists change in settings, then the "try a sentence" verdict changes with the span marked', async () => {
    const site = await createSite();
    const page = await newPage();
    await signIn(page);
    await showSite(page, site);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('form', { name: /Settings of/ }).waitFor();

    await page.getByLabel('Sentence to try').fill('That referee was a total muppet tonight');
    await expectAttribute(page.getByTestId('try-verdict'), 'data-action', 'publish');

    await page.getByLabel('Banned words').fill('muppet');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expectAttribute(page.getByTestId('try-verdict'), 'data-action', 'reject');
    expect(await page.getByTestId('try-result').locator('mark').allTextContents()).toEqual(['muppet']);
    const stored = await request(server.url).get(`/api/v1/mod/sites/${site}`).set(asAdmin());
    expect(stored.body.settings.bannedWords).toEqual(['muppet']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-settings.png'), fullPage: true });

    await page.getByLabel('Pre-moderation').selectOption('all');
    await page.getByLabel('Banned words').fill('');
    await page.getByLabel('Close posts after (days)').fill('14');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expectAttribute(page.getByTestId('try-verdict'), 'data-action', 'hold');
    await expectText(page.getByTestId('try-result'), 'policy.premoderation');
    const saved = await request(server.url).get(`/api/v1/mod/sites/${site}`).set(asAdmin());
    expect(saved.body.settings).toMatchObject({ premoderation: 'all', closeAfterDays: 14 });
  });

  it('when the comment was edited after the moderator saw it, then the optimistic approve rolls back with a message', async () => {
    const site = await createSite({ premoderation: 'all' });
    const page = await newPage();
    // Hold back the live update of the edit, as if it were still in flight when the moderator decides.
    let droppedFrames = 0;
    await page.routeWebSocket(/socket\.io/, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((message) => upstream.send(message));
      upstream.onMessage((message) => {
        if (typeof message === 'string' && message.includes('My second version')) {
          droppedFrames += 1;
          return;
        }
        ws.send(message);
      });
    });
    await signIn(page);
    await showSite(page, site);
    const created = await postComment(site, 'edits', 'My first version');
    const id = created.comment.id;
    await card(page, id).waitFor();
    const edit = await request(server.url)
      .patch(`/api/v1/comments/${id}`)
      .set('Origin', server.url)
      .set('Authorization', `Bearer ${created.authorToken}`)
      .send({ body: 'My second version' });
    expect(edit.status).toBe(200);
    await waitUntil(() => droppedFrames > 0);

    await moveCursorTo(page, id);
    await expectText(card(page, id).getByTestId('comment-body'), 'My first version');
    await page.keyboard.press('a');
    await page.getByRole('alert').filter({ hasText: 'edited since you opened it' }).waitFor();
    // Back in the list, now with the text the server holds.
    await expectText(card(page, id).getByTestId('comment-body'), 'My second version');
    expect(await queueIds(`queue=pending&site=${site}`)).toContain(id);
    expect(await queueIds(`queue=approved&site=${site}`)).not.toContain(id);

    await moveCursorTo(page, id);
    await page.keyboard.press('a');
    await expectToast(page, 'Approved');
    expect(await queueIds(`queue=approved&site=${site}`)).toContain(id);
  });

  it('when an author edits a listed comment, then the panel shows the new revision live', async () => {
    const site = await createSite({ premoderation: 'all' });
    const page = await newPage();
    await signIn(page);
    await showSite(page, site);
    const created = await postComment(site, 'edits', 'Before the edit');
    await card(page, created.comment.id).waitFor();
    const edit = await request(server.url)
      .patch(`/api/v1/comments/${created.comment.id}`)
      .set('Origin', server.url)
      .set('Authorization', `Bearer ${created.authorToken}`)
      .send({ body: 'After the edit' });
    expect(edit.status).toBe(200);
    await expectText(card(page, created.comment.id).getByTestId('comment-body'), 'After the edit');
    await expectText(card(page, created.comment.id), 'Revision 2');
  });

  it('when an item arrives above the cursor, then the selected item and its place on screen stay put', async () => {
    const site = await createSite({ premoderation: 'all' });
    const approveViaApi = async (body: string) => {
      const { comment } = await postComment(site, 'anchor', body);
      const res = await request(server.url)
        .post(`/api/v1/mod/comments/${comment.id}/approve`)
        .set(asAdmin())
        .send({ revision: 1 });
      expect(res.status).toBe(200);
      return comment.id;
    };
    for (let index = 1; index <= 6; index += 1) await approveViaApi(`Approved remark number ${index}`);

    const page = await newPage();
    await signIn(page);
    await showSite(page, site);
    // Recently approved reads newest first: what another moderator approves lands on top.
    await page.getByTestId('tab-approved').click();
    await page.locator('article[data-comment-id]').nth(5).waitFor();
    for (let step = 0; step < 4; step += 1) await page.keyboard.press('j');
    const selected = page.locator('article[aria-current="true"]');
    const selectedId = await selected.getAttribute('data-comment-id');
    await expectText(selected, 'Approved remark number 2');
    const before = await selected.boundingBox();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);

    const newest = await approveViaApi('Approved by someone else just now');
    await card(page, newest).waitFor();
    expect(await page.locator('article[data-comment-id]').first().getAttribute('data-comment-id')).toBe(
      newest,
    );
    expect(await page.locator('article[aria-current="true"]').getAttribute('data-comment-id')).toBe(
      selectedId,
    );
    const after = await page.locator(`article[data-comment-id="${selectedId}"]`).boundingBox();
    expect(Math.abs((after?.y ?? 0) - (before?.y ?? 0))).toBeLessThanOrEqual(1);
  });

  it('when the session ends on the server, then the panel returns to sign-in with a message', async () => {
    const page = await newPage();
    await signIn(page);
    const token = await page.evaluate(() => {
      const raw = sessionStorage.getItem('parley.panel.session');
      return raw ? (JSON.parse(raw) as { token: string }).token : null;
    });
    expect(token).toBeTruthy();
    const ended = await request(server.url)
      .delete('/api/v1/mod/sessions')
      .set('Authorization', `Bearer ${token}`);
    expect(ended.status).toBe(204);

    await page.getByTestId('tab-reported').click();
    await expectText(page.getByRole('status').first(), 'Your session has expired');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('when shown in the dark theme on a narrow screen, then the queue renders (screenshot)', async () => {
    const site = await createSite({ suspectWords: ['scam'], bannedWords: ['idiot'] });
    const page = await newPage({ colorScheme: 'dark', width: 420 });
    await signIn(page);
    await showSite(page, site);
    const held = await postComment(site, 'dark', 'Looks like a scam to me, honestly');
    await card(page, held.comment.id).waitFor();
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).not.toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-queue-dark-narrow.png'), fullPage: true });
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'panel-help-dark.png') });
  });
});

async function expectText(locator: Locator, text: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.textContent({ timeout: 10_000 }).catch(() => '')) ?? '';
    if (last.includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `expected ${locator.toString()} to contain ${JSON.stringify(text)}, last saw ${JSON.stringify(last)}`,
  );
}

async function waitUntil(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function expectAttribute(locator: Locator, name: string, value: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await locator.getAttribute(name, { timeout: 10_000 }).catch(() => null);
    if (last === value) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `expected ${locator.toString()} to have ${name}=${JSON.stringify(value)}, last saw ${JSON.stringify(last)}`,
  );
}
