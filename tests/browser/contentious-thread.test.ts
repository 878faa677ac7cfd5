/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { buildAssets } from '../../scripts/build-assets';
import type { CreatedCommentDto, ThreadPageDto } from '../../src/contracts/comments';
import type { QueuePageDto } from '../../src/contracts/moderation-api';
import type { TestServer } from '../helpers/test-server';
import { signInModerator, type ModeratorClient } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';
import { startHostBlog, type HostBlog } from './helpers/host-blog';

/**
 * Moderation of a contentious thread, seen by the people involved: the author
 * nudged before posting something hostile, and the moderator reading clusters,
 * author history, languages and per-category settings in the panel. Other
 * readers post over the API, each from their own client address (TRUST_PROXY).
 */
const ARTIFACTS = path.resolve(__dirname, '../../artifacts');
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

jest.setTimeout(120_000);

let server: TestServer;
let blog: HostBlog;
let launched: LaunchedBrowser;
let moderator: ModeratorClient;
const contexts: BrowserContext[] = [];
let pageErrors: string[] = [];
let siteCounter = 0;
let nextAddress = 1;
const freshAddress = (): string => {
  nextAddress += 1;
  return `10.66.${Math.floor(nextAddress / 250)}.${(nextAddress % 250) + 1}`;
};

/** `/host/<site>/<post>?lang=ru`: a blog page embedding the thread. */
function startBlog(serviceUrl: string): Promise<HostBlog> {
  return startHostBlog((requested) => {
    const match = /^\/host\/([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(requested.pathname);
    if (!match) return undefined;
    const lang = requested.searchParams.get('lang');
    const data = lang ? ` data-lang="${lang}"` : '';
    return `<!doctype html><html><head><meta charset="utf-8"><title>${match[2] ?? ''}</title></head>
<body><h1>Talks</h1><div id="parley-thread" data-site="${match[1] ?? ''}" data-post="${match[2] ?? ''}"${data}></div>
<script src="${serviceUrl}/embed.js" async></script></body></html>`;
  });
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await buildAssets();
  [server, launched] = await Promise.all([startBrowserTestServer({ TRUST_PROXY: '1' }), launchBrowser()]);
  blog = await startBlog(server.url);
  moderator = await signInModerator(server.url);
}, 120_000);

afterAll(async () => {
  await launched?.close();
  await blog?.close();
  await server?.close();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => undefined)));
  const errors = pageErrors;
  pageErrors = [];
  // An uncaught error in a page fails the test that caused it.
  expect(errors).toEqual([]);
});

async function createSite(settings: Record<string, unknown> = {}): Promise<string> {
  siteCounter += 1;
  const id = `contentious-${siteCounter}`;
  const created = await moderator.request('POST', '/mod/sites', {
    id,
    name: `Contentious ${siteCounter}`,
    origins: [blog.url, server.url],
    settings,
  });
  if (created.status !== 201) throw new Error(`could not create the site: ${JSON.stringify(created.body)}`);
  return id;
}

async function newPage(): Promise<Page> {
  const context = await launched.browser.newContext({ viewport: { width: 1200, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  return page;
}

async function openThread(site: string, post: string, lang?: string): Promise<Page> {
  const page = await newPage();
  // The reader's requests carry an address of their own, so per-IP limits stay out of the way.
  const address = freshAddress();
  await page.context().route(`${server.url}/api/**`, (route) =>
    route.continue({ headers: { ...route.request().headers(), 'x-forwarded-for': address } }),
  );
  await page.goto(`${blog.url}/host/${site}/${post}${lang ? `?lang=${lang}` : ''}`);
  await thread(page).locator('form.composer').first().waitFor();
  return page;
}

async function signInPanel(): Promise<Page> {
  const page = await newPage();
  await page.goto(`${server.url}/moderate`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('tablist', { name: 'Queues' }).waitFor();
  await page.getByTestId('live-status').filter({ hasText: 'connected' }).waitFor();
  return page;
}

const thread = (page: Page): Locator => page.locator('#parley-thread');
const composer = (page: Page): Locator => thread(page).locator('form.composer').first();
const commentByText = (page: Page, text: string): Locator =>
  thread(page)
    .locator('li[data-comment-id]')
    .filter({ has: page.locator('.body', { hasText: text }) })
    .last();

/** A comment by another reader over the API, a new guest each time; nudged ones are posted anyway. */
async function postViaApi(site: string, post: string, body: string, name = 'Other Reader'): Promise<CreatedCommentDto> {
  const response = await fetch(`${server.url}/api/v1/sites/${site}/posts/${post}/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: blog.url, 'X-Forwarded-For': freshAddress() },
    body: JSON.stringify({ body, authorName: name, confirmNudge: true }),
  });
  const created = (await response.json()) as CreatedCommentDto;
  if (response.status !== 201) throw new Error(`posting failed: ${response.status} ${JSON.stringify(created)}`);
  return created;
}

async function readThread(site: string, post: string): Promise<ThreadPageDto> {
  const response = await fetch(`${server.url}/api/v1/sites/${site}/posts/${post}/comments?limit=100`);
  return (await response.json()) as ThreadPageDto;
}

async function pendingIds(site: string): Promise<string[]> {
  const res = await moderator.request<QueuePageDto>('GET', `/mod/queue?queue=pending&site=${site}`);
  return res.body.items.map((item) => item.comment.id);
}

async function nudgeStats(site: string): Promise<{ shown: number; revised: number; postedAnyway: number }> {
  const res = await moderator.request<{ nudges: { shown: number; revised: number; postedAnyway: number } }>(
    'GET',
    `/mod/stats?site=${site}`,
  );
  return res.body.nudges;
}

async function screenshot(target: Page | Locator, name: string): Promise<void> {
  await target.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

describe('the author is nudged before posting something hostile', () => {
  it('when a reader posts a personal attack, then the widget quotes it; after "Edit" to a civil text it is published and counted as revised', async () => {
    const site = await createSite();
    const page = await openThread(site, 'talks');
    const form = composer(page);
    await form.getByLabel('Your name').fill('Hanna');
    const hostile = 'You are an idiot, the talks were never about that.';
    await form.getByLabel('Join the discussion').fill(hostile);
    await form.getByRole('button', { name: 'Post comment' }).click();

    const nudge = form.getByTestId('nudge');
    await nudge.waitFor();
    expect(await nudge.textContent()).toContain('This reads as a personal attack: “You are an idiot”');
    expect(await form.getByRole('button', { name: 'Post comment' }).count()).toBe(0);
    await screenshot(form, 'nudge-widget-en');
    // Nothing was stored: the thread and the queue are empty.
    expect((await readThread(site, 'talks')).comments).toEqual([]);
    expect(await pendingIds(site)).toEqual([]);

    await nudge.getByRole('button', { name: 'Edit' }).click();
    await eventually(async () => expect(await nudge.count()).toBe(0));
    const textarea = form.getByLabel('Join the discussion');
    expect(await textarea.inputValue()).toBe(hostile);
    expect(await textarea.evaluate((element) => (element.getRootNode() as ShadowRoot | Document).activeElement === element)).toBe(true);

    await textarea.fill('I disagree: the talks were never about that.');
    await form.getByRole('button', { name: 'Post comment' }).click();
    const mine = commentByText(page, 'I disagree: the talks');
    await mine.waitFor();
    expect(await mine.locator('.own-notice').count()).toBe(0);
    await eventually(async () => {
      const stored = (await readThread(site, 'talks')).comments;
      expect(stored.map((comment) => [comment.body, comment.status, comment.author?.name])).toEqual([
        ['I disagree: the talks were never about that.', 'published', 'Hanna'],
      ]);
    });
    expect(await nudgeStats(site)).toMatchObject({ shown: 1, revised: 1, postedAnyway: 0 });
  });

  it('when a Russian reader posts anyway, then the comment is held, the author sees it awaiting moderation, and the panel counts it', async () => {
    const site = await createSite();
    const page = await openThread(site, 'talks', 'ru');
    const form = composer(page);
    await form.getByLabel('Ваше имя').fill('Олег');
    await form.getByLabel('Присоединяйтесь к обсуждению').fill('Ты идиот, переговоры не об этом.');
    await form.getByRole('button', { name: 'Отправить' }).click();

    const nudge = form.getByTestId('nudge');
    await nudge.waitFor();
    expect(await nudge.textContent()).toContain('Это звучит как личное оскорбление: «Ты идиот»');
    await screenshot(form, 'nudge-widget-ru');
    await nudge.getByRole('button', { name: 'Всё равно отправить' }).click();

    const mine = commentByText(page, 'Ты идиот');
    await mine.waitFor();
    await mine.locator('.own-notice').waitFor();
    expect(await mine.textContent()).toContain('Ожидает модерации');
    expect(await form.getByLabel('Присоединяйтесь к обсуждению').inputValue()).toBe('');
    await eventually(async () => expect(await pendingIds(site)).toHaveLength(1));
    expect((await readThread(site, 'talks')).comments.filter((comment) => comment.status === 'published')).toEqual([]);
    expect(await nudgeStats(site)).toMatchObject({ shown: 1, revised: 0, postedAnyway: 1 });

    const panel = await signInPanel();
    await panel.getByLabel('Site filter').selectOption(site);
    await eventually(async () => expect(await panel.getByTestId('stat-nudges').textContent()).toBe('1'));
    expect(await panel.getByTestId('stat-nudges-revised').textContent()).toBe('0');
    expect(await panel.getByTestId('stat-nudges-posted-anyway').textContent()).toBe('1');
  });
});

const BRIGADE = 'Stop these shameful talks now, no deals with the aggressor ever again';

describe('the moderator sees a brigade as one cluster', () => {
  it('when near-duplicates arrive from several authors, then the Clusters view lists them live, and rejecting the cluster takes them out of the queue and the widget', async () => {
    const site = await createSite();
    const seeded: CreatedCommentDto[] = [];
    for (const [index, suffix] of ['', '!', '!!', ' !!!'].entries()) {
      seeded.push(await postViaApi(site, 'talks', `${BRIGADE}${suffix}`, `Brigadier ${index + 1}`));
    }
    expect(seeded.map((created) => created.comment.status)).toEqual(['published', 'published', 'pending', 'pending']);
    const reader = await openThread(site, 'talks');
    await commentByText(reader, BRIGADE).waitFor();
    expect(await thread(reader).locator('li[data-comment-id]').count()).toBe(2);

    const panel = await signInPanel();
    await panel.getByLabel('Site filter').selectOption(site);
    await panel.getByRole('link', { name: 'Clusters' }).click();
    const card = panel.locator('article.cluster-card');
    await eventually(async () => expect(await card.locator('[data-testid="cluster-counts"]').textContent()).toBe('4 comments · 4 distinct authors'));
    expect(await card.getByTestId('cluster-sample').textContent()).toContain('shameful talks');
    expect(await card.getByTestId('cluster-posts').textContent()).toContain('talks');

    // The queue moves: one more copy arrives while the moderator looks.
    seeded.push(await postViaApi(site, 'talks', `${BRIGADE} !!!!`, 'Brigadier 5'));
    await eventually(async () => expect(await card.getByTestId('cluster-counts').textContent()).toBe('5 comments · 5 distinct authors'));

    await card.getByRole('button', { name: 'Show 5 comments' }).click();
    const listed = card.locator('.cluster-comments li');
    expect(await listed.count()).toBe(5);
    expect(await listed.first().textContent()).toContain('Brigadier 1');
    await screenshot(panel, 'panel-clusters');

    await card.getByRole('button', { name: 'Reject cluster' }).click();
    const dialog = panel.getByRole('dialog', { name: 'Reject 5 comments' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Reason').inputValue()).toBe('spam');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await panel.locator('.toast').filter({ hasText: 'Cluster rejected: 5 comments' }).waitFor();
    await eventually(async () => expect(await card.count()).toBe(0));
    await panel.locator('.clusters-view .empty').waitFor();

    const ids = seeded.map((created) => created.comment.id);
    expect((await pendingIds(site)).filter((id) => ids.includes(id))).toEqual([]);
    const rejected = await moderator.request<QueuePageDto>('GET', `/mod/queue?queue=rejected&site=${site}`);
    expect(rejected.body.items.map((item) => item.comment.id).sort()).toEqual([...ids].sort());
    // The published copies leave the reader's thread live.
    await eventually(async () => expect(await thread(reader).locator('li[data-comment-id]').count()).toBe(0));
    expect((await readThread(site, 'talks')).comments).toEqual([]);
  });
});

/** A comment by one guest over the API: the first creates the guest, later ones send its token. */
async function postAsGuest(site: string, post: string, body: string, guest: { name: string; token?: string }): Promise<CreatedCommentDto> {
  const response = await fetch(`${server.url}/api/v1/sites/${site}/posts/${post}/comments`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Origin: blog.url,
      'X-Forwarded-For': freshAddress(),
      ...(guest.token ? { Authorization: `Bearer ${guest.token}` } : {}),
    },
    body: JSON.stringify({ body, confirmNudge: true, ...(guest.token ? {} : { authorName: guest.name }) }),
  });
  const created = (await response.json()) as CreatedCommentDto;
  if (response.status !== 201) throw new Error(`posting failed: ${response.status} ${JSON.stringify(created)}`);
  if (created.authorToken) guest.token = created.authorToken;
  return created;
}

describe('the queue card tells the moderator about the author', () => {
  it('when a held comment is reviewed, then its card shows the author’s last 30 days and last rejection, and a private note can be added and edited', async () => {
    const site = await createSite();
    const guest: { name: string; token?: string } = { name: 'Mykola' };
    await postAsGuest(site, 'talks', 'The delegations met for four hours today.', guest);
    const removed = await postAsGuest(site, 'talks', 'Everyone here is paid to write this.', guest);
    await moderator.reject(removed.comment.id, 'abuse');
    const held = await postAsGuest(site, 'talks', 'You are an idiot if you believe the communiqué.', guest);
    expect(held.comment.status).toBe('pending');

    const panel = await signInPanel();
    await panel.getByLabel('Site filter').selectOption(site);
    const card = panel.locator(`article[data-comment-id="${held.comment.id}"]`);
    const insights = card.getByTestId('author-insights');
    await eventually(async () =>
      expect(await insights.getByTestId('author-recent').textContent()).toBe('Last 30 days: 1 published · 1 held · 1 rejected'),
    );
    expect(await insights.getByTestId('author-last-rejection').textContent()).toMatch(/^Last rejected by a moderator (just now|.* ago): Abuse/);
    await insights.getByText('No notes yet.').waitFor();

    await insights.getByLabel('Add a note on Mykola').fill('Argues in good faith about the communiqué');
    await insights.getByRole('button', { name: 'Add note' }).click();
    const note = insights.locator('.author-note');
    await eventually(async () => expect(await note.locator('.note-text').textContent()).toBe('Argues in good faith about the communiqué'));
    expect(await insights.getByLabel('Add a note on Mykola').inputValue()).toBe('');

    await note.getByRole('button', { name: 'Edit this note' }).click();
    await note.getByLabel('Edit the note').fill('Argues in good faith; warned once about insults');
    await note.getByRole('button', { name: 'Save note' }).click();
    await eventually(async () => expect(await note.locator('.note-text').textContent()).toBe('Argues in good faith; warned once about insults'));
    expect(await note.textContent()).toContain('edited');
    await screenshot(card, 'panel-author-history');

    // Stored, not just shown: another moderator's panel reads the same.
    const authorId = held.comment.author?.id ?? '';
    const stored = await moderator.request<{ notes: { text: string }[] }>('GET', `/mod/authors/${authorId}`);
    expect(stored.body.notes.map((entry) => entry.text)).toEqual(['Argues in good faith; warned once about insults']);
    await panel.reload();
    await panel.getByLabel('Site filter').selectOption(site);
    await eventually(async () =>
      expect(await card.locator('.author-note .note-text').textContent()).toBe('Argues in good faith; warned once about insults'),
    );
  });
});

describe('the queue filters by language', () => {
  it('when comments in English, Russian and Ukrainian wait, then each card names its language and the language select narrows the queue, live too', async () => {
    const site = await createSite({ premoderation: 'all' });
    const english = await postViaApi(site, 'talks', 'The talks in Istanbul are a step forward, and that matters.', 'Ann');
    const russian = await postViaApi(site, 'talks', 'Переговоры в Стамбуле — это шаг вперёд, и это важно для всех.', 'Иван');
    const ukrainian = await postViaApi(site, 'talks', 'Переговори у Стамбулі — це крок уперед, і це важливо для всіх.', 'Оксана');

    const panel = await signInPanel();
    await panel.getByLabel('Site filter').selectOption(site);
    const card = (created: CreatedCommentDto) => panel.locator(`article[data-comment-id="${created.comment.id}"]`);
    const listedIds = () =>
      panel.locator('article[data-comment-id]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-comment-id')));
    await eventually(async () => expect(await listedIds()).toHaveLength(3));
    expect(await card(english).getByTestId('comment-languages').textContent()).toContain('English');
    expect(await card(russian).getByTestId('comment-languages').textContent()).toContain('Русский');
    expect(await card(ukrainian).getByTestId('comment-languages').textContent()).toContain('Українська');

    const select = panel.getByLabel('Comment language');
    expect(await select.locator('option').allTextContents()).toEqual(expect.arrayContaining(['All languages', 'English', 'Русский', 'Українська']));
    await select.selectOption('ru');
    await eventually(async () => expect(await listedIds()).toEqual([russian.comment.id]));
    await screenshot(panel, 'panel-language-filter');

    // Live: a new English comment stays out, a new Russian one comes in.
    const laterEnglish = await postViaApi(site, 'talks', 'Another English reader agrees with the article.', 'Bob');
    const laterRussian = await postViaApi(site, 'talks', 'Ещё один читатель согласен с автором статьи.', 'Пётр');
    await eventually(async () => expect(await listedIds()).toEqual([russian.comment.id, laterRussian.comment.id]));
    expect(await listedIds()).not.toContain(laterEnglish.comment.id);

    await select.selectOption('uk');
    await eventually(async () => expect(await listedIds()).toEqual([ukrainian.comment.id]));
    await select.selectOption('');
    await eventually(async () => expect(await listedIds()).toHaveLength(5));
  });
});

describe('a site sets what each category does', () => {
  it('when a moderator turns insults off and lists Cyrillic words in settings, then an insult posts published through the widget, the listed word rejects, and ordinary Russian still publishes', async () => {
    const site = await createSite();
    const panel = await signInPanel();
    await panel.getByLabel('Site filter').selectOption(site);
    await panel.getByRole('link', { name: 'Settings' }).click();
    await panel.getByRole('form', { name: /Settings of/ }).waitFor();
    const insults = panel.getByLabel('Insults at commenters');
    expect(await insults.inputValue()).toBe('hold');
    expect(await panel.getByLabel('Calls for violence').inputValue()).toBe('reject');
    for (const category of ['profanity', 'slur', 'dehumanising', 'violence', 'threat', 'insult', 'self-harm', 'promotion']) {
      const options = panel.locator(`select[name="category-${category}"] option`);
      expect(await options.allTextContents()).toEqual(['Reject', 'Hold for review', 'Off']);
    }
    await insults.selectOption('off');
    await panel.getByLabel('Banned words').fill('пизда\nбандерлог');
    await panel.getByRole('button', { name: 'Save settings' }).click();
    await panel.locator('.toast').filter({ hasText: 'Saved the settings of' }).waitFor();
    await screenshot(panel.getByRole('form', { name: /Settings of/ }), 'panel-settings-categories');
    const stored = await moderator.request<{ settings: { categories: Record<string, string>; bannedWords: string[] } }>(
      'GET',
      `/mod/sites/${site}`,
    );
    expect(stored.body.settings.categories).toMatchObject({ insult: 'off', violence: 'reject', threat: 'hold' });
    expect(stored.body.settings.bannedWords).toEqual(['пизда', 'бандерлог']);
    // The form reads back what was saved.
    await panel.reload();
    await panel.getByLabel('Site filter').selectOption(site);
    await panel.getByRole('link', { name: 'Settings' }).click();
    await eventually(async () => expect(await panel.getByLabel('Insults at commenters').inputValue()).toBe('off'));

    const reader = await openThread(site, 'talks');
    const form = composer(reader);
    await form.getByLabel('Your name').fill('Dmytro');
    await form.getByLabel('Join the discussion').fill('You are an idiot, the talks were never about that.');
    await form.getByRole('button', { name: 'Post comment' }).click();
    const mine = commentByText(reader, 'You are an idiot');
    await mine.waitFor();
    expect(await form.getByTestId('nudge').count()).toBe(0);
    expect(await mine.locator('.own-notice').count()).toBe(0);
    await eventually(async () =>
      expect((await readThread(site, 'talks')).comments.map((comment) => [comment.body, comment.status])).toEqual([
        ['You are an idiot, the talks were never about that.', 'published'],
      ]),
    );

    const listed = await postViaApi(site, 'talks', 'Ты бандерлог, а не собеседник', 'Гость');
    expect(listed.comment.status).toBe('rejected');
    const ordinary = await postViaApi(site, 'talks', 'Переговоры в Стамбуле — это шаг вперёд', 'Гость');
    expect(ordinary.comment.status).toBe('published');
  });
});
