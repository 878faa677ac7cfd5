import type { Document } from 'bson';
import { MongoCommandError, badValue } from '../command-error';
import { cloneDocument } from '../collection-store';
import { projectDocuments, runPipeline } from '../query-engine';
import { aggregateShape, runQuery, type QueryShape } from '../query-planner';
import { withId } from '../update-engine';
import { duplicateKeyError } from '../index-catalog';
import { explainQuery } from './explain.commands';
import { valuesAtPath } from '../bson-order';
import { valueKey } from '../value-key';
import { compareBsonValues } from '../bson-order';
import { collationFor, scopeOf } from './command-scope';
import { containsString } from '../collated-operators';
import type { CollectionStore } from '../collection-store';
import {
  collectionNameOf,
  documentArray,
  findCollection,
  isPlainDocument,
  namespaceOf,
  nonNegative,
  optionalDocument,
  optionalNumber,
  type CommandContext,
  type CommandHandler,
} from './command-context';

function storedDocuments(context: CommandContext, name: string): Document[] {
  return findCollection(context, name)?.documentsInOrder() ?? [];
}

function cursorReply(
  context: CommandContext,
  namespace: string,
  results: Document[],
  batchSize: number | undefined,
  isSingleBatch: boolean,
  keep?: (document: Document) => Document,
): Document {
  const { id, batch } = context.cursors.open(namespace, results, batchSize, isSingleBatch, keep);
  return { cursor: { firstBatch: batch, id, ns: namespace }, ok: 1 };
}

function findShape(
  command: Document,
  skip: number | undefined,
  limit: number | undefined,
  collection: CollectionStore | undefined,
): QueryShape {
  return {
    filter: optionalDocument(command, 'filter'),
    sort: optionalDocument(command, 'sort'),
    skip,
    limit,
    hint: command['hint'],
    scope: scopeOf(command, 'find', collection),
  };
}

const find: CommandHandler = (command, context) => {
  const name = collectionNameOf(command, 'find');
  const rawLimit = optionalNumber(command, 'limit');
  const isSingleBatch = command['singleBatch'] === true || (rawLimit !== undefined && rawLimit < 0);
  const limit = rawLimit === undefined ? undefined : Math.abs(rawLimit);
  const skip = nonNegative(optionalNumber(command, 'skip'), 'skip');
  const batchSize = nonNegative(optionalNumber(command, 'batchSize'), 'batchSize');
  const collection = findCollection(context, name);
  const found = runQuery(collection, findShape(command, skip, limit, collection)).documents;
  // The first batch is serialised straight from the stored documents (the reply is encoded
  // before anything else runs); only what the cursor keeps for getMore is copied.
  const results = projectDocuments(found, optionalDocument(command, 'projection'));
  // With a limit no larger than the batch, MongoDB closes the cursor after the first batch.
  const firstBatchSize = batchSize === undefined && limit !== undefined && limit > 0 ? limit : batchSize;
  return cursorReply(context, namespaceOf(context, name), results, firstBatchSize, isSingleBatch, cloneDocument);
};

const getMore: CommandHandler = (command, context) => {
  const collection: unknown = command['collection'];
  if (typeof collection !== 'string') throw badValue("getMore requires a 'collection' string");
  const namespace = namespaceOf(context, collection);
  const { id, batch } = context.cursors.getMore(
    command['getMore'],
    namespace,
    nonNegative(optionalNumber(command, 'batchSize'), 'batchSize'),
  );
  return { cursor: { nextBatch: batch, id, ns: namespace }, ok: 1 };
};

const killCursors: CommandHandler = (command, context) => {
  collectionNameOf(command, 'killCursors');
  const ids: unknown = command['cursors'];
  if (!Array.isArray(ids)) throw badValue("killCursors requires a 'cursors' array");
  const { killed, notFound } = context.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: CommandHandler = (command, context) => {
  const name = collectionNameOf(command, 'count');
  const query = optionalDocument(command, 'query');
  const skip = nonNegative(optionalNumber(command, 'skip'), 'skip');
  const limit = optionalNumber(command, 'limit');
  const collection = findCollection(context, name);
  const matched = runQuery(collection, {
    filter: query,
    skip,
    limit: limit === undefined ? undefined : Math.abs(limit),
    hint: command['hint'],
    scope: { collation: collationFor(command['collation'], collection) },
  }).documents;
  return { n: matched.length, ok: 1 };
};

const distinct: CommandHandler = (command, context) => {
  const name = collectionNameOf(command, 'distinct');
  const key: unknown = command['key'];
  if (typeof key !== 'string' || key.length === 0)
    throw badValue("distinct requires a non-empty 'key' string");
  const query = optionalDocument(command, 'query');
  const collection = findCollection(context, name);
  const collation = collationFor(command['collation'], collection);
  const matched = runQuery(collection, { filter: query, scope: { collation } }).documents;
  const seen = new Map<string, unknown>();
  // With a collation, values holding strings are the same value when the collation says so.
  const collated: unknown[] = [];
  for (const document of matched) {
    for (const value of valuesAtPath(document, key.split('.'))) {
      // Array values contribute their elements, as MongoDB's distinct does.
      for (const item of Array.isArray(value) ? value : [value]) {
        if (collation !== undefined && containsString(item)) {
          const isSeen = collated.some((other) => compareBsonValues(other, item, collation.compareStrings) === 0);
          if (!isSeen) {
            collated.push(item);
            seen.set(`collated:${collated.length}`, item);
          }
          continue;
        }
        const itemKey = valueKey(item);
        if (!seen.has(itemKey)) seen.set(itemKey, item);
      }
    }
  }
  return { values: [...seen.values()], ok: 1 };
};

const FORBIDDEN_STAGES = new Set([
  '$changeStream',
  '$currentOp',
  '$listSessions',
  '$collStats',
  '$indexStats',
]);

/** Where a final $out or $merge writes, and how ($merge's whenMatched / whenNotMatched). */
interface OutputStage {
  readonly databaseName: string;
  readonly collectionName: string;
  readonly mode: 'out' | 'merge';
  readonly whenMatched: 'merge' | 'replace' | 'keepExisting' | 'fail';
  readonly whenNotMatched: 'insert' | 'discard' | 'fail';
}

function outputTarget(
  spec: unknown,
  databaseName: string,
  stage: string,
): { databaseName: string; collectionName: string } {
  if (typeof spec === 'string' && spec.length > 0) return { databaseName, collectionName: spec };
  if (isPlainDocument(spec) && typeof spec['coll'] === 'string') {
    return {
      databaseName: typeof spec['db'] === 'string' ? spec['db'] : databaseName,
      collectionName: spec['coll'],
    };
  }
  throw badValue(`${stage} needs a collection name or { db, coll }`);
}

function outputStageOf(stage: Document, databaseName: string): OutputStage | undefined {
  if ('$out' in stage) {
    return {
      ...outputTarget(stage['$out'], databaseName, '$out'),
      mode: 'out',
      whenMatched: 'replace',
      whenNotMatched: 'insert',
    };
  }
  if (!('$merge' in stage)) return undefined;
  const spec: unknown = stage['$merge'];
  const options: Document = isPlainDocument(spec) ? spec : { into: spec };
  for (const key of Object.keys(options)) {
    if (!['into', 'on', 'whenMatched', 'whenNotMatched'].includes(key))
      throw new MongoCommandError(40415, 'Location40415', `BSON field '$merge.${key}' is an unknown field.`);
  }
  const on: unknown = options['on'];
  if (on !== undefined && on !== '_id' && !(Array.isArray(on) && on.length === 1 && on[0] === '_id')) {
    throw new MongoCommandError(
      115,
      'CommandNotSupported',
      "$merge 'on' fields other than _id are not supported by the emulator",
    );
  }
  const whenMatched: unknown = options['whenMatched'] ?? 'merge';
  const whenNotMatched: unknown = options['whenNotMatched'] ?? 'insert';
  if (
    whenMatched !== 'merge' &&
    whenMatched !== 'replace' &&
    whenMatched !== 'keepExisting' &&
    whenMatched !== 'fail'
  )
    throw new MongoCommandError(
      115,
      'CommandNotSupported',
      '$merge whenMatched must be merge, replace, keepExisting or fail in the emulator (no pipelines)',
    );
  if (whenNotMatched !== 'insert' && whenNotMatched !== 'discard' && whenNotMatched !== 'fail')
    throw badValue("$merge whenNotMatched must be 'insert', 'discard' or 'fail'");
  const into: unknown = options['into'];
  return { ...outputTarget(into, databaseName, '$merge'), mode: 'merge', whenMatched, whenNotMatched };
}

/** $out replaces the target's documents (keeping its indexes); $merge merges by _id. */
function writeOutput(context: CommandContext, output: OutputStage, results: readonly Document[]): void {
  const collection = context.storage.getOrCreateCollection(output.databaseName, output.collectionName);
  if (output.mode === 'out') {
    for (const document of collection.documentsInOrder()) collection.remove(document);
    for (const document of results) collection.insert(withId(document));
    return;
  }
  for (const document of results) {
    const withKey = withId(document);
    const [existing] = runQuery(collection, {
      filter: { _id: withKey['_id'] as unknown },
      limit: 1,
    }).documents;
    if (existing === undefined) {
      if (output.whenNotMatched === 'fail')
        throw new MongoCommandError(
          13113,
          'MergeStageNoMatchingDocument',
          '$merge could not find a matching document in the target collection for at least one document in the source collection',
        );
      if (output.whenNotMatched === 'insert') collection.insert(withKey);
      continue;
    }
    if (output.whenMatched === 'keepExisting') continue;
    if (output.whenMatched === 'fail') {
      throw duplicateKeyError(collection.namespace, '_id_', { _id: 1 }, { _id: withKey['_id'] as unknown });
    }
    collection.replace(existing, output.whenMatched === 'replace' ? withKey : { ...existing, ...withKey });
  }
}

/**
 * `{ aggregate: 1, pipeline: [{ $documents: [...] }, ...] }`: a pipeline over literal
 * documents, not a collection (its `$merge`/`$out` may still write to one). Other
 * collection-less first stages ($listLocalSessions, $currentOp, …) are refused.
 */
function aggregateDocuments(command: Document, context: CommandContext): Document {
  const fullPipeline = documentArray(command, 'pipeline');
  const documentsStage = fullPipeline[0]?.['$documents'] as unknown;
  if (!Array.isArray(documentsStage) || !documentsStage.every(isPlainDocument)) {
    throw new MongoCommandError(
      73,
      'InvalidNamespace',
      '{aggregate: 1} is supported by the emulator only with a first $documents stage of literal documents',
    );
  }
  const cursorOptions = optionalDocument(command, 'cursor') ?? {};
  const lastStage = fullPipeline[fullPipeline.length - 1];
  const output =
    lastStage === undefined || fullPipeline.length < 2 ? undefined : outputStageOf(lastStage, context.databaseName);
  const rest = fullPipeline.slice(1, output === undefined ? undefined : -1);
  const scope = scopeOf(command, 'aggregate', undefined);
  const results = runPipeline(
    documentsStage.map(cloneDocument),
    rest,
    (from) => storedDocuments(context, from).map(cloneDocument),
    scope,
  );
  const namespace = `${context.databaseName}.$cmd.aggregate`;
  const batchSize = nonNegative(optionalNumber(cursorOptions, 'batchSize'), 'cursor.batchSize');
  if (output !== undefined) {
    writeOutput(context, output, results);
    return cursorReply(context, namespace, [], batchSize, false);
  }
  return cursorReply(context, namespace, results, batchSize, false, cloneDocument);
}

const aggregate: CommandHandler = (command, context) => {
  const target: unknown = command['aggregate'];
  if (target === 1) return aggregateDocuments(command, context);
  if (typeof target !== 'string') {
    throw new MongoCommandError(
      73,
      'InvalidNamespace',
      `collection name has invalid type ${typeof target} for command aggregate`,
    );
  }
  const fullPipeline = documentArray(command, 'pipeline');
  const lastStage = fullPipeline[fullPipeline.length - 1];
  const output = lastStage === undefined ? undefined : outputStageOf(lastStage, context.databaseName);
  const pipeline = output === undefined ? fullPipeline : fullPipeline.slice(0, -1);
  for (const stage of pipeline) {
    const stageName = Object.keys(stage)[0] ?? '';
    if (FORBIDDEN_STAGES.has(stageName)) {
      throw new MongoCommandError(
        40324,
        'Location40324',
        `Unsupported pipeline stage in the emulator: '${stageName}'`,
      );
    }
  }
  if (command['explain'] === true)
    return explainQuery(context, target, aggregateShape(pipeline).shape, 'queryPlanner');
  const cursorOptions: unknown = command['cursor'];
  if (!isPlainDocument(cursorOptions)) {
    throw new MongoCommandError(
      9,
      'FailedToParse',
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  // The leading $match/$sort/$skip/$limit run through the planner, so only the matching
  // documents are copied into the rest of the pipeline, in index order where it fits.
  const { shape, rest } = aggregateShape(pipeline);
  const source = findCollection(context, target);
  const scope = scopeOf(command, 'aggregate', source);
  const found = runQuery(source, { ...shape, scope }).documents;
  // Later stages work on copies (the stored documents stay untouched); results with no
  // later stage are the stored documents, copied only if a cursor keeps them.
  const results =
    rest.length === 0
      ? found
      : runPipeline(
          found.map(cloneDocument),
          rest,
          (from) => storedDocuments(context, from).map(cloneDocument),
          scope,
        );
  const batchSize = nonNegative(optionalNumber(cursorOptions, 'batchSize'), 'cursor.batchSize');
  if (output !== undefined) {
    writeOutput(context, output, rest.length === 0 ? results.map(cloneDocument) : results);
    return cursorReply(context, namespaceOf(context, target), [], batchSize, false);
  }
  return cursorReply(context, namespaceOf(context, target), results, batchSize, false, cloneDocument);
};

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
};
