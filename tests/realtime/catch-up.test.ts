import type { RunningServer } from '../../src/server';
import type { JoinResult } from '../../src/contracts/socket-events';
import {
  closeAllSockets,
  connectReader,
  createSite,
  emitWithAck,
  postComment,
  record,
  settle,
  signIn,
  startInstance,
  startSharedMongo,
  testConfig,
  waitFor,
  type ReaderClient,
  type Received,
} from './realtime-helpers';

const BLOG = 'https://blog.example';

const join = async (socket: ReaderClient, payload: Record<string, unknown>): Promise<JoinResult> => {
  const ack = await emitWithAck<JoinResult>(socket, 'post:join', payload);
  if (!ack.ok) throw new Error(`join failed: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
};

const seqs = (received: Received[]): number[] =>
  received.filter((r) => r.event.startsWith('comment:')).map((r) => r.payload['seq'] as number);

/** Every seq from `from` to `to` exactly once, in order. */
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('catch-up with since', () => {
  let mongo: Awaited<ReturnType<typeof startSharedMongo>>;
  let server: RunningServer;

  beforeAll(async () => {
    mongo = await startSharedMongo();
    server = await startInstance(testConfig(mongo.env));
    const { token } = await signIn(server.url);
    await createSite(server.url, token, 'blog', [BLOG]);
  });

  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await server.close();
    await mongo.close();
  });

  it('when a reader is cut off and rejoins with since, then it gets exactly the missed events in order, then live ones', async () => {
    const first = await connectReader(server.url, { origin: BLOG });
    await postComment(server.url, { site: 'blog', post: 'cut-off', body: 'Before the cut', origin: BLOG });
    const joined = await join(first, { site: 'blog', post: 'cut-off' });
    first.disconnect();

    for (let i = 0; i < 3; i += 1) {
      await postComment(server.url, { site: 'blog', post: 'cut-off', body: `Missed comment ${i}`, origin: BLOG });
    }
    const again = await connectReader(server.url, { origin: BLOG });
    const received = record(again);
    const rejoined = await join(again, { site: 'blog', post: 'cut-off', since: joined.seq });
    expect(rejoined).toMatchObject({ replayed: 3, count: 4, seq: joined.seq + 3 });
    expect(seqs(received)).toEqual(range(joined.seq + 1, joined.seq + 3));
    expect(received.filter((r) => r.event.startsWith('comment:')).map((r) => (r.payload['comment'] as { body: string }).body)).toEqual([
      'Missed comment 0',
      'Missed comment 1',
      'Missed comment 2',
    ]);

    await postComment(server.url, { site: 'blog', post: 'cut-off', body: 'Live again', origin: BLOG });
    await waitFor(() => seqs(received).length === 4, 'the live comment');
    await settle();
    expect(seqs(received)).toEqual(range(joined.seq + 1, joined.seq + 4));
  });

  it('when comments keep arriving while a reader catches up, then it sees every seq exactly once and in order', async () => {
    const before = await connectReader(server.url, { origin: BLOG });
    const start = await join(before, { site: 'blog', post: 'racing' });
    before.disconnect();
    for (let i = 0; i < 5; i += 1) await postComment(server.url, { site: 'blog', post: 'racing', body: `Early ${i}`, origin: BLOG });

    const reader = await connectReader(server.url, { origin: BLOG });
    const received = record(reader);
    const writing = (async () => {
      for (let i = 0; i < 10; i += 1) await postComment(server.url, { site: 'blog', post: 'racing', body: `During ${i}`, origin: BLOG });
    })();
    await settle(5);
    await join(reader, { site: 'blog', post: 'racing', since: start.seq });
    await writing;
    await waitFor(() => seqs(received).length >= 15, 'all fifteen comments');
    await settle();
    expect(seqs(received)).toEqual(range(start.seq + 1, start.seq + 15));
  });

  it('when since is ahead of the log (a reset database), then the reader is caught up from the current state', async () => {
    const reader = await connectReader(server.url, { origin: BLOG });
    const received = record(reader);
    const result = await join(reader, { site: 'blog', post: 'future', since: 9_999 });
    expect(result).toMatchObject({ seq: 0, replayed: 0 });
    await postComment(server.url, { site: 'blog', post: 'future', body: 'Hello from the present', origin: BLOG });
    await waitFor(() => seqs(received).length === 1, 'the new comment');
    expect(seqs(received)).toEqual([1]);
  });
});

describe('catch-up across a server restart', () => {
  it('when the server restarts on the same database, then a reader rejoining with since misses nothing and sees nothing twice', async () => {
    const mongo = await startSharedMongo();
    const config = testConfig(mongo.env);
    let server = await startInstance(config);
    try {
      const { token } = await signIn(server.url);
      await createSite(server.url, token, 'blog', [BLOG]);
      const reader = await connectReader(server.url, { origin: BLOG });
      const beforeRestart = record(reader);
      const joined = await join(reader, { site: 'blog', post: 'restart' });
      await postComment(server.url, { site: 'blog', post: 'restart', body: 'Before the restart', origin: BLOG });
      await waitFor(() => seqs(beforeRestart).length === 1, 'the first live comment');
      const lastSeen = Math.max(...seqs(beforeRestart));

      // Comments written just before the shutdown are missed by the live socket.
      reader.disconnect();
      await postComment(server.url, { site: 'blog', post: 'restart', body: 'Missed before shutdown', origin: BLOG });
      await server.close();

      server = await startInstance(config);
      await postComment(server.url, { site: 'blog', post: 'restart', body: 'Missed after restart', origin: BLOG });
      const back = await connectReader(server.url, { origin: BLOG });
      const afterRestart = record(back);
      const rejoined = await join(back, { site: 'blog', post: 'restart', since: lastSeen });
      expect(rejoined.replayed).toBe(2);
      await postComment(server.url, { site: 'blog', post: 'restart', body: 'Live after restart', origin: BLOG });
      await waitFor(() => seqs(afterRestart).length === 3, 'the live comment after the restart');
      await settle();

      const all = [...seqs(beforeRestart), ...seqs(afterRestart)];
      expect(all).toEqual(range(joined.seq + 1, joined.seq + 4));
      expect(
        afterRestart.filter((r) => r.event === 'comment:created').map((r) => (r.payload['comment'] as { body: string }).body),
      ).toEqual(['Missed before shutdown', 'Missed after restart', 'Live after restart']);
    } finally {
      closeAllSockets();
      await server.close();
      await mongo.close();
    }
  });
});
