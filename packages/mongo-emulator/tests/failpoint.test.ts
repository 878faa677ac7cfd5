import { MongoClient, MongoNetworkError, MongoServerError, MongoWriteConcernError, type Db } from 'mongodb';
import net from 'node:net';
import type { Document } from 'bson';
import { startMongoEmulator, type MongoEmulator } from '../src';
import { MessageFramer, encodeOpMsgRequest, parseMessage } from '../src/wire-protocol';

/**
 * mongod's `configureFailPoint` with the `failCommand` fail point (a test command:
 * only with `enableTestCommands`), through the official driver. Retries are off so
 * each failure the fail point produces reaches the test as the driver reports it.
 */
let emulator: MongoEmulator;
let client: MongoClient;
let db: Db;

async function configure(failPoint: Record<string, unknown>): Promise<Record<string, unknown>> {
  return client.db('admin').command({ configureFailPoint: 'failCommand', ...failPoint });
}

interface RawConnection {
  command(body: Document): Promise<Document>;
  close(): void;
}

/** One TCP connection that sends a driver's handshake with this appName, then commands one at a time. */
async function rawConnection(appName: string): Promise<RawConnection> {
  const socket = net.connect(emulator.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const framer = new MessageFramer();
  let requestId = 0;
  const command = (body: Document): Promise<Document> =>
    new Promise<Document>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        const [frame] = framer.push(chunk);
        if (frame === undefined) return;
        socket.off('data', onData);
        resolve(parseMessage(frame).command);
      };
      socket.on('data', onData);
      socket.once('error', reject);
      requestId += 1;
      socket.write(encodeOpMsgRequest(requestId, body));
    });
  await command({ hello: 1, client: { application: { name: appName } }, $db: 'admin' });
  return { command, close: () => socket.destroy() };
}

beforeAll(async () => {
  emulator = await startMongoEmulator({ port: 0, enableTestCommands: true });
  client = await MongoClient.connect(emulator.uri, {
    serverSelectionTimeoutMS: 5000,
    retryReads: false,
    retryWrites: false,
  });
  db = client.db('failpoints');
});

afterEach(async () => {
  await configure({ mode: 'off' });
  await db.collection('items').deleteMany({});
});

afterAll(async () => {
  await client.close();
  await emulator.close();
});

describe('configureFailPoint failCommand', () => {
  it('{ times: 1 } fails the next listed command with the error code, then lets commands through', async () => {
    await configure({ mode: { times: 1 }, data: { failCommands: ['insert'], errorCode: 8 } });
    const failure: unknown = await db
      .collection('items')
      .insertOne({ _id: 1 } as never)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MongoServerError);
    expect((failure as MongoServerError).code).toBe(8);
    expect((failure as MongoServerError).codeName).toBe('UnknownError');
    expect((failure as MongoServerError).errorResponse).toMatchObject({
      ok: 0,
      code: 8,
      errmsg: "Failing command via 'failCommand' failpoint",
    });
    await db.collection('items').insertOne({ _id: 2 } as never);
    expect(await db.collection('items').countDocuments()).toBe(1);
  });

  it('fails only the commands named in failCommands', async () => {
    await configure({ mode: { times: 1 }, data: { failCommands: ['delete'], errorCode: 8 } });
    await db.collection('items').insertOne({ _id: 1 } as never);
    await expect(db.collection('items').findOne({ _id: 1 } as never)).resolves.toEqual({ _id: 1 });
    await expect(db.collection('items').deleteOne({ _id: 1 } as never)).rejects.toMatchObject({ code: 8 });
    await expect(db.collection('items').deleteOne({ _id: 1 } as never)).resolves.toMatchObject({
      deletedCount: 1,
    });
  });

  it('"alwaysOn" fails every time until "off", and reports how often it fired', async () => {
    await configure({ mode: 'alwaysOn', data: { failCommands: ['find'], errorCode: 2 } });
    for (let i = 0; i < 3; i += 1)
      await expect(db.collection('items').findOne({})).rejects.toMatchObject({
        code: 2,
        codeName: 'BadValue',
      });
    expect(await configure({ mode: 'off' })).toMatchObject({ count: 3, ok: 1 });
    await expect(db.collection('items').findOne({})).resolves.toBeNull();
  });

  it('{ skip: n } lets n listed commands through, then fails the rest', async () => {
    await configure({ mode: { skip: 2 }, data: { failCommands: ['count'], errorCode: 8 } });
    await expect(db.collection('items').estimatedDocumentCount()).resolves.toBe(0);
    await expect(db.collection('items').estimatedDocumentCount()).resolves.toBe(0);
    await expect(db.collection('items').estimatedDocumentCount()).rejects.toMatchObject({ code: 8 });
    await expect(db.collection('items').estimatedDocumentCount()).rejects.toMatchObject({ code: 8 });
  });

  it('closeConnection drops the connection without a reply: a network error, then a fresh connection works', async () => {
    await configure({ mode: { times: 1 }, data: { failCommands: ['count'], closeConnection: true } });
    await expect(db.collection('items').estimatedDocumentCount()).rejects.toBeInstanceOf(MongoNetworkError);
    await expect(db.collection('items').estimatedDocumentCount()).resolves.toBe(0);
  });

  it('writeConcernError runs the command and adds the error, with errorLabels, to its reply', async () => {
    await configure({
      mode: { times: 1 },
      data: {
        failCommands: ['insert'],
        writeConcernError: { code: 91, errmsg: 'Replication is being shut down' },
        errorLabels: ['RetryableWriteError'],
      },
    });
    const failure: unknown = await db
      .collection('items')
      .insertOne({ _id: 1 } as never)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MongoWriteConcernError);
    expect((failure as MongoWriteConcernError).code).toBe(91);
    expect((failure as MongoWriteConcernError).hasErrorLabel('RetryableWriteError')).toBe(true);
    // Unlike errorCode, the write itself happened.
    expect(await db.collection('items').countDocuments()).toBe(1);
  });

  it('errorLabels are attached to an errorCode failure', async () => {
    await configure({
      mode: { times: 1 },
      data: { failCommands: ['update'], errorCode: 112, errorLabels: ['TransientTransactionError'] },
    });
    const failure: unknown = await db
      .collection('items')
      .updateOne({ _id: 1 } as never, { $set: { x: 1 } })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MongoServerError);
    expect((failure as MongoServerError).codeName).toBe('WriteConflict');
    expect((failure as MongoServerError).hasErrorLabel('TransientTransactionError')).toBe(true);
  });

  it('blockConnection holds the reply back for blockTimeMS, then answers normally', async () => {
    await configure({
      mode: { times: 1 },
      data: { failCommands: ['find'], blockConnection: true, blockTimeMS: 300 },
    });
    const started = Date.now();
    await expect(db.collection('items').findOne({})).resolves.toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('appName limits the fail point to the connections whose handshake sent that application name', async () => {
    // Under Jest the driver's handshake carries an empty `client` document (its metadata
    // is built with a Map that Jest's module realm does not serialize), so the two
    // connections here speak OP_MSG themselves, with the handshake a driver sends.
    const app = await rawConnection('another-app');
    const otherApp = await rawConnection('yet-another-app');
    try {
      await configure({
        mode: 'alwaysOn',
        data: { failCommands: ['find'], errorCode: 8, appName: 'another-app' },
      });
      const find = { find: 'items', filter: {}, $db: 'failpoints' };
      expect(await otherApp.command(find)).toMatchObject({ ok: 1 });
      await expect(db.collection('items').findOne({})).resolves.toBeNull();
      expect(await app.command(find)).toMatchObject({ ok: 0, code: 8, codeName: 'UnknownError' });
    } finally {
      app.close();
      otherApp.close();
    }
  });

  it('never fails configureFailPoint itself, so a fail point can always be switched off', async () => {
    await configure({ mode: 'alwaysOn', data: { failCommands: ['configureFailPoint'], errorCode: 8 } });
    await expect(configure({ mode: 'off' })).resolves.toMatchObject({ ok: 1 });
  });

  it('answers as mongod does to a wrong database, an unknown fail point and a bad mode', async () => {
    await expect(db.command({ configureFailPoint: 'failCommand', mode: 'off' })).rejects.toMatchObject({
      code: 13,
      codeName: 'Unauthorized',
    });
    await expect(
      client.db('admin').command({ configureFailPoint: 'noSuchFailPoint', mode: 'off' }),
    ).rejects.toBeInstanceOf(MongoServerError);
    await expect(configure({ mode: 'sometimes', data: { failCommands: ['find'] } })).rejects.toMatchObject({
      code: 2,
    });
  });
});

describe('without enableTestCommands', () => {
  it('has no configureFailPoint command, like mongod', async () => {
    const plain = await startMongoEmulator({ port: 0 });
    const plainClient = await MongoClient.connect(plain.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      await expect(
        plainClient.db('admin').command({ configureFailPoint: 'failCommand', mode: 'alwaysOn' }),
      ).rejects.toMatchObject({ code: 59, codeName: 'CommandNotFound' });
    } finally {
      await plainClient.close();
      await plain.close();
    }
  });
});
