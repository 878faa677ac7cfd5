import { drainBatchers } from './batcher';
import { createGroupRead } from './group-read';

describe('group read', () => {
  it('when callers ask in the same turn, then one read answers them all, each with its own result', async () => {
    const batches: number[][] = [];
    const read = createGroupRead<number, number>((queries) => {
      batches.push([...queries]);
      return Promise.resolve(queries.map((query) => query * 10));
    }, { connection: {} });
    expect(await Promise.all([read(1), read(2), read(3)])).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('when a caller asks while a batch is in flight, then it is not answered by that batch but by the next, sent after it asked', async () => {
    let stored = 'before';
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    const read = createGroupRead<string, string>(async (queries) => {
      batches.push([...queries]);
      const seen = stored;
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return queries.map(() => seen);
    }, { connection: {} });
    const first = read('a');
    await new Promise((resolve) => setImmediate(resolve));
    stored = 'after';
    const second = read('b');
    release();
    expect(await first).toBe('before');
    expect(await second).toBe('after');
    expect(batches).toEqual([['a'], ['b']]);
  });

  it('when the read fails, then every caller of the batch gets the error', async () => {
    const read = createGroupRead<number, number>(() => Promise.reject(new Error('down')), { connection: {} });
    await expect(Promise.all([read(1), read(2)])).rejects.toThrow('down');
  });

  it('when the database is about to close, then draining its connection waits for the reads still in flight', async () => {
    const connection = {};
    let release: () => void = () => undefined;
    const read = createGroupRead<number, number>(async (queries) => {
      await new Promise<void>((resolve) => (release = resolve));
      return queries.map((query) => query + 1);
    }, { connection });
    const answers: number[] = [];
    const asked = [read(1), read(2)].map((answer) => answer.then((value) => answers.push(value)));
    let isDrained = false;
    const drained = drainBatchers(connection).then(() => (isDrained = true));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(isDrained).toBe(false);
    release();
    await Promise.all([...asked, drained]);
    expect({ answers, isDrained }).toEqual({ answers: [2, 3], isDrained: true });
  });
});
