import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createSite, loginAdmin, sendComment, uniqueId } from '../helpers/factories';

/**
 * Guests can't pass for staff with look-alike letters of another script: names are
 * compared by their UTS #39 confusable skeletons, against the reserved staff words and
 * the names of the site's own moderators. Ordinary Cyrillic and Greek names are fine.
 */
describe('display names that imitate staff through look-alike letters', () => {
  let server: TestServer;
  let admin: string;
  let site: string;
  let otherSite: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    admin = await loginAdmin(server);
    site = (await createSite(server, { token: admin })).id;
    otherSite = (await createSite(server, { token: admin })).id;
    const created = await request(server.url)
      .post(`${API}/mod/moderators`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ email: 'mira@example.com', name: 'Mira Petrova', password: 'moderator password 1', role: 'moderator', sites: [site] });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await server.close();
  });

  const guestsNamed = async (name: string) => server.database.connection.collection('authors').countDocuments({ name });

  it.each([
    ['Аdmin', 'a Cyrillic А'],
    ['Αdmin', 'a Greek Alpha'],
    ['Moderatоr', 'a Cyrillic о'],
    ['Stаff', 'a Cyrillic а'],
    ['ΑDΜΙΝ', 'Greek capitals'],
    ['s t а f f', 'spaced lower case with a Cyrillic а'],
    ['Тhe Моderator', 'Cyrillic Т, М and о'],
  ])('when a guest posts as %s (%s), then 400 AUTHOR_NAME_INVALID and no author is made', async (name) => {
    const res = await sendComment(server, { site, post: uniqueId('post'), authorName: name });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'AUTHOR_NAME_INVALID', rule: 'staff', detail: 'Display names cannot claim to be a moderator or administrator' });
    expect(await guestsNamed(name)).toBe(0);
  });

  it.each(['Олена', 'Дмитро', 'Αλέξανδρος', 'Ярослава Коваленко', 'Σταύρος'])(
    'when a guest has an ordinary Cyrillic or Greek name (%s), then the comment is posted',
    async (name) => {
      const res = await sendComment(server, { site, post: uniqueId('post'), authorName: name });
      expect(res.status).toBe(201);
      expect(res.body.comment.author.name).toBe(name);
    },
  );

  it.each(['Mira Petrova', 'mira  petrova', 'Mіra Petrovа', 'MIRA PETROVA'])(
    'when a guest takes the name of one of the site’s moderators (%s), then it is refused',
    async (name) => {
      const res = await sendComment(server, { site, post: uniqueId('post'), authorName: name });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'AUTHOR_NAME_INVALID', rule: 'imitates-moderator', detail: "Display names cannot look like the name of one of this site's moderators" });
    },
  );

  it('when the moderator does not moderate that site, then the name is free there', async () => {
    const res = await sendComment(server, { site: otherSite, post: uniqueId('post'), authorName: 'Mіra Petrovа' });
    expect(res.status).toBe(201);
  });

  it('when a guest renames themselves to a moderator’s look-alike, then the rename is refused and the old name kept', async () => {
    const first = await sendComment(server, { site, post: uniqueId('post'), authorName: 'Plain Reader' });
    const token = first.body.authorToken as string;
    const renamed = await sendComment(server, { site, post: uniqueId('post'), token, authorName: 'Μira Petrova' });
    expect(renamed.status).toBe(400);
    expect(renamed.body.code).toBe('AUTHOR_NAME_INVALID');
    const next = await sendComment(server, { site, post: uniqueId('post'), token });
    expect(next.status).toBe(201);
    expect(next.body.comment.author.name).toBe('Plain Reader');
  });
});
