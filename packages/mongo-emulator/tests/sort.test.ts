import { Binary, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp, type Document } from 'mongodb';
import { openTarget, type TestTarget } from './target';

let target: TestTarget;

beforeAll(async () => {
  target = await openTarget('sort');
});
afterAll(async () => {
  await target.close();
});

/** One value of every BSON type, listed in MongoDB's sort order (ties broken by _id). */
const ORDERED_VALUES: { _id: number; v?: unknown }[] = [
  { _id: 1, v: new MinKey() },
  { _id: 2, v: null },
  { _id: 3 },
  { _id: 4, v: -10 },
  { _id: 5, v: Long.fromNumber(2) },
  { _id: 6, v: 2.5 },
  { _id: 7, v: Decimal128.fromString('2.75') },
  { _id: 8, v: 3 },
  { _id: 9, v: '' },
  { _id: 10, v: 'B' },
  { _id: 11, v: 'a' },
  { _id: 12, v: { a: 1 } },
  { _id: 13, v: new Binary(Buffer.from([1, 2])) },
  { _id: 14, v: ObjectId.createFromTime(1_000_000) },
  { _id: 15, v: ObjectId.createFromTime(2_000_000) },
  { _id: 16, v: false },
  { _id: 17, v: true },
  { _id: 18, v: new Date(0) },
  { _id: 19, v: new Date(1_000) },
  { _id: 20, v: new Timestamp({ t: 1, i: 1 }) },
  { _id: 21, v: /abc/ },
  { _id: 22, v: new MaxKey() },
];

describe('sort order', () => {
  it('when values of every BSON type are sorted ascending, then MongoDB’s type order applies', async () => {
    const mixed = target.db.collection('mixed');
    await mixed.insertMany([...ORDERED_VALUES].reverse() as unknown as Document[]);
    const ids = (await mixed.find({}).sort({ v: 1, _id: 1 }).toArray()).map((d): unknown => d._id);
    expect(ids).toEqual(ORDERED_VALUES.map((d): unknown => d._id));
  });

  it('when sorted descending, then the order is exactly reversed apart from null/missing ties', async () => {
    const ids = (await target.db.collection('mixed').find({}).sort({ v: -1, _id: 1 }).toArray()).map(
      (d): unknown => d._id,
    );
    const expected = ORDERED_VALUES.map((d): unknown => d._id).reverse();
    // null (2) and missing (3) tie, so _id ascending keeps 2 before 3.
    expected.splice(expected.indexOf(3), 2, 2, 3);
    expect(ids).toEqual(expected);
  });

  it('when sorting by an array field, then ascending uses the smallest element and descending the largest', async () => {
    const lists = target.db.collection('lists');
    await lists.insertMany([
      { _id: 1, v: [5, 1] },
      { _id: 2, v: [3] },
      { _id: 3, v: [2, 9] },
    ] as unknown as Document[]);
    expect((await lists.find({}).sort({ v: 1 }).toArray()).map((d): unknown => d._id)).toEqual([1, 3, 2]);
    expect((await lists.find({}).sort({ v: -1 }).toArray()).map((d): unknown => d._id)).toEqual([3, 1, 2]);
  });

  it('when sorting by a nested path and a second key, then both keys apply in order', async () => {
    const people = target.db.collection('people');
    await people.insertMany([
      { _id: 1, address: { city: 'b' }, age: 30 },
      { _id: 2, address: { city: 'a' }, age: 40 },
      { _id: 3, address: { city: 'b' }, age: 20 },
      { _id: 4, age: 50 },
    ] as unknown as Document[]);
    const ids = (await people.find({}).sort({ 'address.city': 1, age: -1 }).toArray()).map(
      (d): unknown => d._id,
    );
    expect(ids).toEqual([4, 2, 1, 3]);
  });

  it('when ObjectIds created at different times are sorted, then they order by creation time', async () => {
    const events = target.db.collection('events');
    const early = ObjectId.createFromTime(1_600_000_000);
    const late = ObjectId.createFromTime(1_700_000_000);
    await events.insertMany([{ _id: late }, { _id: early }]);
    const ids = (await events.find({}).sort({ _id: 1 }).toArray()).map((d) => d._id.toHexString());
    expect(ids).toEqual([early.toHexString(), late.toHexString()]);
  });

  it('when an aggregation sorts mixed types, then it uses the same order as find', async () => {
    const ids = (
      await target.db
        .collection('mixed')
        .aggregate([{ $sort: { v: 1, _id: 1 } }, { $project: { _id: 1 } }])
        .toArray()
    ).map((d): unknown => d['_id']);
    expect(ids).toEqual(ORDERED_VALUES.map((d): unknown => d._id));
  });
});
