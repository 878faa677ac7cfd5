import { createGroupCommit } from './group-commit';

describe('group commit', () => {
  const connection = {};

  it('when writes are added in one turn of the event loop, then they go out as one batch and each caller is answered', async () => {
    const batches: number[][] = [];
    const group = createGroupCommit<number>(
      (items) => {
        batches.push([...items]);
        return Promise.resolve(items.map(() => undefined));
      },
      { connection },
    );
    await Promise.all([1, 2, 3].map((item) => group.add(item)));
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('when writes arrive while a batch is in flight, then they wait for it and go out together as the next one', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const group = createGroupCommit<number>(
      async (items) => {
        batches.push([...items]);
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return items.map(() => undefined);
      },
      { connection },
    );
    const first = group.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [group.add(2), group.add(3)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('when one write of a batch fails, then only its caller is refused; a batch that fails as a whole refuses each caller', async () => {
    let isDown = false;
    const group = createGroupCommit<number>(
      (items) => (isDown ? Promise.reject(new Error('down')) : Promise.resolve(items.map((item) => (item === 2 ? new Error('duplicate') : undefined)))),
      { connection },
    );
    const answers = await Promise.allSettled([1, 2, 3].map((item) => group.add(item)));
    expect(answers.map((answer) => answer.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    isDown = true;
    const down = await Promise.allSettled([4, 5].map((item) => group.add(item)));
    expect(down.map((answer) => (answer.status === 'rejected' ? (answer.reason as Error).message : 'written'))).toEqual(['down', 'down']);
  });

  it('when more writes wait than a batch holds, then they go out in batches of at most that size, in order', async () => {
    const batches: number[][] = [];
    const group = createGroupCommit<number>(
      (items) => {
        batches.push([...items]);
        return Promise.resolve(items.map(() => undefined));
      },
      { connection, maxBatch: 2 },
    );
    const writes = [1, 2, 3, 4, 5].map((item) => group.add(item));
    await group.drain();
    await Promise.all(writes);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });
});
