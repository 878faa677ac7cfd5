import request from 'supertest';
import { createHmac } from 'node:crypto';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createModerator, createSite, loginAdmin, patchSite, sendComment, uniqueId } from '../helpers/factories';
import { contractSignature, startClassifierServer } from '../helpers/classifier-server';
import type { Finding } from '../../src/contracts/moderation';

const SECRET = 'classifier-shared-secret-0123456789';

describe('external classifiers and Perspective', () => {
  let server: TestServer;
  let classifier: Awaited<ReturnType<typeof startClassifierServer>>;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    classifier = await startClassifierServer();
    admin = await loginAdmin(server);
  });
  afterAll(async () => {
    await classifier.close();
    await server.close();
  });
  beforeEach(() => {
    classifier.calls.length = 0;
  });

  async function siteWithClassifier(overrides: Record<string, unknown> = {}): Promise<string> {
    const site = await createSite(server, { token: admin });
    await patchSite(
      server,
      site.id,
      { settings: { classifiers: [{ name: 'tox', url: `${classifier.url}/classify`, secret: SECRET, timeoutMs: 5000, ...overrides }] } },
      admin,
    );
    return site.id;
  }

  /** Posts as a guest who, if nudged, posts anyway (`confirmNudge`). */
  function postAnyway(site: string, post: string, body: string) {
    return request(server.url)
      .post(`${API}/sites/${site}/posts/${post}/comments`)
      .set('X-Forwarded-For', `198.51.100.${Math.floor(Math.random() * 250) + 1}`)
      .send({ body, authorName: 'Guest', confirmNudge: true });
  }

  /** The stored verdict of a comment, as moderators see it in a queue. */
  async function verdictOf(site: string, commentId: string): Promise<{ action: string; findings: Finding[] }> {
    for (const queue of ['pending', 'approved', 'rejected']) {
      const res = await request(server.url).get(`${API}/mod/queue?queue=${queue}&site=${site}`).set('Authorization', `Bearer ${admin}`);
      const item = (res.body.items as { comment: { id: string }; verdict: { action: string; findings: Finding[] } }[]).find(
        (candidate) => candidate.comment.id === commentId,
      );
      if (item) return item.verdict;
    }
    throw new Error(`comment ${commentId} is in no queue`);
  }

  it('when a site configures a classifier, then Parley POSTs the documented JSON signed with the secret', async () => {
    const site = await siteWithClassifier();
    classifier.answerWith(() => ({ status: 204, signWith: SECRET }));
    const res = await sendComment(server, { site, post: 'talks', body: 'A calm remark about the talks', authorName: 'Olena' });
    expect(res.status).toBe(201);
    expect(res.body.comment.status).toBe('published');
    expect(classifier.calls).toHaveLength(1);
    const call = classifier.calls[0];
    expect(call?.path).toBe('/classify');
    expect(call?.json).toEqual({
      comment: { body: 'A calm remark about the talks', site, post: 'talks', author: { id: expect.any(String), name: 'Olena' } },
      languages: expect.any(Array),
    });
    const header = String(call?.headers['x-parley-signature']);
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    expect(match).not.toBeNull();
    const expected = createHmac('sha256', SECRET).update(`${match?.[1]}.${call?.rawBody}`).digest('hex');
    expect(match?.[2]).toBe(expected);
  });

  it('when a reply is posted, then the classifier is told its parentId', async () => {
    const site = await siteWithClassifier();
    classifier.answerWith(() => ({ status: 204, signWith: SECRET }));
    const parent = await sendComment(server, { site, post: 'talks', body: 'The first comment' });
    const reply = await sendComment(server, { site, post: 'talks', body: 'A reply to it', parentId: parent.body.comment.id });
    expect(reply.status).toBe(201);
    expect((classifier.calls[1]?.json as { comment: { parentId?: string } }).comment.parentId).toBe(parent.body.comment.id);
  });

  it('when the classifier answers hold with a finding, then the comment is held with that finding, category and span', async () => {
    const site = await siteWithClassifier();
    const answer = JSON.stringify({
      action: 'hold',
      findings: [{ rule: 'insult', detail: 'Calls another reader a fool.', category: 'insult', span: [4, 8], score: 0.87 }],
    });
    classifier.answerWith(() => ({ status: 200, body: answer, signWith: SECRET }));
    // A hostile hold is a nudge first (409 COMMENT_NUDGED); the author posts anyway.
    const res = await postAnyway(site, 'talks', 'You fool, read the article');
    expect(res.status).toBe(201);
    expect(res.body.comment.status).toBe('pending');
    const verdict = await verdictOf(site, res.body.comment.id as string);
    expect(verdict.action).toBe('hold');
    expect(verdict.findings).toContainEqual({
      rule: 'external.tox.insult',
      category: 'insult',
      detail: 'tox: Calls another reader a fool. (score 0.87)',
      span: [4, 8],
      action: 'hold',
    });
  });

  it('when the classifier answers reject, then the comment is rejected', async () => {
    const site = await siteWithClassifier();
    const answer = JSON.stringify({ action: 'reject', findings: [{ rule: 'spam-farm', detail: 'Known spam text.', category: 'spam' }] });
    classifier.answerWith(() => ({ status: 200, body: answer, signWith: SECRET }));
    const res = await sendComment(server, { site, post: 'talks', body: 'Buy followers cheap today' });
    expect(res.status).toBe(201);
    expect(res.body.comment.status).toBe('rejected');
  });

  it.each([
    ['a slow answer', { status: 204, signWith: SECRET, delayMs: 3000 }, 'no answer within 300 ms'],
    ['an error status', { status: 500, body: '{"oops":true}', signWith: SECRET }, 'HTTP 500'],
    ['bad JSON', { status: 200, body: '{not json', signWith: SECRET }, 'an answer that is not JSON'],
    ['a body outside the contract', { status: 200, body: '{"action":"maybe","findings":[]}', signWith: SECRET }, 'an answer outside the contract'],
    ['an unsigned answer', { status: 200, body: '{"findings":[]}' }, 'an answer with no signature header'],
    ['an answer signed with another secret', { status: 200, body: '{"findings":[]}', signWith: 'some-other-secret-entirely' }, 'a signature that does not match'],
  ])('when a fail-open classifier gives %s, then the comment is published with a finding saying why', async (_label, answer, reason) => {
    const site = await siteWithClassifier({ failMode: 'open', ...('delayMs' in answer ? { timeoutMs: 300 } : {}) });
    classifier.answerWith(() => answer);
    const res = await sendComment(server, { site, post: 'talks', body: `An ordinary comment ${uniqueId()}` });
    expect(res.status).toBe(201);
    expect(res.body.comment.status).toBe('published');
    const verdict = await verdictOf(site, res.body.comment.id as string);
    const finding = verdict.findings.find((f) => f.rule === 'external.unavailable');
    expect(finding?.category).toBe('external');
    expect(finding?.detail).toContain(reason);
    expect(finding?.detail).toContain('fail-open');
  });

  it('when a fail-closed classifier times out, then the comment is held, not refused', async () => {
    const site = await siteWithClassifier({ failMode: 'closed', timeoutMs: 300 });
    classifier.answerWith(() => ({ status: 204, signWith: SECRET, delayMs: 3000 }));
    const res = await sendComment(server, { site, post: 'talks', body: 'Another ordinary comment' });
    expect(res.status).toBe(201);
    expect(res.body.comment.status).toBe('pending');
    const verdict = await verdictOf(site, res.body.comment.id as string);
    expect(verdict.findings.find((f) => f.rule === 'external.unavailable')?.detail).toContain('Held for review (fail-closed)');
  });

  it('when a classifier signs its answer over a stale timestamp, then the answer is refused as a replay', async () => {
    const site = await siteWithClassifier({ failMode: 'closed' });
    const body = '{"findings":[]}';
    classifier.answerWith(() => ({ status: 200, body, signature: contractSignature(SECRET, body, new Date(Date.now() - 3_600_000)) }));
    const res = await sendComment(server, { site, post: 'talks', body: 'Yet another comment' });
    expect(res.body.comment.status).toBe('pending');
  });

  it('when a site has no classifier, then nothing is sent anywhere', async () => {
    const site = await createSite(server, { token: admin });
    const res = await sendComment(server, { site: site.id, post: 'talks', body: 'Nothing leaves the machine' });
    expect(res.status).toBe(201);
    expect(classifier.calls).toHaveLength(0);
  });

  it('when settings are read, then classifier secrets and the Perspective key are masked, and sending the mask back keeps them', async () => {
    const site = await siteWithClassifier();
    await patchSite(server, site, { settings: { perspective: { apiKey: 'perspective-key-123', attribute: 'INSULT', threshold: 0.7, endpoint: `${classifier.url}/v1alpha1/comments:analyze` } } }, admin);
    const read = await request(server.url).get(`${API}/mod/sites/${site}`).set('Authorization', `Bearer ${admin}`);
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain(SECRET);
    expect(JSON.stringify(read.body)).not.toContain('perspective-key-123');
    expect(read.body.settings.classifiers[0]).toMatchObject({ name: 'tox', secret: '********', failMode: 'open' });
    expect(read.body.settings.perspective).toMatchObject({ apiKey: '********', attribute: 'INSULT', threshold: 0.7 });

    const back = await request(server.url)
      .patch(`${API}/mod/sites/${site}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ settings: { classifiers: read.body.settings.classifiers, perspective: read.body.settings.perspective } });
    expect(back.status).toBe(200);
    classifier.answerWith((call) =>
      call.path === '/classify'
        ? { status: 204, signWith: SECRET }
        : { status: 200, body: JSON.stringify({ attributeScores: { INSULT: { summaryScore: { value: 0.1, type: 'PROBABILITY' } } } }) },
    );
    const res = await sendComment(server, { site, post: 'talks', body: 'Still signed with the stored secret' });
    expect(res.body.comment.status).toBe('published');
    expect(classifier.calls.find((call) => call.path.endsWith('comments:analyze'))?.query.get('key')).toBe('perspective-key-123');
    const verdict = await verdictOf(site, res.body.comment.id as string);
    expect(verdict.findings.filter((f) => f.rule === 'external.unavailable')).toEqual([]);
  });

  it('when the mask is sent for a classifier that has no stored secret, then it is refused', async () => {
    const site = await createSite(server, { token: admin });
    const res = await request(server.url)
      .patch(`${API}/mod/sites/${site.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ settings: { classifiers: [{ name: 'new', url: `${classifier.url}/x`, secret: '********' }] } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['a short secret', { name: 'a', url: 'http://127.0.0.1:9/x', secret: 'short' }],
    ['a non-http url', { name: 'a', url: 'ftp://example.com/x', secret: SECRET }],
    ['an unknown fail mode', { name: 'a', url: 'http://127.0.0.1:9/x', secret: SECRET, failMode: 'maybe' }],
    ['a huge timeout', { name: 'a', url: 'http://127.0.0.1:9/x', secret: SECRET, timeoutMs: 600_000 }],
    ['an unknown option', { name: 'a', url: 'http://127.0.0.1:9/x', secret: SECRET, retries: 3 }],
  ])('when a classifier has %s, then the settings are refused with VALIDATION_FAILED', async (_label, entry) => {
    const site = await createSite(server, { token: admin });
    const res = await request(server.url)
      .patch(`${API}/mod/sites/${site.id}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ settings: { classifiers: [entry] } });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('when a moderator who is not an admin sets a classifier, then it is forbidden (it decides where comments are sent)', async () => {
    const site = await createSite(server, { token: admin });
    const moderator = await createModerator(server, { sites: [site.id], adminToken: admin });
    const res = await request(server.url)
      .patch(`${API}/mod/sites/${site.id}`)
      .set('Authorization', `Bearer ${moderator.token}`)
      .send({ settings: { classifiers: [{ name: 'a', url: `${classifier.url}/x`, secret: SECRET }] } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  describe('Perspective', () => {
    async function siteWithPerspective(extra: Record<string, unknown> = {}): Promise<string> {
      const site = await createSite(server, { token: admin });
      await patchSite(
        server,
        site.id,
        {
          settings: {
            perspective: {
              apiKey: 'test-api-key',
              attribute: 'TOXICITY',
              threshold: 0.8,
              endpoint: `${classifier.url}/v1alpha1/comments:analyze`,
              timeoutMs: 5000,
              ...extra,
            },
          },
        },
        admin,
      );
      return site.id;
    }

    function scores(value: number, spans: { begin: number; end: number; value: number }[] = []): string {
      return JSON.stringify({
        attributeScores: {
          TOXICITY: {
            spanScores: spans.map((span) => ({ begin: span.begin, end: span.end, score: { value: span.value, type: 'PROBABILITY' } })),
            summaryScore: { value, type: 'PROBABILITY' },
          },
        },
        languages: ['en'],
      });
    }

    it('when a key is set, then comments:analyze is called as Google documents it, with the key', async () => {
      const site = await siteWithPerspective();
      classifier.answerWith(() => ({ status: 200, body: scores(0.05) }));
      const res = await sendComment(server, { site, post: 'p', body: 'A measured view of the talks' });
      expect(res.body.comment.status).toBe('published');
      expect(classifier.calls).toHaveLength(1);
      expect(classifier.calls[0]?.path).toBe('/v1alpha1/comments:analyze');
      expect(classifier.calls[0]?.query.get('key')).toBe('test-api-key');
      expect(classifier.calls[0]?.json).toMatchObject({
        comment: { text: 'A measured view of the talks' },
        requestedAttributes: { TOXICITY: {} },
        doNotStore: true,
      });
    });

    it('when the score reaches the threshold, then the comment is held with the attribute, the score and the worst span', async () => {
      const site = await siteWithPerspective();
      classifier.answerWith(() => ({ status: 200, body: scores(0.93, [{ begin: 0, end: 9, value: 0.95 }]) }));
      const res = await postAnyway(site, 'p', 'Idiots, all of you here');
      expect(res.status).toBe(201);
      expect(res.body.comment.status).toBe('pending');
      const verdict = await verdictOf(site, res.body.comment.id as string);
      expect(verdict.findings).toContainEqual({
        rule: 'external.perspective.toxicity',
        category: 'insult',
        detail: 'Perspective rates TOXICITY at 0.93 (the site holds from 0.80).',
        span: [0, 9],
        action: 'hold',
      });
    });

    it('when Perspective answers an error, then fail-open publishes with the reason from its error body', async () => {
      const site = await siteWithPerspective();
      classifier.answerWith(() => ({
        status: 400,
        body: JSON.stringify({ error: { code: 400, message: 'Attribute TOXICITY does not support request languages: xx', status: 'INVALID_ARGUMENT' } }),
      }));
      const res = await sendComment(server, { site, post: 'p', body: 'Some comment or other' });
      expect(res.body.comment.status).toBe('published');
      const verdict = await verdictOf(site, res.body.comment.id as string);
      expect(verdict.findings.find((f) => f.rule === 'external.unavailable')?.detail).toContain(
        'HTTP 400: Attribute TOXICITY does not support request languages',
      );
    });

    it('when Perspective is fail-closed and slow, then the comment is held', async () => {
      const site = await siteWithPerspective({ failMode: 'closed', timeoutMs: 300 });
      classifier.answerWith(() => ({ status: 200, body: scores(0.01), delayMs: 3000 }));
      const res = await sendComment(server, { site, post: 'p', body: 'A slow verdict' });
      expect(res.body.comment.status).toBe('pending');
    });

    it('when the API key is removed, then nothing is sent to Perspective', async () => {
      const site = await siteWithPerspective();
      await patchSite(server, site, { settings: { perspective: null } }, admin);
      const res = await sendComment(server, { site, post: 'p', body: 'Off again' });
      expect(res.body.comment.status).toBe('published');
      expect(classifier.calls).toHaveLength(0);
    });
  });
});
