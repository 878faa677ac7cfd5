import type { Document } from 'mongodb';
import { openTarget, type TestTarget } from './target';

let target: TestTarget;
beforeAll(async () => {
  target = await openTarget('let');
});
afterAll(async () => {
  await target.close();
});

type Item = { _id: number; name: string; rank: number; [field: string]: unknown };

async function seeded(name: string) {
  const items = target.db.collection<Item>(name);
  await items.insertMany([
    { _id: 1, name: 'ada', rank: 3 },
    { _id: 2, name: 'bob', rank: 5 },
    { _id: 3, name: 'ada', rank: 8 },
  ]);
  return items;
}

describe('let variables ($$name)', () => {
  it('when a find filter uses $$name in $expr, then the variable’s value is compared', async () => {
    const items = await seeded('let_find');
    const found = await items
      .find({ $expr: { $and: [{ $eq: ['$name', '$$who'] }, { $gt: ['$rank', '$$floor'] }] } }, { let: { who: 'ada', floor: 4 } })
      .toArray();
    expect(found.map((item) => item._id)).toEqual([3]);
  });

  it('when an aggregate uses let, then $match and $project see each variable, evaluated once for all documents', async () => {
    const items = await seeded('let_aggregate');
    const rows = await items
      .aggregate<Document>(
        [
          { $match: { $expr: { $eq: ['$name', '$$who'] } } },
          { $project: { _id: 0, who: '$$who', dollar: '$$dollar', draw: '$$draw' } },
        ],
        { let: { who: 'ada', dollar: { $literal: '$not-a-path' }, draw: { $rand: {} } } },
      )
      .toArray();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ who: 'ada', dollar: '$not-a-path' });
    expect(typeof rows[0]?.['draw']).toBe('number');
    expect(rows[1]?.['draw']).toBe(rows[0]?.['draw']);
  });

  it('when updates, deletes and findOneAnd* use let, then their filters and update pipelines see the variables', async () => {
    const items = await seeded('let_writes');
    const updated = await items.updateMany(
      { $expr: { $eq: ['$name', '$$who'] } },
      [{ $set: { label: '$$label' } }],
      { let: { who: 'ada', label: 'first' } },
    );
    expect(updated).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    expect((await items.find({ label: 'first' }).toArray()).map((item) => item._id)).toEqual([1, 3]);

    const before = await items.findOneAndUpdate(
      { $expr: { $eq: ['$_id', '$$id'] } },
      [{ $set: { rank: { $add: ['$rank', '$$step'] } } }],
      { let: { id: 2, step: 10 } },
    );
    expect(before).toMatchObject({ _id: 2, rank: 5 });
    expect(await items.findOne({ _id: 2 })).toMatchObject({ rank: 15 });

    const removed = await items.deleteMany({ $expr: { $gte: ['$rank', '$$floor'] } }, { let: { floor: 8 } });
    expect(removed.deletedCount).toBe(2);
    expect((await items.find().toArray()).map((item) => item._id)).toEqual([1]);
  });

  it('when a variable name does not start with a lower-case letter, then the command is refused and nothing changes', async () => {
    const items = await seeded('let_names');
    await expect(
      items.deleteMany({ $expr: { $eq: ['$_id', '$$Id'] } }, { let: { Id: 1 } }),
    ).rejects.toThrow(/invalid character for a user variable name/);
    await expect(items.find({ $expr: { $eq: ['$_id', '$$missing'] } }).toArray()).rejects.toThrow(
      /undefined variable/i,
    );
    expect(await items.countDocuments()).toBe(3);
  });
});
