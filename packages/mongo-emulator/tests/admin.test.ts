import net from 'node:net';
import { deserialize, serialize, type Document } from 'bson';
import { MongoServerError } from 'mongodb';
import { encodeOpMsgRequest } from '../src/wire-protocol';
import { isRealMongo, openTarget, type TestTarget } from './target';

let target: TestTarget;

beforeAll(async () => {
  target = await openTarget('admin');
});
afterAll(async () => {
  await target.close();
});

/** Sends raw bytes and resolves with everything received until the server closes or `replyBytes` arrive. */
function exchange(
  bytes: Buffer,
  options: { expectClose: boolean },
): Promise<{ received: Buffer; isClosed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(target.port, target.host);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (isClosed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ received: Buffer.concat(chunks), isClosed });
    };
    const timer = setTimeout(() => finish(false), 3000);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const total = Buffer.concat(chunks);
      if (!options.expectClose && total.length >= 4 && total.length >= total.readInt32LE(0)) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', (error) => (settled ? undefined : options.expectClose ? finish(true) : reject(error)));
  });
}

function opMsgBody(reply: Buffer): Document {
  expect(reply.readInt32LE(12)).toBe(2013);
  return deserialize(reply.subarray(21, reply.readInt32LE(0)));
}

describe('handshake and admin commands', () => {
  it('when hello runs, then the server describes a writable primary the driver can use', async () => {
    const hello = await target.client.db('admin').command({ hello: 1 });
    expect(hello['isWritablePrimary']).toBe(true);
    expect(hello['maxWireVersion']).toBeGreaterThanOrEqual(9);
    expect(typeof hello['logicalSessionTimeoutMinutes']).toBe('number');
    expect(hello['maxBsonObjectSize']).toBe(16 * 1024 * 1024);
    expect(hello['compression']).toBeUndefined();
  });

  it('when ping and buildInfo run, then they succeed with a version string', async () => {
    expect(await target.db.command({ ping: 1 })).toMatchObject({ ok: 1 });
    const info = await target.client.db('admin').command({ buildInfo: 1 });
    expect(info['version']).toMatch(/^\d+\.\d+\.\d+/);
    expect(Array.isArray(info['versionArray'])).toBe(true);
  });

  it('when a command is unknown, then CommandNotFound (59) is returned with MongoDB’s message', async () => {
    const error = await target.db.command({ xyzzy: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error).toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
      message: "no such command: 'xyzzy'",
    });
  });

  it('when an explicit session is used, then reads and writes work and endSessions is accepted', async () => {
    const session = target.client.startSession();
    await target.db.collection('sessions').insertOne({ a: 1 }, { session });
    expect(await target.db.collection('sessions').countDocuments({}, { session })).toBe(1);
    await session.endSession();
  });
});

describe('collections and databases', () => {
  it('when collections are created and listed, then listCollections honours nameOnly and name filters', async () => {
    await target.db.createCollection('alpha');
    await target.db.collection('beta').insertOne({ x: 1 });
    const names = (await target.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['alpha', 'beta']));
    const filtered = await target.db.listCollections({ name: 'alpha' }).toArray();
    expect(filtered).toHaveLength(1);
    expect(filtered[0]).toMatchObject({ name: 'alpha', type: 'collection' });
  });

  it('when a collection is dropped, then its documents and indexes are gone', async () => {
    const doomed = target.db.collection('doomed');
    await doomed.insertOne({ a: 1 });
    await doomed.createIndex({ a: 1 }, { unique: true });
    expect(await doomed.drop()).toBe(true);
    expect(await target.db.listCollections({ name: 'doomed' }).toArray()).toHaveLength(0);
    await doomed.insertOne({ a: 1 });
    await doomed.insertOne({ a: 1 });
    expect(await doomed.countDocuments()).toBe(2);
  });

  it('when a database is written to and then dropped, then listDatabases shows it and then does not', async () => {
    const name = `${target.databaseName}_extra`;
    await target.client.db(name).collection('c').insertOne({ a: 1 });
    const before = await target.client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(before.databases.map((d) => d.name)).toContain(name);
    await target.client.db(name).dropDatabase();
    const after = await target.client.db('admin').admin().listDatabases({ nameOnly: true });
    expect(after.databases.map((d) => d.name)).not.toContain(name);
  });
});

describe('wire protocol robustness', () => {
  it('when a client sends garbage, then only that connection is closed and others keep working', async () => {
    const { isClosed } = await exchange(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), {
      expectClose: true,
    });
    expect(isClosed).toBe(true);
    expect(await target.db.command({ ping: 1 })).toMatchObject({ ok: 1 });
  });

  it('when a message claims an absurd length, then the connection is closed', async () => {
    const header = Buffer.alloc(16);
    header.writeInt32LE(0x7fffffff, 0);
    header.writeInt32LE(2013, 12);
    const { isClosed } = await exchange(header, { expectClose: true });
    expect(isClosed).toBe(true);
    expect(await target.db.collection('still').countDocuments()).toBe(0);
  });

  it('when an OP_MSG carries a checksum, then the server still answers', async () => {
    const { received } = await exchange(
      encodeOpMsgRequest(7, { ping: 1, $db: 'admin' }, { withChecksum: true }),
      { expectClose: false },
    );
    expect(received.readInt32LE(8)).toBe(7);
    expect(opMsgBody(received)).toMatchObject({ ok: 1 });
  });

  it('when an insert arrives as a kind-1 document sequence, then every document is inserted', async () => {
    const request = encodeOpMsgRequest(
      8,
      { insert: 'sequenced', $db: target.databaseName },
      { sequences: { documents: [{ _id: 1 }, { _id: 2 }, { _id: 3 }] } },
    );
    const { received } = await exchange(request, { expectClose: false });
    expect(opMsgBody(received)).toMatchObject({ n: 3, ok: 1 });
    expect(await target.db.collection('sequenced').countDocuments()).toBe(3);
  });

  it('when a legacy OP_QUERY isMaster arrives on admin.$cmd, then an OP_REPLY answers it', async () => {
    const query = Buffer.from(serialize({ isMaster: 1 }));
    const namespace = Buffer.from('admin.$cmd\0', 'utf8');
    const message = Buffer.alloc(16 + 4 + namespace.length + 8 + query.length);
    message.writeInt32LE(message.length, 0);
    message.writeInt32LE(9, 4);
    message.writeInt32LE(2004, 12);
    namespace.copy(message, 20);
    message.writeInt32LE(-1, 20 + namespace.length + 4);
    query.copy(message, 20 + namespace.length + 8);
    const { received } = await exchange(message, { expectClose: false });
    expect(received.readInt32LE(12)).toBe(1);
    expect(received.readInt32LE(8)).toBe(9);
    expect(received.readInt32LE(32)).toBe(1);
    expect(deserialize(received.subarray(36))).toMatchObject({ ismaster: true, ok: 1 });
  });
});

const describeStandaloneOnly = isRealMongo ? describe.skip : describe;

describeStandaloneOnly('transactions on a standalone server', () => {
  it('when a transaction is attempted, then a clear error is returned and nothing is written', async () => {
    const session = target.client.startSession();
    session.startTransaction();
    const error = await target.db
      .collection('tx')
      .insertOne({ a: 1 }, { session })
      .catch((e: unknown) => e);
    await session.abortTransaction().catch(() => undefined);
    await session.endSession();
    // The driver rewrites IllegalOperation "Transaction numbers are only allowed..." into its own hint.
    expect(error).toBeInstanceOf(MongoServerError);
    expect(String((error as Error).message)).toMatch(
      /Transaction numbers are only allowed|does not support retryable writes/,
    );
    expect(await target.db.collection('tx').countDocuments()).toBe(0);
  });
});
