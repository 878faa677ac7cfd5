import { MongoServerError, ObjectId, type Document } from 'mongodb';
import { openTarget, type TestTarget } from './target';

let target: TestTarget;
const authors = { ada: new ObjectId(), bob: new ObjectId() };

beforeAll(async () => {
  target = await openTarget('aggregate');
  await target.db.collection('authors').insertMany([
    { _id: authors.ada, name: 'Ada' },
    { _id: authors.bob, name: 'Bob' },
  ]);
  await target.db.collection('comments').insertMany([
    { _id: 1, author: authors.ada, status: 'approved', likes: 5, tags: ['js', 'db'] },
    { _id: 2, author: authors.ada, status: 'pending', likes: 1, tags: ['js'] },
    { _id: 3, author: authors.bob, status: 'approved', likes: 7, tags: [] },
    { _id: 4, author: authors.bob, status: 'rejected', likes: 0, tags: ['db'] },
    { _id: 5, author: authors.ada, status: 'approved', likes: 2 },
  ] as unknown as Document[]);
});
afterAll(async () => {
  await target.close();
});

function run(pipeline: Document[]): Promise<Document[]> {
  return target.db.collection('comments').aggregate(pipeline).toArray();
}

describe('aggregate', () => {
  it('when $match, $group and $sort run, then totals per group are computed', async () => {
    const rows = await run([
      { $match: { status: 'approved' } },
      { $group: { _id: '$author', likes: { $sum: '$likes' }, n: { $sum: 1 } } },
      { $sort: { n: -1 } },
    ]);
    expect(rows).toEqual([
      { _id: authors.ada, likes: 7, n: 2 },
      { _id: authors.bob, likes: 7, n: 1 },
    ]);
  });

  it('when $count runs, then one document holds the count', async () => {
    expect(await run([{ $match: { likes: { $gte: 2 } } }, { $count: 'total' }])).toEqual([{ total: 3 }]);
  });

  it('when $unwind runs, then each array element becomes a row and empty or missing arrays drop out', async () => {
    const rows = await run([
      { $unwind: '$tags' },
      { $group: { _id: '$tags', n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    expect(rows).toEqual([
      { _id: 'db', n: 2 },
      { _id: 'js', n: 2 },
    ]);
  });

  it('when $lookup joins another collection, then matching documents are embedded', async () => {
    const rows = await run([
      { $match: { _id: 3 } },
      { $lookup: { from: 'authors', localField: 'author', foreignField: '_id', as: 'authorDocs' } },
      { $project: { _id: 0, name: { $arrayElemAt: ['$authorDocs.name', 0] } } },
    ]);
    expect(rows).toEqual([{ name: 'Bob' }]);
  });

  it('when $facet runs, then each sub-pipeline sees the same input', async () => {
    const [row] = await run([
      {
        $facet: {
          byStatus: [{ $group: { _id: '$status', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
          top: [{ $sort: { likes: -1 } }, { $limit: 1 }, { $project: { _id: 1 } }],
        },
      },
    ]);
    expect(row).toEqual({
      byStatus: [
        { _id: 'approved', n: 3 },
        { _id: 'pending', n: 1 },
        { _id: 'rejected', n: 1 },
      ],
      top: [{ _id: 3 }],
    });
  });

  it('when $addFields, $project, $skip and $limit run, then computed fields page correctly', async () => {
    const rows = await run([
      { $addFields: { score: { $multiply: ['$likes', 10] } } },
      { $sort: { score: -1, _id: 1 } },
      { $skip: 1 },
      { $limit: 2 },
      { $project: { _id: 1, score: 1 } },
    ]);
    expect(rows).toEqual([
      { _id: 1, score: 50 },
      { _id: 5, score: 20 },
    ]);
  });

  it('when the pipeline is empty, then the collection comes back in natural order', async () => {
    expect((await run([])).map((d): unknown => d['_id'])).toEqual([1, 2, 3, 4, 5]);
  });

  it('when aggregating a missing collection, then the result is empty', async () => {
    expect(
      await target.db
        .collection('nothing_here')
        .aggregate([{ $match: {} }])
        .toArray(),
    ).toEqual([]);
  });

  it('when a stage name is unknown, then error 40324 is returned', async () => {
    await expect(run([{ $frobnicate: {} }])).rejects.toMatchObject({ code: 40324 });
  });

  it('when an expression operator is unknown, then a server error naming it comes back rather than a hang', async () => {
    const error = await run([{ $project: { x: { $noSuchOperator: 1 } } }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).message).toContain('$noSuchOperator');
  });

  it('when a database-level aggregate starts with $documents, then its literal documents flow through the pipeline and $merge', async () => {
    const rows = await target.db
      .aggregate([{ $documents: [{ _id: 1, n: 2 }, { _id: 2, n: 5 }] }, { $match: { n: { $gt: 3 } } }])
      .toArray();
    expect(rows).toEqual([{ _id: 2, n: 5 }]);
    await target.db.aggregate([{ $documents: [{ _id: 7, n: 1 }] }, { $merge: { into: 'merged' } }]).toArray();
    await expect(
      target.db.aggregate([{ $documents: [{ _id: 7, n: 1 }] }, { $merge: { into: 'merged', whenMatched: 'fail' } }]).toArray(),
    ).rejects.toMatchObject({ code: 11000 });
    expect(await target.db.collection('merged').find().toArray()).toEqual([{ _id: 7, n: 1 }]);
  });
});

describe('_id documents', () => {
  it('when an _id document has a $-prefixed field, then the insert is refused and nothing is stored', async () => {
    const items = target.db.collection('dollar_ids');
    await expect(items.insertOne({ _id: { $a: 1 } } as unknown as Document)).rejects.toMatchObject({ code: 52 });
    expect(await items.countDocuments()).toBe(0);
  });
});
