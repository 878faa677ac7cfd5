import request from 'supertest';
import type { CountEvent } from '../../src/contracts/socket-events';
import type { PostEvent } from '../../src/shared/domain-events';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { API, createSite, loginAdmin, postComment, readThread, uniqueId } from '../helpers/factories';

describe('live events of a post', () => {
  let server: TestServer;
  let admin: string;
  let site: string;
  let heldSite: string;
  const events: PostEvent[] = [];
  const counts: CountEvent[] = [];

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    admin = await loginAdmin(server);
    site = (await createSite(server, { token: admin })).id;
    heldSite = (await createSite(server, { token: admin, settings: { premoderation: 'all' } })).id;
    server.bus.subscribe('post.event', (event) => events.push(event));
    server.bus.subscribe('post.count', (event) => counts.push(event));
  });
  afterAll(async () => {
    await server.close();
  });

  const eventsOf = (post: string): PostEvent[] => events.filter((event) => event.payload.post === post);
  const storedEvents = (s: string, post: string) =>
    server.database.connection.collection('post_events').find({ site: s, post }).sort({ seq: 1 }).toArray();

  it('when a comment is published, edited and deleted, then created, updated and removed go out in seq order and are stored', async () => {
    const post = uniqueId('post');
    const { comment, token } = await postComment(server, { site, post, body: 'live one' });
    await request(server.url)
      .patch(`${API}/comments/${comment.id}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ body: 'live one, edited' })
      .expect(200);
    await request(server.url)
      .delete(`${API}/comments/${comment.id}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(204);

    const published = eventsOf(post);
    expect(published.map((event) => [event.type, event.payload.seq, event.audience.kind])).toEqual([
      ['comment:created', 1, 'public'],
      ['comment:updated', 2, 'public'],
      ['comment:removed', 3, 'public'],
    ]);
    const [created, updated, removed] = published;
    expect(created?.type === 'comment:created' && created.payload.comment).toMatchObject({
      id: comment.id,
      body: 'live one',
    });
    // Public events never carry the author's own fields.
    expect(created?.type === 'comment:created' && created.payload.comment.isOwn).toBeUndefined();
    expect(updated?.type === 'comment:updated' && updated.payload.comment).toMatchObject({
      body: 'live one, edited',
      revision: 2,
    });
    expect(removed?.type === 'comment:removed' && removed.payload).toMatchObject({
      id: comment.id,
      reason: 'deleted',
      tombstone: null,
    });

    const stored = await storedEvents(site, post);
    expect(stored.map((doc) => [doc['seq'], doc['type']])).toEqual([
      [1, 'comment:created'],
      [2, 'comment:updated'],
      [3, 'comment:removed'],
    ]);
    expect(counts.filter((event) => event.post === post).map((event) => event.count)).toEqual([1, 0]);
    expect((await readThread(server, { site, post })).seq).toBe(3);
  });

  it('when a comment is held, then only its author is told, and approval tells everyone', async () => {
    const post = uniqueId('post');
    const { comment } = await postComment(server, { site: heldSite, post, body: 'held for review' });
    const authorId = comment.author?.id;
    expect(eventsOf(post).map((event) => [event.type, event.audience])).toEqual([
      ['comment:created', { kind: 'author', authorId }],
    ]);
    expect(counts.filter((event) => event.post === post)).toEqual([]);

    await request(server.url)
      .post(`${API}/mod/comments/${comment.id}/approve`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ revision: 1 })
      .expect(200);
    expect(eventsOf(post).map((event) => [event.type, event.audience.kind, event.payload.seq])).toEqual([
      ['comment:created', 'author', 1],
      ['comment:created', 'public', 2],
    ]);
    expect(counts.filter((event) => event.post === post)).toEqual([{ site: heldSite, post, count: 1 }]);
  });

  it('when a comment with replies is deleted, then the removal carries its tombstone', async () => {
    const post = uniqueId('post');
    const parent = await postComment(server, { site, post, body: 'has a reply' });
    await postComment(server, { site, post, body: 'the reply', parentId: parent.comment.id });
    await request(server.url)
      .delete(`${API}/comments/${parent.comment.id}`)
      .set('Authorization', `Bearer ${parent.token}`)
      .expect(204);
    const removed = eventsOf(post).find((event) => event.type === 'comment:removed');
    expect(removed?.payload).toMatchObject({
      id: parent.comment.id,
      reason: 'deleted',
      tombstone: { id: parent.comment.id, status: 'deleted', body: '', author: null },
    });
  });

  it('when the last reply under a tombstone is deleted, then readers are told to drop the tombstone too', async () => {
    const post = uniqueId('post');
    const parent = await postComment(server, { site, post, body: 'will be deleted first' });
    const reply = await postComment(server, {
      site,
      post,
      body: 'the only reply',
      parentId: parent.comment.id,
    });
    await request(server.url)
      .delete(`${API}/comments/${parent.comment.id}`)
      .set('Authorization', `Bearer ${parent.token}`)
      .expect(204);
    await request(server.url)
      .delete(`${API}/comments/${reply.comment.id}`)
      .set('Authorization', `Bearer ${reply.token}`)
      .expect(204);
    const removals = eventsOf(post)
      .filter((event) => event.type === 'comment:removed')
      .map((event) => event.payload);
    expect(removals).toEqual([
      expect.objectContaining({
        id: parent.comment.id,
        tombstone: expect.objectContaining({ status: 'deleted' }),
      }),
      expect.objectContaining({ id: parent.comment.id, reason: 'deleted', tombstone: null }),
      expect.objectContaining({ id: reply.comment.id, reason: 'deleted', tombstone: null }),
    ]);
    const thread = await readThread(server, { site, post });
    expect(thread.comments).toEqual([]);
  });
});
