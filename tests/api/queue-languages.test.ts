import request from 'supertest';
import type { QueuePageDto } from '../../src/contracts/moderation-api';
import { API, createSite, loginAdmin, postComment, uniqueId } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/test-server';

describe('GET /mod/queue?lang=: the queue by the languages the pipeline detected', () => {
  let server: TestServer;
  let admin: string;
  let site: string;
  const bodies = {
    ru: 'Переговоры в Стамбуле — это шаг вперёд, но что будет дальше?',
    uk: 'Переговори в Стамбулі — це крок уперед, але що буде далі?',
    en: 'The talks in Istanbul were a step forward, but what comes next?',
  } as const;
  const ids: Record<keyof typeof bodies, string> = { ru: '', uk: '', en: '' };

  beforeAll(async () => {
    server = await startTestServer();
    admin = await loginAdmin(server);
    // Pre-moderation holds every comment, so all three wait in the pending queue.
    site = (await createSite(server, { token: admin, settings: { premoderation: 'all' } })).id;
    const post = uniqueId('post');
    for (const language of ['ru', 'uk', 'en'] as const) {
      const { comment } = await postComment(server, { site, post, body: bodies[language], authorName: `Reader ${language}` });
      expect(comment.status).toBe('pending');
      ids[language] = comment.id;
    }
  });
  afterAll(async () => {
    await server.close();
  });

  function queue(query: string) {
    return request(server.url).get(`${API}/mod/queue?queue=pending&site=${site}&${query}`).set('Authorization', `Bearer ${admin}`);
  }

  async function queueIds(query: string): Promise<{ ids: string[]; pending: number }> {
    const res = await queue(query);
    expect(res.status).toBe(200);
    const page = res.body as QueuePageDto;
    return { ids: page.items.map((item) => item.comment.id).sort(), pending: page.counts.pending };
  }

  it.each([
    ['lang=ru', ['ru']],
    ['lang=uk', ['uk']],
    ['lang=en', ['en']],
    ['lang=ru,uk', ['ru', 'uk']],
    ['lang=UK, en', ['uk', 'en']],
  ] as const)('when the queue is read with %s, then only comments detected in those languages come back, and the depth counts them', async (query, languages) => {
    const found = await queueIds(query.replace(' ', '%20'));
    const expected = languages.map((language) => ids[language]).sort();
    expect(found.ids).toEqual(expected);
    expect(found.pending).toBe(expected.length);
  });

  it('when each item comes back, then its verdict carries the language it was filtered by', async () => {
    const res = await queue('lang=uk');
    const page = res.body as QueuePageDto;
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.verdict?.languages).toEqual(['uk']);
  });

  it('when no lang is given, then every language is listed', async () => {
    const found = await queueIds('');
    expect(found.ids).toEqual(Object.values(ids).sort());
  });

  it('when a language no comment is in is asked for, then the queue is empty, not an error', async () => {
    const found = await queueIds('lang=de');
    expect(found).toEqual({ ids: [], pending: 0 });
  });

  it.each([
    ['an unknown code', 'lang=xx', /"xx"/],
    ['a list with one unknown code', 'lang=ru,klingon', /"klingon"/],
    ['an empty list', 'lang=,', /at least one language/],
  ])('when the filter names %s, then it is refused with 400 VALIDATION_FAILED naming the problem', async (_case, query, message) => {
    const res = await queue(query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((res.body as { detail: string }).detail).toMatch(message);
  });

  it('when the OpenAPI document is read, then the queue route documents the lang parameter', async () => {
    const res = await request(server.url).get('/openapi.json');
    expect(res.status).toBe(200);
    const document = res.body as { paths: Record<string, { get?: { parameters?: { name: string; schema?: { description?: string } }[] } }> };
    const parameters = document.paths['/api/v1/mod/queue']?.get?.parameters ?? [];
    expect(parameters.find((parameter) => parameter.name === 'lang')?.schema?.description).toMatch(/BCP 47/);
  });
});
