import request from 'supertest';
import { io, type Socket } from 'socket.io-client';
import type { CommentDto, ModerationItemDto } from '../../src/contracts/comments';
import type { AuditPageDto, QueuePageDto, SystemDto } from '../../src/contracts/moderation-api';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/contracts/socket-events';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createModerator, createSite, loginAdmin, postComment, readCounts, readThread, uniqueId } from '../helpers/factories';

type Reader = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('telling every person what really happened (API and live events)', () => {
  let server: TestServer;
  let admin: string;
  let site: string;
  const origin = 'https://truth.example';
  const sockets: Socket[] = [];

  const mod = (token: string) => ({
    get: (path: string) => request(server.url).get(`${API}${path}`).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: unknown = {}) => request(server.url).post(`${API}${path}`).set('Authorization', `Bearer ${token}`).send(body as object),
  });

  const joinAsAuthor = async (post: string, token: string | undefined): Promise<{ socket: Reader; received: { event: string; payload: Record<string, unknown> }[] }> => {
    const socket: Reader = io(server.url, { transports: ['websocket'], extraHeaders: { origin }, forceNew: true });
    sockets.push(socket);
    const received: { event: string; payload: Record<string, unknown> }[] = [];
    socket.onAny((event: string, payload: Record<string, unknown>) => received.push({ event, payload }));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    await new Promise<void>((resolve) =>
      socket.emit('post:join', { site, post, ...(token ? { authorToken: token } : {}) }, () => resolve()),
    );
    return { socket, received };
  };

  const waitFor = async (condition: () => boolean, what: string): Promise<void> => {
    for (let attempt = 0; attempt < 100 && !condition(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    if (!condition()) throw new Error(`timed out waiting for ${what}`);
  };

  beforeAll(async () => {
    server = await startTestServer();
    admin = await loginAdmin(server);
    site = (
      await createSite(server, { token: admin, origins: [origin], settings: { suspectWords: ['propaganda'], bannedWords: ['rotten'] } })
    ).id;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server.close();
  });

  it('when the filter rejects a comment, then its author is told it was not published, in words that never name the matched list', async () => {
    const { created } = await postComment(server, { site, post: uniqueId('p'), body: 'What a rotten idea', origin });
    expect(created.comment.status).toBe('rejected');
    expect(created.comment.isOwn).toBe(true);
    expect(created.comment.notice).toEqual({
      kind: 'rejected',
      reasons: ["it contains language this site doesn't allow"],
      reasonCodes: ['words.banned'],
    });
    expect(created.verdict?.reasons).toEqual(["it contains language this site doesn't allow"]);
    expect(created.verdict?.reasonCodes).toEqual(['words.banned']);
    expect(JSON.stringify(created)).not.toMatch(/banned word|site list/);
  });

  it('when a comment is held, then its author sees a short reason across reloads, until a moderator decides', async () => {
    const post = uniqueId('p');
    const { comment, token } = await postComment(server, { site, post, body: 'This is propaganda, plain and simple', origin });
    expect(comment.status).toBe('pending');
    expect(comment.notice).toEqual({ kind: 'held', reasons: ['it contains words a moderator checks first'], reasonCodes: ['words.suspect'] });
    const reloaded = await readThread(server, { site, post, token });
    expect(reloaded.comments.map((c) => [c.id, c.notice?.kind])).toEqual([[comment.id, 'held']]);
    const stranger = await readThread(server, { site, post });
    expect(stranger.comments).toEqual([]);
  });

  it('when a moderator rejects a held comment, then only its author hears it live, with the reason', async () => {
    const post = uniqueId('p');
    const { comment, token } = await postComment(server, { site, post, body: 'More propaganda here', origin });
    const author = await joinAsAuthor(post, token);
    const reader = await joinAsAuthor(post, undefined);
    await mod(admin).post(`/mod/comments/${comment.id}/reject`, { reason: 'off-topic', note: 'internal note' }).expect(200);
    await waitFor(() => author.received.some((r) => r.event === 'comment:removed'), 'the removal');
    const removal = author.received.find((r) => r.event === 'comment:removed')?.payload;
    expect(removal).toMatchObject({ id: comment.id, reason: 'rejected', notice: { kind: 'removed', reasons: ['off-topic'], reasonCodes: ['moderator.off-topic'] } });
    expect(JSON.stringify(removal)).not.toContain('internal note');
    expect(reader.received.filter((r) => r.event.startsWith('comment:'))).toEqual([]);
  });

  it('when a moderator rejects a published comment, then readers see it go and its author also hears why', async () => {
    const post = uniqueId('p');
    const { comment, token } = await postComment(server, { site, post, body: 'A published thought', origin });
    const author = await joinAsAuthor(post, token);
    const reader = await joinAsAuthor(post, undefined);
    await mod(admin).post(`/mod/comments/${comment.id}/reject`, { reason: 'spam' }).expect(200);
    await waitFor(() => author.received.filter((r) => r.event === 'comment:removed').length === 2, 'both removals');
    await waitFor(() => reader.received.some((r) => r.event === 'comment:removed'), 'the public removal');
    const notices = author.received.filter((r) => r.event === 'comment:removed').map((r) => r.payload['notice'] ?? null);
    expect(notices).toContainEqual({ kind: 'removed', reasons: ['spam'], reasonCodes: ['moderator.spam'] });
    expect(reader.received.filter((r) => r.event === 'comment:removed').map((r) => r.payload['notice'])).toEqual([undefined]);
  });

  it('when a parent with replies is rejected, then it stays as a removed placeholder and the count equals the reachable comments', async () => {
    const post = uniqueId('p');
    const { comment: parent } = await postComment(server, { site, post, body: 'The parent', origin });
    await postComment(server, { site, post, body: 'First reply', parentId: parent.id, origin });
    await postComment(server, { site, post, body: 'Second reply', parentId: parent.id, origin });
    await mod(admin).post(`/mod/comments/${parent.id}/reject`, { reason: 'abuse' }).expect(200);
    const page = await readThread(server, { site, post });
    const [placeholder] = page.comments;
    expect(page.comments).toHaveLength(1);
    expect(placeholder).toMatchObject({ id: parent.id, status: 'rejected', body: '', author: null, replyCount: 2 });
    const reachable = (comments: readonly CommentDto[]): number =>
      comments.reduce((sum, c) => sum + (c.status === 'published' ? 1 : 0) + reachable(c.replies ?? []), 0);
    expect(reachable(page.comments)).toBe(2);
    expect(page.post.counts.published).toBe(2);
    expect((await readCounts(server, site, [post]))[post]).toBe(2);
    const replies = await request(server.url).get(`${API}/comments/${parent.id}/replies`).expect(200);
    expect((replies.body as { comments: CommentDto[] }).comments.map((c) => c.body)).toEqual(['First reply', 'Second reply']);
  });

  it('when a moderator changes heat or closes a post, then open widgets get post:updated', async () => {
    const post = uniqueId('p');
    const { comment } = await postComment(server, { site, post, body: 'Warm', origin });
    const reader = await joinAsAuthor(post, undefined);
    const queue = (await mod(admin).get(`/mod/queue?queue=approved&site=${site}`).expect(200)).body as QueuePageDto;
    const postId = queue.items.find((item) => item.comment.id === comment.id)?.post.id;
    await request(server.url).patch(`${API}/mod/posts/${postId}`).set('Authorization', `Bearer ${admin}`).send({ heat: 'heated' }).expect(200);
    await request(server.url).patch(`${API}/mod/posts/${postId}`).set('Authorization', `Bearer ${admin}`).send({ closed: true }).expect(200);
    await waitFor(() => reader.received.filter((r) => r.event === 'post:updated').length === 2, 'two post updates');
    expect(reader.received.filter((r) => r.event === 'post:updated').map((r) => r.payload['state'])).toEqual([
      { closed: false, banner: 'heated' },
      { closed: true, banner: 'heated' },
    ]);
  });

  it('when a moderator searches the queue by an author name, then that author’s comments are found', async () => {
    const post = uniqueId('p');
    const name = `Zelda ${uniqueId('n')}`;
    const { comment } = await postComment(server, { site, post, body: 'Nothing about names here, propaganda', authorName: name, origin });
    const found = (await mod(admin).get(`/mod/queue?queue=pending&site=${site}&q=${encodeURIComponent(name.toLowerCase())}`).expect(200)).body as QueuePageDto;
    expect(found.items.map((item) => item.comment.id)).toEqual([comment.id]);
    expect(found.counts.pending).toBe(1);
  });

  it('when a comment was decided, then its card says who decided, when, the reason code and the note', async () => {
    const post = uniqueId('p');
    const { comment } = await postComment(server, { site, post, body: 'To be decided, propaganda', origin });
    await mod(admin).post(`/mod/comments/${comment.id}/reject`, { reason: 'misinformation', note: 'Checked the source' }).expect(200);
    const rejected = (await mod(admin).get(`/mod/queue?queue=rejected&site=${site}`).expect(200)).body as QueuePageDto;
    const item = rejected.items.find((entry) => entry.comment.id === comment.id) as ModerationItemDto;
    expect(item.decision).toMatchObject({ kind: 'moderator', moderatorName: expect.any(String), reason: 'misinformation', note: 'Checked the source' });
    expect(Number.isNaN(Date.parse(item.decision?.at ?? ''))).toBe(false);
    await mod(admin).post(`/mod/comments/${comment.id}/restore`, {}).expect(200);
    const approved = (await mod(admin).get(`/mod/queue?queue=approved&site=${site}`).expect(200)).body as QueuePageDto;
    expect(approved.items.find((entry) => entry.comment.id === comment.id)?.decision).toMatchObject({ kind: 'moderator', reason: null });
  });

  it('when another moderator claimed a comment, then acting on it is 409 CLAIMED_BY_OTHER unless force is sent', async () => {
    const post = uniqueId('p');
    const { comment } = await postComment(server, { site, post, body: 'Claim me, propaganda', origin });
    const other = await createModerator(server, { sites: [site], adminToken: admin });
    await mod(other.token).post(`/mod/comments/${comment.id}/claim`).expect(200);
    const refused = await mod(admin).post(`/mod/comments/${comment.id}/approve`, { revision: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CLAIMED_BY_OTHER', moderatorName: 'A Moderator' });
    const rejectRefused = await mod(admin).post(`/mod/comments/${comment.id}/reject`, { reason: 'spam' });
    expect(rejectRefused.body.code).toBe('CLAIMED_BY_OTHER');
    const bulk = await mod(admin).post('/mod/comments/bulk', { action: 'approve', ids: [comment.id] }).expect(200);
    expect(bulk.body.results).toEqual([{ id: comment.id, ok: false, code: 'CLAIMED_BY_OTHER' }]);
    const forced = await mod(admin).post(`/mod/comments/${comment.id}/approve`, { revision: 1, force: true });
    expect(forced.status).toBe(200);
    expect(forced.body.comment.status).toBe('published');
  });

  it('when the claimer’s last moderator socket closes, then their claims end at once', async () => {
    const post = uniqueId('p');
    const { comment } = await postComment(server, { site, post, body: 'Claimed then left, propaganda', origin });
    const other = await createModerator(server, { sites: [site], adminToken: admin });
    const connect = (): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const socket = io(`${server.url}/moderation`, { transports: ['websocket'], auth: { token: other.token }, forceNew: true });
        sockets.push(socket);
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    const [first, second] = await Promise.all([connect(), connect()]);
    await mod(other.token).post(`/mod/comments/${comment.id}/claim`).expect(200);
    const watcher = await new Promise<Socket>((resolve) => {
      const socket = io(`${server.url}/moderation`, { transports: ['websocket'], auth: { token: admin }, forceNew: true });
      sockets.push(socket);
      socket.once('connect', () => resolve(socket));
    });
    const released: string[] = [];
    watcher.on('comment:released', (event: { id: string }) => released.push(event.id));
    first.close();
    const stillClaimed = await mod(admin).post(`/mod/comments/${comment.id}/approve`, { revision: 1 });
    expect(stillClaimed.body.code).toBe('CLAIMED_BY_OTHER');
    second.close();
    await waitFor(() => released.includes(comment.id), 'the release');
    await mod(admin).post(`/mod/comments/${comment.id}/approve`, { revision: 1 }).expect(200);
  });

  it('when the audit log is read, then entries carry author names, an excerpt and the post, and filter by moderator, action, site and date', async () => {
    const post = uniqueId('p');
    const { comment } = await postComment(server, { site, post, body: 'An audited comment with propaganda', authorName: 'Audrey', origin, postTitle: 'Audited post' });
    await mod(admin).post(`/mod/comments/${comment.id}/reject`, { reason: 'spam' }).expect(200);
    const me = (await mod(admin).get('/mod/sessions/current').expect(200)).body as { moderator: { id: string } };
    const since = new Date(Date.now() - 60_000).toISOString();
    const page = (
      await mod(admin).get(`/mod/audit?site=${site}&moderator=${me.moderator.id}&action=comment.reject&after=${encodeURIComponent(since)}`).expect(200)
    ).body as AuditPageDto;
    const entry = page.entries.find((e) => e.commentId === comment.id);
    expect(entry).toMatchObject({
      action: 'comment.reject',
      authorName: 'Audrey',
      commentExcerpt: 'An audited comment with propaganda',
      post: { key: post },
    });
    expect(page.entries.every((e) => e.action === 'comment.reject' && e.site === site)).toBe(true);
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = (await mod(admin).get(`/mod/audit?site=${site}&after=${encodeURIComponent(future)}`).expect(200)).body as AuditPageDto;
    expect(none.entries).toEqual([]);
  });

  it('when the service runs on the in-memory emulator, then /mod/system says the database is not durable', async () => {
    const res = await mod(admin).get('/mod/system').expect(200);
    const body = res.body as SystemDto;
    expect(body.database.durable).toBe(server.database.isDurable);
    if (server.database.kind === 'emulator') expect(body).toEqual({ database: { engine: 'emulator', durable: false }, privacy: { deletionGraceHours: 24 } });
    await request(server.url).get(`${API}/mod/system`).expect(401);
  });
});
