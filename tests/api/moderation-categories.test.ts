import request from 'supertest';
import { DEFAULT_CATEGORY_ACTIONS } from '../../src/contracts/moderation';
import type { SiteDto, TryResultDto } from '../../src/contracts/moderation-api';
import { API, createSite, loginAdmin, patchSite } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/test-server';

describe('moderation categories and languages over HTTP', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await loginAdmin(server);
  });
  afterAll(async () => {
    await server.close();
  });

  async function tryText(site: string, text: string): Promise<TryResultDto> {
    const res = await request(server.url)
      .post(`${API}/mod/sites/${site}/try`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ text });
    expect(res.status).toBe(200);
    return res.body as TryResultDto;
  }

  describe('site settings', () => {
    it('when a site is created, then its settings carry every category with the defaults', async () => {
      const site = await createSite(server, { token: admin });
      expect(site.settings.categories).toEqual(DEFAULT_CATEGORY_ACTIONS);
      expect(site.settings.categories).toMatchObject({ violence: 'reject', slur: 'reject', insult: 'hold' });
    });

    it('when a moderator sets one category, then only that one changes and it is stored', async () => {
      const site = await createSite(server, { token: admin });
      await patchSite(
        server,
        site.id,
        { settings: { categories: { insult: 'off', threat: 'reject' } } },
        admin,
      );
      const read = await request(server.url)
        .get(`${API}/mod/sites/${site.id}`)
        .set('Authorization', `Bearer ${admin}`);
      const settings = (read.body as SiteDto).settings;
      expect(settings.categories).toEqual({ ...DEFAULT_CATEGORY_ACTIONS, insult: 'off', threat: 'reject' });
    });

    it.each([
      ['an unknown category', { slurs: 'hold' }],
      ['an unknown action', { slur: 'block' }],
      ['a category without a setting', { 'site-words': 'off' }],
    ])(
      'when the patch names %s, then it is refused with 400 VALIDATION_FAILED',
      async (_case, categories) => {
        const site = await createSite(server, { token: admin });
        const res = await request(server.url)
          .patch(`${API}/mod/sites/${site.id}`)
          .set('Authorization', `Bearer ${admin}`)
          .send({ settings: { categories } });
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      },
    );
  });

  describe('try a sentence', () => {
    it.each([
      ['The talks in Istanbul were a step forward.', ['en']],
      ['Переговоры в Стамбуле — это шаг вперёд.', ['ru']],
      ['Переговори в Стамбулі — це крок уперед.', ['uk']],
    ])('when "%s" is tried, then the verdict names its languages %j', async (text, languages) => {
      const site = await createSite(server, { token: admin });
      const verdict = await tryText(site.id, text);
      expect(verdict).toMatchObject({ action: 'publish', findings: [], languages });
    });

    it('when profanity is tried, then each finding has its category', async () => {
      const site = await createSite(server, { token: admin });
      const verdict = await tryText(site.id, 'What a load of bullshit.');
      expect(verdict.action).toBe('reject');
      expect(verdict.findings).toEqual([
        expect.objectContaining({ rule: 'words.banned', category: 'profanity' }),
      ]);
    });

    it('when a site turns profanity to hold, then the same sentence is held, not rejected', async () => {
      const site = await createSite(server, {
        token: admin,
        settings: { categories: { ...DEFAULT_CATEGORY_ACTIONS, profanity: 'hold' } },
      });
      const verdict = await tryText(site.id, 'What a load of bullshit.');
      expect(verdict.action).toBe('hold');
      expect(verdict.findings[0]).toMatchObject({ category: 'profanity', action: 'hold' });
    });

    it('when a site turns profanity off, then the sentence is published with no profanity finding', async () => {
      const site = await createSite(server, {
        token: admin,
        settings: { categories: { ...DEFAULT_CATEGORY_ACTIONS, profanity: 'off' } },
      });
      const verdict = await tryText(site.id, 'What a load of bullshit.');
      expect(verdict).toMatchObject({ action: 'publish', findings: [] });
    });

    it('when a site lists пизда, then "Переговоры в Стамбуле — это шаг вперёд" is published (no match inside "шаг")', async () => {
      const site = await createSite(server, { token: admin, settings: { bannedWords: ['пизда'] } });
      const verdict = await tryText(site.id, 'Переговоры в Стамбуле — это шаг вперёд');
      expect(verdict).toMatchObject({ action: 'publish', findings: [], languages: ['ru'] });
    });

    it('when a 13-digit timestamp is tried, then it is not held as a phone number', async () => {
      const site = await createSite(server, { token: admin });
      const verdict = await tryText(site.id, 'The log line says 1764620000000, which is the restart.');
      expect(verdict).toMatchObject({ action: 'publish', findings: [] });
    });
  });
});
