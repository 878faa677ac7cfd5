import { ObjectId, type Collection, type Document, type FindOptions, type Sort } from 'mongodb';
import { openTarget, type TestTarget } from './target';

/**
 * The query planner, seen from the driver: explain names the index (or COLLSCAN), the
 * index order serves sorts and limits, and, above all, an index never changes a result:
 * every query is also run with `hint: { $natural: 1 }` (a collection scan) and must agree.
 */
let target: TestTarget;
let counter = 0;

beforeAll(async () => {
  target = await openTarget('planner');
});
afterAll(async () => {
  await target.close();
});

type LooseDocument = Document & { _id?: number | ObjectId };

function freshCollection(): Collection<LooseDocument> {
  counter += 1;
  return target.db.collection<LooseDocument>(`plan_${counter}`);
}

interface StageSummary {
  readonly stages: string[];
  readonly indexNames: string[];
  readonly directions: string[];
  readonly indexBounds: Document[];
}

/** Every stage in a plan tree, whatever its nesting (classic or SBE explain). */
function summarise(
  plan: unknown,
  into: StageSummary = { stages: [], indexNames: [], directions: [], indexBounds: [] },
): StageSummary {
  if (Array.isArray(plan)) {
    for (const item of plan) summarise(item, into);
    return into;
  }
  if (typeof plan !== 'object' || plan === null) return into;
  const node = plan as Document;
  if (typeof node['stage'] === 'string') into.stages.push(node['stage']);
  if (typeof node['indexName'] === 'string') into.indexNames.push(node['indexName']);
  if (node['stage'] === 'IXSCAN' && typeof node['direction'] === 'string')
    into.directions.push(node['direction']);
  if (node['stage'] === 'IXSCAN' && typeof node['indexBounds'] === 'object')
    into.indexBounds.push(node['indexBounds'] as Document);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'rejectedPlans' || key === 'filter' || key === 'parsedQuery' || key === 'command') continue;
    summarise(value, into);
  }
  return into;
}

async function winningPlanOf(
  collection: Collection<LooseDocument>,
  filter: Document,
  options: FindOptions = {},
): Promise<StageSummary> {
  const explained = await collection.find(filter, options).explain('queryPlanner');
  return summarise((explained['queryPlanner'] as Document)['winningPlan']);
}

async function executionStatsOf(
  collection: Collection<LooseDocument>,
  filter: Document,
  options: FindOptions = {},
): Promise<Document> {
  const explained = await collection.find(filter, options).explain('executionStats');
  return explained['executionStats'] as Document;
}

async function seedComments(
  collection: Collection<LooseDocument>,
  threads: number,
  perThread: number,
): Promise<void> {
  const documents: LooseDocument[] = [];
  const base = Date.UTC(2026, 0, 1);
  for (let thread = 0; thread < threads; thread += 1) {
    for (let i = 0; i < perThread; i += 1) {
      documents.push({
        post: `post-${thread}`,
        status: i % 3 === 0 ? 'pending' : 'published',
        createdAt: new Date(base + ((i * 7919) % perThread) * 1000),
        likes: (i * 31) % 17,
      });
    }
  }
  await collection.insertMany(documents);
}

describe('query planner: which index', () => {
  it('when a filter has equality on an indexed field, then explain shows IXSCAN on that index', async () => {
    const comments = freshCollection();
    await seedComments(comments, 3, 30);
    await comments.createIndex({ post: 1 });
    const plan = await winningPlanOf(comments, { post: 'post-1' });
    expect(plan.stages).toContain('IXSCAN');
    expect(plan.indexNames).toEqual(['post_1']);
    expect(await comments.countDocuments({ post: 'post-1' })).toBe(30);
  });

  it('when no index fits the filter, then explain shows COLLSCAN and the results are still right', async () => {
    const comments = freshCollection();
    await seedComments(comments, 2, 10);
    await comments.createIndex({ post: 1 });
    const plan = await winningPlanOf(comments, { likes: 3 });
    expect(plan.stages).toContain('COLLSCAN');
    expect(plan.indexNames).toEqual([]);
    const expected = (await comments.find({}).toArray()).filter((d) => d['likes'] === 3).length;
    expect(await comments.countDocuments({ likes: 3 })).toBe(expected);
  });

  it('when equality, sort and limit fit a compound index, then no SORT stage runs and the scan stops at the limit', async () => {
    const comments = freshCollection();
    await seedComments(comments, 4, 200);
    await comments.createIndex({ post: 1, createdAt: 1 });
    const options: FindOptions = { sort: { createdAt: 1 }, limit: 20 };
    const plan = await winningPlanOf(comments, { post: 'post-2' }, options);
    expect(plan.indexNames).toEqual(['post_1_createdAt_1']);
    expect(plan.stages).not.toContain('SORT');
    const stats = await executionStatsOf(comments, { post: 'post-2' }, options);
    expect(stats['nReturned']).toBe(20);
    expect(stats['totalKeysExamined']).toBeLessThanOrEqual(21);
    const page = await comments.find({ post: 'post-2' }, options).toArray();
    const all = await comments.find({ post: 'post-2' }, { hint: { $natural: 1 } }).toArray();
    const expected = all
      .map((d) => (d['createdAt'] as Date).getTime())
      .sort((a, b) => a - b)
      .slice(0, 20);
    expect(page.map((d) => (d['createdAt'] as Date).getTime())).toEqual(expected);
  });

  it('when the sort is the reverse of the index, then the index is scanned backward', async () => {
    const comments = freshCollection();
    await seedComments(comments, 2, 50);
    await comments.createIndex({ post: 1, createdAt: 1 });
    const options: FindOptions = { sort: { createdAt: -1 }, limit: 5 };
    const plan = await winningPlanOf(comments, { post: 'post-0' }, options);
    expect(plan.directions).toEqual(['backward']);
    expect(plan.stages).not.toContain('SORT');
    const page = await comments.find({ post: 'post-0' }, options).toArray();
    const times = page.map((d) => (d['createdAt'] as Date).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const newest = await comments.find({ post: 'post-0' }, { hint: { $natural: 1 } }).toArray();
    expect(times[0]).toBe(Math.max(...newest.map((d) => (d['createdAt'] as Date).getTime())));
  });

  it('when a filter uses $in, then the index is scanned as one range per value', async () => {
    const comments = freshCollection();
    await seedComments(comments, 5, 10);
    await comments.createIndex({ post: 1 });
    const plan = await winningPlanOf(comments, { post: { $in: ['post-3', 'post-1', 'missing'] } });
    expect(plan.indexNames).toEqual(['post_1']);
    expect(plan.indexBounds[0]?.['post']).toHaveLength(3);
    expect(await comments.countDocuments({ post: { $in: ['post-3', 'post-1', 'missing'] } })).toBe(20);
    const stats = await executionStatsOf(comments, { post: { $in: ['post-3', 'post-1'] } });
    expect(stats['totalKeysExamined']).toBeLessThanOrEqual(22);
  });

  it('when $in pins a field before the sort field, then the intervals are merged in sort order (SORT_MERGE) and the scan stops at the limit', async () => {
    const comments = freshCollection();
    await seedComments(comments, 3, 300);
    await comments.createIndex({ post: 1, status: 1, createdAt: 1 });
    const filter = { post: 'post-1', status: { $in: ['published', 'pending', 'deleted'] } };
    const options: FindOptions = { sort: { createdAt: -1 }, limit: 10 };
    const plan = await winningPlanOf(comments, filter, options);
    expect(plan.stages).toContain('SORT_MERGE');
    expect(plan.stages).not.toContain('SORT');
    expect(plan.indexNames[0]).toBe('post_1_status_1_createdAt_1');
    const stats = await executionStatsOf(comments, filter, options);
    expect(stats['nReturned']).toBe(10);
    expect(stats['totalKeysExamined']).toBeLessThanOrEqual(13);
    const times = (docs: Document[]): number[] => docs.map((d) => (d['createdAt'] as Date).getTime());
    const all = await comments.find({ post: 'post-1' }, { hint: { $natural: 1 } }).toArray();
    const expected = times(all).sort((a, b) => b - a).slice(0, 10);
    expect(times(await comments.find(filter, options).toArray())).toEqual(expected);
    // Forwards too, and through an aggregation's leading $match/$sort/$limit.
    const oldest = times(all).sort((a, b) => a - b).slice(0, 7);
    expect(times(await comments.find(filter, { sort: { createdAt: 1 }, limit: 7 }).toArray())).toEqual(oldest);
    const aggregated = await comments.aggregate([{ $match: filter }, { $sort: { createdAt: 1 } }, { $limit: 7 }]).toArray();
    expect(times(aggregated)).toEqual(oldest);
  });

  it('when a sort alone matches an index, then the index order serves it and limit stops early', async () => {
    const comments = freshCollection();
    await seedComments(comments, 1, 300);
    await comments.createIndex({ createdAt: -1 });
    const plan = await winningPlanOf(comments, {}, { sort: { createdAt: 1 }, limit: 3 });
    expect(plan.indexNames).toEqual(['createdAt_-1']);
    expect(plan.directions).toEqual(['backward']);
    const stats = await executionStatsOf(comments, {}, { sort: { createdAt: 1 }, limit: 3 });
    expect(stats['totalKeysExamined']).toBeLessThanOrEqual(4);
  });

  it('when countDocuments has an indexed filter, then it examines the matching range, not the collection', async () => {
    const comments = freshCollection();
    await seedComments(comments, 10, 50);
    await comments.createIndex({ post: 1, status: 1 });
    expect(await comments.countDocuments({ post: 'post-4', status: 'pending' })).toBe(17);
    const explained = await target.db.command({
      explain: { count: comments.collectionName, query: { post: 'post-4', status: 'pending' } },
      verbosity: 'executionStats',
    });
    expect(summarise((explained['queryPlanner'] as Document)['winningPlan']).indexNames).toEqual([
      'post_1_status_1',
    ]);
    expect((explained['executionStats'] as Document)['totalKeysExamined']).toBeLessThanOrEqual(18);
  });

  it('when an aggregation starts with $match, $sort and $limit, then they run on the index', async () => {
    const comments = freshCollection();
    await seedComments(comments, 3, 40);
    await comments.createIndex({ post: 1, createdAt: 1 });
    const pipeline = [
      { $match: { post: 'post-1' } },
      { $sort: { createdAt: 1 } },
      { $limit: 4 },
      { $project: { _id: 0, createdAt: 1 } },
    ];
    const explained = await comments.aggregate(pipeline).explain('queryPlanner');
    expect(summarise(explained).indexNames).toContain('post_1_createdAt_1');
    const rows = await comments.aggregate(pipeline).toArray();
    const all = await comments.find({ post: 'post-1' }, { hint: { $natural: 1 } }).toArray();
    expect(rows.map((r) => (r['createdAt'] as Date).getTime())).toEqual(
      all
        .map((d) => (d['createdAt'] as Date).getTime())
        .sort((a, b) => a - b)
        .slice(0, 4),
    );
  });
});

describe('query planner: semantics kept', () => {
  it('when a field holds arrays (multikey), then equality matches elements and the index still answers', async () => {
    const posts = freshCollection();
    await posts.insertMany([
      { _id: 1, tags: ['js', 'db'] },
      { _id: 2, tags: ['db'] },
      { _id: 3, tags: 'js' },
      { _id: 4, tags: [] },
      { _id: 5 },
    ]);
    await posts.createIndex({ tags: 1 });
    const plan = await winningPlanOf(posts, { tags: 'js' });
    expect(plan.indexNames).toEqual(['tags_1']);
    expect((await posts.find({ tags: 'js' }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 3]);
    expect(
      (
        await posts
          .find({ tags: { $in: ['db', 'js'] } })
          .sort({ _id: 1 })
          .toArray()
      ).map((d) => d._id),
    ).toEqual([1, 2, 3]);
    // Each array counts once, sorted by its smallest element.
    expect((await posts.find({}).sort({ tags: 1, _id: 1 }).toArray()).map((d) => d._id)).toEqual([
      4, 5, 1, 2, 3,
    ]);
  });

  it('when a range meets a multikey field, then two bounds are not intersected (different elements may satisfy each)', async () => {
    const scores = freshCollection();
    await scores.insertMany([
      { _id: 1, points: [1, 10] },
      { _id: 2, points: [5] },
      { _id: 3, points: 20 },
    ]);
    await scores.createIndex({ points: 1 });
    expect((await scores.find({ points: { $gt: 8, $lt: 3 } }).toArray()).map((d) => d._id)).toEqual([1]);
  });

  it('when a filter asks for null, then documents with null and without the field both match through the index', async () => {
    const items = freshCollection();
    await items.insertMany([
      { _id: 1, parent: null },
      { _id: 2 },
      { _id: 3, parent: 7 },
      { _id: 4, parent: [null, 1] },
    ]);
    await items.createIndex({ parent: 1 });
    const plan = await winningPlanOf(items, { parent: null });
    expect(plan.indexNames).toEqual(['parent_1']);
    expect((await items.find({ parent: null }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([
      1, 2, 4,
    ]);
  });

  it('when an index is sparse, then it is not used for a null query that needs the documents it leaves out', async () => {
    const items = freshCollection();
    await items.insertMany([{ _id: 1, code: null }, { _id: 2 }, { _id: 3, code: 'a' }]);
    await items.createIndex({ code: 1 }, { sparse: true });
    expect((await winningPlanOf(items, { code: null })).indexNames).toEqual([]);
    expect((await items.find({ code: null }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 2]);
    expect((await winningPlanOf(items, { code: 'a' })).indexNames).toEqual(['code_1']);
  });

  it('when an index is partial, then it is used only by queries that imply its filter', async () => {
    const comments = freshCollection();
    await comments.insertMany([
      { _id: 1, status: 'pending', site: 'a' },
      { _id: 2, status: 'published', site: 'a' },
      { _id: 3, status: 'pending', site: 'b' },
    ]);
    await comments.createIndex({ site: 1 }, { partialFilterExpression: { status: 'pending' } });
    expect((await winningPlanOf(comments, { site: 'a', status: 'pending' })).indexNames).toEqual(['site_1']);
    expect((await winningPlanOf(comments, { site: 'a' })).indexNames).toEqual([]);
    expect((await comments.find({ site: 'a' }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 2]);
  });

  it('when ranges meet mixed types, then only values of the bound type match, as MongoDB compares', async () => {
    const mixed = freshCollection();
    await mixed.insertMany([
      { _id: 1, v: 3 },
      { _id: 2, v: 'abc' },
      { _id: 3, v: 12.5 },
      { _id: 4, v: new Date(5) },
      { _id: 5, v: null },
      { _id: 6, v: [2, 'z'] },
      { _id: 7, v: true },
    ]);
    await mixed.createIndex({ v: 1 });
    expect(
      (
        await mixed
          .find({ v: { $gt: 2 } })
          .sort({ _id: 1 })
          .toArray()
      ).map((d) => d._id),
    ).toEqual([1, 3]);
    expect(
      (
        await mixed
          .find({ v: { $gte: 'a' } })
          .sort({ _id: 1 })
          .toArray()
      ).map((d) => d._id),
    ).toEqual([2, 6]);
    expect((await mixed.find({ v: { $lt: new Date(10) } }).toArray()).map((d) => d._id)).toEqual([4]);
    expect(
      (
        await mixed
          .find({ v: { $lte: 3 } })
          .sort({ _id: 1 })
          .toArray()
      ).map((d) => d._id),
    ).toEqual([1, 6]);
  });

  it('when documents change, then the indexes follow: updated, replaced and deleted documents are found where they now are', async () => {
    const comments = freshCollection();
    await comments.insertMany([
      { _id: 1, status: 'pending' },
      { _id: 2, status: 'pending' },
      { _id: 3, status: 'published' },
    ]);
    await comments.createIndex({ status: 1 });
    await comments.updateMany({ status: 'pending' }, { $set: { status: 'rejected' } });
    await comments.replaceOne({ _id: 3 }, { status: 'pending' });
    await comments.deleteOne({ _id: 1 });
    expect((await comments.find({ status: 'rejected' }).toArray()).map((d) => d._id)).toEqual([2]);
    expect((await comments.find({ status: 'pending' }).toArray()).map((d) => d._id)).toEqual([3]);
    expect(await comments.countDocuments({ status: 'published' })).toBe(0);
  });

  it('when a hint names a missing index, then the query is refused with BadValue', async () => {
    const items = freshCollection();
    await items.insertOne({ a: 1 });
    await expect(items.find({ a: 1 }, { hint: 'nope_1' }).toArray()).rejects.toMatchObject({ code: 2 });
  });

  it('when random filters run over random documents, then every indexed answer equals the collection scan', async () => {
    const data = freshCollection();
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pool: unknown[] = [
      0,
      1,
      2,
      2.5,
      3,
      -1,
      'a',
      'b',
      'ab',
      '',
      null,
      true,
      false,
      new Date(1000),
      new Date(2000),
      new ObjectId('000000000000000000000001'),
    ];
    const pick = (): unknown => pool[random(pool.length)];
    const documents: LooseDocument[] = [];
    for (let i = 0; i < 400; i += 1) {
      const document: LooseDocument = { _id: i };
      if (random(5) > 0) document['a'] = random(6) === 0 ? [pick(), pick()] : pick();
      if (random(5) > 0) document['b'] = pick();
      if (random(3) > 0) document['c'] = { d: pick() };
      documents.push(document);
    }
    await data.insertMany(documents);
    await data.createIndex({ a: 1 });
    await data.createIndex({ b: -1, a: 1 });
    await data.createIndex({ 'c.d': 1 });
    const condition = (): unknown => {
      switch (random(7)) {
        case 0:
          return { $in: [pick(), pick(), pick()] };
        case 1:
          return { $gt: pick() };
        case 2:
          return { $gte: pick(), $lt: pick() };
        case 3:
          return { $lte: pick() };
        case 4:
          return { $ne: pick() };
        default:
          return pick();
      }
    };
    const fields = ['a', 'b', 'c.d'];
    for (let q = 0; q < 60; q += 1) {
      const filter: Document = {};
      for (const field of fields) if (random(2) === 0) filter[field] = condition();
      const sort: Sort = random(2) === 0 ? { b: -1, a: 1, _id: 1 } : { a: random(2) === 0 ? 1 : -1, _id: 1 };
      const limit = random(3) === 0 ? 5 : 0;
      const indexed = await data.find(filter, { sort, limit }).toArray();
      const scanned = await data.find(filter, { sort, limit, hint: { $natural: 1 } }).toArray();
      expect({ filter, sort, ids: indexed.map((d) => d._id) }).toEqual({
        filter,
        sort,
        ids: scanned.map((d) => d._id),
      });
      expect(await data.countDocuments(filter)).toBe(
        (await data.find(filter, { hint: { $natural: 1 } }).toArray()).length,
      );
    }
  });
});
