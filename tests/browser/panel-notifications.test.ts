/// <reference lib="dom" />
import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import type { CreatedCommentDto } from '../../src/contracts/comments';
import type { ModeratorNotificationsDto } from '../../src/contracts/notifications';
import type { TestServer } from '../helpers/test-server';
import { startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../helpers/smtp-receiver';
import { signInModerator, type ModeratorClient } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';

/**
 * The panel's "My notifications" form against the whole service and a real SMTP
 * server (it saves, and a reload shows what was saved; an instant alert then
 * arrives), the same form on a server without mail, and a moderator handling a
 * reader's GDPR request from the queue card.
 */
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };
const SHOTS = '/tmp/parley-shots';
const ORIGIN = 'https://alerts-blog.example';

jest.setTimeout(90_000);

let launched: LaunchedBrowser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  launched = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await launched?.close();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

async function signInPanel(server: TestServer, hash = ''): Promise<Page> {
  const context = await launched.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${server.url}/moderate${hash}`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.shell').waitFor();
  return page;
}

async function createSite(moderator: ModeratorClient, id: string, name: string): Promise<void> {
  const created = await moderator.request('POST', '/mod/sites', { id, name, origins: [ORIGIN] });
  if (created.status !== 201) throw new Error(`could not create the site: ${JSON.stringify(created.body)}`);
  await moderator.setSiteSettings(id, { premoderation: 'all' });
}

let nextAddress = 1;
async function postAsGuest(server: TestServer, site: string, body: string, name: string): Promise<CreatedCommentDto> {
  nextAddress += 1;
  const response = await fetch(`${server.url}/api/v1/sites/${site}/posts/talks/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: ORIGIN, 'X-Forwarded-For': `10.88.0.${nextAddress}` },
    body: JSON.stringify({ body, authorName: name }),
  });
  const created = (await response.json()) as CreatedCommentDto;
  if (response.status !== 201) throw new Error(`posting failed: ${response.status} ${JSON.stringify(created)}`);
  return created;
}

const modeSelect = (page: Page, site: string) => page.locator(`.notification-site[data-site="${site}"] select`);

describe('My notifications, with mail', () => {
  let smtp: SmtpReceiver;
  let server: TestServer;
  let moderator: ModeratorClient;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    server = await startBrowserTestServer({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Parley <comments@parley.test>',
      MAIL_RETRY_BASE_MS: '200',
      GDPR_DELETION_GRACE_HOURS: '0',
      TRUST_PROXY: '1',
    });
    moderator = await signInModerator(server.url);
    await createSite(moderator, 'alerts-a', 'Alerts A');
    await createSite(moderator, 'alerts-b', 'Alerts B');
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  it('when a moderator chooses a mode per site and saves, then a reload shows the saved values, the service holds them, and an instant alert arrives', async () => {
    const page = await signInPanel(server, '#/notifications');
    await page.getByRole('heading', { name: 'My notifications' }).waitFor();
    expect(await page.locator('#notifications-intro').textContent()).toContain(ADMIN.email);
    expect(await page.getByTestId('mail-off').count()).toBe(0);
    // Off by default, and nothing to save yet.
    expect(await modeSelect(page, 'alerts-a').inputValue()).toBe('off');
    expect(await modeSelect(page, 'alerts-b').inputValue()).toBe('off');
    const save = page.getByRole('button', { name: 'Save notifications' });
    expect(await save.isDisabled()).toBe(true);

    await modeSelect(page, 'alerts-a').selectOption({ label: 'Hourly digest' });
    await modeSelect(page, 'alerts-b').selectOption({ label: 'Instantly (a mail per comment)' });
    await page.screenshot({ path: `${SHOTS}/panel-notifications.png`, fullPage: true });
    await save.click();
    await page.locator('.toast').filter({ hasText: 'Notification settings saved.' }).first().waitFor();
    await eventually(async () => expect(await save.isDisabled()).toBe(true));

    await page.reload();
    await page.getByRole('heading', { name: 'My notifications' }).waitFor();
    await eventually(async () => expect(await modeSelect(page, 'alerts-a').inputValue()).toBe('hourly'));
    expect(await modeSelect(page, 'alerts-b').inputValue()).toBe('instant');
    const stored = await moderator.request<ModeratorNotificationsDto>('GET', '/mod/me/notifications');
    expect(stored.body.sites.filter((entry) => entry.site.startsWith('alerts-'))).toEqual([
      { site: 'alerts-a', name: 'Alerts A', mode: 'hourly', lang: 'en' },
      { site: 'alerts-b', name: 'Alerts B', mode: 'instant', lang: 'en' },
    ]);

    // Instantly means instantly: a held comment on B mails the moderator, with links into the panel.
    await postAsGuest(server, 'alerts-b', 'A comment that waits for review', 'Deniz');
    let alert: ReceivedMail | undefined;
    await eventually(() => {
      alert = smtp.mailsTo(ADMIN.email)[0];
      expect(alert).toBeDefined();
    }, 15_000);
    expect(alert?.parsed.subject).toBe('A comment awaits review on Alerts B');
    expect(alert?.parsed.text).toContain('A comment that waits for review');
    expect(alert?.parsed.text).toContain(`${server.url}/moderate#/notifications`);

    // Back to off: saved too.
    await modeSelect(page, 'alerts-b').selectOption({ label: 'Off' });
    await save.click();
    await page.locator('.toast').filter({ hasText: 'Notification settings saved.' }).first().waitFor();
    await eventually(async () => {
      const after = await moderator.request<ModeratorNotificationsDto>('GET', '/mod/me/notifications');
      expect(after.body.sites.find((entry) => entry.site === 'alerts-b')?.mode).toBe('off');
    });
  });

  it('when a reader asks a moderator for their data and its erasure, then the queue card downloads it and erases it after a confirmation, both audited', async () => {
    const held = await postAsGuest(server, 'alerts-a', 'Please remove everything I wrote here', 'Aylin');
    const token = held.authorToken ?? '';
    const page = await signInPanel(server);
    await page.getByLabel('Site filter').selectOption('alerts-a');
    const card = page.locator(`article[data-comment-id="${held.comment.id}"]`);
    const data = card.getByTestId('author-data');
    await data.waitFor();

    const downloading = page.waitForEvent('download');
    await data.getByRole('button', { name: 'Download their data' }).click();
    const download = await downloading;
    const authorId = held.comment.author?.id ?? '';
    expect(download.suggestedFilename()).toBe(`parley-data-alerts-a-${authorId}.json`);
    const saved = JSON.parse(await readFile(await download.path(), 'utf8')) as { author: { name: string }; comments: { body: string }[] };
    expect(saved.author.name).toBe('Aylin');
    expect(saved.comments.map((comment) => comment.body)).toEqual(['Please remove everything I wrote here']);
    await eventually(async () => expect(await data.getByTestId('author-data-result').textContent()).toBe(`Saved as parley-data-alerts-a-${authorId}.json (recorded in the audit log).`));

    await data.getByRole('button', { name: 'Erase their data…' }).click();
    await eventually(async () =>
      expect(await data.getByTestId('author-erase-question').textContent()).toBe(
        "Erase Aylin's name and the text of all their comments on this site now? Comments with replies stay as tombstones, the rest go. This cannot be undone.",
      ),
    );
    await page.screenshot({ path: `${SHOTS}/panel-author-erase.png`, fullPage: true });
    await data.getByRole('button', { name: 'Erase', exact: true }).click();
    await page.locator('.toast').filter({ hasText: "Erased Aylin's data: their name is gone and their comments are tombstones or removed." }).first().waitFor();

    // The service agrees: the reader's own download shows the erased name and no text.
    const mine = (await (await fetch(`${server.url}/api/v1/me/data?site=alerts-a`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      author: { name: string };
      comments: { body: string; status: string }[];
    };
    expect(mine.author.name).toBe('Deleted reader');
    expect(mine.comments.map((comment) => [comment.body, comment.status])).toEqual([['', 'deleted']]);
    const audit = await moderator.request<{ entries: { action: string }[] }>('GET', `/mod/audit?author=${authorId}`);
    expect(audit.body.entries.map((entry) => entry.action)).toEqual(expect.arrayContaining(['author.erase', 'author.data-download']));
  });
});

describe('My notifications, without mail', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startBrowserTestServer();
    await createSite(await signInModerator(server.url), 'quiet-a', 'Quiet A');
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it('when SMTP is not configured, then the form says mail is off and offers nothing but off', async () => {
    const page = await signInPanel(server, '#/notifications');
    const off = page.getByTestId('mail-off');
    await off.waitFor();
    expect(await off.textContent()).toBe(
      'Mail is off on this server (SMTP_URL and MAIL_FROM are not set), so no notification can be sent. Only “Off” can be saved.',
    );
    expect(await modeSelect(page, 'quiet-a').isDisabled()).toBe(true);
    expect(await modeSelect(page, 'quiet-a').inputValue()).toBe('off');
    await page.screenshot({ path: `${SHOTS}/panel-notifications-mail-off.png`, fullPage: true });
  });
});
