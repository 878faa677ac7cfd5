/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser.)
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { TestServer } from '../helpers/test-server';
import { signSsoToken } from '../helpers/factories';
import { linkIn, startSmtpReceiver, type ReceivedMail, type SmtpReceiver } from '../helpers/smtp-receiver';
import { signInModerator } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';
import { startHostBlog, type HostBlog } from './helpers/host-blog';

/**
 * "Notify me of replies" in the widget, against the whole service and a real
 * SMTP server: the reader ticks it, gets the confirmation mail, opens its link,
 * and the next reply to them arrives as a mail with its text and permalink.
 */
const SITE = 'notify-blog';
const SSO_SECRET = 'notify-blog-sso-secret-0123456789abcdef';
const SHOTS = '/tmp/parley-shots';

let smtp: SmtpReceiver;
let server: TestServer;
let blog: HostBlog;
let launched: LaunchedBrowser;
const contexts: BrowserContext[] = [];

interface HostOptions {
  lang?: string;
  sso?: string;
}

function hostPage(server: TestServer, post: string, options: HostOptions): string {
  const sso = options.sso ? ` data-sso-token="${options.sso}"` : '';
  return `<!doctype html><html lang="${options.lang ?? 'en'}"><head><meta charset="utf-8"><title>${post}</title></head>
<body><h1>${post}</h1><div id="parley-thread" data-site="${SITE}" data-post="${post}"${sso}></div><script src="${server.url}/embed.js" async></script></body></html>`;
}

const ssoTokens = new Map<string, string>();

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  [server, launched] = await Promise.all([
    startBrowserTestServer({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Parley <comments@parley.test>',
      MAIL_REPLY_BATCH_SECONDS: '0',
      MAIL_RETRY_BASE_MS: '200',
    }),
    launchBrowser(),
  ]);
  blog = await startHostBlog((requested) => {
    const post = /^\/host\/([a-z0-9-]+)$/.exec(requested.pathname)?.[1];
    if (!post) return undefined;
    const sso = ssoTokens.get(requested.searchParams.get('as') ?? '');
    return hostPage(server, post, { lang: requested.searchParams.get('lang') ?? 'en', ...(sso ? { sso } : {}) });
  });
  const moderator = await signInModerator(server.url);
  const created = await moderator.request('POST', '/mod/sites', { id: SITE, name: 'Notify blog', origins: [blog.url], ssoSecret: SSO_SECRET });
  if (created.status !== 201) throw new Error(`could not create the site: ${JSON.stringify(created.body)}`);
}, 60_000);

afterAll(async () => {
  await launched?.close();
  await blog?.close();
  await server?.close();
  await smtp?.close();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

let nextAddress = 10;
async function openReader(path: string, locale = 'en-US'): Promise<Page> {
  nextAddress += 1;
  const context = await launched.browser.newContext({
    viewport: { width: 900, height: 1000 },
    locale,
    userAgent: `notify-reader-${nextAddress}`,
  });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${blog.url}${path}`);
  await page.locator('#parley-thread .count').waitFor();
  return page;
}

const composer = (page: Page): Locator => page.locator('#parley-thread form.composer').first();
const textOf = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').trim();

async function mailsTo(address: string, count: number): Promise<ReceivedMail[]> {
  let found: ReceivedMail[] = [];
  await eventually(() => {
    found = smtp.mailsTo(address);
    expect(found.length).toBeGreaterThanOrEqual(count);
  }, 15_000);
  return found;
}

async function commentsOn(post: string): Promise<{ id: string; body: string; author: { name: string } | null }[]> {
  const response = await fetch(`${server.url}/api/v1/sites/${SITE}/posts/${post}/comments`, { headers: { Origin: blog.url } });
  const page = (await response.json()) as { comments: { id: string; body: string; author: { name: string } | null }[] };
  return page.comments;
}

describe('"Notify me of replies" in the widget', () => {
  it('when a guest ticks it, then a wrong address is caught before posting, the widget says to check the inbox, and after the link a reply arrives by mail', async () => {
    const reader = await openReader('/host/notify-guest');
    const form = composer(reader);
    const checkbox = form.getByRole('checkbox', { name: 'Notify me of replies' });
    await checkbox.waitFor();
    // No address field until the reader asks for mail.
    expect(await form.locator('input[type="email"]').count()).toBe(0);

    await form.getByLabel('Your name').fill('Ruth');
    await form.getByLabel('Join the discussion').fill('Who will chair the next session?');
    await checkbox.check();
    const address = form.getByLabel(/Your e-mail address/);
    await address.fill('ruth-at-example');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await eventually(async () => expect(await textOf(form.locator('.notify .error'))).toBe("That doesn't look like an e-mail address: check it (for example name@example.com)."));
    expect(await address.evaluate((input) => (input.getRootNode() as ShadowRoot).activeElement === input)).toBe(true);
    expect(await commentsOn('notify-guest')).toEqual([]);

    await address.fill('ruth@example.test');
    await form.getByRole('button', { name: 'Post comment' }).click();
    const outcome = reader.locator('#parley-thread [data-mail-outcome]');
    await eventually(async () => expect(await textOf(outcome)).toBe('Check your inbox to confirm notifications: we sent a link to r•••@example.test.'));
    expect(await outcome.getAttribute('data-mail-outcome')).toBe('confirmation-sent');
    // The form now says what is pending, and the checkbox is there to ask again.
    await eventually(async () => expect(await textOf(form.locator('[data-notify-pending]'))).toBe('A confirmation link was sent to r•••@example.test: open it to start notifications.'));
    await reader.screenshot({ path: `${SHOTS}/widget-notify-pending.png`, fullPage: true });

    const [confirmation] = await mailsTo('ruth@example.test', 1);
    expect(confirmation?.parsed.subject).toContain('Notify blog');

    // Asking again at once: the service refuses (a confirmation went out moments ago), and the widget says so.
    await form.getByLabel('Join the discussion').fill('And will the slides be shared?');
    await form.getByRole('checkbox', { name: 'Notify me of replies' }).check();
    await form.getByLabel(/Your e-mail address/).fill('ruth@example.test');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await eventually(async () => expect(await outcome.getAttribute('data-mail-outcome')).toBe('failed'));
    expect(await textOf(outcome)).toMatch(/^Reply notifications were not set up: You're doing that too often\. Please try again in \d+ (seconds|minutes?)\.$/);
    expect(smtp.mailsTo('ruth@example.test')).toHaveLength(1);

    // The reader opens the link from the mail.
    const link = linkIn(confirmation as ReceivedMail, `${server.url}/api/v1/subscriptions/confirm?token=`);
    const mailPage = await reader.context().newPage();
    await mailPage.goto(link);
    expect(await textOf(mailPage.locator('h1'))).toBe('Notifications confirmed');
    await mailPage.close();

    await reader.reload();
    await eventually(async () => expect(await textOf(composer(reader).locator('[data-notify="active"]'))).toBe('Replies to you are mailed to r•••@example.test.'));
    expect(await composer(reader).getByRole('checkbox').count()).toBe(0);

    // Someone else replies in their own browser: the mail brings the reply and its permalink.
    const [first] = (await commentsOn('notify-guest')).filter((comment) => comment.body.startsWith('Who will chair'));
    const other = await openReader('/host/notify-guest');
    const parent = other.locator(`#parley-thread li[data-comment-id="${first?.id ?? ''}"]`);
    await parent.locator('article').getByRole('button', { name: 'Reply' }).first().click();
    const replyForm = parent.locator('form.inline-form');
    await replyForm.getByLabel('Your name').fill('Bora');
    await replyForm.getByLabel('Reply to Ruth').fill('Professor Aksoy chairs it, I heard.');
    await replyForm.getByRole('button', { name: 'Post reply' }).click();

    const mails = await mailsTo('ruth@example.test', 2);
    const notification = mails[1] as ReceivedMail;
    expect(notification.parsed.text).toContain('Professor Aksoy chairs it, I heard.');
    expect(notification.parsed.text).toContain(`${blog.url}/host/notify-guest#parley-`);
    expect(notification.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    await reader.screenshot({ path: `${SHOTS}/widget-notify-active.png`, fullPage: true });
  }, 90_000);

  it('when a signed-in reader whose sign-in has an address ticks it (in Russian), then no field is asked for and the confirmation goes to that address', async () => {
    ssoTokens.set('vera', await signSsoToken(SSO_SECRET, { sub: 'vera-1', name: 'Вера', email: 'vera@example.test' }, { expiresInSeconds: 3600 }));
    const reader = await openReader('/host/notify-sso?lang=ru&as=vera', 'ru-RU');
    const form = composer(reader);
    const checkbox = form.getByRole('checkbox', { name: 'Сообщать мне об ответах на v•••@example.test' });
    await checkbox.waitFor();
    await checkbox.check();
    expect(await form.locator('input[type="email"]').count()).toBe(0);
    await form.getByLabel('Присоединяйтесь к обсуждению').fill('Спасибо за репортаж!');
    await form.locator('button[type="submit"]').click();
    const outcome = reader.locator('#parley-thread [data-mail-outcome]');
    await eventually(async () => expect(await textOf(outcome)).toBe('Проверьте почту, чтобы подтвердить уведомления: мы отправили ссылку на v•••@example.test.'));
    await reader.screenshot({ path: `${SHOTS}/widget-notify-sso-ru.png`, fullPage: true });
    const [confirmation] = await mailsTo('vera@example.test', 1);
    expect(confirmation?.parsed.subject).toMatch(/^Подтвердите/);
  }, 60_000);
});

describe('the widget on a service without mail', () => {
  let quiet: TestServer;
  let quietBlog: HostBlog;

  beforeAll(async () => {
    quiet = await startBrowserTestServer();
    quietBlog = await startHostBlog((requested) => (requested.pathname === '/host/quiet' ? hostPage(quiet, 'quiet', {}) : undefined));
    const moderator = await signInModerator(quiet.url);
    const created = await moderator.request('POST', '/mod/sites', { id: SITE, name: 'Quiet blog', origins: [quietBlog.url] });
    if (created.status !== 201) throw new Error(`could not create the site: ${JSON.stringify(created.body)}`);
  }, 60_000);
  afterAll(async () => {
    await quietBlog?.close();
    await quiet?.close();
  });

  it('when SMTP is not configured, then the composer offers no notifications and asks for no address', async () => {
    const context = await launched.browser.newContext({ viewport: { width: 900, height: 800 }, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    const answered = page.waitForResponse((response) => response.url().endsWith(`/sites/${SITE}/subscriptions`));
    await page.goto(`${quietBlog.url}/host/quiet`);
    expect(await (await answered).json()).toEqual({ isMailEnabled: false, subscription: null, signInEmail: null });
    const form = composer(page);
    await form.getByLabel('Join the discussion').waitFor();
    // Past the answer's render: nothing about mail is drawn.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await form.getByRole('checkbox').count()).toBe(0);
    expect(await form.locator('input[type="email"]').count()).toBe(0);
    expect(await page.locator('#parley-thread').evaluate((host) => host.shadowRoot?.textContent ?? '')).not.toMatch(/notif|e-mail/i);
  }, 60_000);
});
