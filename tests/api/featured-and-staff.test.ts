import request from 'supertest';
import { startTestServer, type TestServer } from '../helpers/test-server';
import {
  API,
  createModerator,
  createSite,
  loginAdmin,
  postComment,
  readThread,
  sendComment,
  signSsoToken,
  uniqueId,
} from '../helpers/factories';
import { eventually, startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { connectReader, emitWithAck, record, closeAllSockets, waitFor, type Received } from '../realtime/realtime-helpers';
import { MAX_FEATURED_PER_POST, type CommentDto, type ThreadPageDto } from '../../src/contracts/comments';
import type { AuditEntryDto } from '../../src/contracts/moderation-api';

const SSO_SECRET = 'sso-secret-for-badges-0123456789';

describe('featured comments, badges and moderators answering in the thread', () => {
  let server: TestServer;
  let admin: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    server = await startTestServer({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_RETRY_BASE_MS: '50' } });
    admin = await loginAdmin(server);
    receiver = await startWebhookReceiver();
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await receiver.close();
    await server.close();
  });

  const mod = (token = admin) => ({ Authorization: `Bearer ${token}` });
  const feature = (id: string, token = admin) => request(server.url).post(`${API}/mod/comments/${id}/feature`).set(mod(token)).send({});
  const unfeature = (id: string, token = admin) => request(server.url).delete(`${API}/mod/comments/${id}/feature`).set(mod(token));
  const featuredOf = async (site: string, post: string): Promise<ThreadPageDto> => {
    const res = await request(server.url).get(`${API}/sites/${site}/posts/${post}/comments`).query({ featured: 'true' }).expect(200);
    return res.body as ThreadPageDto;
  };
  const auditOf = async (commentId: string): Promise<AuditEntryDto[]> => {
    const res = await request(server.url).get(`${API}/mod/audit`).query({ comment: commentId }).set(mod()).expect(200);
    return (res.body as { entries: AuditEntryDto[] }).entries;
  };
  const joinRoom = async (site: string, post: string, origin: string): Promise<Received[]> => {
    const reader = await connectReader(server.url, { origin });
    const received = record(reader);
    const joined = await emitWithAck(reader, 'post:join', { site, post });
    expect(joined.ok).toBe(true);
    return received;
  };

  it('when a moderator features a published comment, then the thread marks it, ?featured=true lists it, a reader is told live, the audit log and a webhook record it; unfeaturing undoes each', async () => {
    const site = await createSite(server, { token: admin });
    const origin = site.origins[0] ?? '';
    const hook = await request(server.url)
      .post(`${API}/mod/sites/${site.id}/webhooks`)
      .set(mod())
      .send({ url: receiver.url, events: ['comment.featured'], secret: 'whsec-featured-0123456789' });
    expect(hook.status).toBe(201);
    const post = uniqueId('talks');
    const { comment } = await postComment(server, { site: site.id, post, origin, body: 'Переговори мають початися з обміну полоненими.' });
    await postComment(server, { site: site.id, post, origin, body: 'Another view.' });
    expect((await featuredOf(site.id, post)).comments).toEqual([]);
    const received = await joinRoom(site.id, post, origin);

    const featured = await feature(comment.id);
    expect(featured.status).toBe(200);
    expect(featured.body.comment).toMatchObject({ id: comment.id, featured: true });

    const list = await featuredOf(site.id, post);
    expect(list.comments.map((c) => c.id)).toEqual([comment.id]);
    expect(list.comments[0]).toMatchObject({ featured: true, body: 'Переговори мають початися з обміну полоненими.' });
    expect(list.nextCursor).toBeNull();
    const thread = await readThread(server, { site: site.id, post });
    expect(thread.comments.find((c) => c.id === comment.id)?.featured).toBe(true);
    expect(thread.comments.filter((c) => c.featured)).toHaveLength(1);

    await waitFor(() => received.some((r) => r.event === 'comment:featured'), 'comment:featured');
    const live = received.find((r) => r.event === 'comment:featured')?.payload;
    expect(live).toMatchObject({ site: site.id, post, commentId: comment.id, featured: true, comment: { id: comment.id, featured: true } });
    expect(typeof live?.['seq']).toBe('number');

    const entries = await auditOf(comment.id);
    const entry = entries.find((e) => e.action === 'comment.feature');
    expect(entry).toMatchObject({ actor: { kind: 'moderator' }, commentId: comment.id, commentExcerpt: expect.stringContaining('Переговори') });

    await eventually(() => receiver.calls.filter((c) => c.body.type === 'comment.featured').length, (n) => n >= 1, 'comment.featured delivery');
    const delivery = receiver.calls.find((c) => c.body.type === 'comment.featured');
    expect(delivery?.body.data).toMatchObject({ featured: true, comment: { id: comment.id, featured: true } });

    // Featuring again changes nothing: no second audit entry.
    expect((await feature(comment.id)).status).toBe(200);
    expect((await auditOf(comment.id)).filter((e) => e.action === 'comment.feature')).toHaveLength(1);

    const undone = await unfeature(comment.id);
    expect(undone.status).toBe(200);
    expect(undone.body.comment.featured).toBe(false);
    expect((await featuredOf(site.id, post)).comments).toEqual([]);
    await waitFor(() => received.some((r) => r.event === 'comment:featured' && r.payload['featured'] === false), 'unfeatured event');
    expect(received.find((r) => r.event === 'comment:featured' && r.payload['featured'] === false)?.payload).toMatchObject({ commentId: comment.id, comment: null });
    expect((await auditOf(comment.id)).map((e) => e.action)).toEqual(expect.arrayContaining(['comment.feature', 'comment.unfeature']));
    await eventually(
      () => receiver.calls.filter((c) => c.body.type === 'comment.featured' && c.body.data['featured'] === false).length,
      (n) => n >= 1,
      'unfeatured delivery',
    );
  });

  it('when the comment is not published, or the post has its fill of featured ones, or the moderator is out of scope, then featuring is refused with a code', async () => {
    const site = await createSite(server, { token: admin, settings: { premoderation: 'all' } });
    const post = uniqueId('held');
    const { comment } = await postComment(server, { site: site.id, post, body: 'Held for review.' });
    expect(comment.status).toBe('pending');
    const refused = await feature(comment.id);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('COMMENT_NOT_FEATURABLE');
    expect((await featuredOf(site.id, post)).comments).toEqual([]);

    const open = await createSite(server, { token: admin });
    const busy = uniqueId('busy');
    const ids: string[] = [];
    for (let i = 0; i <= MAX_FEATURED_PER_POST; i += 1) ids.push((await postComment(server, { site: open.id, post: busy, body: `Comment number ${i}` })).comment.id);
    for (const id of ids.slice(0, MAX_FEATURED_PER_POST)) expect((await feature(id)).status).toBe(200);
    const full = await feature(ids[MAX_FEATURED_PER_POST] ?? '');
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('FEATURED_LIMIT_REACHED');
    expect((await featuredOf(open.id, busy)).comments).toHaveLength(MAX_FEATURED_PER_POST);

    const outsider = await createModerator(server, { sites: [site.id], adminToken: admin });
    const outOfScope = await feature(ids[0] ?? '', outsider.token);
    expect(outOfScope.status).toBe(403);
    expect(outOfScope.body.code).toBe('OUT_OF_SCOPE');
    const anonymous = await request(server.url).post(`${API}/mod/comments/${ids[0] ?? ''}/feature`).send({});
    expect(anonymous.status).toBe(401);
  });

  it('when featured=true comes with a sort, cursor or limit, then it is refused rather than ignored', async () => {
    const site = await createSite(server, { token: admin });
    for (const query of [{ featured: 'true', sort: 'best' }, { featured: 'true', limit: '5' }, { featured: 'yes' }]) {
      const res = await request(server.url).get(`${API}/sites/${site.id}/posts/p/comments`).query(query);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('when a reader signs in with an SSO token carrying badges, then their comments carry them; bad badge claims and guests sending badges are refused', async () => {
    const site = await createSite(server, { token: admin, ssoSecret: SSO_SECRET });
    const post = uniqueId('sso');
    const token = await signSsoToken(SSO_SECRET, { sub: 'u-1', name: 'Олена', site: site.id, badges: ['Subscriber', 'Verified'] });
    const { comment } = await postComment(server, { site: site.id, post, token, body: 'Signed in with badges.' });
    expect(comment.author).toMatchObject({ name: 'Олена', isVerified: true, badges: ['Subscriber', 'Verified'] });
    const thread = await readThread(server, { site: site.id, post });
    expect(thread.comments[0]?.author?.badges).toEqual(['Subscriber', 'Verified']);

    const tooMany = await signSsoToken(SSO_SECRET, { sub: 'u-2', name: 'Many', site: site.id, badges: ['a', 'b', 'c', 'd'] });
    const manyRes = await sendComment(server, { site: site.id, post, token: tooMany });
    expect(manyRes.status).toBe(401);
    expect(manyRes.body).toMatchObject({ code: 'SSO_TOKEN_INVALID', detail: expect.stringContaining('badges') });
    const tooLong = await signSsoToken(SSO_SECRET, { sub: 'u-3', name: 'Long', site: site.id, badges: ['x'.repeat(25)] });
    expect((await sendComment(server, { site: site.id, post, token: tooLong })).body.code).toBe('SSO_TOKEN_INVALID');

    const guest = await request(server.url)
      .post(`${API}/sites/${site.id}/posts/${post}/comments`)
      .send({ body: 'I am staff, trust me', authorName: 'Ivan', badges: ['Moderator'] });
    expect(guest.status).toBe(400);
    expect(guest.body.code).toBe('BADGES_NOT_ALLOWED');
    const plain = await postComment(server, { site: site.id, post, authorName: 'Ivan', body: 'A guest comment.' });
    expect(plain.comment.author?.badges).toEqual([]);
    const impostor = await sendComment(server, { site: site.id, post, authorName: 'Moderator' });
    expect(impostor.status).toBe(400);
    expect(impostor.body.code).toBe('AUTHOR_NAME_INVALID');
  });

  it('when a moderator replies from the panel, then the reply is published at once as staff with the badge, live to readers, audited, and refused on comments that are not published', async () => {
    const site = await createSite(server, { token: admin, settings: { premoderation: 'all' } });
    const origin = site.origins[0] ?? '';
    const post = uniqueId('answer');
    const { comment: held } = await postComment(server, { site: site.id, post, origin, body: 'When will the talks start?' });
    const refused = await request(server.url).post(`${API}/mod/comments/${held.id}/replies`).set(mod()).send({ body: 'Soon.' });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('PARENT_NOT_REPLYABLE');
    await request(server.url).post(`${API}/mod/comments/${held.id}/approve`).set(mod()).send({}).expect(200);
    const received = await joinRoom(site.id, post, origin);

    const reply = await request(server.url)
      .post(`${API}/mod/comments/${held.id}/replies`)
      .set(mod())
      .send({ body: 'The talks open on Monday; we will update this post.' });
    expect(reply.status).toBe(201);
    const dto = reply.body.comment as CommentDto;
    // Held for everyone else (the site pre-moderates), published for staff.
    expect(dto).toMatchObject({ parentId: held.id, status: 'published', author: { badges: ['Moderator'], isVerified: true } });
    await waitFor(() => received.some((r) => r.event === 'comment:created' && (r.payload['comment'] as CommentDto).id === dto.id), 'the reply live');
    const thread = await readThread(server, { site: site.id, post });
    expect(thread.comments[0]?.replies?.map((r) => r.id)).toEqual([dto.id]);
    expect(thread.comments[0]?.replies?.[0]?.author?.badges).toEqual(['Moderator']);
    const audit = await auditOf(dto.id);
    expect(audit.find((e) => e.action === 'comment.staff-reply')).toMatchObject({ actor: { kind: 'moderator' }, commentExcerpt: expect.stringContaining('Monday') });

    const staff = await request(server.url)
      .post(`${API}/mod/comments/${held.id}/replies`)
      .set(mod())
      .send({ body: 'From the newsroom.', authorName: 'The Newsroom', badge: 'Staff' });
    expect(staff.status).toBe(201);
    expect(staff.body.comment.author).toMatchObject({ name: 'The Newsroom', badges: ['Staff'] });
    const empty = await request(server.url).post(`${API}/mod/comments/${held.id}/replies`).set(mod()).send({ body: '   ' });
    expect(empty.body.code).toBe('COMMENT_EMPTY');
    const forged = await request(server.url).post(`${API}/mod/comments/${held.id}/replies`).set(mod()).send({ body: 'x', badge: 'Admin' });
    expect(forged.body.code).toBe('VALIDATION_FAILED');
  });
});
