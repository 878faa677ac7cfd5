import type { Document } from 'mongodb';
import { openTarget, type TestTarget } from './target';

let target: TestTarget;
beforeAll(async () => {
  target = await openTarget('collation');
});
afterAll(async () => {
  await target.close();
});

type Item = { _id: number; name: string; [field: string]: unknown };

const NAMES = ['Äpfel', 'apfel', 'APFEL', 'Zebra', 'ёж', 'Ёж', 'item10', 'item9'];

async function seeded(name: string) {
  const items = target.db.collection<Item>(name);
  await items.insertMany(NAMES.map((n, i) => ({ _id: i + 1, name: n })));
  return items;
}

describe('collation (Intl.Collator)', () => {
  it('when strength is 1, 2 or 3, then equality ignores accents and case, case only, or nothing', async () => {
    const items = await seeded('strengths');
    const ids = async (strength: number, name: string) =>
      (await items.find({ name }, { collation: { locale: 'de', strength } }).toArray()).map((i) => i._id);
    expect(await ids(1, 'apfel')).toEqual([1, 2, 3]);
    expect(await ids(2, 'apfel')).toEqual([2, 3]);
    expect(await ids(3, 'apfel')).toEqual([2]);
    // Cyrillic is first-class: ё and Ё are the same letter at strength 2.
    expect((await items.find({ name: 'ЁЖ' }, { collation: { locale: 'ru', strength: 2 } }).toArray()).map((i) => i._id)).toEqual([5, 6]);
  });

  it('when a sort, $in, a range, count, distinct and numericOrdering use a collation, then strings compare by it', async () => {
    const items = await seeded('orders');
    const collation = { locale: 'en', strength: 2 };
    const sorted = await items.find({ _id: { $lte: 4 } }, { collation, sort: { name: 1, _id: 1 } }).toArray();
    // Case is ignored at strength 2 (ties keep _id order), the accent is not.
    expect(sorted.map((i) => i.name)).toEqual(['apfel', 'APFEL', 'Äpfel', 'Zebra']);
    expect(await items.countDocuments({ name: { $in: ['APFEL', 'zebra'] } }, { collation })).toBe(3);
    expect(await items.countDocuments({ _id: { $lte: 4 }, name: { $gt: 'B', $lt: 'zz' } }, { collation })).toBe(1);
    expect(await items.distinct('name', { _id: { $lte: 4 } }, { collation })).toEqual(['Äpfel', 'apfel', 'Zebra']);
    const numeric = await items
      .find({ name: /^item/ }, { collation: { locale: 'en', numericOrdering: true }, sort: { name: 1 } })
      .toArray();
    expect(numeric.map((i) => i.name)).toEqual(['item9', 'item10']);
  });

  it('when updates and deletes carry a collation, then they match by it', async () => {
    const items = await seeded('writes');
    const collation = { locale: 'en', strength: 2 };
    expect(await items.updateMany({ name: 'APFEL' }, { $set: { seen: true } }, { collation })).toMatchObject({
      matchedCount: 2,
      modifiedCount: 2,
    });
    expect((await items.find({ seen: true }).toArray()).map((i) => i._id)).toEqual([2, 3]);
    expect(await items.findOneAndDelete({ name: 'zEbRa' }, { collation })).toMatchObject({ _id: 4 });
    expect((await items.deleteMany({ name: 'ёж' }, { collation: { locale: 'ru', strength: 1 } })).deletedCount).toBe(2);
    expect(await items.countDocuments()).toBe(NAMES.length - 3);
  });

  it('when an index has a collation, then a query with the same collation uses it, another collation scans, and uniqueness follows the collation', async () => {
    const items = await seeded('indexed');
    const collation = { locale: 'en', strength: 2 };
    await items.createIndex({ name: 1 }, { name: 'name_ci', collation });
    const plan = async (options: Document) =>
      JSON.stringify((await items.find({ name: 'apfel' }, options).explain('queryPlanner'))['queryPlanner']);
    expect(await plan({ collation })).toContain('"indexName":"name_ci"');
    expect(await plan({})).not.toContain('name_ci');
    expect((await items.find({ name: 'apfel' }, { collation }).toArray()).map((i) => i._id)).toEqual([2, 3]);
    expect((await items.find({ name: 'apfel' }).toArray()).map((i) => i._id)).toEqual([2]);
    const unique = target.db.collection<Item>('unique_ci');
    await unique.createIndex({ name: 1 }, { unique: true, collation });
    await unique.insertOne({ _id: 1, name: 'Strasse' });
    await expect(unique.insertOne({ _id: 2, name: 'STRASSE' })).rejects.toMatchObject({ code: 11000 });
    await unique.insertOne({ _id: 3, name: 'Strasse!' });
    const [index] = (await unique.listIndexes().toArray()).filter((i) => i['name'] !== '_id_');
    expect(index?.['collation']).toMatchObject({ locale: 'en', strength: 2 });
  });

  it('when a collection has a default collation, then its queries use it unless they ask for simple', async () => {
    await target.db.createCollection('defaulted', { collation: { locale: 'en', strength: 1 } });
    const items = target.db.collection<Item>('defaulted');
    await items.insertMany([
      { _id: 1, name: 'café' },
      { _id: 2, name: 'CAFE' },
    ]);
    expect(await items.countDocuments({ name: 'cafe' })).toBe(2);
    expect(await items.countDocuments({ name: 'cafe' }, { collation: { locale: 'simple' } })).toBe(0);
  });

  it('when a collation is malformed, then MongoDB’s errors come back', async () => {
    const items = await seeded('malformed');
    await expect(items.find({}, { collation: { locale: 'zz' } }).toArray()).rejects.toThrow(/locale/);
    await expect(items.find({}, { collation: { locale: 'en', strength: 9 } }).toArray()).rejects.toThrow(/strength/);
  });
});
