import {
  Binary,
  Decimal128,
  MongoServerError,
  ObjectId,
  type Collection,
  type Document,
  type UpdateFilter,
} from 'mongodb';
import { openTarget, type TestTarget } from './target';

let target: TestTarget;
let counter = 0;

beforeAll(async () => {
  target = await openTarget('crud');
});
afterAll(async () => {
  await target.close();
});

/** Documents whose _id may be any BSON value, as these tests use numbers and strings. */
type LooseDocument = Document & { _id?: number | string | ObjectId };

function freshCollection(): Collection<LooseDocument> {
  counter += 1;
  return target.db.collection<LooseDocument>(`crud_${counter}`);
}

/** The driver's array-operator typings cannot see into index-signature documents. */
function looseUpdate(update: Document): UpdateFilter<LooseDocument> {
  return update;
}

async function serverError(promise: Promise<unknown>): Promise<MongoServerError> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof MongoServerError) return error;
    throw error;
  }
  throw new Error('expected the server to reject the command');
}

describe('insert and find', () => {
  it('when a document has no _id, then an ObjectId is generated and BSON types round-trip', async () => {
    const items = freshCollection();
    const createdAt = new Date('2024-05-01T10:00:00Z');
    const ref = new ObjectId();
    const result = await items.insertOne({
      createdAt,
      price: Decimal128.fromString('19.99'),
      ref,
      blob: new Binary(Buffer.from('hi')),
      nested: { list: [1, 'two'] },
    });
    expect(result.insertedId).toBeInstanceOf(ObjectId);
    const stored = await items.findOne({ _id: result.insertedId });
    expect(stored?.['createdAt']).toEqual(createdAt);
    expect(String(stored?.['price'])).toBe('19.99');
    expect((stored?.['ref'] as ObjectId).equals(ref)).toBe(true);
    expect(Buffer.from((stored?.['blob'] as Binary).buffer).toString()).toBe('hi');
    expect(stored?.['nested']).toEqual({ list: [1, 'two'] });
  });

  it('when a returned document is mutated by the caller, then the stored copy is unchanged', async () => {
    const items = freshCollection();
    await items.insertOne({ _id: 1, tags: ['a'] });
    const first = await items.findOne({});
    (first?.['tags'] as string[]).push('mutated');
    expect(await items.findOne({})).toEqual({ _id: 1, tags: ['a'] });
  });

  it('when an _id is inserted twice, then E11000 names the _id_ index', async () => {
    const items = freshCollection();
    await items.insertOne({ _id: 'same' });
    const error = await serverError(items.insertOne({ _id: 'same' }));
    expect(error.code).toBe(11000);
    expect(error.message).toBe(
      `E11000 duplicate key error collection: ${target.databaseName}.${items.collectionName} index: _id_ dup key: { _id: "same" }`,
    );
  });

  it('when filtering with $in, $regex, $exists, $or, $elemMatch and dot paths, then only matching documents return', async () => {
    const people = freshCollection();
    await people.insertMany([
      {
        _id: 1,
        name: 'Ada',
        address: { city: 'London' },
        scores: [{ subject: 'math', value: 90 }],
        nick: 'a',
      },
      { _id: 2, name: 'Bob', address: { city: 'Paris' }, scores: [{ subject: 'math', value: 40 }] },
      { _id: 3, name: 'adam', address: { city: 'Berlin' }, scores: [{ subject: 'art', value: 95 }] },
    ]);
    const ids = async (filter: Document): Promise<unknown[]> =>
      (await people.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ 'address.city': { $in: ['Paris', 'Berlin'] } })).toEqual([2, 3]);
    expect(await ids({ name: { $regex: '^ad', $options: 'i' } })).toEqual([1, 3]);
    expect(await ids({ name: /^B/ })).toEqual([2]);
    expect(await ids({ nick: { $exists: true } })).toEqual([1]);
    expect(await ids({ nick: { $exists: false } })).toEqual([2, 3]);
    expect(await ids({ $or: [{ name: 'Bob' }, { 'address.city': 'Berlin' }] })).toEqual([2, 3]);
    expect(await ids({ scores: { $elemMatch: { subject: 'math', value: { $gte: 50 } } } })).toEqual([1]);
    expect(await ids({ 'scores.value': { $gt: 91 } })).toEqual([3]);
  });

  it('when filtering by ObjectId and Date ranges, then comparisons use BSON values', async () => {
    const events = freshCollection();
    const ids = [new ObjectId(), new ObjectId()];
    await events.insertMany([
      { owner: ids[0], at: new Date('2024-01-01') },
      { owner: ids[1], at: new Date('2024-06-01') },
    ]);
    expect(await events.countDocuments({ owner: new ObjectId(ids[1]?.toHexString()) })).toBe(1);
    expect(await events.countDocuments({ at: { $gte: new Date('2024-03-01') } })).toBe(1);
    expect(await events.countDocuments({ owner: { $in: ids } })).toBe(2);
  });

  it('when projecting, then inclusion, exclusion and _id suppression behave like MongoDB', async () => {
    const items = freshCollection();
    await items.insertOne({ _id: 7, a: 1, b: { c: 2, d: 3 }, e: 4 });
    expect(await items.findOne({}, { projection: { a: 1, 'b.c': 1 } })).toEqual({
      _id: 7,
      a: 1,
      b: { c: 2 },
    });
    expect(await items.findOne({}, { projection: { b: 0, e: 0 } })).toEqual({ _id: 7, a: 1 });
    expect(await items.findOne({}, { projection: { _id: 0, e: 1 } })).toEqual({ e: 4 });
  });

  it('when sorting with skip and limit, then the page is taken after sorting', async () => {
    const items = freshCollection();
    await items.insertMany([5, 3, 9, 1, 7].map((n) => ({ n })));
    const page = await items
      .find({}, { projection: { _id: 0 } })
      .sort({ n: -1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(page).toEqual([{ n: 7 }, { n: 5 }]);
  });
});

describe('update', () => {
  it('when $set, $unset and $inc run, then matched and modified counts follow the change', async () => {
    const items = freshCollection();
    await items.insertOne({ _id: 1, a: 1, b: 2, n: 5 });
    const changed = await items.updateOne(
      { _id: 1 },
      { $set: { a: 10, 'deep.x': true }, $unset: { b: '' }, $inc: { n: -2 } },
    );
    expect(changed).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await items.findOne({ _id: 1 })).toEqual({ _id: 1, a: 10, n: 3, deep: { x: true } });
    const unchanged = await items.updateOne({ _id: 1 }, { $set: { a: 10 } });
    expect(unchanged).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  it('when array operators run, then $push/$each/$slice, $addToSet and $pull edit the arrays', async () => {
    const items = freshCollection();
    await items.insertOne({ _id: 1, tags: ['a', 'b'], log: [1, 2], refs: [] });
    const ref = new ObjectId();
    await items.updateOne(
      { _id: 1 },
      looseUpdate({
        $addToSet: { tags: { $each: ['b', 'c'] }, refs: ref },
        $push: { log: { $each: [3, 4], $slice: -3 } },
      }),
    );
    await items.updateOne(
      { _id: 1 },
      looseUpdate({ $addToSet: { refs: new ObjectId(ref.toHexString()) }, $pull: { tags: 'a' } }),
    );
    const stored = await items.findOne({ _id: 1 });
    expect(stored?.['tags']).toEqual(['b', 'c']);
    expect(stored?.['log']).toEqual([2, 3, 4]);
    expect(stored?.['refs']).toHaveLength(1);
  });

  it('when $min, $max and $currentDate run, then values move only in the right direction', async () => {
    const items = freshCollection();
    await items.insertOne({ _id: 1, low: 5, high: 5 });
    const before = Date.now();
    await items.updateOne(
      { _id: 1 },
      { $min: { low: 3 }, $max: { high: 4 }, $currentDate: { touchedAt: true } },
    );
    const stored = await items.findOne({ _id: 1 });
    expect(stored).toMatchObject({ low: 3, high: 5 });
    expect((stored?.['touchedAt'] as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('when arrayFilters and the positional $ are used, then only the selected elements change', async () => {
    const items = freshCollection();
    await items.insertOne({
      _id: 1,
      grades: [
        { g: 80, ok: false },
        { g: 95, ok: false },
        { g: 99, ok: false },
      ],
    });
    await items.updateOne(
      { _id: 1 },
      { $set: { 'grades.$[high].ok': true } },
      { arrayFilters: [{ 'high.g': { $gte: 95 } }] },
    );
    await items.updateOne({ _id: 1, 'grades.g': 80 }, { $inc: { 'grades.$.g': 1 } });
    expect((await items.findOne({ _id: 1 }))?.['grades']).toEqual([
      { g: 81, ok: false },
      { g: 95, ok: true },
      { g: 99, ok: true },
    ]);
  });

  it('when replacing, then the _id is kept and changing it is refused with code 66', async () => {
    const items = freshCollection();
    await items.insertOne({ _id: 1, a: 1, b: 2 });
    await items.replaceOne({ _id: 1 }, { c: 3 });
    expect(await items.findOne({ _id: 1 })).toEqual({ _id: 1, c: 3 });
    const error = await serverError(items.replaceOne({ _id: 1 }, { _id: 2, c: 4 }));
    expect(error.code).toBe(66);
  });

  it('when updateMany runs, then every match is modified', async () => {
    const items = freshCollection();
    await items.insertMany([{ s: 'new' }, { s: 'new' }, { s: 'old' }]);
    const result = await items.updateMany({ s: 'new' }, { $set: { s: 'seen' } });
    expect(result).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    expect(await items.countDocuments({ s: 'seen' })).toBe(2);
  });

  it('when an upsert inserts, then equality fields and $setOnInsert seed the document and the _id is reported', async () => {
    const items = freshCollection();
    const inserted = await items.updateOne(
      { email: 'a@b.c', 'profile.kind': 'user' },
      { $set: { visits: 1 }, $setOnInsert: { createdBy: 'upsert' } },
      { upsert: true },
    );
    expect(inserted).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
    expect(inserted.upsertedId).toBeInstanceOf(ObjectId);
    expect(
      await items.findOne({ _id: inserted.upsertedId ?? 'missing' }, { projection: { _id: 0 } }),
    ).toEqual({ email: 'a@b.c', profile: { kind: 'user' }, visits: 1, createdBy: 'upsert' });
    const matched = await items.updateOne(
      { email: 'a@b.c' },
      { $set: { visits: 2 }, $setOnInsert: { createdBy: 'ignored' } },
      { upsert: true },
    );
    expect(matched).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
    expect((await items.findOne({ email: 'a@b.c' }))?.['createdBy']).toBe('upsert');
  });

  it('when an upsert filter has conditions the seed cannot meet ($or, ranges), then the update still applies', async () => {
    const items = freshCollection();
    const now = new Date('2026-01-01T00:00:00Z');
    const result = await items.findOneAndUpdate(
      { _id: 'lease', $or: [{ until: { $lte: now } }, { holder: 'me' }] },
      { $set: { holder: 'me', until: now } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(result).toEqual({ _id: 'lease', holder: 'me', until: now });
    await items.updateOne({ n: { $gt: 5 } }, { $set: { tag: 'ranged' } }, { upsert: true });
    expect(await items.findOne({ tag: 'ranged' }, { projection: { _id: 0 } })).toEqual({ tag: 'ranged' });
  });

  it('when an upsert filter names the _id, then that _id is used and reported', async () => {
    const items = freshCollection();
    const result = await items.replaceOne({ _id: 'fixed' }, { v: 1 }, { upsert: true });
    expect(result.upsertedId).toBe('fixed');
    expect(await items.findOne({ _id: 'fixed' })).toEqual({ _id: 'fixed', v: 1 });
  });

  it('when bulkWrite mixes upserts and updates, then upserted ids carry their operation index', async () => {
    const items = freshCollection();
    await items.insertOne({ k: 'existing', n: 0 });
    const result = await items.bulkWrite([
      { updateOne: { filter: { k: 'existing' }, update: { $inc: { n: 1 } } } },
      { updateOne: { filter: { k: 'new' }, update: { $inc: { n: 1 } }, upsert: true } },
      { deleteMany: { filter: { k: 'nothing' } } },
    ]);
    expect(result.matchedCount).toBe(1);
    expect(result.upsertedCount).toBe(1);
    expect(Object.keys(result.upsertedIds)).toEqual(['1']);
  });

  it('when an update is a pipeline, then expressions see the current document', async () => {
    const items = freshCollection();
    await items.insertOne({ _id: 1, first: 'Ada', last: 'Lovelace' });
    await items.updateOne({ _id: 1 }, [
      { $set: { full: { $concat: ['$first', ' ', '$last'] } } },
      { $unset: 'first' },
    ]);
    expect(await items.findOne({ _id: 1 })).toEqual({ _id: 1, last: 'Lovelace', full: 'Ada Lovelace' });
  });

  it('when the update uses an unknown modifier, then FailedToParse (9) is returned', async () => {
    const items = freshCollection();
    await items.insertOne({ a: 1 });
    const error = await serverError(items.updateOne({}, { $frobnicate: { a: 1 } }));
    expect(error.code).toBe(9);
    expect(error.message).toContain('Unknown modifier: $frobnicate');
  });

  it('when $inc gets a non-number, then TypeMismatch (14) is returned and nothing changes', async () => {
    const items = freshCollection();
    await items.insertOne({ _id: 1, a: 1 });
    const error = await serverError(items.updateOne({ _id: 1 }, { $inc: { a: 'x' } } as unknown as Document));
    expect(error.code).toBe(14);
    expect(await items.findOne({ _id: 1 })).toEqual({ _id: 1, a: 1 });
  });

  it('when 50 clients $inc one counter concurrently, then the counter ends at exactly 50', async () => {
    const counters = freshCollection();
    await counters.insertOne({ _id: 'c', n: 0 });
    await Promise.all(Array.from({ length: 50 }, () => counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } })));
    expect((await counters.findOne({ _id: 'c' }))?.['n']).toBe(50);
  });
});

describe('delete, findAndModify, count and distinct', () => {
  it('when deleteOne and deleteMany run, then deletedCount matches what was removed', async () => {
    const items = freshCollection();
    await items.insertMany([{ t: 'x' }, { t: 'x' }, { t: 'x' }, { t: 'y' }]);
    expect((await items.deleteOne({ t: 'x' })).deletedCount).toBe(1);
    expect((await items.deleteMany({ t: 'x' })).deletedCount).toBe(2);
    expect((await items.deleteMany({ t: 'zzz' })).deletedCount).toBe(0);
    expect(await items.countDocuments()).toBe(1);
  });

  it('when findOneAndUpdate runs, then it returns the before or after image with a projection', async () => {
    const items = freshCollection();
    await items.insertMany([
      { q: 1, v: 'a', hidden: true },
      { q: 2, v: 'b' },
    ]);
    const before = await items.findOneAndUpdate(
      { q: 1 },
      { $set: { v: 'A' } },
      { projection: { _id: 0, hidden: 0 } },
    );
    expect(before).toEqual({ q: 1, v: 'a' });
    const after = await items.findOneAndUpdate(
      { q: 2 },
      { $set: { v: 'B' } },
      { returnDocument: 'after', projection: { _id: 0 } },
    );
    expect(after).toEqual({ q: 2, v: 'B' });
    expect(await items.findOneAndUpdate({ q: 99 }, { $set: { v: 'none' } })).toBeNull();
  });

  it('when findOneAndUpdate upserts, then the new document is returned and lastErrorObject reports the upsert', async () => {
    const items = freshCollection();
    const result = await items.findOneAndUpdate(
      { slug: 'x' },
      { $inc: { hits: 1 } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(result.value).toMatchObject({ slug: 'x', hits: 1 });
    expect(result.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    expect(result.lastErrorObject?.['upserted']).toEqual(result.value?._id);
    const again = await items.findOneAndUpdate(
      { slug: 'x' },
      { $inc: { hits: 1 } },
      { upsert: true, includeResultMetadata: true },
    );
    expect(again.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });
    expect(again.value?.['hits']).toBe(1);
  });

  it('when findOneAndDelete sorts, then the first document in that order is removed and returned', async () => {
    const jobs = freshCollection();
    await jobs.insertMany([{ p: 2 }, { p: 9 }, { p: 5 }]);
    const taken = await jobs.findOneAndDelete({}, { sort: { p: -1 } });
    expect(taken?.['p']).toBe(9);
    expect(await jobs.countDocuments()).toBe(2);
  });

  it('when findOneAndReplace runs, then the replacement keeps the _id', async () => {
    const items = freshCollection();
    const { insertedId } = await items.insertOne({ v: 1 });
    const replaced = await items.findOneAndReplace({ v: 1 }, { v: 2 }, { returnDocument: 'after' });
    expect(replaced).toEqual({ _id: insertedId, v: 2 });
  });

  it('when counting, then countDocuments honours filter, skip and limit and estimatedDocumentCount sees all', async () => {
    const items = freshCollection();
    await items.insertMany(Array.from({ length: 12 }, (_, i) => ({ i, even: i % 2 === 0 })));
    expect(await items.countDocuments({ even: true })).toBe(6);
    expect(await items.countDocuments({}, { skip: 10 })).toBe(2);
    expect(await items.countDocuments({}, { limit: 5 })).toBe(5);
    expect(await items.estimatedDocumentCount()).toBe(12);
    expect(await target.db.collection('never_created').countDocuments()).toBe(0);
  });

  it('when distinct runs, then array elements and nested paths are flattened and deduplicated', async () => {
    const items = freshCollection();
    await items.insertMany([
      { tags: ['a', 'b'], meta: { kind: 'x' }, on: true },
      { tags: ['b', 'c'], meta: { kind: 'y' }, on: true },
      { tags: 'd', meta: { kind: 'x' }, on: false },
    ]);
    expect((await items.distinct('tags')).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect((await items.distinct('meta.kind')).sort()).toEqual(['x', 'y']);
    expect(await items.distinct('tags', { on: false })).toEqual(['d']);
  });
});
