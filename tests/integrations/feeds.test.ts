import { Readable } from 'node:stream';
import FeedParser from 'feedparser';
import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { createSite, loginAdmin, postComment, sendComment, uniqueId, API } from '../helpers/factories';

interface ParsedFeed {
  meta: FeedParser.Meta;
  items: FeedParser.Item[];
}

/** Parses with a real feed parser; rejects on anything it finds malformed. */
function parseFeed(xml: string): Promise<ParsedFeed> {
  return new Promise((resolve, reject) => {
    const parser = new FeedParser({ strict: true });
    const items: FeedParser.Item[] = [];
    let meta: FeedParser.Meta | undefined;
    parser.on('error', reject);
    parser.on('meta', (value: FeedParser.Meta) => (meta = value));
    parser.on('readable', () => {
      let item: FeedParser.Item | null;
      while ((item = parser.read())) items.push(item);
    });
    parser.on('end', () => (meta ? resolve({ meta, items }) : reject(new Error('no feed metadata'))));
    Readable.from([xml]).pipe(parser);
  });
}

describe('Atom feeds of published comments', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await loginAdmin(server);
  });
  afterAll(async () => {
    await server.close();
  });

  it('when a post has published and held comments, then its feed lists only the published ones, newest first, as valid Atom', async () => {
    const site = await createSite(server, { token: admin });
    const post = uniqueId('talks');
    const origin = site.origins[0];
    const first = await postComment(server, {
      site: site.id,
      post,
      origin,
      body: 'Переговори у Стамбулі — крок уперед.',
      authorName: 'Оксана',
      postUrl: `${origin}/2026/istanbul-talks`,
      postTitle: 'Istanbul talks',
    });
    const hostile = await postComment(server, {
      site: site.id,
      post,
      origin,
      body: 'Text with <script>alert(1)</script> and ]]> inside & more',
      authorName: 'Sam <b>',
    });
    const held = await sendComment(server, {
      site: site.id,
      post,
      origin,
      body: 'Buy now at http://spam.example.biz/deal',
    });
    expect(held.status).toBe(201);
    expect((held.body as { comment: { status: string } }).comment.status).toBe('pending');

    const res = await request(server.url).get(`/feeds/${site.id}/${post}.atom`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/atom\+xml/);
    const feed = await parseFeed(res.text);
    expect(feed.meta['#type']).toBe('atom');
    expect(feed.meta.title).toContain('Istanbul talks');
    expect(feed.meta.link).toBe(`${origin}/2026/istanbul-talks`);
    expect(feed.items.map((item) => item.guid)).toEqual([
      `${server.config.publicUrl.replace(/\/$/, '')}/api/v1/comments/${hostile.comment.id}`,
      `${server.config.publicUrl.replace(/\/$/, '')}/api/v1/comments/${first.comment.id}`,
    ]);
    const [newest, oldest] = feed.items;
    expect(oldest?.link).toBe(`${origin}/2026/istanbul-talks#parley-${first.comment.id}`);
    expect(oldest?.author).toBe('Оксана');
    expect(oldest?.description).toBe('<p>Переговори у Стамбулі — крок уперед.</p>');
    // Raw HTML in a comment is text: a feed reader renders the markup as characters, never as HTML.
    expect(newest?.description).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(newest?.description).not.toContain('<script>');
    expect(newest?.title).toContain('Sam &lt;b&gt;');
    // Every entry carries what Atom requires: id, title, updated, an author.
    for (const item of feed.items) {
      expect(item.guid).toBeTruthy();
      expect(item.title).toBeTruthy();
      expect(item.date).toBeInstanceOf(Date);
      expect(item.author).toBeTruthy();
    }
    expect(res.text).not.toContain(held.body.comment.id as string);
  });

  it('when a comment is formatted, then its entry carries the rendered, sanitised HTML as content type="html"', async () => {
    const site = await createSite(server, { token: admin, settings: { trustedDomains: ['example.org'] } });
    const post = uniqueId('formatted');
    const origin = site.origins[0];
    await postComment(server, {
      site: site.id,
      post,
      origin,
      body: '**Bold** claim, see [the record](https://example.org/record) and [this](javascript:alert(1))',
    });
    const res = await request(server.url).get(`/feeds/${site.id}/${post}.atom`).expect(200);
    expect(res.text).toMatch(/<content type="html">/);
    const feed = await parseFeed(res.text);
    const description = feed.items[0]?.description ?? '';
    expect(description).toContain('<strong>Bold</strong>');
    expect(description).toContain('<a href="https://example.org/record" rel="ugc nofollow noopener" target="_blank">the record</a>');
    expect(description).toContain('[this](javascript:alert(1))');
    expect(description).not.toContain('href="javascript:');
  });

  it('when a site has comments on several posts, then the site feed carries them all, and an unchanged feed answers 304', async () => {
    const site = await createSite(server, { token: admin });
    const origin = site.origins[0];
    const a = await postComment(server, {
      site: site.id,
      post: 'first-post',
      origin,
      body: 'On the first post',
    });
    const b = await postComment(server, {
      site: site.id,
      post: 'second-post',
      origin,
      body: 'On the second post',
    });
    const res = await request(server.url).get(`/feeds/${site.id}.atom`).expect(200);
    const feed = await parseFeed(res.text);
    expect(feed.items.map((item) => item.description)).toEqual(['<p>On the second post</p>', '<p>On the first post</p>']);
    expect(feed.items[0]?.link).toContain(`#parley-${b.comment.id}`);
    expect(feed.items[1]?.link).toContain(`#parley-${a.comment.id}`);
    const etag = res.headers['etag'] as string;
    expect(etag).toBeTruthy();
    await request(server.url).get(`/feeds/${site.id}.atom`).set('If-None-Match', etag).expect(304);
  });

  it('when a comment is rejected by a moderator, then it leaves the feed', async () => {
    const site = await createSite(server, { token: admin });
    const posted = await postComment(server, {
      site: site.id,
      post: 'p',
      origin: site.origins[0],
      body: 'Soon removed',
    });
    await request(server.url)
      .post(`${API}/mod/comments/${posted.comment.id}/reject`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ reason: 'off-topic' })
      .expect(200);
    const feed = await parseFeed(
      (await request(server.url).get(`/feeds/${site.id}/p.atom`).expect(200)).text,
    );
    expect(feed.items).toHaveLength(0);
  });

  it('when the site or post is unknown or malformed, then a problem+json error says which', async () => {
    const missingSite = await request(server.url).get('/feeds/no-such-site.atom').expect(404);
    expect(missingSite.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missingSite.body.code).toBe('SITE_NOT_FOUND');
    const site = await createSite(server, { token: admin });
    const missingPost = await request(server.url).get(`/feeds/${site.id}/never-commented.atom`).expect(404);
    expect(missingPost.body.code).toBe('POST_NOT_FOUND');
    const bad = await request(server.url).get('/feeds/BAD_ID!.atom').expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });
});
