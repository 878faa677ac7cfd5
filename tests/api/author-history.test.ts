import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createModerator, createSite, loginAdmin, patchSite, postComment, sendComment } from '../helpers/factories';

describe('author history and notes', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    admin = await loginAdmin(server);
  });
  afterAll(async () => {
    await server.close();
  });

  const asAdmin = (): Record<string, string> => ({ Authorization: `Bearer ${admin}` });
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function reject(commentId: string, reason = 'abuse', note?: string): Promise<void> {
    const res = await request(server.url)
      .post(`${API}/mod/comments/${commentId}/reject`)
      .set(auth(admin))
      .send({ reason, ...(note ? { note } : {}) });
    expect(res.status).toBe(200);
  }

  /** A guest who posts `count` comments on the site (slow mode is off by default). */
  async function authorWithComments(site: string, count: number): Promise<{ token: string; authorId: string; ids: string[] }> {
    const first = await postComment(server, { site, post: 'p1', body: 'First words from a reader' });
    const token = first.token ?? '';
    const ids = [first.comment.id];
    for (let index = 1; index < count; index++) {
      const next = await postComment(server, { site, post: 'p1', body: `More words, number ${index} of ${count}`, token });
      ids.push(next.comment.id);
    }
    return { token, authorId: first.comment.author?.id ?? '', ids };
  }

  it('when an author was published and rejected, then GET /mod/authors/:id gives 30-day counts and the last rejection reason', async () => {
    const site = await createSite(server, { token: admin });
    const { authorId, ids } = await authorWithComments(site.id, 3);
    await reject(ids[1] ?? '', 'abuse', 'Attacks another reader');

    const res = await request(server.url).get(`${API}/mod/authors/${authorId}`).set(auth(admin));
    expect(res.status).toBe(200);
    expect(res.body.author).toMatchObject({ id: authorId, site: site.id, name: 'Guest', standing: 'active' });
    expect(res.body.history).toMatchObject({
      windowDays: 30,
      total: 3,
      published: 2,
      held: 0,
      rejected: 1,
      lastRejection: { by: 'moderator', reason: 'abuse', note: 'Attacks another reader', commentId: ids[1] },
    });
    expect(res.body.notes).toEqual([]);
  });

  it('when the pipeline rejected the last one, then the last rejection gives the rule\'s reason', async () => {
    const site = await createSite(server, { token: admin, settings: { bannedWords: ['flibbertigibbet'] } });
    const { token, authorId } = await authorWithComments(site.id, 1);
    const rejected = await postComment(server, { site: site.id, post: 'p1', body: 'What a flibbertigibbet', token });
    expect(rejected.comment.status).toBe('rejected');
    const res = await request(server.url).get(`${API}/mod/authors/${authorId}`).set(auth(admin));
    expect(res.body.history.lastRejection).toMatchObject({ by: 'pipeline', commentId: rejected.comment.id });
    expect(res.body.history.lastRejection.reason).toContain('flibbertigibbet');
  });

  it('when a moderator leaves a note, then it is stored, shown newest first, and audited', async () => {
    const site = await createSite(server, { token: admin });
    const { authorId } = await authorWithComments(site.id, 1);
    const moderator = await createModerator(server, { sites: [site.id], adminToken: admin });
    const first = await request(server.url).post(`${API}/mod/authors/${authorId}/notes`).set(auth(moderator.token)).send({ text: 'Argues in good faith' });
    expect(first.status).toBe(201);
    expect(first.body.note).toMatchObject({ text: 'Argues in good faith', moderator: { name: 'A Moderator' } });
    await request(server.url).post(`${API}/mod/authors/${authorId}/notes`).set(auth(admin)).send({ text: 'Пишет по-русски, без грубостей' });

    const res = await request(server.url).get(`${API}/mod/authors/${authorId}`).set(auth(moderator.token));
    expect(res.body.notes.map((note: { text: string }) => note.text)).toEqual(['Пишет по-русски, без грубостей', 'Argues in good faith']);

    const audit = await request(server.url).get(`${API}/mod/audit?author=${authorId}&action=author.note`).set(auth(admin));
    expect(audit.body.entries).toHaveLength(2);
    expect(audit.body.entries[1]).toMatchObject({ action: 'author.note', note: 'Argues in good faith', actor: { kind: 'moderator' } });
  });

  it('when a moderator edits a note, then the new text is stored with editedAt and audited; another author\'s note or a bad id is refused', async () => {
    const site = await createSite(server, { token: admin });
    const { authorId } = await authorWithComments(site.id, 1);
    const other = await authorWithComments(site.id, 1);
    const added = await request(server.url).post(`${API}/mod/authors/${authorId}/notes`).set(auth(admin)).send({ text: 'Argues in good faith' });
    const noteId = added.body.note.id as string;

    const edited = await request(server.url)
      .patch(`${API}/mod/authors/${authorId}/notes/${noteId}`)
      .set(auth(admin))
      .send({ text: 'Argues in good faith; warned once about insults' });
    expect(edited.status).toBe(200);
    expect(edited.body.note).toMatchObject({ id: noteId, text: 'Argues in good faith; warned once about insults', editedAt: expect.any(String) });
    const read = await request(server.url).get(`${API}/mod/authors/${authorId}`).set(auth(admin));
    expect(read.body.notes).toEqual([expect.objectContaining({ id: noteId, text: 'Argues in good faith; warned once about insults' })]);
    const audit = await request(server.url).get(`${API}/mod/audit?author=${authorId}&action=author.note-edit`).set(auth(admin));
    expect(audit.body.entries).toEqual([expect.objectContaining({ note: 'Argues in good faith; warned once about insults' })]);

    const wrongAuthor = await request(server.url).patch(`${API}/mod/authors/${other.authorId}/notes/${noteId}`).set(auth(admin)).send({ text: 'hijack' });
    expect(wrongAuthor.status).toBe(404);
    expect(wrongAuthor.body.code).toBe('AUTHOR_NOTE_NOT_FOUND');
    const badId = await request(server.url).patch(`${API}/mod/authors/${authorId}/notes/not-an-id`).set(auth(admin)).send({ text: 'x' });
    expect(badId.status).toBe(400);
    expect(badId.body.code).toBe('VALIDATION_FAILED');
    const empty = await request(server.url).patch(`${API}/mod/authors/${authorId}/notes/${noteId}`).set(auth(admin)).send({ text: ' ' });
    expect(empty.status).toBe(400);
  });

  it.each([
    ['an empty note', { text: '   ' }],
    ['a note over 2000 characters', { text: 'x'.repeat(2001) }],
    ['an unknown field', { text: 'ok', pinned: true }],
    ['no text', {}],
  ])('when a moderator sends %s, then it is refused with VALIDATION_FAILED and nothing is stored', async (_label, body) => {
    const site = await createSite(server, { token: admin });
    const { authorId } = await authorWithComments(site.id, 1);
    const res = await request(server.url).post(`${API}/mod/authors/${authorId}/notes`).set(auth(admin)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const read = await request(server.url).get(`${API}/mod/authors/${authorId}`).set(auth(admin));
    expect(read.body.notes).toEqual([]);
  });

  it('when a moderator of another site asks, then it is out of scope; an unknown author is 404', async () => {
    const site = await createSite(server, { token: admin });
    const other = await createSite(server, { token: admin });
    const { authorId } = await authorWithComments(site.id, 1);
    const outsider = await createModerator(server, { sites: [other.id], adminToken: admin });
    const read = await request(server.url).get(`${API}/mod/authors/${authorId}`).set(auth(outsider.token));
    expect(read.status).toBe(403);
    expect(read.body.code).toBe('OUT_OF_SCOPE');
    const note = await request(server.url).post(`${API}/mod/authors/${authorId}/notes`).set(auth(outsider.token)).send({ text: 'hi' });
    expect(note.status).toBe(403);
    const missing = await request(server.url).get(`${API}/mod/authors/${'a'.repeat(24)}`).set(auth(admin));
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('AUTHOR_NOT_FOUND');
  });

  it('when most of an author\'s recent comments were rejected, then the history phase holds the next one, with the numbers', async () => {
    const site = await createSite(server, { token: admin });
    await patchSite(server, site.id, { settings: { history: { rejectionRate: 0.5, minSample: 4 } } }, admin);
    const { token, ids } = await authorWithComments(site.id, 4);
    await reject(ids[0] ?? '');
    const belowRate = await postComment(server, { site: site.id, post: 'p2', body: 'Still talking about the talks', token });
    expect(belowRate.comment.status).toBe('published');
    await reject(ids[1] ?? '');
    await reject(ids[2] ?? '');

    const res = await sendComment(server, { site: site.id, post: 'p2', body: 'And one more thought', token });
    expect(res.status).toBe(201);
    expect(res.body.comment.status).toBe('pending');
    const pending = await request(server.url).get(`${API}/mod/queue?queue=pending&site=${site.id}`).set(auth(admin));
    const item = pending.body.items.find((candidate: { comment: { id: string } }) => candidate.comment.id === res.body.comment.id);
    expect(item.verdict.findings).toContainEqual({
      rule: 'history.rejection-rate',
      category: 'history',
      detail: "3 of this author's 5 comments in the last 30 days were rejected (60%; the site holds from 50%).",
      action: 'hold',
    });

    const otherAuthor = await sendComment(server, { site: site.id, post: 'p2', body: 'A different reader entirely' });
    expect(otherAuthor.body.comment.status).toBe('published');
  });

  it.each([
    ['a rate of 0', { rejectionRate: 0 }],
    ['a rate above 1', { rejectionRate: 1.5 }],
    ['a minimum sample of 0', { minSample: 0 }],
    ['an unknown field', { threshold: 0.5 }],
  ])('when history settings have %s, then they are refused', async (_label, history) => {
    const site = await createSite(server, { token: admin });
    const res = await request(server.url).patch(`${API}/mod/sites/${site.id}`).set(asAdmin()).send({ settings: { history } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
