import { calculateObjectSize, Long, type Document } from 'bson';
import { MongoCommandError } from './command-error';

const DEFAULT_FIRST_BATCH_SIZE = 101;
/** Replies must stay under maxMessageSizeBytes; MongoDB caps a batch at 16 MiB of documents. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** MongoDB's cursorTimeoutMillis default. */
export const CURSOR_IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  readonly namespace: string;
  documents: Document[];
  position: number;
  lastUsedAt: number;
}

export interface CursorBatch {
  readonly id: Long;
  readonly batch: Document[];
}

/** Server-side cursors: results are materialised when the command runs, then handed out in batches. */
export class CursorRegistry {
  private readonly cursors = new Map<string, OpenCursor>();

  /**
   * Returns the first batch and, if documents remain, registers a cursor for getMore.
   * `isSingleBatch` closes the cursor after the first batch whatever remains.
   * `keep` copies what a cursor keeps for later batches: results may be the stored
   * documents themselves, safe to answer from only while the reply is serialised at once.
   */
  open(
    namespace: string,
    documents: Document[],
    batchSize: number | undefined,
    isSingleBatch: boolean,
    keep?: (document: Document) => Document,
  ): CursorBatch {
    const cursor: OpenCursor = { namespace, documents, position: 0, lastUsedAt: Date.now() };
    const batch = takeBatch(
      cursor,
      batchSize === undefined || batchSize <= 0 ? DEFAULT_FIRST_BATCH_SIZE : batchSize,
    );
    if (isSingleBatch || cursor.position >= documents.length) return { id: Long.ZERO, batch };
    if (keep !== undefined) {
      cursor.documents = documents.slice(cursor.position).map(keep);
      cursor.position = 0;
    }
    const id = this.newCursorId();
    this.cursors.set(id.toString(), cursor);
    return { id, batch };
  }

  getMore(rawId: unknown, namespace: string, batchSize: number | undefined): CursorBatch {
    const key = cursorKey(rawId);
    const cursor = this.cursors.get(key);
    if (cursor === undefined) throw new MongoCommandError(43, 'CursorNotFound', `cursor id ${key} not found`);
    if (cursor.namespace !== namespace) {
      throw new MongoCommandError(
        13,
        'Unauthorized',
        `Requested getMore on namespace '${namespace}', but cursor belongs to a different namespace ${cursor.namespace}`,
      );
    }
    cursor.lastUsedAt = Date.now();
    const batch = takeBatch(
      cursor,
      batchSize === undefined || batchSize <= 0 ? Number.MAX_SAFE_INTEGER : batchSize,
    );
    if (cursor.position >= cursor.documents.length) {
      this.cursors.delete(key);
      return { id: Long.ZERO, batch };
    }
    return { id: Long.fromString(key), batch };
  }

  kill(rawIds: readonly unknown[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const rawId of rawIds) {
      const key = cursorKey(rawId);
      (this.cursors.delete(key) ? killed : notFound).push(Long.fromString(key));
    }
    return { killed, notFound };
  }

  closeIdle(now: number): void {
    for (const [key, cursor] of this.cursors) {
      if (now - cursor.lastUsedAt > CURSOR_IDLE_TIMEOUT_MS) this.cursors.delete(key);
    }
  }

  get openCount(): number {
    return this.cursors.size;
  }

  private newCursorId(): Long {
    // Positive, non-zero and unguessable enough; below 2^53 so it survives promoteLongs intact.
    for (;;) {
      const id = Long.fromNumber(Math.floor(Math.random() * (Number.MAX_SAFE_INTEGER - 1)) + 1);
      if (!this.cursors.has(id.toString())) return id;
    }
  }
}

function cursorKey(rawId: unknown): string {
  if (typeof rawId === 'number' || typeof rawId === 'bigint') return BigInt(rawId).toString();
  if (rawId instanceof Long) return rawId.toString();
  throw new MongoCommandError(14, 'TypeMismatch', 'cursor id must be a 64-bit integer');
}

function takeBatch(cursor: OpenCursor, maxCount: number): Document[] {
  const batch: Document[] = [];
  let bytes = 0;
  while (cursor.position < cursor.documents.length && batch.length < maxCount) {
    const document = cursor.documents[cursor.position];
    if (document === undefined) break;
    const size = calculateObjectSize(document);
    if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
    batch.push(document);
    bytes += size;
    cursor.position += 1;
  }
  return batch;
}
