import { Types } from 'mongoose';
import request from 'supertest';
import type { ModerationItemDto } from '../../src/contracts/comments';
import { COMMENT_HTML_MAX_DEPTH } from '../../src/contracts/formatting';
import type { TryResultDto } from '../../src/contracts/moderation-api';
import { API, createSite, loginAdmin, postComment, readReplies, readThread, sendComment, uniqueId } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/test-server';

const LINK = 'rel="ugc nofollow noopener" target="_blank"';

/** How deep elements nest in an HTML fragment of the allow-list (void `br` aside). */
function depthOf(html: string): number {
  let depth = 0;
  let deepest = 0;
  for (const match of html.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (match[2] === 'br' || match[3] === '/') continue;
    depth += match[1] === '/' ? -1 : 1;
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

describe('formatted comments: the Markdown subset over HTTP', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await loginAdmin(server);
  });
  afterAll(async () => {
    await server.close();
  });

  async function queueItems(site: string, queue: 'pending' | 'rejected'): Promise<ModerationItemDto[]> {
    const res = await request(server.url).get(`${API}/mod/queue?queue=${queue}&site=${site}`).set('Authorization', `Bearer ${admin}`);
    expect(res.status).toBe(200);
    return (res.body as { items: ModerationItemDto[] }).items;
  }

  it('when a comment is formatted, then the created comment, the thread and the replies carry body as written and html rendered', async () => {
    const site = await createSite(server, { token: admin, settings: { trustedDomains: ['example.org'] } });
    const post = uniqueId('talks');
    const body = '**Respect** to _both_ sides, ~~not~~ `really`: ||they signed||, see [the text](https://example.org/text)';
    const html = `<p><strong>Respect</strong> to <em>both</em> sides, <s>not</s> <code>really</code>: <span class="spoiler">they signed</span>, see <a href="https://example.org/text" ${LINK}>the text</a></p>\n`;
    const created = await postComment(server, { site: site.id, post, body });
    expect(created.comment.status).toBe('published');
    expect(created.comment.body).toBe(body);
    expect(created.comment.html).toBe(html);

    const reply = await postComment(server, { site: site.id, post, body: '> quoted\n\n- one\n- two', parentId: created.comment.id });
    expect(reply.comment.html).toBe('<blockquote>\n<p>quoted</p>\n</blockquote>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n');

    const thread = await readThread(server, { site: site.id, post });
    expect(thread.comments[0]?.html).toBe(html);
    expect(thread.comments[0]?.replies?.[0]?.html).toBe(reply.comment.html);
    const replies = await readReplies(server, created.comment.id);
    expect(replies.comments[0]?.html).toBe(reply.comment.html);
    // Stored once, on write: reads don't render.
    const stored = await server.database.connection.collection('comments').findOne({ _id: new Types.ObjectId(created.comment.id) });
    expect(stored?.['html']).toBe(html);
  });

  it('when a comment is edited, then its html is rendered again from the new body', async () => {
    const site = await createSite(server, { token: admin });
    const created = await postComment(server, { site: site.id, post: uniqueId('edit'), body: 'plain first' });
    const res = await request(server.url)
      .patch(`${API}/comments/${created.comment.id}`)
      .set('Authorization', `Bearer ${created.token ?? ''}`)
      .send({ body: 'now **bold**' });
    expect(res.status).toBe(200);
    const edited = (res.body as { comment?: { html: string } }).comment ?? (res.body as { html: string });
    expect(edited.html).toBe('<p>now <strong>bold</strong></p>\n');
    const thread = await readThread(server, { site: site.id, post: created.comment.post });
    expect(thread.comments[0]?.html).toBe('<p>now <strong>bold</strong></p>\n');
  });

  it('when Markdown is hostile, then links of other schemes, raw HTML and nesting stay inert text', async () => {
    const site = await createSite(server, { token: admin });
    const post = uniqueId('hostile');
    const cases: [string, string][] = [
      ['[x](javascript:alert(1))', '<p>[x](javascript:alert(1))</p>\n'],
      ['[x](data:text/html,<script>alert(1)</script>)', '<p>[x](data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;)</p>\n'],
      ['[x](vbscript:msgbox)', '<p>[x](vbscript:msgbox)</p>\n'],
      ['<img src=x onerror=alert(1)>', '<p>&lt;img src=x onerror=alert(1)&gt;</p>\n'],
    ];
    for (const [body, html] of cases) {
      const created = await postComment(server, { site: site.id, post, body });
      expect(created.comment.html).toBe(html);
    }
    const bomb = `${'*_'.repeat(400)}core${'_*'.repeat(400)}`;
    const deep = await postComment(server, { site: site.id, post, body: bomb });
    expect(deep.comment.html).toContain('core');
    expect(depthOf(deep.comment.html)).toBeLessThanOrEqual(COMMENT_HTML_MAX_DEPTH);
  });

  it('when a comment is only markup, then it is refused as empty', async () => {
    const site = await createSite(server, { token: admin });
    const res = await sendComment(server, { site: site.id, post: uniqueId('empty'), body: '>\n>' });
    expect(res.status).toBe(400);
    expect((res.body as { code: string }).code).toBe('COMMENT_EMPTY');
  });

  it('when a link hides an untrusted target behind nice text, then it is held for that target, the span pointing at it in the body', async () => {
    const site = await createSite(server, { token: admin });
    const body = 'Great analysis, more at [the official report](http://spam.example/deal) today';
    const created = await postComment(server, { site: site.id, post: uniqueId('links'), body });
    expect(created.comment.status).toBe('pending');
    const [item] = await queueItems(site.id, 'pending');
    const finding = item?.verdict?.findings.find((found) => found.rule === 'spam.link');
    expect(finding?.detail).toContain('spam.example');
    const [start, end] = finding?.span ?? [0, 0];
    expect(body.slice(start, end)).toBe('http://spam.example/deal');
  });

  it('when Markdown splits a banned word, then the word is still found, its span covering what was written', async () => {
    const site = await createSite(server, { token: admin });
    const body = 'You are **f**u**ck**ing wrong';
    const created = await postComment(server, { site: site.id, post: uniqueId('split'), body });
    expect(created.comment.status).toBe('rejected');
    const [item] = await queueItems(site.id, 'rejected');
    const finding = item?.verdict?.findings.find((found) => found.rule === 'words.banned');
    expect(finding).toBeDefined();
    const [start, end] = finding?.span ?? [0, 0];
    expect(body.slice(start, end)).toMatch(/^f\*\*u\*\*ck/);
  });

  it('when a moderator tries formatted text, then the verdict judges the rendered text', async () => {
    const site = await createSite(server, { token: admin });
    const res = await request(server.url)
      .post(`${API}/mod/sites/${site.id}/try`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ text: 'Total ~~sh~~**it** if you ask me' });
    expect(res.status).toBe(200);
    const verdict = res.body as TryResultDto;
    expect(verdict.action).toBe('reject');
    expect(verdict.findings.map((finding) => finding.rule)).toContain('words.banned');
  });

  it('when a reader previews a draft, then it comes back rendered as it would be posted, and nothing is stored', async () => {
    const site = await createSite(server, { token: admin });
    const origin = site.origins[0] ?? '';
    const preview = (body: Record<string, unknown>, from = origin) =>
      request(server.url).post(`${API}/sites/${site.id}/previews`).set('Origin', from).send(body);
    const res = await preview({ body: '**Так**, ||спойлер|| [x](javascript:alert(1))' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ html: '<p><strong>Так</strong>, <span class="spoiler">спойлер</span> [x](javascript:alert(1))</p>\n' });
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    const empty = await preview({ body: '  ' });
    expect(empty.status).toBe(400);
    expect((empty.body as { code: string }).code).toBe('COMMENT_EMPTY');
    const long = await preview({ body: 'x'.repeat(5001) });
    expect((long.body as { code: string }).code).toBe('COMMENT_TOO_LONG');
    const unknownField = await preview({ body: 'a', html: '<b>' });
    expect((unknownField.body as { code: string }).code).toBe('VALIDATION_FAILED');
    const foreign = await preview({ body: 'a' }, 'https://elsewhere.example');
    expect(foreign.status).toBe(403);
    expect((foreign.body as { code: string }).code).toBe('ORIGIN_NOT_ALLOWED');
    const stored = await server.database.connection.collection('comments').countDocuments({ site: site.id });
    expect(stored).toBe(0);
  });

  it('when a comment was stored before formatting, then it is rendered on read', async () => {
    const site = await createSite(server, { token: admin });
    const created = await postComment(server, { site: site.id, post: uniqueId('legacy'), body: 'first words' });
    await server.database.connection
      .collection('comments')
      .updateOne({ _id: new Types.ObjectId(created.comment.id) }, { $set: { body: 'old *stored* text' }, $unset: { html: '', htmlVersion: '' } });
    const thread = await readThread(server, { site: site.id, post: created.comment.post });
    expect(thread.comments[0]?.html).toBe('<p>old <em>stored</em> text</p>\n');
  });
});
