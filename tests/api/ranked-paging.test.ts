import { seedThread } from '../../bench/support/seed-thread';
import { RANKING_SNAPSHOT_SIZE } from '../../src/comments/thread-reader';
import type { ThreadPageDto } from '../../src/contracts/comments';
import { createSite, loginAdmin, readThread, uniqueId } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/test-server';

/**
 * A ranked order is read through snapshots of at most RANKING_SNAPSHOT_SIZE
 * top-level comments. A thread with more of them goes on past the first
 * snapshot: a reader paging `top` or `best` to the end sees every top-level
 * comment once, and is told the end only there.
 */
describe('paging a ranked thread longer than one ranking snapshot', () => {
  let server: TestServer;
  let site: string;
  const post = uniqueId('post');
  let topLevel = 0;

  beforeAll(async () => {
    server = await startTestServer();
    site = (await createSite(server, { token: await loginAdmin(server) })).id;
    // About a third of a seeded thread is top-level: well past one snapshot.
    await seedThread(server.database.connection, { site, post, total: Math.ceil(RANKING_SNAPSHOT_SIZE * 3.3), authors: 20 });
    topLevel = await server.database.connection.collection('comments').countDocuments({ site, post, parentId: null });
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  it.each(['top', 'best'] as const)('when a reader pages %s to the end, then every top-level comment comes once and the end comes last', async (sort) => {
    expect(topLevel).toBeGreaterThan(RANKING_SNAPSHOT_SIZE);
    const seen: { id: string; replyCount: number }[] = [];
    let cursor: string | undefined;
    let page: ThreadPageDto;
    let pages = 0;
    do {
      page = await readThread(server, { site, post, sort, limit: 100, cursor });
      seen.push(...page.comments.map((comment) => ({ id: comment.id, replyCount: comment.replyCount })));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined && pages < 100);
    expect({ count: seen.length, distinct: new Set(seen.map((c) => c.id)).size, isEnd: page.nextCursor === null }).toEqual({
      count: topLevel,
      distinct: topLevel,
      isEnd: true,
    });
    // In ranked order across the snapshots (nothing changed meanwhile): by reply count for top (no reactions: all
    // tie for best), then newest first.
    const ranked = [...seen].sort((a, b) => (sort === 'top' ? b.replyCount - a.replyCount : 0) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    expect(seen.map((c) => c.id)).toEqual(ranked.map((c) => c.id));
  }, 120_000);
});
