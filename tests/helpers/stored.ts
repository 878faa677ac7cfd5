import type { TestServer } from './test-server';

/** A post's denormalised counts as stored (readers no longer see pending and reported ones). */
export async function storedCounts(server: TestServer, site: string, key: string): Promise<{ published: number; pending: number; reported: number }> {
  const doc = await server.database.connection.collection('posts').findOne({ site, key });
  if (!doc) throw new Error(`no post ${site}/${key}`);
  return doc['counts'] as { published: number; pending: number; reported: number };
}
