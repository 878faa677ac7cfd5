import { ObjectId, serialize, type Document } from 'bson';
import { aggregate, update as applyModifier } from 'mingo';
import { update as applyModifierInContext } from 'mingo/updater';
import { collatedContext } from './collated-operators';
import type { AnyObject } from 'mingo/types';
import { MongoCommandError, failedToParse } from './command-error';
import { cloneDocument } from './collection-store';
import { translateEngineError, type EvaluationScope } from './query-engine';
import { applySimpleUpdate } from './simple-update';

const SUPPORTED_MODIFIERS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$rename',
  '$min',
  '$max',
  '$currentDate',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$bit',
  '$setOnInsert',
]);
const PIPELINE_UPDATE_STAGES = new Set([
  '$addFields',
  '$set',
  '$project',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
]);

export type UpdateKind = 'operators' | 'replacement' | 'pipeline';

export function classifyUpdate(update: unknown): UpdateKind {
  if (Array.isArray(update)) return 'pipeline';
  if (typeof update !== 'object' || update === null)
    throw failedToParse('Update argument must be either an object or an array');
  const keys = Object.keys(update);
  const operatorCount = keys.filter((key) => key.startsWith('$')).length;
  if (operatorCount === 0) return 'replacement';
  if (operatorCount !== keys.length)
    throw failedToParse(
      'Unknown modifier: ' +
        (keys.find((key) => !key.startsWith('$')) ?? '') +
        '. Expected a valid update modifier or pipeline-style update specified as an array',
    );
  for (const key of keys) {
    if (!SUPPORTED_MODIFIERS.has(key)) {
      throw failedToParse(
        `Unknown modifier: ${key}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
  }
  return 'operators';
}

export interface UpdateOptions {
  /** The query filter, which resolves the positional `$` operator. */
  readonly filter: Document;
  readonly arrayFilters?: Document[];
  /** True when the document is being created by an upsert: $setOnInsert applies. */
  readonly isInsert: boolean;
  /** `let` variables, for update pipelines. */
  readonly scope?: EvaluationScope | undefined;
}

export interface UpdateOutcome {
  readonly document: Document;
  readonly isModified: boolean;
}

/** Computes the updated document without touching `original`. */
export function applyUpdate(
  original: Document,
  update: Document | Document[],
  options: UpdateOptions,
): UpdateOutcome {
  const kind = classifyUpdate(update);
  let next: Document;
  if (kind === 'replacement') {
    const { _id: replacementId, ...fields } = update as Document;
    const originalId: unknown = original['_id'];
    const idValue: unknown = replacementId;
    next = { _id: idValue === undefined ? originalId : idValue, ...fields };
    if (next['_id'] === undefined) delete next['_id'];
  } else if (kind === 'pipeline') {
    next = runUpdatePipeline(original, update as Document[], options.scope);
  } else {
    const modifier = normaliseModifier(update, options.isInsert);
    const simple = options.arrayFilters === undefined ? applySimpleUpdate(original, modifier) : undefined;
    if (simple !== undefined) return simple;
    next = cloneDocument(original);
    try {
      // mingo applies an update only when the document matches the condition it is
      // given; an upsert's seed need not match its filter (`$or`, ranges), so the
      // condition is passed for existing documents only (for the positional `$`).
      const condition = options.isInsert ? undefined : options.filter;
      const arrayFilters = options.arrayFilters as AnyObject[] | undefined;
      const collation = options.scope?.collation;
      // The condition is checked again by mingo: with a collation, by the collated operators.
      if (collation === undefined) applyModifier(next, modifier, arrayFilters, condition);
      else
        applyModifierInContext(next, modifier, arrayFilters, condition, {
          queryOptions: { context: collatedContext(collation) },
        });
    } catch (error: unknown) {
      throw translateUpdateError(error);
    }
  }
  return { document: next, isModified: !sameBytes(original, next) };
}

function runUpdatePipeline(original: Document, pipeline: Document[], scope: EvaluationScope = {}): Document {
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0] ?? '';
    if (!PIPELINE_UPDATE_STAGES.has(name)) {
      throw new MongoCommandError(72, 'InvalidOptions', `${name} is not allowed to be used within an update`);
    }
  }
  try {
    const variables = scope.variables === undefined ? {} : { variables: scope.variables };
    const [result] = aggregate([cloneDocument(original)] as AnyObject[], pipeline, variables);
    // A pipeline that rebuilds the document ($replaceRoot, $project) keeps its _id, as MongoDB does.
    if (result !== undefined && !('_id' in result) && '_id' in original) {
      const id: unknown = original['_id'];
      return { _id: id, ...result };
    }
    return result ?? {};
  } catch (error: unknown) {
    throw translateEngineError(error);
  }
}

/** mingo has no $setOnInsert: it becomes part of $set on insert and is dropped otherwise. */
function normaliseModifier(update: Document, isInsert: boolean): Record<string, AnyObject> {
  const { $setOnInsert: onInsert, ...rest } = update;
  const modifier = { ...rest } as Record<string, AnyObject>;
  if (isInsert && typeof onInsert === 'object' && onInsert !== null) {
    modifier['$set'] = { ...(modifier['$set'] ?? {}), ...(onInsert as AnyObject) };
  }
  return modifier;
}

function translateUpdateError(error: unknown): MongoCommandError {
  const message = error instanceof Error ? error.message : String(error);
  if (/conflict/i.test(message)) return new MongoCommandError(40, 'ConflictingUpdateOperators', message);
  if (/numeric/i.test(message)) return new MongoCommandError(14, 'TypeMismatch', message);
  return translateEngineError(error);
}

function sameBytes(a: Document, b: Document): boolean {
  return Buffer.compare(Buffer.from(serialize(a)), Buffer.from(serialize(b))) === 0;
}

/**
 * The document an upsert starts from: the filter's equality conditions (including
 * those inside $and), with dot paths expanded into nested fields.
 */
export function seedFromFilter(filter: Document): Document {
  const seed: Document = {};
  const visit = (conditions: Document): void => {
    for (const [field, condition] of Object.entries(conditions)) {
      if (field === '$and' && Array.isArray(condition)) {
        for (const clause of condition)
          if (typeof clause === 'object' && clause !== null) visit(clause as Document);
        continue;
      }
      if (field.startsWith('$')) continue;
      if (isOperatorObject(condition)) {
        if ('$eq' in condition) setPath(seed, field, condition['$eq']);
        continue;
      }
      setPath(seed, field, condition);
    }
  };
  visit(filter);
  return seed;
}

function isOperatorObject(value: unknown): value is Document {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    value instanceof Date ||
    value instanceof RegExp
  )
    return false;
  if ('_bsontype' in value) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

function setPath(target: Document, path: string, value: unknown): void {
  if (value instanceof RegExp) return;
  const parts = path.split('.');
  let cursor: Document = target;
  parts.forEach((part, i) => {
    if (i === parts.length - 1) {
      cursor[part] = value;
      return;
    }
    const child: unknown = cursor[part];
    if (typeof child !== 'object' || child === null) cursor[part] = {};
    cursor = cursor[part] as Document;
  });
}

/** Builds the document an upsert inserts; _id comes from the filter, the update, or a new ObjectId. */
export function buildUpsertDocument(
  filter: Document,
  update: Document | Document[],
  arrayFilters: Document[] | undefined,
  scope: EvaluationScope = {},
): Document {
  const kind = classifyUpdate(update);
  const seed = kind === 'replacement' ? pick(seedFromFilter(filter), '_id') : seedFromFilter(filter);
  const options: UpdateOptions =
    arrayFilters === undefined
      ? { filter, isInsert: true, scope }
      : { filter, arrayFilters, isInsert: true, scope };
  const { document } = applyUpdate(seed, update, options);
  return withId(document);
}

export function withId(document: Document): Document {
  const { _id: id, ...rest } = document;
  const idValue: unknown = id;
  return { _id: idValue === undefined ? new ObjectId() : idValue, ...rest };
}

function pick(document: Document, field: string): Document {
  const value: unknown = document[field];
  return field in document ? { [field]: value } : {};
}
