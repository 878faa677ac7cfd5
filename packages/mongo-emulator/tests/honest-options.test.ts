import { MongoServerError, type Document } from 'mongodb';
import { itEmulatorOnly, openTarget, type TestTarget } from './target';

let target: TestTarget;
beforeAll(async () => {
  target = await openTarget('honest');
});
afterAll(async () => {
  await target.close();
});

async function codeOf(run: () => Promise<unknown>): Promise<number | undefined> {
  try {
    await run();
    return undefined;
  } catch (error: unknown) {
    if (error instanceof MongoServerError) return error.code as number;
    throw error;
  }
}

type Item = { _id: number; name?: string; rank?: number; [field: string]: unknown };

describe('options the emulator does not implement are refused, never ignored', () => {
  itEmulatorOnly(
    'when a collation asks for what Intl.Collator cannot do, or a stage would group without it, then 238 NotImplemented names it',
    async () => {
      const items = target.db.collection<Item>('collated');
      await items.insertOne({ _id: 1, name: 'Äpfel' });
      const refused = [
        () => items.find({ name: 'apfel' }, { collation: { locale: 'fr', backwards: true } }).toArray(),
        () =>
          items
            .aggregate([{ $group: { _id: '$name' } }], { collation: { locale: 'de', strength: 1 } })
            .toArray(),
      ];
      for (const run of refused) expect(await codeOf(run)).toBe(238);
      await expect(
        items.find({}, { collation: { locale: 'fr', backwards: true } }).toArray(),
      ).rejects.toThrow(/backwards: true .* is not supported by the Parley MongoDB emulator/);
    },
  );

  itEmulatorOnly(
    'when a validator ($jsonSchema) or a view is asked for, then 238 NotImplemented',
    async () => {
      const items = target.db.collection<Item>('with_let');
      await items.insertOne({ _id: 1, rank: 3 });
      expect(
        await codeOf(() =>
          target.db.createCollection('validated', { validator: { $jsonSchema: { required: ['name'] } } }),
        ),
      ).toBe(238);
      expect(
        await codeOf(() => target.db.createCollection('a_view', { viewOn: 'with_let', pipeline: [] })),
      ).toBe(238);
      // collMod is not a command of the emulator at all: CommandNotFound, not a silent success.
      expect(
        await codeOf(() => target.db.command({ collMod: 'with_let', validator: { rank: { $gt: 0 } } })),
      ).toBe(59);
      const names = (await target.db.listCollections().toArray()).map((c) => c.name);
      expect(names).not.toContain('validated');
      expect(names).not.toContain('a_view');
    },
  );
});

describe('sort on updateOne and replaceOne (a MongoDB 8.0 option)', () => {
  itEmulatorOnly(
    'when updateOne or replaceOne has a sort, then it is refused as the 7.0 the emulator reports refuses it, and nothing changes',
    async () => {
      const items = target.db.collection<Item>('sorted_update');
      await items.insertMany([
        { _id: 1, rank: 2 },
        { _id: 2, rank: 9 },
      ]);
      for (const u of [{ $set: { top: true } }, { rank: 0, replaced: true }]) {
        await expect(
          target.db.command({ update: 'sorted_update', updates: [{ q: {}, u, sort: { rank: -1 } }] }),
        ).rejects.toMatchObject({ code: 40415, message: expect.stringContaining("'update.updates.sort'") as unknown });
      }
      expect(await items.countDocuments({ $or: [{ top: true }, { replaced: true }] })).toBe(0);
    },
  );
});

describe('dbStats, collStats, $collStats and renameCollection', () => {
  it('when stats are asked for, then counts and sizes describe the stored documents', async () => {
    const items = target.db.collection<Item>('stats');
    await items.insertMany([
      { _id: 1, name: 'a' },
      { _id: 2, name: 'b' },
    ]);
    const db = await target.db.command({ dbStats: 1 });
    expect(db).toMatchObject({ db: target.databaseName, ok: 1 });
    expect(db['objects']).toBeGreaterThanOrEqual(2);
    expect(db['dataSize']).toBeGreaterThan(0);
    const coll = await target.db.command({ collStats: 'stats' });
    expect(coll).toMatchObject({ ns: `${target.databaseName}.stats`, count: 2, nindexes: 1 });
    expect(coll['size']).toBeGreaterThan(0);
    const [stage] = await items
      .aggregate<Document>([{ $collStats: { count: {}, storageStats: {} } }])
      .toArray();
    expect(stage?.['count']).toBe(2);
    expect(stage?.['storageStats']).toMatchObject({ count: 2 });
  });

  it('when a collection is renamed, then its documents and indexes move and the old name is gone', async () => {
    const from = target.db.collection<Item>('rename_from');
    await from.insertMany([
      { _id: 1, name: 'x' },
      { _id: 2, name: 'y' },
    ]);
    await from.createIndex({ name: 1 }, { unique: true });
    await from.rename('rename_to');
    const moved = target.db.collection<Item>('rename_to');
    expect(await moved.countDocuments()).toBe(2);
    await expect(moved.insertOne({ _id: 3, name: 'x' })).rejects.toMatchObject({ code: 11000 });
    const names = (await target.db.listCollections().toArray()).map((c) => c.name);
    expect(names).toContain('rename_to');
    expect(names).not.toContain('rename_from');
    await target.db.collection('rename_other').insertOne({ _id: 9 } as Document);
    expect(await codeOf(() => target.db.collection('rename_other').rename('rename_to'))).toBe(48);
    await target.db.collection('rename_other').rename('rename_to', { dropTarget: true });
    expect(await moved.countDocuments()).toBe(1);
  });
});
