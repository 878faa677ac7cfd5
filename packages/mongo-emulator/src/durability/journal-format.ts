import { crc32 } from 'node:zlib';
import { deserialize, serialize, type Document } from 'bson';
import type { StorageChange } from '../storage-change';

/**
 * On-disk framing shared by the journal and the snapshot. A file is a sequence of
 * records; each record is
 *
 *   u32 LE  payload length
 *   u32 LE  CRC-32 of the payload
 *   payload: one or more BSON documents, one per change
 *
 * so a record that was being written when the process died is recognised (short,
 * or a checksum that does not match) and dropped, never half-applied.
 */
export const RECORD_HEADER_BYTES = 8;

const DESERIALIZE_OPTIONS = { promoteValues: true, promoteBuffers: false } as const;

/** A change as one BSON document: short field names keep the journal small. */
function changeToDocument(change: StorageChange): Document {
  switch (change.op) {
    case 'createCollection':
      return { o: 'cc', d: change.db, c: change.coll, x: change.options };
    case 'dropCollection':
      return { o: 'dc', d: change.db, c: change.coll };
    case 'dropDatabase':
      return { o: 'dd', d: change.db };
    case 'renameCollection':
      return { o: 'rc', d: change.db, c: change.coll, td: change.toDb, tc: change.toColl };
    case 'insert':
      return { o: 'i', d: change.db, c: change.coll, x: change.doc };
    case 'replace':
      return { o: 'u', d: change.db, c: change.coll, x: change.doc };
    case 'delete':
      return { o: 'r', d: change.db, c: change.coll, x: { _id: change.id } };
    case 'createIndex':
      return { o: 'ci', d: change.db, c: change.coll, x: change.spec };
    case 'dropIndex':
      return { o: 'di', d: change.db, c: change.coll, n: change.name };
    case 'dropAllIndexes':
      return { o: 'da', d: change.db, c: change.coll };
  }
}

export class JournalFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JournalFormatError';
  }
}

function text(document: Document, field: string): string {
  const value: unknown = document[field];
  if (typeof value !== 'string') throw new JournalFormatError(`journal entry without a string '${field}'`);
  return value;
}

function subDocument(document: Document): Document {
  const value: unknown = document['x'];
  if (typeof value !== 'object' || value === null)
    throw new JournalFormatError('journal entry without a document');
  return value;
}

function documentToChange(document: Document): StorageChange {
  const db = text(document, 'd');
  const op = text(document, 'o');
  if (op === 'dd') return { op: 'dropDatabase', db };
  const coll = text(document, 'c');
  switch (op) {
    case 'cc':
      return { op: 'createCollection', db, coll, options: subDocument(document) };
    case 'dc':
      return { op: 'dropCollection', db, coll };
    case 'rc':
      return { op: 'renameCollection', db, coll, toDb: text(document, 'td'), toColl: text(document, 'tc') };
    case 'i':
      return { op: 'insert', db, coll, doc: subDocument(document) };
    case 'u':
      return { op: 'replace', db, coll, doc: subDocument(document) };
    case 'r':
      return { op: 'delete', db, coll, id: subDocument(document)['_id'] };
    case 'ci':
      return { op: 'createIndex', db, coll, spec: subDocument(document) };
    case 'di':
      return { op: 'dropIndex', db, coll, name: text(document, 'n') };
    case 'da':
      return { op: 'dropAllIndexes', db, coll };
    default:
      throw new JournalFormatError(`unknown journal operation ${JSON.stringify(op)}`);
  }
}

export function encodeChange(change: StorageChange): Buffer {
  return Buffer.from(serialize(changeToDocument(change)));
}

/** One record holding the already encoded changes of one command. */
export function encodeRecord(changes: readonly Buffer[]): Buffer {
  const payload = changes.length === 1 && changes[0] !== undefined ? changes[0] : Buffer.concat(changes);
  const header = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

export function decodePayload(payload: Buffer): StorageChange[] {
  const changes: StorageChange[] = [];
  let offset = 0;
  while (offset < payload.length) {
    if (payload.length - offset < 5) throw new JournalFormatError('truncated BSON document in a record');
    const size = payload.readInt32LE(offset);
    if (size < 5 || offset + size > payload.length)
      throw new JournalFormatError('bad BSON length in a record');
    changes.push(documentToChange(deserialize(payload.subarray(offset, offset + size), DESERIALIZE_OPTIONS)));
    offset += size;
  }
  return changes;
}

export interface DecodedFile {
  readonly records: StorageChange[][];
  /** Bytes of whole, valid records from the start of the file. */
  readonly validBytes: number;
  /** Why reading stopped before the end, when it did. */
  readonly tail:
    undefined | { readonly kind: 'torn' | 'corrupt'; readonly offset: number; readonly reason: string };
}

/**
 * Reads records until the end or the first bad one. A bad record that reaches the
 * end of the file is "torn" (the write in progress when the process died); a bad
 * one followed by more bytes is "corrupt", which a caller must not paper over.
 */
export function decodeFile(bytes: Buffer): DecodedFile {
  const records: StorageChange[][] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const remaining = bytes.length - offset;
    if (remaining < RECORD_HEADER_BYTES) {
      return {
        records,
        validBytes: offset,
        tail: { kind: 'torn', offset, reason: 'a partial record header' },
      };
    }
    const length = bytes.readUInt32LE(offset);
    const checksum = bytes.readUInt32LE(offset + 4);
    const end = offset + RECORD_HEADER_BYTES + length;
    if (end > bytes.length) {
      return { records, validBytes: offset, tail: { kind: 'torn', offset, reason: 'a record cut short' } };
    }
    const payload = bytes.subarray(offset + RECORD_HEADER_BYTES, end);
    const kind = end === bytes.length ? 'torn' : 'corrupt';
    if (crc32(payload) !== checksum) {
      return { records, validBytes: offset, tail: { kind, offset, reason: 'a checksum mismatch' } };
    }
    try {
      records.push(decodePayload(payload));
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      return { records, validBytes: offset, tail: { kind, offset, reason } };
    }
    offset = end;
  }
  return { records, validBytes: offset, tail: undefined };
}
