import request from 'supertest';
import type { BrowserContext, Page } from 'playwright-core';
import { buildAssets } from '../../scripts/build-assets';
import type { TestServer } from '../helpers/test-server';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from '../browser/helpers/browser';
import { startHostBlog, type HostBlog } from '../browser/helpers/host-blog';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

jest.setTimeout(90_000);

/** What the attacker's page reports back after trying every way in it has. */
interface AttackOutcome {
  credentialedRead: string;
  createModeratorWithStolenToken: string;
  simplePostStatus: string;
  formPostDone: boolean;
}

/**
 * A blog that is a registered site origin and same-site with Parley (the same
 * host, 127.0.0.1, on another port): its page tries to act as the moderator
 * signed in on /moderate in the same browser.
 */
function attackerPage(parley: string): string {
  return `<!doctype html><html><body>
<form id="f" method="POST" action="${parley}/api/v1/mod/moderators" enctype="text/plain" target="sink">
  <input name='{"email":"evil-form@example.com","password":"pwned-password-1","role":"admin","x":"' value='"}'>
</form>
<iframe name="sink" id="sink"></iframe>
<script>
window.attack = async function () {
  const out = { credentialedRead: '', createModeratorWithStolenToken: 'not tried', simplePostStatus: '', formPostDone: false };
  let csrf = null;
  try {
    const res = await fetch('${parley}/api/v1/mod/sessions/current', { credentials: 'include' });
    const body = await res.json();
    csrf = body.csrfToken ?? null;
    out.credentialedRead = 'read ' + res.status + ' csrf=' + String(csrf);
  } catch (error) {
    out.credentialedRead = 'blocked: ' + error.name;
  }
  if (csrf) {
    try {
      const res = await fetch('${parley}/api/v1/mod/moderators', {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ email: 'evil-fetch@example.com', password: 'pwned-password-1', role: 'admin' }),
      });
      out.createModeratorWithStolenToken = 'status ' + res.status;
    } catch (error) {
      out.createModeratorWithStolenToken = 'blocked: ' + error.name;
    }
  }
  try {
    // A "simple" request needs no preflight: the browser sends it, cookie and all.
    await fetch('${parley}/api/v1/mod/moderators', {
      method: 'POST',
      mode: 'no-cors',
      credentials: 'include',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ email: 'evil-nocors@example.com', password: 'pwned-password-1', role: 'admin' }),
    });
    out.simplePostStatus = 'sent (opaque)';
  } catch (error) {
    out.simplePostStatus = 'blocked: ' + error.name;
  }
  await new Promise((resolve) => {
    document.getElementById('sink').addEventListener('load', resolve, { once: true });
    document.getElementById('f').submit();
  });
  out.formPostDone = true;
  return out;
};
</script></body></html>`;
}

describe('moderator API against a same-site page on a registered site origin', () => {
  let server: TestServer;
  let chromium: LaunchedBrowser;
  let blog: HostBlog;
  let adminToken: string;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    await buildAssets();
    server = await startBrowserTestServer();
    chromium = await launchBrowser();
    blog = await startHostBlog((url) => (url.pathname === '/attack' ? attackerPage(server.url) : undefined));
    adminToken = (await request(server.url).post('/api/v1/mod/sessions').send(ADMIN)).body.token as string;
    const site = await request(server.url)
      .post('/api/v1/mod/sites')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ id: 'same-site-blog', name: 'Same-site blog', origins: [blog.url] });
    expect(site.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await chromium?.close();
    await blog?.close();
    await server?.close();
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${server.url}/moderate`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tablist', { name: 'Queues' }).waitFor();
  }

  it('when an admin is signed in on /moderate, then a same-site blog page can neither read the CSRF token nor create an admin', async () => {
    context = await chromium.browser.newContext();
    const panel = await context.newPage();
    await signIn(panel);
    const cookies = await context.cookies(server.url);
    expect(cookies.find((cookie) => cookie.name === 'parley_session')?.sameSite).toBe('Strict');

    const page = await context.newPage();
    await page.goto(`${blog.url}/attack`);
    const outcome = await page.evaluate(() => (window as unknown as { attack: () => Promise<AttackOutcome> }).attack());

    expect(outcome.credentialedRead).toBe('blocked: TypeError');
    expect(outcome.createModeratorWithStolenToken).toBe('not tried');
    expect(outcome.formPostDone).toBe(true);

    const moderators = await request(server.url).get('/api/v1/mod/moderators').set('Authorization', `Bearer ${adminToken}`);
    expect(moderators.status).toBe(200);
    const emails = (moderators.body.moderators as { email: string }[]).map((moderator) => moderator.email);
    expect(emails).toEqual([ADMIN.email]);

    // The panel itself still works with the same cookie.
    const fromPanel = await panel.evaluate(async () => {
      const res = await fetch('/api/v1/mod/sessions/current', { credentials: 'same-origin' });
      return { status: res.status, hasToken: typeof ((await res.json()) as { csrfToken?: unknown }).csrfToken === 'string' };
    });
    expect(fromPanel).toEqual({ status: 200, hasToken: true });
  });
});
