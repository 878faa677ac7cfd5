import type { Document } from 'bson';
import { Aggregator, Query } from 'mingo';
import { Aggregator as ContextAggregator } from 'mingo/aggregator';
import { Query as ContextQuery } from 'mingo/query';
import type { AnyObject, Options } from 'mingo/types';
import { MongoCommandError, badValue } from './command-error';
import { sortDocuments, type SortSpec } from './bson-order';
import { STAGES_WITHOUT_COLLATION, collatedContext, isCollationFreeGroup } from './collated-operators';
import type { Collation } from './collation';
import { compileSimpleFilter } from './simple-filter';

/**
 * mingo supplies query, projection and expression semantics; this module adapts its
 * errors to MongoDB's and keeps sorting on the BSON-order comparator, because mingo
 * orders mixed types (e.g. ObjectId vs number) differently from MongoDB.
 */
export function translateEngineError(error: unknown): MongoCommandError {
  if (error instanceof MongoCommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const unknownStage = /unregistered pipeline operator (\$\w+)/.exec(message);
  if (unknownStage !== null) {
    return new MongoCommandError(
      40324,
      'Location40324',
      `Unrecognized pipeline stage name: '${unknownStage[1] ?? ''}'`,
    );
  }
  const unknownQueryOperator = /unknown query operator (\$\w+)/.exec(message);
  if (unknownQueryOperator !== null) return badValue(`unknown operator: ${unknownQueryOperator[1] ?? ''}`);
  const unknownExpression = /'(\$\w+)' is not registered/.exec(message);
  if (unknownExpression !== null) {
    return new MongoCommandError(
      168,
      'InvalidPipelineOperator',
      `Unrecognized expression '${unknownExpression[1] ?? ''}'`,
    );
  }
  return badValue(message);
}

/** What a filter, pipeline or update pipeline is evaluated with besides the documents. */
export interface EvaluationScope {
  /** A command's `let` variables, visible as `$$name`. */
  readonly variables?: Document | undefined;
  /** How strings compare; absent: binary (the simple collation). */
  readonly collation?: Collation | undefined;
}

function mingoOptions(scope: EvaluationScope): { variables?: AnyObject } {
  return scope.variables === undefined ? {} : { variables: scope.variables };
}

/** Options for mingo's own classes, which take a complete operator context: the collated one. */
function collatedOptions(scope: EvaluationScope, collation: Collation): Partial<Options> {
  return { ...mingoOptions(scope), context: collatedContext(collation) };
}

function newQuery(filter: Document, scope: EvaluationScope): { test(document: Document): boolean } {
  if (scope.collation === undefined) return new Query(filter, mingoOptions(scope));
  return new ContextQuery(filter, collatedOptions(scope, scope.collation));
}

export function compileFilter(
  filter: Document | undefined,
  scope: EvaluationScope = {},
): (document: Document) => boolean {
  if (filter === undefined || Object.keys(filter).length === 0) return () => true;
  try {
    const general = (): ((document: Document) => boolean) => {
      const query = newQuery(filter, scope);
      return (document) => query.test(document);
    };
    // Strings compared by a collation are mingo's collated operators' work.
    const simple = scope.collation === undefined ? compileSimpleFilter(filter, general) : undefined;
    return simple ?? general();
  } catch (error: unknown) {
    throw translateEngineError(error);
  }
}

export function filterDocuments(
  documents: readonly Document[],
  filter: Document | undefined,
  scope: EvaluationScope = {},
): Document[] {
  const matches = compileFilter(filter, scope);
  try {
    return documents.filter(matches);
  } catch (error: unknown) {
    throw translateEngineError(error);
  }
}

export function hasSort(sort: Document | undefined): sort is SortSpec {
  return sort !== undefined && Object.keys(sort).length > 0;
}

/** Applies a find/findAndModify projection; _id stays the first field like MongoDB returns it. */
export function projectDocuments(
  documents: readonly Document[],
  projection: Document | undefined,
): Document[] {
  if (projection === undefined || Object.keys(projection).length === 0) return [...documents];
  const cleaned = Object.fromEntries(
    Object.entries(projection).filter(([, spec]) => !isMetaProjection(spec)),
  );
  if (Object.keys(cleaned).length === 0) return [...documents];
  const fields = topLevelInclusion(cleaned);
  if (fields) return documents.map((document) => includeTopLevel(document, fields));
  try {
    return new Query({})
      .find<Document>(documents as AnyObject[], cleaned)
      .all()
      .map(moveIdFirst);
  } catch (error: unknown) {
    throw translateEngineError(error);
  }
}

/**
 * The fields of a projection that only includes top-level fields (`{ a: 1, b: true }`,
 * `_id` kept unless `_id: 0`), or undefined for any other shape (dotted paths,
 * operators, exclusions, expressions), which the query engine projects.
 */
function topLevelInclusion(projection: Document): { names: Set<string>; withId: boolean } | undefined {
  const names = new Set<string>();
  let withId = true;
  for (const [name, spec] of Object.entries(projection)) {
    if (name === '_id') {
      if (spec === 0 || spec === false) withId = false;
      else if (spec !== 1 && spec !== true) return undefined;
      continue;
    }
    if (name.includes('.') || name.startsWith('$') || (spec !== 1 && spec !== true)) return undefined;
    names.add(name);
  }
  return names.size > 0 ? { names, withId } : undefined;
}

/** The included fields of a document in its own order, `_id` first (as MongoDB answers). */
function includeTopLevel(document: Document, fields: { names: Set<string>; withId: boolean }): Document {
  const source = document as Record<string, unknown>;
  const projected: Record<string, unknown> = {};
  if (fields.withId && '_id' in source) projected['_id'] = source['_id'];
  for (const name of Object.keys(source)) if (name !== '_id' && fields.names.has(name)) projected[name] = source[name];
  return projected;
}

function isMetaProjection(spec: unknown): boolean {
  return typeof spec === 'object' && spec !== null && '$meta' in spec;
}

function moveIdFirst(document: Document): Document {
  if (!('_id' in document)) return document;
  const { _id: id, ...rest } = document;
  const idValue: unknown = id;
  return { _id: idValue, ...rest };
}

export interface FindOptions {
  readonly filter?: Document;
  readonly sort?: Document;
  readonly skip?: number;
  readonly limit?: number;
  readonly projection?: Document;
}

/** Runs a find over stored documents; the result shares objects with the store, so project/clone before exposing. */
export function findDocuments(documents: readonly Document[], options: FindOptions): Document[] {
  let result = filterDocuments(documents, options.filter);
  if (hasSort(options.sort)) result = sortDocuments(result, options.sort);
  const skip = options.skip ?? 0;
  const limit = options.limit ?? 0;
  if (skip > 0 || limit > 0) result = result.slice(skip, limit > 0 ? skip + limit : undefined);
  return result;
}

/**
 * Runs an aggregation pipeline. Top-level $sort stages use the BSON-order comparator;
 * the stages between them run in mingo.
 */
export function runPipeline(
  documents: readonly Document[],
  pipeline: readonly Document[],
  resolveCollection: (name: string) => Document[],
  scope: EvaluationScope = {},
): Document[] {
  const collation = scope.collation;
  if (collation !== undefined) {
    for (const stage of pipeline) {
      const name = Object.keys(stage)[0] ?? '';
      const isRefused =
        STAGES_WITHOUT_COLLATION.has(name) || (name === '$group' && !isCollationFreeGroup(stage['$group']));
      if (isRefused)
        throw new MongoCommandError(
          238,
          'NotImplemented',
          `${name} with a collation other than { locale: "simple" } is not supported by the Parley MongoDB emulator`,
        );
    }
  }
  let current: Document[] = [...documents];
  let pending: Document[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const collectionResolver = (name: string): AnyObject[] => resolveCollection(name);
    const aggregator =
      collation === undefined
        ? new Aggregator(pending, { ...mingoOptions(scope), collectionResolver })
        : new ContextAggregator(pending, { ...collatedOptions(scope, collation), collectionResolver });
    current = aggregator.run<Document>(current as AnyObject[]);
    pending = [];
  };
  try {
    for (const stage of pipeline) {
      const sort: unknown = stage['$sort'];
      if (Object.keys(stage).length === 1 && typeof sort === 'object' && sort !== null) {
        flush();
        current = sortDocuments(current, sort as SortSpec, collation?.compareStrings);
      } else {
        pending.push(stage);
      }
    }
    flush();
  } catch (error: unknown) {
    throw translateEngineError(error);
  }
  return current;
}
