import { Types } from 'mongoose';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { eventually } from '../browser/helpers/eventually';
import { createSite, loginAdmin, postComment, reportComment, uniqueId } from '../helpers/factories';

describe('reports by one reader cannot heat a post', () => {
  let server: TestServer;
  let site: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    site = (await createSite(server, {
      token: await loginAdmin(server),
      settings: { autoHeat: { enabled: true, reportRate: 0.3, holdRate: 0.9, window: 8 } },
    })).id;
  });
  afterAll(async () => {
    await server.close();
  });

  const heatOf = async (post: string) => (await server.database.connection.collection('posts').findOne({ site, key: post }))?.['heat'];
  const reportCountOf = async (id: string) =>
    (await server.database.connection.collection('comments').findOne({ _id: new Types.ObjectId(id) }))?.['reportCount'];

  it('when one address reports a comment ten times with ten User-Agents, then it counts once', async () => {
    const { comment } = await postComment(server, { site, post: uniqueId('post') });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      statuses.push((await reportComment(server, comment.id, { ip: '198.51.100.77', userAgent: `browser ${i}` })).status);
    }
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    expect(await reportCountOf(comment.id)).toBe(1);
  });

  it('when one anonymous reader reports all 8 comments of a post, then the post does not heat', async () => {
    const post = uniqueId('post');
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) ids.push((await postComment(server, { site, post, body: `comment number ${i} here` })).comment.id);
    for (const id of ids) expect((await reportComment(server, id, { ip: '198.51.100.78' })).status).toBe(201);
    expect(await heatOf(post)).toBe('normal');
  });

  it('when three signed-in readers report comments of a post, then it heats', async () => {
    const post = uniqueId('post');
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) ids.push((await postComment(server, { site, post, body: `another comment ${i} here` })).comment.id);
    const readers: string[] = [];
    for (let i = 0; i < 3; i += 1) readers.push((await postComment(server, { site, post: uniqueId('elsewhere') })).token ?? '');
    for (const token of readers) {
      for (const id of ids.slice(0, 3)) expect((await reportComment(server, id, { token, ip: '198.51.100.79' })).status).toBe(201);
    }
    // Heat is decided by the moderation listener just after the report is answered.
    await eventually(async () => expect(await heatOf(post)).toBe('heated'));
  });
});
