import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { Types, type Model } from 'mongoose';

import { asError, createBatcher, type Batcher } from './batcher';

/**
 * Group commit: writes that callers make at about the same time go to the
 * database as one command (one `insert` of many documents, one `update` of many
 * statements) instead of one command each, batched as `batcher.ts` describes.
 * Every caller still awaits its own write's acknowledgement (or error), so
 * nothing a caller reads after its write can tell the difference; only the
 * number of commands (and their framing, bson and socket work) goes down.
 */
export type GroupCommit<T> = Batcher<T, void>;

/** One error per item (undefined: written), in the items' order. */
export type BatchWriter<T> = (items: readonly T[]) => Promise<readonly (Error | undefined)[]>;

export const DEFAULT_MAX_BATCH = 500;

export function createGroupCommit<T>(write: BatchWriter<T>, options: { connection: object; maxBatch?: number }): GroupCommit<T> {
  return createBatcher<T, void>(
    async (batch) => {
      let errors: readonly (Error | undefined)[];
      try {
        errors = await write(batch.map((waiting) => waiting.item));
      } catch (error) {
        const failure = asError(error);
        errors = batch.map(() => failure);
      }
      batch.forEach((waiting, index) => {
        const error = errors[index];
        if (error) waiting.reject(error);
        else waiting.resolve();
      });
    },
    { connection: options.connection, maxBatch: options.maxBatch ?? DEFAULT_MAX_BATCH },
  );
}

interface IndexedWriteError {
  index: number;
  errmsg?: string;
  code?: number;
}

/** The per-statement errors of a bulk write that failed in part, by statement; undefined when it failed as a whole. */
function perStatement(error: unknown, count: number): (Error | undefined)[] | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const raw = (error as { writeErrors?: unknown }).writeErrors;
  const list: unknown[] = Array.isArray(raw) ? raw : raw ? [raw] : [];
  if (list.length === 0) return undefined;
  const errors: (Error | undefined)[] = new Array<Error | undefined>(count).fill(undefined);
  for (const entry of list) {
    const writeError = entry as IndexedWriteError;
    if (typeof writeError.index !== 'number') return undefined;
    // Shaped like the driver's own errors, so `code === 11000` checks keep working.
    errors[writeError.index] = Object.assign(new Error(writeError.errmsg ?? 'write failed'), {
      code: writeError.code,
    });
  }
  return errors;
}

interface PathDefault {
  path: readonly string[];
  value: unknown;
}

const schemaDefaults = new WeakMap<object, PathDefault[]>();

/** The schema's paths that have a default, with it (a function is called per document, as Mongoose does). */
function defaultsOf<T>(model: Model<T>): PathDefault[] {
  let defaults = schemaDefaults.get(model.schema);
  if (!defaults) {
    defaults = [];
    for (const [path, type] of Object.entries(model.schema.paths)) {
      const value: unknown = (type as { defaultValue?: unknown }).defaultValue;
      if (path !== '_id' && value !== undefined) defaults.push({ path: path.split('.'), value });
    }
    schemaDefaults.set(model.schema, defaults);
  }
  return defaults;
}

/** A constant default of an object or array type is copied per document, never shared between them. */
function freshCopy(value: unknown): unknown {
  if (Array.isArray(value)) return [...(value as unknown[])];
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) return { ...(value as Record<string, unknown>) };
  return value;
}

function valueAt(target: Record<string, unknown>, path: readonly string[]): unknown {
  let cursor: unknown = target;
  for (const part of path) cursor = typeof cursor === 'object' && cursor !== null ? (cursor as Record<string, unknown>)[part] : undefined;
  return cursor;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cursor = target;
  for (const part of path.slice(0, -1)) {
    const next = cursor[part];
    if (typeof next !== 'object' || next === null) cursor[part] = {};
    cursor = cursor[part] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) cursor[last] = value;
}

/**
 * A new document of a model as `Model.create` would store it, built on a plain object
 * (no hydrated document, no per-path casting): the schema's defaults for the paths not
 * given, an `_id`, timestamps where the schema keeps them and the version key. The
 * repositories build every document with the schema's own types (ObjectIds, Dates) from
 * inputs validated at the edge (zod), which the type of `fields` holds them to.
 */
export function newDocument<T>(model: Model<T>, fields: Record<string, unknown>): Document {
  const doc: Document = { ...fields };
  if (doc['_id'] === undefined) doc['_id'] = new Types.ObjectId();
  for (const { path, value } of defaultsOf(model)) {
    if (valueAt(doc, path) !== undefined) continue;
    setPath(doc, path, typeof value === 'function' ? (value as (this: Document) => unknown).call(doc) : freshCopy(value));
  }
  model.applyTimestamps(doc);
  const versionKey: unknown = model.schema.get('versionKey');
  if (typeof versionKey === 'string' && versionKey !== '' && doc[versionKey] === undefined) doc[versionKey] = 0;
  return doc;
}

/**
 * Inserts documents (from `newDocument`) in one unordered `insert` command. Answers one
 * error per document (a duplicate key fails only its own).
 */
export function insertEach<T>(model: Model<T>): BatchWriter<Document> {
  return async (docs) => {
    try {
      await model.collection.insertMany([...docs], { ordered: false });
      return docs.map(() => undefined);
    } catch (error) {
      const each = perStatement(error, docs.length);
      if (!each) throw error;
      return each;
    }
  };
}

/**
 * Runs update statements on a model's collection as one unordered bulk `update` command,
 * one error per statement. The statements go to the driver as they are: the repository
 * builds them with the stored types (ObjectIds, Dates) and sets what Mongoose would add
 * (a schema with timestamps: `updatedAt`).
 */
export function updateEach<T>(model: Model<T>): BatchWriter<AnyBulkWriteOperation> {
  return async (operations) => {
    try {
      await model.collection.bulkWrite([...operations], { ordered: false });
      return operations.map(() => undefined);
    } catch (error) {
      const each = perStatement(error, operations.length);
      if (!each) throw error;
      return each;
    }
  };
}
