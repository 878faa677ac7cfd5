import type { Document } from 'bson';
import { MongoCommandError, failedToParse } from '../command-error';
import { cloneDocument, type CollectionStore } from '../collection-store';
import { projectDocuments, type EvaluationScope } from '../query-engine';
import { collationFor, scopeOf } from './command-scope';
import { runQuery } from '../query-planner';
import { applyUpdate, buildUpsertDocument, withId, type UpdateOptions } from '../update-engine';
import {
  collectionNameOf,
  documentArray,
  isPlainDocument,
  optionalDocument,
  type CommandContext,
  type CommandHandler,
} from './command-context';

interface WriteError {
  readonly index: number;
  readonly code: number;
  readonly errmsg: string;
  readonly [extra: string]: unknown;
}

function toWriteError(index: number, error: unknown): WriteError {
  if (!(error instanceof MongoCommandError)) throw error;
  return { index, code: error.code, errmsg: error.message, ...error.details };
}

/**
 * Runs one statement per item; ordered batches stop at the first failure, unordered
 * ones carry on. Errors that are not per-document (bugs) still fail the whole command.
 */
function runBatch<T>(
  items: readonly T[],
  isOrdered: boolean,
  apply: (item: T, index: number) => void,
): WriteError[] {
  const errors: WriteError[] = [];
  for (const [index, item] of items.entries()) {
    try {
      apply(item, index);
    } catch (error: unknown) {
      errors.push(toWriteError(index, error));
      if (isOrdered) break;
    }
  }
  return errors;
}

function withWriteErrors(reply: Document, errors: WriteError[]): Document {
  return errors.length === 0 ? { ...reply, ok: 1 } : { ...reply, writeErrors: errors, ok: 1 };
}

/** MongoDB stores `$`-prefixed field names in documents (5.0+), but never inside an `_id` document. */
function rejectDollarFieldsInId(id: unknown): void {
  if (!isPlainDocument(id)) return;
  const dollar = Object.keys(id).find((key) => key.startsWith('$'));
  if (dollar !== undefined)
    throw new MongoCommandError(
      52,
      'DollarPrefixedFieldName',
      `_id fields may not contain '$'-prefixed fields: ${dollar} is not valid for storage.`,
    );
}

const insert: CommandHandler = (command, context) => {
  const name = collectionNameOf(command, 'insert');
  const documents = documentArray(command, 'documents');
  const collection = context.storage.getOrCreateCollection(context.databaseName, name);
  let inserted = 0;
  const errors = runBatch(documents, command['ordered'] !== false, (document) => {
    rejectDollarFieldsInId(document['_id']);
    // Decoded from this request and held by nothing else: stored without another copy.
    collection.insert(withId(document), 'adopt');
    inserted += 1;
  });
  return withWriteErrors({ n: inserted }, errors);
};

interface UpdateStatement {
  readonly q: Document;
  readonly u: Document | Document[];
  readonly isMulti: boolean;
  readonly isUpsert: boolean;
  readonly arrayFilters?: Document[];
  /** MongoDB 8.0's `sort` of updateOne/replaceOne: which matching document is updated. */
  readonly sort?: Document;
  /** The statement's own `collation`, as sent. */
  readonly collation?: unknown;
}

function parseUpdateStatement(raw: Document): UpdateStatement {
  // `sort` on a single update arrived in 8.0; the 7.0 the emulator reports refuses it, never ignores it.
  if (raw['sort'] !== undefined)
    throw new MongoCommandError(
      40415,
      'Location40415',
      "BSON field 'update.updates.sort' is an unknown field.",
    );
  const filter = optionalDocument(raw, 'q') ?? {};
  const update: unknown = raw['u'];
  if (!isPlainDocument(update) && !Array.isArray(update))
    throw failedToParse("update statement requires a 'u' document or pipeline");
  const arrayFilters: unknown = raw['arrayFilters'];
  const statement: UpdateStatement = {
    q: filter,
    u: update as Document | Document[],
    isMulti: raw['multi'] === true,
    isUpsert: raw['upsert'] === true,
    collation: raw['collation'],
  };
  const sort = optionalDocument(raw, 'sort');
  if (sort !== undefined && statement.isMulti)
    throw new MongoCommandError(72, 'InvalidOptions', 'Cannot specify sort with multi=true');
  const sorted = sort === undefined ? statement : { ...statement, sort };
  return Array.isArray(arrayFilters) ? { ...sorted, arrayFilters: arrayFilters as Document[] } : sorted;
}

function updateOptionsFor(statement: UpdateStatement, scope: EvaluationScope): UpdateOptions {
  return statement.arrayFilters === undefined
    ? { filter: statement.q, isInsert: false, scope }
    : { filter: statement.q, arrayFilters: statement.arrayFilters, isInsert: false, scope };
}

/** Updates are computed before any is stored, so an invalid update (bad operator, wrong type) changes nothing. */
function applyUpdateStatement(
  collection: CollectionStore,
  statement: UpdateStatement,
  scope: EvaluationScope,
): { matched: number; modified: number; upsertedId?: unknown } {
  const candidates = runQuery(collection, {
    filter: statement.q,
    scope,
    ...(statement.isMulti ? {} : { limit: 1 }),
    ...(statement.sort === undefined ? {} : { sort: statement.sort }),
  }).documents;
  const targets = statement.isMulti ? candidates : candidates.slice(0, 1);
  if (targets.length === 0) {
    if (!statement.isUpsert) return { matched: 0, modified: 0 };
    const document = buildUpsertDocument(statement.q, statement.u, statement.arrayFilters, scope);
    collection.insert(document, 'adopt');
    return { matched: 0, modified: 0, upsertedId: document['_id'] };
  }
  if (
    statement.isMulti &&
    !Array.isArray(statement.u) &&
    !Object.keys(statement.u).some((key) => key.startsWith('$'))
  ) {
    throw failedToParse('multi update is not supported for replacement-style update');
  }
  const outcomes = targets.map((target) => ({
    target,
    ...applyUpdate(target, statement.u, updateOptionsFor(statement, scope)),
  }));
  let modified = 0;
  for (const outcome of outcomes) {
    if (!outcome.isModified) continue;
    // A computed document (fresh, or sharing only unchanged parts with the stored one): no copy needed.
    collection.replace(outcome.target, outcome.document, 'adopt');
    modified += 1;
  }
  return { matched: targets.length, modified };
}

const update: CommandHandler = (command, context) => {
  const name = collectionNameOf(command, 'update');
  const statements = documentArray(command, 'updates').map(parseUpdateStatement);
  const collection = context.storage.getOrCreateCollection(context.databaseName, name);
  const scope = scopeOf(command, 'update', collection);
  let matched = 0;
  let modified = 0;
  const upserted: { index: number; _id: unknown }[] = [];
  const errors = runBatch(statements, command['ordered'] !== false, (statement, index) => {
    const collation = collationFor(statement.collation, collection);
    const result = applyUpdateStatement(collection, statement, { ...scope, collation });
    matched += result.matched;
    modified += result.modified;
    if (result.upsertedId !== undefined) upserted.push({ index, _id: result.upsertedId });
  });
  const reply: Document = { n: matched + upserted.length, nModified: modified };
  if (upserted.length > 0) reply['upserted'] = upserted;
  return withWriteErrors(reply, errors);
};

const remove: CommandHandler = (command, context) => {
  const name = collectionNameOf(command, 'delete');
  const statements = documentArray(command, 'deletes');
  const collection = context.storage.getCollection(context.databaseName, name);
  const scope = scopeOf(command, 'delete', collection);
  let removed = 0;
  const errors = runBatch(statements, command['ordered'] !== false, (statement) => {
    const limit: unknown = statement['limit'];
    if (limit !== 0 && limit !== 1)
      throw failedToParse('The limit field in delete objects must be 0 or 1. Got ' + String(limit));
    if (collection === undefined) return;
    const matches = runQuery(collection, {
      filter: optionalDocument(statement, 'q') ?? {},
      scope: { ...scope, collation: collationFor(statement['collation'], collection) },
      ...(limit === 1 ? { limit: 1 } : {}),
    }).documents;
    for (const document of limit === 1 ? matches.slice(0, 1) : matches) collection.remove(document);
    removed += limit === 1 ? Math.min(1, matches.length) : matches.length;
  });
  return withWriteErrors({ n: removed }, errors);
};

function findAndModifyTarget(
  collection: CollectionStore | undefined,
  command: Document,
  scope: EvaluationScope,
): Document | undefined {
  if (collection === undefined) return undefined;
  const query = optionalDocument(command, 'query');
  const sort = optionalDocument(command, 'sort');
  const [target] = runQuery(collection, {
    scope,
    ...(query === undefined ? {} : { filter: query }),
    ...(sort === undefined ? {} : { sort }),
    limit: 1,
  }).documents;
  return target;
}

function projectOne(document: Document | undefined, command: Document): Document | null {
  if (document === undefined) return null;
  const projection = optionalDocument(command, 'fields') ?? optionalDocument(command, 'projection');
  // Projected first, so only the fields answered are copied out of the store.
  const [projected] = projectDocuments([document], projection);
  return projected === undefined ? null : cloneDocument(projected);
}

const findAndModify: CommandHandler = (command, context: CommandContext) => {
  const name = collectionNameOf(command, Object.keys(command)[0] ?? 'findAndModify');
  const isRemove = command['remove'] === true;
  const updateSpec: unknown = command['update'];
  if (isRemove && updateSpec !== undefined)
    throw failedToParse('Cannot specify both an update and remove=true');
  if (!isRemove && !isPlainDocument(updateSpec) && !Array.isArray(updateSpec)) {
    throw failedToParse('Either an update or remove=true must be specified');
  }
  const existing = context.storage.getCollection(context.databaseName, name);
  const scope = scopeOf(command, 'findAndModify', existing);
  const target = findAndModifyTarget(existing, command, scope);
  if (isRemove) {
    if (target === undefined) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    const value = projectOne(target, command);
    existing?.remove(target);
    return { lastErrorObject: { n: 1 }, value, ok: 1 };
  }
  const updateDocument = updateSpec as Document | Document[];
  const query = optionalDocument(command, 'query') ?? {};
  const arrayFilters: unknown = command['arrayFilters'];
  const returnNew = command['new'] === true;
  const collection = existing ?? context.storage.getOrCreateCollection(context.databaseName, name);
  if (target === undefined) {
    if (command['upsert'] !== true)
      return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    const document = buildUpsertDocument(
      query,
      updateDocument,
      Array.isArray(arrayFilters) ? (arrayFilters as Document[]) : undefined,
      scope,
    );
    collection.insert(document, 'adopt');
    const upsertedId: unknown = document['_id'];
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: upsertedId },
      value: returnNew ? projectOne(document, command) : null,
      ok: 1,
    };
  }
  const options: UpdateOptions = Array.isArray(arrayFilters)
    ? { filter: query, arrayFilters: arrayFilters as Document[], isInsert: false, scope }
    : { filter: query, isInsert: false, scope };
  const outcome = applyUpdate(target, updateDocument, options);
  if (outcome.isModified) collection.replace(target, outcome.document, 'adopt');
  return {
    lastErrorObject: { n: 1, updatedExisting: true },
    value: projectOne(returnNew ? outcome.document : target, command),
    ok: 1,
  };
};

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
  findAndModify,
  findandmodify: findAndModify,
};
