import { deserialize, serialize, type Document } from 'bson';
import { WireProtocolError } from './command-error';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const HEADER_SIZE = 16;
/** MongoDB's maxMessageSizeBytes; anything larger is garbage or an attack. */
export const MAX_MESSAGE_SIZE = 48_000_000;

const FLAG_CHECKSUM_PRESENT = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;
/** Bits 0-15 are "required": a receiver must reject unknown ones. */
const KNOWN_REQUIRED_FLAGS = FLAG_CHECKSUM_PRESENT | FLAG_MORE_TO_COME;

/** Keep values as BSON wrapper types where JS has no faithful equivalent (ObjectId, Decimal128...). */
const DESERIALIZE_OPTIONS = { promoteValues: true, promoteBuffers: false, bsonRegExp: false } as const;

export interface CommandRequest {
  readonly requestId: number;
  readonly opCode: typeof OP_MSG | typeof OP_QUERY;
  /** The command body with document sequences (kind 1 sections) merged in as arrays. */
  readonly command: Document;
  readonly databaseName: string;
  /** The client expects no reply (unacknowledged writes). */
  readonly isMoreToCome: boolean;
}

/**
 * Splits a TCP byte stream into whole messages. Throws WireProtocolError on a length
 * prefix that cannot be right, so the caller can drop the connection before buffering
 * an absurd amount.
 */
export class MessageFramer {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readInt32LE(0);
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
        throw new WireProtocolError(`invalid message length ${length}`);
      }
      if (this.pending.length < length) break;
      frames.push(this.pending.subarray(0, length));
      this.pending = this.pending.subarray(length);
    }
    return frames;
  }
}

export function parseMessage(frame: Buffer): CommandRequest {
  const requestId = frame.readInt32LE(4);
  const opCode = frame.readInt32LE(12);
  try {
    if (opCode === OP_MSG) return parseOpMsg(frame, requestId);
    if (opCode === OP_QUERY) return parseOpQuery(frame, requestId);
  } catch (error: unknown) {
    if (error instanceof WireProtocolError) throw error;
    throw new WireProtocolError(
      `malformed message: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  throw new WireProtocolError(`unsupported opCode ${opCode}`);
}

function readDocument(frame: Buffer, offset: number, end: number): { document: Document; next: number } {
  if (offset + 5 > end) throw new WireProtocolError('truncated BSON document');
  const size = frame.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new WireProtocolError(`invalid BSON document size ${size}`);
  const document = deserialize(frame.subarray(offset, offset + size), DESERIALIZE_OPTIONS);
  return { document, next: offset + size };
}

function readCString(frame: Buffer, offset: number, end: number): { value: string; next: number } {
  const terminator = frame.indexOf(0, offset);
  if (terminator < 0 || terminator >= end) throw new WireProtocolError('unterminated cstring');
  return { value: frame.toString('utf8', offset, terminator), next: terminator + 1 };
}

function parseOpMsg(frame: Buffer, requestId: number): CommandRequest {
  if (frame.length < HEADER_SIZE + 5) throw new WireProtocolError('OP_MSG too short');
  const flags = frame.readUInt32LE(HEADER_SIZE);
  if ((flags & 0xffff & ~KNOWN_REQUIRED_FLAGS) !== 0) {
    throw new WireProtocolError(`unknown required OP_MSG flags ${flags}`);
  }
  let end = frame.length;
  if ((flags & FLAG_CHECKSUM_PRESENT) !== 0) {
    end -= 4;
    const expected = frame.readUInt32LE(end);
    if (crc32c(frame.subarray(0, end)) !== expected) throw new WireProtocolError('OP_MSG checksum mismatch');
  }
  let body: Document | undefined;
  const sequences: [string, Document[]][] = [];
  let offset = HEADER_SIZE + 4;
  while (offset < end) {
    const kind = frame.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      if (body !== undefined) throw new WireProtocolError('OP_MSG with two body sections');
      const read = readDocument(frame, offset, end);
      body = read.document;
      offset = read.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new WireProtocolError('truncated document sequence');
      const sectionEnd = offset + frame.readInt32LE(offset);
      if (sectionEnd > end || sectionEnd < offset + 5)
        throw new WireProtocolError('invalid document sequence size');
      const identifier = readCString(frame, offset + 4, sectionEnd);
      const documents: Document[] = [];
      let cursor = identifier.next;
      while (cursor < sectionEnd) {
        const read = readDocument(frame, cursor, sectionEnd);
        documents.push(read.document);
        cursor = read.next;
      }
      sequences.push([identifier.value, documents]);
      offset = sectionEnd;
    } else {
      throw new WireProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (body === undefined) throw new WireProtocolError('OP_MSG without a body section');
  for (const [identifier, documents] of sequences) body[identifier] = documents;
  const databaseName = typeof body['$db'] === 'string' ? body['$db'] : 'admin';
  return {
    requestId,
    opCode: OP_MSG,
    command: body,
    databaseName,
    isMoreToCome: (flags & FLAG_MORE_TO_COME) !== 0,
  };
}

function parseOpQuery(frame: Buffer, requestId: number): CommandRequest {
  const end = frame.length;
  const collection = readCString(frame, HEADER_SIZE + 4, end);
  // Skip numberToSkip and numberToReturn: commands always return one document.
  const { document } = readDocument(frame, collection.next + 8, end);
  const [databaseName = 'admin', collectionName] = collection.value.split(/\.(.*)/s);
  if (collectionName !== '$cmd')
    throw new WireProtocolError(`legacy OP_QUERY is only supported on $cmd, got ${collection.value}`);
  // Legacy drivers may wrap the command as { $query: {...}, $readPreference: ... }.
  const wrapped: unknown = document['$query'];
  const command = isDocument(wrapped) ? wrapped : document;
  return { requestId, opCode: OP_QUERY, command, databaseName, isMoreToCome: false };
}

function isDocument(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let nextResponseId = 1;

function writeHeader(buffer: Buffer, responseTo: number, opCode: number): void {
  buffer.writeInt32LE(buffer.length, 0);
  buffer.writeInt32LE(nextResponseId, 4);
  nextResponseId = (nextResponseId + 1) & 0x7fffffff;
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
}

export function encodeOpMsg(responseTo: number, reply: Document): Buffer {
  const body = serialize(reply);
  const buffer = Buffer.alloc(HEADER_SIZE + 4 + 1 + body.length);
  writeHeader(buffer, responseTo, OP_MSG);
  buffer.writeUInt32LE(0, HEADER_SIZE);
  buffer.writeUInt8(0, HEADER_SIZE + 4);
  Buffer.from(body.buffer, body.byteOffset, body.length).copy(buffer, HEADER_SIZE + 5);
  return buffer;
}

export function encodeOpReply(responseTo: number, reply: Document): Buffer {
  const body = serialize(reply);
  const buffer = Buffer.alloc(HEADER_SIZE + 20 + body.length);
  writeHeader(buffer, responseTo, OP_REPLY);
  buffer.writeInt32LE(0, HEADER_SIZE); // responseFlags
  buffer.writeBigInt64LE(0n, HEADER_SIZE + 4); // cursorID
  buffer.writeInt32LE(0, HEADER_SIZE + 12); // startingFrom
  buffer.writeInt32LE(1, HEADER_SIZE + 16); // numberReturned
  Buffer.from(body.buffer, body.byteOffset, body.length).copy(buffer, HEADER_SIZE + 20);
  return buffer;
}

/** Exported for tests that build requests by hand. */
export function encodeOpMsgRequest(
  requestId: number,
  command: Document,
  options: { withChecksum?: boolean; sequences?: Record<string, Document[]> } = {},
): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(command))];
  for (const [identifier, documents] of Object.entries(options.sequences ?? {})) {
    const payload = Buffer.concat([
      Buffer.from(`${identifier}\0`, 'utf8'),
      ...documents.map((d) => Buffer.from(serialize(d))),
    ]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4, 0);
    parts.push(Buffer.from([1]), size, payload);
  }
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(options.withChecksum === true ? FLAG_CHECKSUM_PRESENT : 0, 0);
  const header = Buffer.alloc(HEADER_SIZE);
  const withoutChecksum = Buffer.concat([header, flags, ...parts]);
  const total = withoutChecksum.length + (options.withChecksum === true ? 4 : 0);
  withoutChecksum.writeInt32LE(total, 0);
  withoutChecksum.writeInt32LE(requestId, 4);
  withoutChecksum.writeInt32LE(0, 8);
  withoutChecksum.writeInt32LE(OP_MSG, 12);
  if (options.withChecksum !== true) return withoutChecksum;
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32LE(crc32c(withoutChecksum), 0);
  return Buffer.concat([withoutChecksum, checksum]);
}

const CRC32C_TABLE = buildCrc32cTable();

function buildCrc32cTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = (c & 1) !== 0 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32C (Castagnoli), the checksum OP_MSG uses. */
export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
