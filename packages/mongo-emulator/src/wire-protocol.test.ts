import { serialize } from 'bson';
import { WireProtocolError } from './command-error';
import { MessageFramer, crc32c, encodeOpMsg, encodeOpMsgRequest, parseMessage } from './wire-protocol';

describe('MessageFramer', () => {
  it('when a message arrives in pieces, then it is emitted once whole', () => {
    const message = encodeOpMsgRequest(1, { ping: 1, $db: 'admin' });
    const framer = new MessageFramer();
    expect(framer.push(message.subarray(0, 3))).toEqual([]);
    expect(framer.push(message.subarray(3, 20))).toEqual([]);
    const frames = framer.push(message.subarray(20));
    expect(frames).toHaveLength(1);
    expect(frames[0]?.equals(message)).toBe(true);
  });

  it('when two messages share a chunk, then both are emitted', () => {
    const a = encodeOpMsgRequest(1, { ping: 1, $db: 'admin' });
    const b = encodeOpMsgRequest(2, { ping: 1, $db: 'admin' });
    expect(new MessageFramer().push(Buffer.concat([a, b]))).toHaveLength(2);
  });

  it('when the length prefix is impossible, then a WireProtocolError is thrown', () => {
    const bad = Buffer.alloc(8);
    bad.writeInt32LE(3, 0);
    expect(() => new MessageFramer().push(bad)).toThrow(WireProtocolError);
    bad.writeInt32LE(60_000_000, 0);
    expect(() => new MessageFramer().push(bad)).toThrow(WireProtocolError);
  });
});

describe('parseMessage', () => {
  it('when an OP_MSG has document sequences, then they are merged into the command', () => {
    const request = parseMessage(
      encodeOpMsgRequest(5, { insert: 'c', $db: 'app' }, { sequences: { documents: [{ a: 1 }, { a: 2 }] } }),
    );
    expect(request).toMatchObject({ requestId: 5, databaseName: 'app', isMoreToCome: false });
    expect(request.command).toEqual({ insert: 'c', $db: 'app', documents: [{ a: 1 }, { a: 2 }] });
  });

  it('when the checksum flag is set, then a valid CRC-32C is accepted and a wrong one rejected', () => {
    const message = encodeOpMsgRequest(6, { ping: 1, $db: 'admin' }, { withChecksum: true });
    expect(parseMessage(message).command).toMatchObject({ ping: 1 });
    const corrupted = Buffer.from(message);
    corrupted.writeUInt32LE((corrupted.readUInt32LE(corrupted.length - 4) + 1) >>> 0, corrupted.length - 4);
    expect(() => parseMessage(corrupted)).toThrow(WireProtocolError);
  });

  it('when the body is not valid BSON or the opcode is unknown, then a WireProtocolError is thrown', () => {
    const message = encodeOpMsgRequest(7, { ping: 1 });
    message.writeInt32LE(9999, 21);
    expect(() => parseMessage(message)).toThrow(WireProtocolError);
    const unknown = encodeOpMsgRequest(8, { ping: 1 });
    unknown.writeInt32LE(2010, 12);
    expect(() => parseMessage(unknown)).toThrow(/unsupported opCode/);
  });

  it('when a legacy OP_QUERY targets admin.$cmd, then the command and database are extracted', () => {
    const query = Buffer.from(serialize({ $query: { isMaster: 1 } }));
    const namespace = Buffer.from('admin.$cmd\0');
    const message = Buffer.alloc(28 + namespace.length + query.length);
    message.writeInt32LE(message.length, 0);
    message.writeInt32LE(2004, 12);
    namespace.copy(message, 20);
    query.copy(message, 28 + namespace.length);
    expect(parseMessage(message)).toMatchObject({
      opCode: 2004,
      databaseName: 'admin',
      command: { isMaster: 1 },
    });
  });
});

describe('encoding', () => {
  it('when a reply is encoded, then the header points back at the request', () => {
    const reply = encodeOpMsg(42, { ok: 1 });
    expect(reply.readInt32LE(0)).toBe(reply.length);
    expect(reply.readInt32LE(8)).toBe(42);
    expect(reply.readInt32LE(12)).toBe(2013);
  });

  it('when CRC-32C is computed, then it matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });
});
