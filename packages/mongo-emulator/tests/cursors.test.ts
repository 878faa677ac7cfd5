import { Long, MongoServerError, type CommandStartedEvent, type Document, type MongoClient } from 'mongodb';
import { openTarget, type TestTarget } from './target';

let target: TestTarget;
let monitored: MongoClient;
const started: CommandStartedEvent[] = [];

beforeAll(async () => {
  target = await openTarget('cursors');
  monitored = await target.connect({ monitorCommands: true });
  monitored.on('commandStarted', (event) => started.push(event));
  await target.db.collection('numbers').insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
});
afterAll(async () => {
  await target.close();
});

function commandsNamed(name: string): CommandStartedEvent[] {
  return started.filter((event) => event.commandName === name);
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

describe('cursors', () => {
  it('when 250 documents are read with batchSize 50, then getMore fetches the rest in order', async () => {
    started.length = 0;
    const numbers = monitored.db(target.databaseName).collection('numbers');
    const all = await numbers.find({}, { batchSize: 50 }).sort({ i: 1 }).toArray();
    expect(all.map((d): unknown => d['i'])).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(commandsNamed('getMore').length).toBeGreaterThanOrEqual(4);
    for (const event of commandsNamed('getMore')) expect(event.command['batchSize']).toBe(50);
  });

  it('when a find runs raw with batchSize 2, then the first batch holds 2 and a live cursor id is returned', async () => {
    const reply = await target.db.command({
      find: 'numbers',
      filter: { i: { $lt: 5 } },
      sort: { i: 1 },
      batchSize: 2,
    });
    const cursor = reply['cursor'] as Document;
    expect(cursor['firstBatch']).toHaveLength(2);
    expect(cursor['ns']).toBe(`${target.databaseName}.numbers`);
    expect(Long.fromValue(cursor['id'] as Long).isZero()).toBe(false);
    const more = await target.db.command({
      getMore: cursor['id'] as Long,
      collection: 'numbers',
      batchSize: 10,
    });
    expect(((more['cursor'] as Document)['nextBatch'] as Document[]).map((d): unknown => d['i'])).toEqual([
      2, 3, 4,
    ]);
  });

  it('when every result fits the first batch, then the cursor id is 0', async () => {
    const reply = await target.db.command({ find: 'numbers', filter: { i: { $lt: 3 } } });
    expect(Long.fromValue((reply['cursor'] as Document)['id'] as Long).isZero()).toBe(true);
  });

  it('when a cursor is closed early, then killCursors kills it and a later getMore gets CursorNotFound (43)', async () => {
    started.length = 0;
    const succeeded: Document[] = [];
    const onSucceeded = (event: { commandName: string; reply: unknown }): void => {
      if (event.commandName === 'killCursors') succeeded.push(event.reply as Document);
    };
    monitored.on('commandSucceeded', onSucceeded);
    const cursor = monitored.db(target.databaseName).collection('numbers').find({}, { batchSize: 10 });
    await cursor.next();
    const cursorId = cursor.id;
    await cursor.close();
    monitored.off('commandSucceeded', onSucceeded);
    expect(commandsNamed('killCursors')).toHaveLength(1);
    expect((succeeded[0]?.['cursorsKilled'] as Long[]).map(String)).toEqual([String(cursorId)]);
    const error = await serverError(
      target.db.command({ getMore: cursorId ?? Long.ONE, collection: 'numbers' }),
    );
    expect(error.code).toBe(43);
  });

  it('when getMore names an unknown cursor id, then CursorNotFound (43) is returned', async () => {
    const error = await serverError(
      target.db.command({ getMore: Long.fromNumber(987654321), collection: 'numbers' }),
    );
    expect(error.code).toBe(43);
    expect(error.codeName).toBe('CursorNotFound');
  });

  it('when limit exceeds batchSize, then exactly limit documents come back across batches', async () => {
    const found = await target.db
      .collection('numbers')
      .find({}, { batchSize: 50, limit: 120 })
      .sort({ i: -1 })
      .toArray();
    expect(found).toHaveLength(120);
    expect(found[0]?.['i']).toBe(249);
    expect(found[119]?.['i']).toBe(130);
  });

  it('when a negative limit asks for a single batch, then no cursor stays open', async () => {
    const reply = await target.db.command({ find: 'numbers', limit: 5, singleBatch: true, batchSize: 2 });
    const cursor = reply['cursor'] as Document;
    expect(cursor['firstBatch']).toHaveLength(2);
    expect(Long.fromValue(cursor['id'] as Long).isZero()).toBe(true);
  });

  it('when skip passes the end, then the result is empty', async () => {
    expect(await target.db.collection('numbers').find({}).skip(1000).toArray()).toEqual([]);
  });

  it('when an aggregation returns more than a batch, then its cursor is drained with getMore', async () => {
    const rows = await target.db
      .collection('numbers')
      .aggregate([{ $match: { i: { $gte: 10 } } }, { $project: { _id: 0, i: 1 } }], { batchSize: 60 })
      .toArray();
    expect(rows).toHaveLength(240);
    expect(new Set(rows.map((r): unknown => r['i'])).size).toBe(240);
  });

  it('when a cursor is iterated with for-await, then batches are seamless', async () => {
    let total = 0;
    for await (const document of target.db
      .collection('numbers')
      .find({ i: { $gte: 200 } }, { batchSize: 7 })) {
      total += Number(document['i']);
    }
    expect(total).toBe(Array.from({ length: 50 }, (_, k) => 200 + k).reduce((a, b) => a + b, 0));
  });
});
