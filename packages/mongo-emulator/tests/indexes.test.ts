import {
  MongoBulkWriteError,
  MongoServerError,
  type Collection,
  type Document,
  type ObjectId,
} from 'mongodb';
import { itEmulatorOnly, openTarget, type TestTarget } from './target';

let target: TestTarget;
let counter = 0;

beforeAll(async () => {
  target = await openTarget('indexes');
});
afterAll(async () => {
  await target.close();
});

/** Documents whose _id may be any BSON value, as these tests use numbers and strings. */
type LooseDocument = Document & { _id?: number | string | ObjectId };

function freshCollection(): Collection<LooseDocument> {
  counter += 1;
  return target.db.collection<LooseDocument>(`idx_${counter}`);
}

async function rejection<T extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('index catalog', () => {
  it('when a unique index is created, then listIndexes reports it next to _id_', async () => {
    const users = freshCollection();
    expect(await users.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    const indexes = await users.listIndexes().toArray();
    expect(indexes.map((i): unknown => i['name'])).toEqual(['_id_', 'email_1']);
    expect(indexes[1]).toMatchObject({ key: { email: 1 }, unique: true });
  });

  it('when the same index is created twice, then the second call succeeds without adding one', async () => {
    const users = freshCollection();
    await users.createIndex({ a: 1, b: -1 });
    await users.createIndex({ a: 1, b: -1 });
    expect((await users.indexes()).map((i): unknown => i['name'])).toEqual(['_id_', 'a_1_b_-1']);
  });

  it('when an index name is reused for another key, then IndexKeySpecsConflict (86) is returned', async () => {
    const items = freshCollection();
    await items.createIndex({ a: 1 }, { name: 'shared' });
    const error = await rejection(items.createIndex({ b: 1 }, { name: 'shared' }), MongoServerError);
    expect(error.code).toBe(86);
  });

  it('when the same key gets a second name, then IndexOptionsConflict (85) is returned', async () => {
    const items = freshCollection();
    await items.createIndex({ a: 1 }, { name: 'first' });
    const error = await rejection(items.createIndex({ a: 1 }, { name: 'second' }), MongoServerError);
    expect(error.code).toBe(85);
  });

  it('when indexes are dropped by name and with *, then only _id_ remains', async () => {
    const items = freshCollection();
    await items.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 } }]);
    await items.dropIndex('a_1');
    expect((await items.indexes()).map((i): unknown => i['name'])).toEqual(['_id_', 'b_1', 'c_1']);
    await items.dropIndexes();
    expect((await items.indexes()).map((i): unknown => i['name'])).toEqual(['_id_']);
  });

  it('when dropping an index that does not exist, then IndexNotFound (27) is returned', async () => {
    const items = freshCollection();
    await items.insertOne({ a: 1 });
    const error = await rejection(items.dropIndex('nope_1'), MongoServerError);
    expect(error.code).toBe(27);
  });

  it('when listing indexes of a missing collection, then NamespaceNotFound (26) is returned', async () => {
    const error = await rejection(
      target.db.collection('missing_coll').listIndexes().toArray(),
      MongoServerError,
    );
    expect(error.code).toBe(26);
  });
});

describe('unique enforcement', () => {
  it('when a unique value repeats, then E11000 has MongoDB’s message, keyPattern and keyValue', async () => {
    const users = freshCollection();
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'a@b.c' });
    const error = await rejection(users.insertOne({ email: 'a@b.c' }), MongoServerError);
    expect(error.code).toBe(11000);
    expect(error.message).toBe(
      `E11000 duplicate key error collection: ${target.databaseName}.${users.collectionName} index: email_1 dup key: { email: "a@b.c" }`,
    );
    expect(error['keyPattern']).toEqual({ email: 1 });
    expect(error['keyValue']).toEqual({ email: 'a@b.c' });
    expect(await users.countDocuments()).toBe(1);
  });

  it('when a compound unique index is used, then only the full combination must be unique', async () => {
    const votes = freshCollection();
    await votes.createIndex({ user: 1, post: 1 }, { unique: true });
    await votes.insertMany([
      { user: 1, post: 'x' },
      { user: 1, post: 'y' },
      { user: 2, post: 'x' },
    ]);
    const error = await rejection(votes.insertOne({ user: 1, post: 'x' }), MongoServerError);
    expect(error.message).toContain('index: user_1_post_1 dup key: { user: 1, post: "x" }');
    expect(error['keyValue']).toEqual({ user: 1, post: 'x' });
  });

  it('when an ordered insertMany hits a duplicate, then it stops there', async () => {
    const users = freshCollection();
    await users.createIndex({ email: 1 }, { unique: true });
    const error = await rejection(
      users.insertMany([{ email: 'a' }, { email: 'b' }, { email: 'a' }, { email: 'c' }]),
      MongoBulkWriteError,
    );
    expect(error.insertedCount).toBe(2);
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    expect(writeErrors.map((e): unknown[] => [e.index, e.code])).toEqual([[2, 11000]]);
    expect(await users.countDocuments()).toBe(2);
  });

  it('when an unordered insertMany hits duplicates, then the rest are still inserted', async () => {
    const users = freshCollection();
    await users.createIndex({ email: 1 }, { unique: true });
    const error = await rejection(
      users.insertMany([{ email: 'a' }, { email: 'a' }, { email: 'b' }, { email: 'b' }, { email: 'c' }], {
        ordered: false,
      }),
      MongoBulkWriteError,
    );
    expect(error.insertedCount).toBe(3);
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    expect(writeErrors.map((e): unknown => e.index)).toEqual([1, 3]);
    expect(writeErrors[0]?.errmsg).toContain('E11000 duplicate key error');
    expect(await users.countDocuments()).toBe(3);
  });

  it('when an update would duplicate a unique value, then it fails and the document is unchanged', async () => {
    const users = freshCollection();
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertMany([
      { _id: 1, email: 'a' },
      { _id: 2, email: 'b' },
    ]);
    const error = await rejection(users.updateOne({ _id: 2 }, { $set: { email: 'a' } }), MongoServerError);
    expect(error.code).toBe(11000);
    expect(await users.findOne({ _id: 2 })).toEqual({ _id: 2, email: 'b' });
    await users.updateOne({ _id: 2 }, { $set: { email: 'b2' } });
    await users.insertOne({ email: 'b' });
    expect(await users.countDocuments()).toBe(3);
  });

  it('when a field is missing, then a plain unique index treats it as null but a sparse one skips it', async () => {
    const plain = freshCollection();
    await plain.createIndex({ handle: 1 }, { unique: true });
    await plain.insertOne({ name: 'x' });
    const error = await rejection(plain.insertOne({ name: 'y' }), MongoServerError);
    expect(error.message).toContain('dup key: { handle: null }');
    const sparse = freshCollection();
    await sparse.createIndex({ handle: 1 }, { unique: true, sparse: true });
    await sparse.insertMany([{ name: 'x' }, { name: 'y' }, { handle: 'h' }]);
    await expect(sparse.insertOne({ handle: 'h' })).rejects.toMatchObject({ code: 11000 });
  });

  it('when a unique index has a partialFilterExpression, then only matching documents are constrained', async () => {
    const accounts = freshCollection();
    await accounts.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await accounts.insertMany([
      { email: 'a', active: false },
      { email: 'a', active: false },
      { email: 'a', active: true },
    ]);
    await expect(accounts.insertOne({ email: 'a', active: true })).rejects.toMatchObject({ code: 11000 });
    expect(await accounts.countDocuments()).toBe(3);
  });

  it('when a unique field holds arrays, then every element is a key', async () => {
    const items = freshCollection();
    await items.createIndex({ tags: 1 }, { unique: true });
    await items.insertOne({ tags: ['a', 'b'] });
    await expect(items.insertOne({ tags: ['c', 'b'] })).rejects.toMatchObject({ code: 11000 });
    await items.insertOne({ tags: ['c'] });
  });

  it('when a unique index is built over existing duplicates, then the build fails with 11000', async () => {
    const items = freshCollection();
    await items.insertMany([{ k: 1 }, { k: 1 }]);
    await expect(items.createIndex({ k: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    expect((await items.indexes()).map((i): unknown => i['name'])).toEqual(['_id_']);
  });

  it('when a unique index with a collation is built over keys only the collation calls equal, then the build fails with 11000; one document repeating a key is no collision', async () => {
    const items = freshCollection();
    await items.insertMany([{ k: 'Straße', tags: ['x', 'X'] }, { k: 'b' }, { k: 'STRASSE' }]);
    const collation = { locale: 'de', strength: 1 };
    await expect(items.createIndex({ k: 1 }, { unique: true, collation })).rejects.toMatchObject({ code: 11000 });
    await items.createIndex({ tags: 1 }, { unique: true, sparse: true, collation });
    expect((await items.indexes()).map((i): unknown => i['name'])).toEqual(['_id_', 'tags_1']);
    await expect(items.insertOne({ tags: ['x'] })).rejects.toMatchObject({ code: 11000 });
  });

  it('when a unique index is dropped, then duplicates are accepted again', async () => {
    const items = freshCollection();
    await items.createIndex({ k: 1 }, { unique: true });
    await items.insertOne({ k: 1 });
    await items.dropIndex('k_1');
    await items.insertOne({ k: 1 });
    expect(await items.countDocuments({ k: 1 })).toBe(2);
  });

  it('when 20 clients insert the same unique key at once, then exactly one succeeds', async () => {
    const users = freshCollection();
    await users.createIndex({ email: 1 }, { unique: true });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => users.insertOne({ email: 'race@x', attempt: i })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes)
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 11000 });
    expect(await users.countDocuments()).toBe(1);
  });

  it('when an upsert races on a unique key, then one document results', async () => {
    const users = freshCollection();
    await users.createIndex({ email: 1 }, { unique: true });
    await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        users.updateOne({ email: 'u@x' }, { $inc: { n: 1 } }, { upsert: true }),
      ),
    );
    expect(await users.countDocuments({ email: 'u@x' })).toBe(1);
  });
});

describe('TTL indexes', () => {
  itEmulatorOnly(
    'when a document’s date is past expireAfterSeconds, then it is removed within a few seconds',
    async () => {
      const sessions = freshCollection();
      await sessions.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
      await sessions.insertMany([
        { _id: 'old', expiresAt: new Date(Date.now() - 60_000) },
        { _id: 'fresh', expiresAt: new Date(Date.now() + 3_600_000) },
        { _id: 'undated', expiresAt: 'not a date' },
      ]);
      const deadline = Date.now() + 2500;
      while (Date.now() < deadline && (await sessions.countDocuments({ _id: 'old' })) > 0) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await sessions.find({}).sort({ _id: 1 }).toArray()).map((d): unknown => d._id)).toEqual([
        'fresh',
        'undated',
      ]);
    },
  );

  it('when a TTL index is created, then listIndexes reports expireAfterSeconds', async () => {
    const sessions = freshCollection();
    await sessions.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    expect((await sessions.indexes())[1]).toMatchObject({ key: { at: 1 }, expireAfterSeconds: 3600 });
  });
});
