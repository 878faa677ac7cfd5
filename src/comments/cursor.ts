import { z } from 'zod';
import { AppError } from '../shared/errors';

/**
 * A position in one ordered list: the sort key and `_id` of the last item
 * seen (keyset pagination), or the start of the list when both are null.
 * `scope` names the ordering, so a cursor of one list is refused by another.
 */
export interface CursorPosition {
  scope: string;
  key: number | null;
  id: string | null;
}

const OBJECT_ID = /^[0-9a-f]{24}$/;
/** The largest time a JavaScript Date (and a BSON date read back) can hold. */
const MAX_DATE_MS = 8.64e15;

const cursorPayloadSchema = z
  .object({
    v: z.literal(1),
    s: z.string().min(1).max(64),
    // Keys are dates (ms since the epoch) or counts: whole numbers a Date can hold.
    k: z.number().int().min(-MAX_DATE_MS).max(MAX_DATE_MS).nullable(),
    i: z.string().regex(OBJECT_ID).nullable(),
  })
  .strict()
  .refine((value) => (value.k === null) === (value.i === null), 'key and id go together');

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, s: position.scope, k: position.key, i: position.id }), 'utf8').toString('base64url');
}

/** Decodes a client's cursor for the expected scope; anything else is CURSOR_INVALID. */
export function decodeCursor(cursor: string, scope: string): CursorPosition {
  const invalid = (): AppError => new AppError('CURSOR_INVALID', 'The cursor is not valid for this list; start again without it');
  if (cursor.length === 0 || cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = cursorPayloadSchema.safeParse(payload);
  if (!parsed.success || parsed.data.s !== scope) throw invalid();
  return { scope, key: parsed.data.k, id: parsed.data.i };
}
