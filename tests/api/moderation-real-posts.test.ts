import request from 'supertest';
import type { CreatedCommentDto } from '../../src/contracts/comments';
import type { QueuePageDto, TryResultDto } from '../../src/contracts/moderation-api';
import { API, createSite, loginAdmin, sendComment, uniqueId } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/test-server';

/**
 * Real comments, as readers of a post about the Russia–Ukraine talks would write
 * them, posted through `POST /sites/:site/posts/:post/comments` on sites with the
 * default settings: each category in Russian, Ukrainian and English gets the
 * outcome the site's settings give it, the verdict the moderator sees names the
 * category and the language, and `POST /mod/sites/:id/try` says the same.
 */
type Outcome = 'published' | 'pending' | 'rejected' | 'nudged';

// Defaults: profanity, slurs, violence and self-harm reject; dehumanising, threats and
// insults hold, so the author is nudged first; promotion holds without a nudge (not hostility).
const CASES: [string, string, string, Outcome][] = [
  ['ru', 'profanity', 'Эти переговоры — полный пиздец, блять.', 'rejected'],
  ['ru', 'slur', 'Хохлы опять всё сорвали на переговорах.', 'rejected'],
  ['ru', 'dehumanising', 'Все они нелюди, что тут обсуждать.', 'nudged'],
  ['ru', 'violence', 'Их всех надо расстрелять, это единственный выход.', 'rejected'],
  ['ru', 'threat', 'Я знаю, где ты живешь, жди гостей.', 'nudged'],
  ['ru', 'insult', 'Ты просто тупой, если веришь в это.', 'nudged'],
  ['ru', 'self-harm', 'Иди повесься, раз ты так думаешь.', 'rejected'],
  ['ru', 'promotion', 'Подписывайтесь на мой канал, там вся правда.', 'pending'],
  ['uk', 'profanity', 'Ці переговори — повний піздець.', 'rejected'],
  ['uk', 'slur', 'Москалі знову брешуть про переговори.', 'rejected'],
  ['uk', 'dehumanising', 'Вони просто тварини, що тут обговорювати.', 'nudged'],
  ['uk', 'violence', 'Їх усіх треба розстріляти, інакше ніяк.', 'rejected'],
  ['uk', 'threat', 'Я знаю, де ти живеш, і я тебе знайду.', 'nudged'],
  ['uk', 'insult', 'Ти ідіот, якщо віриш у це.', 'nudged'],
  ['uk', 'self-harm', 'Йди повісься, якщо ти так думаєш.', 'rejected'],
  ['uk', 'promotion', 'Підписуйтесь на мій канал, там уся правда.', 'pending'],
  ['en', 'profanity', 'This deal is total bullshit.', 'rejected'],
  ['en', 'dehumanising', 'Ukrainians are subhuman, that is all there is to it.', 'nudged'],
  ['en', 'violence', 'Zelensky should be shot.', 'rejected'],
  ['en', 'threat', 'I know where you live, and I will find you.', 'nudged'],
  ['en', 'insult', 'You are an idiot if you believe this.', 'nudged'],
  ['en', 'self-harm', 'Go kill yourself, seriously.', 'rejected'],
];

const HARD_NEGATIVES: [string, string][] = [
  ['ru', 'Под Херсоном погибли российские солдаты, сообщает генштаб Украины.'],
  ['ru', 'Путин заявил, что переговоры в Стамбуле были конструктивными.'],
  ['ru', 'Санкции убьют экономику раньше, чем изменят позицию Кремля.'],
  ['uk', 'Біля Херсона загинули російські солдати, повідомляє Генштаб.'],
  ['uk', 'Зеленський зустрівся з Ердоганом і попросив допомогти з обміном полоненими.'],
  ['uk', 'Називати росіян орками — це дегуманізація, і це не допомагає Україні.'],
  ['en', 'Russian soldiers were killed near Kherson, according to the general staff.'],
  ['en', 'The Nazis invaded Poland in September 1939.'],
  ['en', 'These sanctions will kill the economy long before they change the Kremlin’s mind.'],
];

const ACTION_OF: Record<Outcome, string> = { published: 'publish', pending: 'hold', nudged: 'hold', rejected: 'reject' };

describe('real posts per category in Russian, Ukrainian and English', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    // Each comment comes from its own address (X-Forwarded-For), as readers' do: no rate limit between cases.
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    admin = await loginAdmin(server);
  });
  afterAll(async () => {
    await server.close();
  });

  const asAdmin = (req: request.Test): request.Test => req.set('Authorization', `Bearer ${admin}`);

  async function tryText(site: string, text: string): Promise<TryResultDto> {
    const res = await asAdmin(request(server.url).post(`${API}/mod/sites/${site}/try`)).send({ text });
    expect(res.status).toBe(200);
    return res.body as TryResultDto;
  }

  /** Posts on a post of its own (no brigading across cases) and says what happened. */
  async function post(
    site: string,
    body: string,
  ): Promise<{ outcome: Outcome; res: Awaited<ReturnType<typeof sendComment>>; postKey: string }> {
    const postKey = uniqueId('talks');
    const res = await sendComment(server, { site, post: postKey, body, authorName: 'Reader' });
    if (res.status === 409 && (res.body as { code?: string }).code === 'COMMENT_NUDGED') return { outcome: 'nudged', res, postKey };
    expect(res.status).toBe(201);
    return { outcome: (res.body as CreatedCommentDto).comment.status as Outcome, res, postKey };
  }

  async function queueItem(site: string, queue: string, language: string, commentId: string) {
    const res = await asAdmin(request(server.url).get(`${API}/mod/queue?queue=${queue}&site=${site}&lang=${language}`));
    expect(res.status).toBe(200);
    return (res.body as QueuePageDto).items.find((item) => item.comment.id === commentId);
  }

  it.each(CASES)('%s %s: when "%s" is posted on a default site, then it is %s, and the verdict names the category and language', async (language, category, body, expected) => {
    const site = (await createSite(server, { token: admin })).id;
    const tried = await tryText(site, body);
    expect(tried.action).toBe(ACTION_OF[expected]);
    expect(tried.findings).toContainEqual(expect.objectContaining({ category }));
    expect(tried.languages[0]).toBe(language);

    const { outcome, res, postKey } = await post(site, body);
    expect(outcome).toBe(expected);
    let commentId: string;
    let queue: string;
    if (outcome === 'nudged') {
      expect((res.body as { findings: { category: string }[] }).findings).toContainEqual(expect.objectContaining({ category }));
      // Posted anyway: held, and the moderator sees the same verdict.
      const token = (res.body as { authorToken: string }).authorToken;
      const again = await request(server.url)
        .post(`${API}/sites/${site}/posts/${postKey}/comments`)
        .set('Authorization', `Bearer ${token}`)
        .send({ body, confirmNudge: true });
      expect(again.status).toBe(201);
      expect((again.body as CreatedCommentDto).comment.status).toBe('pending');
      commentId = (again.body as CreatedCommentDto).comment.id;
      queue = 'pending';
    } else {
      commentId = (res.body as CreatedCommentDto).comment.id;
      queue = outcome === 'rejected' ? 'rejected' : 'pending';
    }
    const item = await queueItem(site, queue, language, commentId);
    expect(item?.verdict?.languages[0]).toBe(language);
    expect(item?.verdict?.findings).toContainEqual(expect.objectContaining({ category }));
    expect(item?.verdict?.action).toBe(tried.action);
  });

  it.each(HARD_NEGATIVES)('%s: when the news-like "%s" is posted, then it is published and /try agrees', async (language, body) => {
    const site = (await createSite(server, { token: admin })).id;
    const tried = await tryText(site, body);
    expect(tried).toMatchObject({ action: 'publish', findings: [] });
    expect(tried.languages[0]).toBe(language);
    const { outcome } = await post(site, body);
    expect(outcome).toBe('published');
  });

  it.each([
    ['insult set to reject', { insult: 'reject' }, 'Ты просто тупой, если веришь в это.', 'rejected'],
    ['slur set to hold', { slur: 'hold' }, 'Москалі знову брешуть про переговори.', 'nudged'],
    ['profanity off', { profanity: 'off' }, 'Эти переговоры — полный пиздец, блять.', 'published'],
    ['violence set to hold', { violence: 'hold' }, 'Їх усіх треба розстріляти, інакше ніяк.', 'nudged'],
    ['promotion off', { promotion: 'off' }, 'Підписуйтесь на мій канал, там уся правда.', 'published'],
    ['threat set to reject', { threat: 'reject' }, 'Я знаю, где ты живешь, жди гостей.', 'rejected'],
  ] as const)('when the site has %s, then the real post follows it and /try agrees', async (_case, categories, body, expected) => {
    const site = (await createSite(server, { token: admin, settings: { categories: { ...categories } } as never })).id;
    const tried = await tryText(site, body);
    expect(tried.action).toBe(ACTION_OF[expected]);
    const { outcome } = await post(site, body);
    expect(outcome).toBe(expected);
  });

  it('when a site lists пизда, then "…это шаг вперёд" is published through a real post while the word itself is rejected', async () => {
    const site = (await createSite(server, { token: admin, settings: { bannedWords: ['пизда'], categories: { profanity: 'off' } } as never })).id;
    const innocent = await post(site, 'Переговоры в Стамбуле — это шаг вперёд');
    expect(innocent.outcome).toBe('published');
    const listed = await post(site, 'Ну и пизда эти переговоры');
    expect(listed.outcome).toBe('rejected');
    const item = await queueItem(site, 'rejected', 'ru', (listed.res.body as CreatedCommentDto).comment.id);
    expect(item?.verdict?.findings).toContainEqual(expect.objectContaining({ rule: 'words.banned', category: 'site-words' }));
    expect((await tryText(site, 'Переговоры в Стамбуле — это шаг вперёд')).action).toBe('publish');
  });

  it('when a Russian insult is posted anyway, then the author is told why with a stable reason code the widget phrases in Russian', async () => {
    const site = (await createSite(server, { token: admin })).id;
    const body = 'Ты просто тупой, если веришь в это.';
    const { res, postKey } = await post(site, body);
    const again = await request(server.url)
      .post(`${API}/sites/${site}/posts/${postKey}/comments`)
      .set('Authorization', `Bearer ${(res.body as { authorToken: string }).authorToken}`)
      .send({ body, confirmNudge: true });
    const created = again.body as CreatedCommentDto;
    expect(created.comment.notice).toEqual({ kind: 'held', reasons: ['it reads as a personal attack'], reasonCodes: ['category.insult'] });
    expect(created.verdict).toMatchObject({ action: 'hold', reasonCodes: ['category.insult'] });
  });
});
