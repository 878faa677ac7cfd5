/**
 * The framed thread (`/embed/:site/:post`): a blog that prefers an `<iframe>` to a
 * script tag gets the same widget, and only the site's own origins may frame it.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startHostBlog, type HostBlog } from './helpers/host-blog';
import type { Frame, Page } from 'playwright-core';
import { signInModerator } from './helpers/api';
import { launchBrowser, startBrowserTestServer, type LaunchedBrowser } from './helpers/browser';
import { eventually } from './helpers/eventually';
import type { TestServer } from '../helpers/test-server';

/** A blog whose `/post/<key>` pages frame the service's thread page. */
function startBlog(serviceUrl: string): Promise<HostBlog> {
  return startHostBlog((requested) => {
    const key = /^\/post\/([a-z0-9-]+)$/.exec(requested.pathname)?.[1];
    if (!key) return undefined;
    return `<!doctype html><html><head><meta charset="utf-8"><title>${key}</title></head>
<body><h1>A framed thread</h1>
<iframe id="comments" title="Comments" src="${serviceUrl}/embed/demo/${key}" width="700" height="900"></iframe>
</body></html>`;
  });
}

let server: TestServer;
let launched: LaunchedBrowser;
let allowed: HostBlog;
let stranger: HostBlog;

beforeAll(async () => {
  [server, launched] = await Promise.all([startBrowserTestServer(), launchBrowser()]);
  [allowed, stranger] = await Promise.all([startBlog(server.url), startBlog(server.url)]);
  const moderator = await signInModerator(server.url);
  const demo = await moderator.request<{ origins: string[] }>('GET', '/mod/sites/demo');
  const patched = await moderator.request('PATCH', '/mod/sites/demo', {
    origins: [...demo.body.origins, allowed.url],
  });
  if (patched.status !== 200)
    throw new Error(`could not add the blog origin: ${JSON.stringify(patched.body)}`);
}, 60_000);

afterAll(async () => {
  await launched?.close();
  await Promise.all([allowed?.close(), stranger?.close()]);
  await server?.close();
});

async function open(url: string): Promise<Page> {
  const context = await launched.browser.newContext({ viewport: { width: 1000, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  return page;
}

function threadFrame(page: Page): Frame | undefined {
  return page.frames().find((frame) => frame.url().includes('/embed/demo/'));
}

describe('framed thread', () => {
  it('when a blog on one of the site origins frames the thread, then readers can read and post in it', async () => {
    const page = await open(`${allowed.url}/post/framed-talks`);
    const frame = await eventually(() => {
      const found = threadFrame(page);
      if (!found) throw new Error('no frame yet');
      return found;
    });
    const thread = frame.locator('#parley-thread');
    await thread.locator('.count').waitFor();
    expect((await thread.locator('.count').textContent())?.trim()).toBe('0 Comments');

    const form = thread.locator('form.composer').first();
    await form.getByLabel('Your name').fill('Framed reader');
    await form.getByLabel('Join the discussion').fill('Posted from inside an iframe.');
    await form.getByRole('button', { name: 'Post comment' }).click();
    await thread.locator('.body', { hasText: 'Posted from inside an iframe.' }).waitFor();
    await eventually(async () =>
      expect((await thread.locator('.count').textContent())?.trim()).toBe('1 Comment'),
    );

    const api = await fetch(`${server.url}/api/v1/sites/demo/posts/framed-talks/comments`);
    const body = (await api.json()) as { comments: { body: string }[] };
    expect(body.comments.map((c) => c.body)).toEqual(['Posted from inside an iframe.']);
    await page.context().close();
  });

  it('when a blog on another origin frames it, then the browser refuses to show it', async () => {
    const page = await open(`${stranger.url}/post/framed-talks`);
    await page.waitForTimeout(1500);
    const frame = threadFrame(page);
    const rendered = frame ? await frame.locator('#parley-thread').count() : 0;
    expect(rendered).toBe(0);
    await page.context().close();
  });

  it('when the page is fetched, then frame-ancestors lists exactly the site origins and no X-Frame-Options forbids them', async () => {
    const res = await fetch(`${server.url}/embed/demo/framed-talks?theme=dark`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`frame-ancestors 'self' ${new URL(server.url).origin} ${allowed.url}`);
    expect(csp).not.toContain(stranger.url);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(await res.text()).toContain('data-site="demo" data-post="framed-talks" data-theme="dark"');
    const unknown = await fetch(`${server.url}/embed/no-such-site/x`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe("the README's iframe snippet, exactly as written", () => {
  /** The ```html block of the README that holds the `<iframe`, with the README's host swapped for the test server's. */
  function readmeSnippet(serviceUrl: string): string {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const block = [...readme.matchAll(/```html\n([\s\S]*?)```/g)].map((match) => (match[1] ?? '').trim()).find((code) => code.includes('<iframe'));
    if (!block) throw new Error('no iframe snippet in the README');
    return block.replaceAll('https://comments.example.com', serviceUrl);
  }

  it('when a page of a registered site (not Parley’s origin) pastes it without &url=, then readers see the thread and can post, and reading alone creates no post', async () => {
    const snippet = readmeSnippet(server.url);
    expect(snippet).toBe(`<iframe src="${server.url}/embed/my-blog/istanbul-talks" title="Comments" width="100%" height="900"></iframe>`);
    const blog = await startHostBlog((requested) =>
      requested.pathname === '/istanbul-talks'
        ? `<!doctype html><html><head><meta charset="utf-8"><title>Istanbul talks</title></head><body><h1>Istanbul talks</h1>${snippet}</body></html>`
        : undefined,
    );
    try {
      const moderator = await signInModerator(server.url);
      const created = await moderator.request('POST', '/mod/sites', { id: 'my-blog', name: 'My blog', origins: [blog.url] });
      expect(created.status).toBe(201);

      const page = await open(`${blog.url}/istanbul-talks`);
      const frame = await eventually(() => {
        const found = page.frames().find((candidate) => candidate.url().includes('/embed/my-blog/'));
        if (!found) throw new Error('no frame yet');
        return found;
      });
      const thread = frame.locator('#parley-thread');
      await thread.locator('.count').waitFor();
      expect((await thread.locator('.count').textContent())?.trim()).toBe('0 Comments');
      expect(await thread.textContent()).not.toContain("aren't set up");
      // Reading the framed thread made no post: the first comment will.
      const before = await moderator.request<{ posts: { key: string }[] }>('GET', '/mod/posts?site=my-blog');
      expect(before.body.posts).toEqual([]);

      const form = thread.locator('form.composer').first();
      await form.getByLabel('Your name').fill('Framed reader');
      await form.getByLabel('Join the discussion').fill('Posted through the README snippet.');
      await form.getByRole('button', { name: 'Post comment' }).click();
      await thread.locator('.body', { hasText: 'Posted through the README snippet.' }).waitFor();
      await eventually(async () => expect((await thread.locator('.count').textContent())?.trim()).toBe('1 Comment'));

      const api = await fetch(`${server.url}/api/v1/sites/my-blog/posts/istanbul-talks/comments`);
      const body = (await api.json()) as { post: { url: string | null; title: string | null }; comments: { body: string }[] };
      expect(body.comments.map((c) => c.body)).toEqual(['Posted through the README snippet.']);
      // The framed page is not the article: its own address and "Comments" title are not recorded as the post's.
      expect(body.post.url).toBeNull();
      expect(body.post.title).toBeNull();
      mkdirSync(path.resolve(__dirname, '../../artifacts'), { recursive: true });
      await page.screenshot({ path: path.resolve(__dirname, '../../artifacts/frame-readme-snippet.png') });
      await page.context().close();
    } finally {
      await blog.close();
    }
  });
});
