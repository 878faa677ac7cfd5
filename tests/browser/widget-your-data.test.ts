/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { TestServer } from '../helpers/test-server';
import { signInModerator } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';
import { startHostBlog, type HostBlog } from './helpers/host-blog';

/**
 * The widget's "Your data" menu: a reader who commented downloads what is stored
 * about them and has it erased, on a service that erases at once and on one
 * with a grace period, which the reader can withdraw from the same menu.
 */
const SITE = 'data-blog';
const SHOTS = '/tmp/parley-shots';

let launched: LaunchedBrowser;
const contexts: BrowserContext[] = [];

interface Service {
  server: TestServer;
  blog: HostBlog;
}

async function startService(env: Record<string, string>): Promise<Service> {
  const server = await startBrowserTestServer(env);
  const blog = await startHostBlog((requested) => {
    const post = /^\/host\/([a-z0-9-]+)$/.exec(requested.pathname)?.[1];
    if (!post) return undefined;
    const lang = requested.searchParams.get('lang') ?? 'en';
    return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${post}</title></head>
<body><div id="parley-thread" data-site="${SITE}" data-post="${post}"></div><script src="${server.url}/embed.js" async></script></body></html>`;
  });
  const moderator = await signInModerator(server.url);
  const created = await moderator.request('POST', '/mod/sites', { id: SITE, name: 'Data blog', origins: [blog.url] });
  if (created.status !== 201) throw new Error(`could not create the site: ${JSON.stringify(created.body)}`);
  return { server, blog };
}

async function stopService(service: Service | undefined): Promise<void> {
  await service?.blog.close();
  await service?.server.close();
}

beforeAll(async () => {
  launched = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await launched?.close();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

let nextReader = 0;
async function openReader(service: Service, path: string, locale = 'en-US'): Promise<Page> {
  nextReader += 1;
  const context = await launched.browser.newContext({ viewport: { width: 900, height: 1000 }, locale, acceptDownloads: true, userAgent: `data-reader-${nextReader}` });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${service.blog.url}${path}`);
  await page.locator('#parley-thread .count').waitFor();
  return page;
}

const widget = (page: Page): Locator => page.locator('#parley-thread');
const textOf = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').trim();

async function postAsGuest(page: Page, name: string, body: string): Promise<void> {
  const form = widget(page).locator('form.composer');
  await form.getByLabel('Your name').fill(name);
  await form.getByLabel('Join the discussion').fill(body);
  await form.getByRole('button', { name: 'Post comment' }).click();
  await eventually(async () => expect(await textOf(widget(page).locator('.thread .body').first())).toBe(body));
}

describe('"Your data" in the widget, erasure at once', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ GDPR_DELETION_GRACE_HOURS: '0' });
  }, 60_000);
  afterAll(async () => {
    await stopService(service);
  });

  it('when a reader without an identity opens the thread, then there is no "Your data" menu', async () => {
    const page = await openReader(service, '/host/nobody');
    await widget(page).locator('form.composer').waitFor();
    expect(await widget(page).getByRole('button', { name: 'Your data' }).count()).toBe(0);
  });

  it('when a guest downloads their data, then the file holds their comments; when they delete it, then their comment and name leave the thread and the browser forgets them', async () => {
    const page = await openReader(service, '/host/erase-now');
    await postAsGuest(page, 'Selin', 'My view on the ferry timetable');

    await widget(page).getByRole('button', { name: 'Your data' }).click();
    const menu = widget(page).locator('[data-your-data]');
    await menu.getByRole('button', { name: 'Delete my data…' }).waitFor();
    const downloading = page.waitForEvent('download');
    await menu.getByRole('button', { name: 'Download my data' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`parley-data-${SITE}.json`);
    const saved = JSON.parse(await readFile(await download.path(), 'utf8')) as { format: string; author: { name: string }; comments: { body: string }[] };
    expect(saved.format).toBe('parley-personal-data');
    expect(saved.author.name).toBe('Selin');
    expect(saved.comments.map((comment) => comment.body)).toEqual(['My view on the ferry timetable']);
    await eventually(async () => expect(await textOf(menu.locator('[data-your-data-message]'))).toBe(`Your data was saved as parley-data-${SITE}.json.`));

    await menu.getByRole('button', { name: 'Delete my data…' }).click();
    expect(await textOf(menu.locator('[role="alertdialog"] .notice'))).toBe(
      "Your name and the text of every comment you wrote on this site will be erased now (replies to you stay), and notifications stop. This can't be undone.",
    );
    await page.screenshot({ path: `${SHOTS}/widget-your-data-confirm.png`, fullPage: true });
    await menu.getByRole('button', { name: 'Yes, delete my data' }).click();
    await eventually(async () =>
      expect(await textOf(menu.locator('[data-your-data-message]'))).toBe('Your data was erased: your comments are gone (those with replies stay as “deleted”) and so is your name.'),
    );
    await eventually(async () => expect(await widget(page).locator('.thread .body').count()).toBe(0));
    await eventually(async () => expect(await textOf(widget(page).locator('.count'))).toBe('0 Comments'));
    expect(await widget(page).evaluate((host) => host.shadowRoot?.textContent ?? '')).not.toMatch(/Selin|ferry timetable/);
    await page.screenshot({ path: `${SHOTS}/widget-your-data-erased.png`, fullPage: true });

    // The guest identity is gone from this browser: a fresh page is a stranger's again.
    const stored = await page.evaluate((site) => localStorage.getItem(`parley:guest:${site}`), SITE);
    expect(JSON.parse(stored ?? '{}')).toEqual({ token: null, name: '' });
    await page.reload();
    await widget(page).locator('form.composer').waitFor();
    expect(await widget(page).getByRole('button', { name: 'Your data' }).count()).toBe(0);
    expect(await widget(page).evaluate((host) => host.shadowRoot?.textContent ?? '')).not.toMatch(/Selin|ferry timetable/);
  }, 60_000);
});

describe('"Your data" in the widget, with a grace period (Ukrainian)', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ GDPR_DELETION_GRACE_HOURS: '24' });
  }, 60_000);
  afterAll(async () => {
    await stopService(service);
  });

  it('when a reader asks for erasure, then the menu says when it happens, still says so after a reload, and "keep my data" withdraws it', async () => {
    const page = await openReader(service, '/host/erase-later?lang=uk', 'uk-UA');
    const form = widget(page).locator('form.composer');
    await form.getByLabel('Ваше ім’я').fill('Олена');
    await form.locator('textarea').fill('Дякую за статтю');
    await form.locator('button[type="submit"]').click();
    await eventually(async () => expect(await textOf(widget(page).locator('.thread .body').first())).toBe('Дякую за статтю'));

    await widget(page).getByRole('button', { name: 'Ваші дані' }).click();
    const menu = widget(page).locator('[data-your-data]');
    await menu.getByRole('button', { name: 'Видалити мої дані…' }).click();
    expect(await textOf(menu.locator('[role="alertdialog"] .notice'))).toContain('буде стерто через 24 години');
    await menu.getByRole('button', { name: 'Так, видалити мої дані' }).click();
    await eventually(async () => expect(await textOf(menu.locator('[data-your-data-message]'))).toMatch(/^Ваші дані буде стерто .+\.$/));
    // Nothing is erased yet.
    expect(await textOf(widget(page).locator('.thread .body').first())).toBe('Дякую за статтю');

    await page.reload();
    await widget(page).getByRole('button', { name: 'Ваші дані' }).click();
    await eventually(async () => expect(await textOf(menu.locator('[data-erasure-scheduled]'))).toMatch(/^Ваші дані буде стерто /));
    await page.screenshot({ path: `${SHOTS}/widget-your-data-scheduled-uk.png`, fullPage: true });
    await menu.getByRole('button', { name: 'Залишити мої дані' }).click();
    await eventually(async () => expect(await textOf(menu.locator('[data-your-data-message]'))).toBe('Ваші дані збережуться: видалення скасовано.'));
    expect(await menu.locator('[data-erasure-scheduled]').count()).toBe(0);

    const status = await page.evaluate(async ({ base, site }) => {
      const stored = JSON.parse(localStorage.getItem(`parley:guest:${site}`) ?? '{}') as { token?: string };
      const response = await fetch(`${base}/api/v1/me?site=${site}`, { headers: { Authorization: `Bearer ${stored.token ?? ''}` } });
      return (await response.json()) as { deletion: unknown };
    }, { base: service.server.url, site: SITE });
    expect(status.deletion).toBeNull();
  }, 60_000);
});
