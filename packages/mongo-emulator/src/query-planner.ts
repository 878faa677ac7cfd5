import type { Document } from 'bson';
import { compareBsonValues, sortDocuments, toNumber, typeNameOf, typeRankOf } from './bson-order';
import type { CollectionStore } from './collection-store';
import { badValue } from './command-error';
import { TREE_MAX, TREE_MIN, TypeBracketBound, type IndexEntryKey, type IndexState } from './index-catalog';
import { compileFilter, hasSort, type EvaluationScope } from './query-engine';
import { formatShellValue, valueKey } from './value-key';
import { containsString } from './collated-operators';
import { collationKeyOf } from './collation';

/**
 * The query planner: which index answers a find/count/update/delete/aggregate-$match,
 * over which key ranges, and whether its order already is the requested sort.
 *
 * Index scans only narrow the candidates: every candidate document is still checked
 * against the whole filter, so a plan may be loose (a superset) but never miss a
 * match. Bounds are therefore only built from conditions whose index semantics are
 * plain: equality and `$in` on scalars, and one-sided or two-sided ranges on a single
 * BSON type (MongoDB's comparisons are type-bracketed). On multikey indexes two range
 * conditions on one field are not intersected, since different array elements may
 * satisfy each, exactly as MongoDB's planner refrains.
 */

export interface QueryShape {
  readonly filter?: Document | undefined;
  readonly sort?: Document | undefined;
  readonly skip?: number | undefined;
  readonly limit?: number | undefined;
  /** An index name or key pattern, or `{ $natural: 1 }` for a collection scan. */
  readonly hint?: unknown;
  /** `let` variables of the command, for `$expr`, and its collation. */
  readonly scope?: EvaluationScope | undefined;
}

interface Bound {
  readonly value: unknown;
  readonly isInclusive: boolean;
}

type FieldCondition =
  | { readonly kind: 'points'; readonly values: readonly unknown[] }
  | { readonly kind: 'lower' | 'upper'; readonly bound: Bound };

/** One contiguous stretch of an index in tree order. */
interface KeyInterval {
  readonly start: IndexEntryKey;
  readonly end: IndexEntryKey;
}

interface IndexPlan {
  readonly kind: 'index';
  readonly index: IndexState;
  readonly intervals: readonly KeyInterval[];
  /** Human-readable bounds per field, as explain's indexBounds shows them. */
  readonly bounds: Document;
  readonly constrainedFields: number;
  readonly isSortProvided: boolean;
  readonly isReverse: boolean;
  /**
   * Set when the sort is served by merging the intervals (MongoDB's SORT_MERGE, its
   * "explode for sort"): the index field from which every interval is in sort order.
   */
  readonly mergeFrom: number | undefined;
}

interface CollectionScanPlan {
  readonly kind: 'collscan';
}

type Plan = IndexPlan | CollectionScanPlan;

export interface ExecutionStats {
  keysExamined: number;
  docsExamined: number;
}

export interface PlannedQuery {
  /** Stored documents (not copies): callers clone before exposing or changing them. */
  readonly documents: Document[];
  readonly winningPlan: Document;
  readonly rejectedPlans: Document[];
  readonly stats: ExecutionStats;
}

const POINT_TYPES = new Set([
  'number',
  'string',
  'boolean',
  'date',
  'objectId',
  'timestamp',
  'null',
  'binary',
]);
const RANGE_TYPES = new Set(['number', 'string', 'boolean', 'date', 'objectId', 'timestamp', 'binary']);
/** Cartesian products of `$in` lists beyond this stop adding fields to the bounds. */
const MAX_INTERVALS = 1000;
/** How long competing plans race before the most productive one is taken. */
const TRIAL_WORKS = 10_000;
const DEFAULT_TRIAL_RESULTS = 101;

function isOperatorObject(value: unknown): value is Document {
  if (typeNameOf(value) !== 'object') return false;
  const keys = Object.keys(value as Document);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

function isPointValue(value: unknown): boolean {
  if (value === undefined) return true;
  const type = typeNameOf(value);
  if (!POINT_TYPES.has(type)) return false;
  return type !== 'number' || !Number.isNaN(toNumber(value));
}

function isRangeValue(value: unknown): boolean {
  const type = typeNameOf(value);
  if (!RANGE_TYPES.has(type)) return false;
  return type !== 'number' || !Number.isNaN(toNumber(value));
}

/** Conditions per dot path that can bound an index scan, from the filter's top level and its `$and`s. */
function collectConditions(filter: Document, into: Map<string, FieldCondition[]>): void {
  const push = (path: string, condition: FieldCondition): void => {
    const list = into.get(path) ?? [];
    list.push(condition);
    into.set(path, list);
  };
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const clause of condition as unknown[])
        if (typeNameOf(clause) === 'object') collectConditions(clause as Document, into);
      continue;
    }
    if (field.startsWith('$')) continue;
    if (!isOperatorObject(condition)) {
      if (isPointValue(condition)) push(field, { kind: 'points', values: [condition ?? null] });
      continue;
    }
    for (const [operator, operand] of Object.entries(condition)) {
      const value: unknown = operand;
      switch (operator) {
        case '$eq':
          if (isPointValue(value)) push(field, { kind: 'points', values: [value ?? null] });
          break;
        case '$in':
          if (Array.isArray(value) && value.length > 0 && value.every(isPointValue))
            push(field, { kind: 'points', values: (value as unknown[]).map((item) => item ?? null) });
          break;
        case '$gt':
        case '$gte':
          if (isRangeValue(value))
            push(field, { kind: 'lower', bound: { value, isInclusive: operator === '$gte' } });
          break;
        case '$lt':
        case '$lte':
          if (isRangeValue(value))
            push(field, { kind: 'upper', bound: { value, isInclusive: operator === '$lte' } });
          break;
        default:
          break;
      }
    }
  }
}

/** Value-space intervals for one field: a sorted list of points, or one range. */
type FieldBounds =
  | { readonly kind: 'points'; readonly values: unknown[] }
  | { readonly kind: 'range'; readonly lower: Bound; readonly upper: Bound };

function boundsForField(
  conditions: readonly FieldCondition[],
  isMultikey: boolean,
  index: IndexState,
): FieldBounds | undefined {
  const pointLists = conditions.filter(
    (c): c is Extract<FieldCondition, { kind: 'points' }> => c.kind === 'points',
  );
  if (pointLists.length > 0) {
    const shortest = pointLists.reduce((best, list) =>
      list.values.length < best.values.length ? list : best,
    );
    const unique = new Map(shortest.values.map((value) => [valueKey(value), value]));
    return {
      kind: 'points',
      values: sortDocuments(
        [...unique.values()].map((v) => ({ v })),
        { v: 1 },
        index.collation?.compareStrings,
      ).map((d) => d['v']),
    };
  }
  const boundOf = (kind: 'lower' | 'upper'): Bound | undefined => {
    for (const condition of conditions) if (condition.kind === kind) return condition.bound;
    return undefined;
  };
  const lower = boundOf('lower');
  const upper = boundOf('upper');
  if (lower !== undefined) {
    const rank = typeRankOf(lower.value);
    const canIntersect = !isMultikey && upper !== undefined && typeRankOf(upper.value) === rank;
    const end: Bound = { value: new TypeBracketBound(rank, 1), isInclusive: true };
    return { kind: 'range', lower, upper: canIntersect ? upper : end };
  }
  if (upper === undefined) return undefined;
  return {
    kind: 'range',
    lower: { value: new TypeBracketBound(typeRankOf(upper.value), -1), isInclusive: true },
    upper,
  };
}

function describeBound(value: unknown): string {
  if (value instanceof TypeBracketBound)
    return value.edge < 0 ? `start of type ${value.rank}` : `end of type ${value.rank}`;
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (typeof value === 'string') return JSON.stringify(value);
  return formatShellValue(value);
}

function describeFieldBounds(bounds: FieldBounds | undefined): string[] {
  if (bounds === undefined) return ['[MinKey, MaxKey]'];
  if (bounds.kind === 'points')
    return bounds.values.map((value) => `[${describeBound(value)}, ${describeBound(value)}]`);
  return [
    `${bounds.lower.isInclusive ? '[' : '('}${describeBound(bounds.lower.value)}, ${describeBound(bounds.upper.value)}${bounds.upper.isInclusive ? ']' : ')'}`,
  ];
}

/** Does the query's filter imply the index's partialFilterExpression (same conditions, or $exists: true met by a bound)? */
function impliesPartialFilter(
  index: IndexState,
  filter: Document,
  conditions: Map<string, FieldCondition[]>,
): boolean {
  const partial = index.partialFilterExpression;
  if (partial === undefined) return true;
  const clauses: [string, unknown][] = [];
  const flatten = (document: Document): void => {
    for (const [field, condition] of Object.entries(document)) {
      if (field === '$and' && Array.isArray(condition))
        for (const item of condition as Document[]) flatten(item);
      else clauses.push([field, condition]);
    }
  };
  flatten(partial);
  const queryClauses = new Map<string, string[]>();
  const flattenQuery = (document: Document): void => {
    for (const [field, condition] of Object.entries(document)) {
      if (field === '$and' && Array.isArray(condition))
        for (const item of condition as Document[]) flattenQuery(item);
      else queryClauses.set(field, [...(queryClauses.get(field) ?? []), valueKey(condition)]);
    }
  };
  flattenQuery(filter);
  return clauses.every(([field, condition]) => {
    if (queryClauses.get(field)?.includes(valueKey(condition)) === true) return true;
    const isExistsTrue =
      isOperatorObject(condition) && Object.keys(condition).length === 1 && condition['$exists'] === true;
    if (!isExistsTrue) return false;
    return (conditions.get(field) ?? []).some(
      (c) => c.kind !== 'points' || c.values.every((v) => v !== null),
    );
  });
}

interface SortField {
  readonly path: string;
  readonly direction: 1 | -1;
}

function sortFieldsOf(sort: Document | undefined): SortField[] {
  if (!hasSort(sort)) return [];
  return Object.entries(sort).map(([path, direction]) => ({
    path,
    direction: Number(direction) < 0 ? -1 : 1,
  }));
}

/** Intervals merged by one linear pick per step: beyond this many the planner sorts instead. */
const MAX_MERGED_INTERVALS = 16;

/**
 * Whether the index, scanned forwards or backwards, yields documents in the sort's
 * order, either directly or (`mergeFrom`) by merging its intervals: a leading field
 * pinned to a few values (`status: { $in: [...] }`) before the sort fields leaves each
 * interval in sort order, so merging them gives the sort without sorting.
 */
function sortByIndex(
  index: IndexState,
  perField: readonly (FieldBounds | undefined)[],
  sort: readonly SortField[],
): { isProvided: boolean; isReverse: boolean; mergeFrom?: number } {
  if (sort.length === 0) return { isProvided: true, isReverse: false };
  if (index.isMultikey) return { isProvided: false, isReverse: false };
  const isSinglePoint = (i: number): boolean => {
    const bounds = perField[i];
    return bounds?.kind === 'points' && bounds.values.length === 1;
  };
  let intervalCount = 1;
  const isMergeablePoints = (i: number): boolean => {
    const bounds = perField[i];
    if (bounds?.kind !== 'points') return false;
    intervalCount *= bounds.values.length;
    return intervalCount <= MAX_MERGED_INTERVALS;
  };
  let mergeFrom: number | undefined;
  let needsMerge = false;
  const fieldPosition = new Map(index.fields.map((field, i) => [field.name, i]));
  // Sort fields pinned to one value by the filter do not change the order.
  const remaining = sort.filter((field) => {
    const position = fieldPosition.get(field.path);
    return position === undefined || !isSinglePoint(position);
  });
  let sign = 0;
  let next = 0;
  for (let i = 0; i < index.fields.length && next < remaining.length; i += 1) {
    const wanted = remaining[next];
    const field = index.fields[i];
    if (wanted === undefined || field === undefined) break;
    if (wanted.path === field.name) {
      const relation = wanted.direction * (index.directions[i] ?? 1);
      if (sign !== 0 && relation !== sign) return { isProvided: false, isReverse: false };
      sign = relation;
      mergeFrom ??= i;
      next += 1;
      continue;
    }
    if (isSinglePoint(i)) continue;
    // Several values on a field before any sort field: each of its intervals is in order.
    if (next === 0 && isMergeablePoints(i)) {
      needsMerge = true;
      continue;
    }
    return { isProvided: false, isReverse: false };
  }
  if (next < remaining.length) return { isProvided: false, isReverse: false };
  if (needsMerge && mergeFrom !== undefined) return { isProvided: true, isReverse: sign < 0, mergeFrom };
  return { isProvided: true, isReverse: sign < 0 };
}

/** Turns per-field value bounds into compound intervals in tree order. */
function buildIntervals(index: IndexState, perField: readonly (FieldBounds | undefined)[]): KeyInterval[] {
  type Partial = { start: unknown[]; end: unknown[]; isOpen: boolean; startFill: symbol; endFill: symbol };
  let partials: Partial[] = [{ start: [], end: [], isOpen: true, startFill: TREE_MIN, endFill: TREE_MAX }];
  index.fields.forEach((_field, i) => {
    const bounds = perField[i];
    const direction = index.directions[i] ?? 1;
    partials = partials.flatMap((partial): Partial[] => {
      if (!partial.isOpen || bounds === undefined) {
        const isFirstUnbounded = partial.isOpen;
        return [
          {
            ...partial,
            isOpen: false,
            start: [...partial.start, isFirstUnbounded ? TREE_MIN : partial.startFill],
            end: [...partial.end, isFirstUnbounded ? TREE_MAX : partial.endFill],
          },
        ];
      }
      if (bounds.kind === 'points') {
        const ordered = direction < 0 ? [...bounds.values].reverse() : bounds.values;
        return ordered.map((value) => ({
          ...partial,
          start: [...partial.start, value],
          end: [...partial.end, value],
        }));
      }
      const [first, last] = direction < 0 ? [bounds.upper, bounds.lower] : [bounds.lower, bounds.upper];
      return [
        {
          isOpen: false,
          start: [...partial.start, first.value],
          end: [...partial.end, last.value],
          startFill: first.isInclusive ? TREE_MIN : TREE_MAX,
          endFill: last.isInclusive ? TREE_MAX : TREE_MIN,
        },
      ];
    });
  });
  return partials.map((partial) => ({
    start: {
      values: partial.start,
      record: partial.isOpen || partial.startFill === TREE_MIN ? -Infinity : Infinity,
    },
    end: {
      values: partial.end,
      record: partial.isOpen || partial.endFill === TREE_MAX ? Infinity : -Infinity,
    },
  }));
}

function planForIndex(
  index: IndexState,
  filter: Document,
  conditions: Map<string, FieldCondition[]>,
  sort: readonly SortField[],
  isHinted: boolean,
  isSameCollation: boolean,
): IndexPlan | undefined {
  if (!impliesPartialFilter(index, filter, conditions)) return undefined;
  const perField: (FieldBounds | undefined)[] = [];
  let intervalCount = 1;
  let constrainedFields = 0;
  let hasNullPoint = false;
  let hasNonNullBound = false;
  for (const field of index.fields) {
    const bounds = boundsForField(conditions.get(field.name) ?? [], index.isMultikey, index);
    const points = bounds?.kind === 'points' ? bounds.values.length : 1;
    if (bounds === undefined || intervalCount * points > MAX_INTERVALS) break;
    perField.push(bounds);
    constrainedFields += 1;
    intervalCount *= points;
    if (bounds.kind === 'points' && bounds.values.some((value) => value === null)) hasNullPoint = true;
    else hasNonNullBound = true;
    if (bounds.kind === 'range') break;
  }
  // A sparse index leaves out documents missing its fields: only usable when the filter rules them out.
  if (index.definition.isSparse && (hasNullPoint || !hasNonNullBound)) return undefined;
  // An index ordering strings by another collation than the query's cannot give its sort.
  const order = isSameCollation
    ? sortByIndex(index, perField, sort)
    : { isProvided: sort.length === 0, isReverse: false };
  if (constrainedFields === 0 && !(order.isProvided && sort.length > 0) && !isHinted) return undefined;
  const bounds: Document = {};
  index.fields.forEach((field, i) => {
    bounds[field.name] = describeFieldBounds(perField[i]);
  });
  return {
    kind: 'index',
    index,
    intervals: buildIntervals(index, perField),
    bounds,
    constrainedFields,
    isSortProvided: order.isProvided,
    isReverse: order.isReverse,
    mergeFrom: order.mergeFrom,
  };
}

function hintedIndex(collection: CollectionStore, hint: unknown): IndexState | 'natural' | undefined {
  if (hint === undefined || hint === null) return undefined;
  if (typeof hint === 'string') {
    const index = collection.plannableIndexes().find((candidate) => candidate.definition.name === hint);
    if (index === undefined)
      throw badValue(
        'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
      );
    return index;
  }
  if (typeNameOf(hint) === 'object') {
    const keys = Object.keys(hint);
    if (keys.length === 0) return undefined;
    if (keys[0] === '$natural') return 'natural';
    const index = collection
      .plannableIndexes()
      .find((candidate) => valueKey(candidate.definition.key) === valueKey(hint));
    if (index === undefined)
      throw badValue(
        'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
      );
    return index;
  }
  throw badValue('hint must be a string or an object');
}

/** The entries of one interval, in scan order. */
function* intervalEntries(plan: IndexPlan, interval: KeyInterval): Generator<[IndexEntryKey, number]> {
  const compare = plan.index.tree._compare;
  const entries = plan.isReverse
    ? plan.index.tree.entriesReversed(interval.end)
    : plan.index.tree.entries(interval.start);
  for (const entry of entries) {
    if (plan.isReverse ? compare(entry[0], interval.start) < 0 : compare(entry[0], interval.end) > 0) return;
    yield entry;
  }
}

/** Every interval at once, merged on the fields from `mergeFrom` on: one stream in sort order. */
function* mergedEntries(plan: IndexPlan, mergeFrom: number): Generator<[IndexEntryKey, number]> {
  const directions = plan.index.directions;
  const sign = plan.isReverse ? -1 : 1;
  const before = (a: IndexEntryKey, b: IndexEntryKey): boolean => {
    for (let i = mergeFrom; i < directions.length; i += 1) {
      const order = compareBsonValues(a.values[i], b.values[i]) * (directions[i] ?? 1);
      if (order !== 0) return order * sign < 0;
    }
    return (a.record - b.record) * sign < 0;
  };
  const heads = plan.intervals.map((interval) => {
    const entries = intervalEntries(plan, interval);
    return { entries, current: entries.next() };
  });
  for (;;) {
    let best: (typeof heads)[number] | undefined;
    for (const head of heads) {
      if (head.current.done === true) continue;
      if (best === undefined || before(head.current.value[0], (best.current.value as [IndexEntryKey, number])[0])) best = head;
    }
    if (best === undefined || best.current.done === true) return;
    yield best.current.value;
    best.current = best.entries.next();
  }
}

function* scanIndex(
  collection: CollectionStore,
  plan: IndexPlan,
  stats: ExecutionStats,
): Generator<Document | undefined> {
  if (plan.mergeFrom !== undefined) {
    const seen = plan.index.isMultikey ? new Set<number>() : undefined;
    for (const [, record] of mergedEntries(plan, plan.mergeFrom)) {
      stats.keysExamined += 1;
      if (seen !== undefined) {
        if (seen.has(record)) {
          yield undefined;
          continue;
        }
        seen.add(record);
      }
      yield collection.documentByRecord(record);
    }
    return;
  }
  const compare = plan.index.tree._compare;
  const seen = plan.index.isMultikey || plan.intervals.length > 1 ? new Set<number>() : undefined;
  const intervals = plan.isReverse ? [...plan.intervals].reverse() : plan.intervals;
  for (const interval of intervals) {
    const entries = plan.isReverse
      ? plan.index.tree.entriesReversed(interval.end)
      : plan.index.tree.entries(interval.start);
    for (const [key, record] of entries) {
      if (plan.isReverse ? compare(key, interval.start) < 0 : compare(key, interval.end) > 0) break;
      stats.keysExamined += 1;
      if (seen !== undefined) {
        if (seen.has(record)) {
          yield undefined;
          continue;
        }
        seen.add(record);
      }
      yield collection.documentByRecord(record);
    }
  }
}

function* scanCollection(collection: CollectionStore): Generator<Document | undefined> {
  yield* collection.naturalOrder();
}

/** A plan being run: each step examines one key or document and may add a match. */
interface PlanRun {
  readonly plan: Plan;
  readonly steps: Generator<Document | undefined>;
  readonly matches: Document[];
  readonly stats: ExecutionStats;
  readonly isBlockingSort: boolean;
  works: number;
  isExhausted: boolean;
}

function startRun(collection: CollectionStore, plan: Plan, sort: readonly SortField[]): PlanRun {
  const stats: ExecutionStats = { keysExamined: 0, docsExamined: 0 };
  return {
    plan,
    steps: plan.kind === 'index' ? scanIndex(collection, plan, stats) : scanCollection(collection),
    matches: [],
    stats,
    isBlockingSort: sort.length > 0 && (plan.kind === 'collscan' || !plan.isSortProvided),
    works: 0,
    isExhausted: false,
  };
}

/** Advances a run by one step; returns false once it has nothing more to examine. */
function step(run: PlanRun, matches: (document: Document) => boolean): boolean {
  const next = run.steps.next();
  run.works += 1;
  if (next.done === true) {
    run.isExhausted = true;
    return false;
  }
  const document = next.value;
  if (document !== undefined) {
    run.stats.docsExamined += 1;
    if (matches(document)) run.matches.push(document);
  }
  return true;
}

function describePlan(plan: Plan, filter: Document, sort: Document | undefined, shape: QueryShape): Document {
  let stage: Document;
  if (plan.kind === 'collscan') {
    stage = { stage: 'COLLSCAN', filter, direction: 'forward' };
  } else if (plan.mergeFrom !== undefined) {
    stage = {
      stage: 'FETCH',
      filter,
      inputStage: {
        stage: 'SORT_MERGE',
        sortPattern: sort,
        inputStages: [
          {
            stage: 'IXSCAN',
            keyPattern: plan.index.definition.key,
            indexName: plan.index.definition.name,
            isMultiKey: plan.index.isMultikey,
            direction: plan.isReverse ? 'backward' : 'forward',
            indexBounds: plan.bounds,
          },
        ],
      },
    };
  } else {
    stage = {
      stage: 'FETCH',
      filter,
      inputStage: {
        stage: 'IXSCAN',
        keyPattern: plan.index.definition.key,
        indexName: plan.index.definition.name,
        isMultiKey: plan.index.isMultikey,
        isUnique: plan.index.definition.isUnique || plan.index.definition.name === '_id_',
        isSparse: plan.index.definition.isSparse,
        isPartial: plan.index.partialFilterExpression !== undefined,
        direction: plan.isReverse ? 'backward' : 'forward',
        indexBounds: plan.bounds,
      },
    };
  }
  const isBlocking = hasSort(sort) && (plan.kind === 'collscan' || !plan.isSortProvided);
  if (isBlocking) {
    stage = { stage: 'SORT', sortPattern: sort, memLimit: 104857600, type: 'simple', inputStage: stage };
    if (shape.limit !== undefined && shape.limit > 0) stage['limitAmount'] = shape.limit + (shape.skip ?? 0);
  }
  if (shape.skip !== undefined && shape.skip > 0)
    stage = { stage: 'SKIP', skipAmount: shape.skip, inputStage: stage };
  if (shape.limit !== undefined && shape.limit > 0 && !isBlocking)
    stage = { stage: 'LIMIT', limitAmount: shape.limit, inputStage: stage };
  return stage;
}

function candidatePlans(
  collection: CollectionStore,
  shape: QueryShape,
  filter: Document,
  sort: readonly SortField[],
): Plan[] {
  const allConditions = new Map<string, FieldCondition[]>();
  collectConditions(filter, allConditions);
  // An index whose collation differs from the query's can bound only conditions without strings.
  const queryCollation = collationKeyOf(shape.scope?.collation);
  const stringFreeConditions = new Map(
    [...allConditions].map(([path, list]) => [
      path,
      list.filter((c) => !containsString(c.kind === 'points' ? c.values : c.bound.value)),
    ]),
  );
  const planFor = (index: IndexState, isHinted: boolean): IndexPlan | undefined => {
    const isSameCollation = collationKeyOf(index.collation) === queryCollation;
    const conditions = isSameCollation ? allConditions : stringFreeConditions;
    return planForIndex(index, filter, conditions, sort, isHinted, isSameCollation);
  };
  const hinted = hintedIndex(collection, shape.hint);
  if (hinted === 'natural') return [{ kind: 'collscan' }];
  if (hinted !== undefined) {
    const plan = planFor(hinted, true);
    if (plan === undefined)
      throw badValue(
        'hint provided does not correspond to a usable index for this query (sparse or partial)',
      );
    return [plan];
  }
  const plans: Plan[] = [];
  for (const index of collection.plannableIndexes()) {
    const plan = planFor(index, false);
    if (plan !== undefined) plans.push(plan);
  }
  // The most constrained plans first: they win ties in the trial.
  plans.sort(
    (a, b) => (b.kind === 'index' ? b.constrainedFields : 0) - (a.kind === 'index' ? a.constrainedFields : 0),
  );
  return plans.length === 0 ? [{ kind: 'collscan' }] : plans;
}

/**
 * Plans and runs a query over a collection. With several candidate indexes they race
 * for a bounded number of steps (as MongoDB's multi-planner does): the first to finish
 * or to produce a full first batch (or `skip + limit` results) wins, else the most
 * productive one; the winner then runs to completion, stopping early at the limit when
 * its order already is the sort's.
 */
export function runQuery(collection: CollectionStore | undefined, shape: QueryShape): PlannedQuery {
  const filter = shape.filter ?? {};
  const sortSpec = hasSort(shape.sort) ? shape.sort : undefined;
  if (collection === undefined) {
    return {
      documents: [],
      winningPlan: { stage: 'EOF' },
      rejectedPlans: [],
      stats: { keysExamined: 0, docsExamined: 0 },
    };
  }
  const sort = sortFieldsOf(sortSpec);
  const matches = compileFilter(filter, shape.scope);
  const plans = candidatePlans(collection, shape, filter, sort);
  const skip = shape.skip ?? 0;
  const limit = shape.limit ?? 0;
  const target = limit > 0 ? skip + limit : DEFAULT_TRIAL_RESULTS;
  const runs = plans.map((plan) => startRun(collection, plan, sort));
  let winner: PlanRun | undefined = runs.length === 1 ? runs[0] : undefined;
  for (let round = 0; winner === undefined && round < TRIAL_WORKS; round += 1) {
    for (const run of runs) {
      const hasMore = step(run, matches);
      if (!hasMore || (!run.isBlockingSort && run.matches.length >= target)) {
        winner = run;
        break;
      }
    }
  }
  if (winner === undefined) {
    winner = runs.reduce((best, run) =>
      run.matches.length / run.works > best.matches.length / best.works ? run : best,
    );
  }
  const chosen = winner;
  const isEarlyStop = limit > 0 && !chosen.isBlockingSort;
  while (!chosen.isExhausted && !(isEarlyStop && chosen.matches.length >= target)) step(chosen, matches);
  let documents =
    chosen.isBlockingSort && sortSpec !== undefined
      ? sortDocuments(chosen.matches, sortSpec, shape.scope?.collation?.compareStrings)
      : chosen.matches;
  if (skip > 0 || limit > 0) documents = documents.slice(skip, limit > 0 ? skip + limit : undefined);
  // Only explain reads the plans' descriptions: they are built when asked for.
  return {
    documents,
    get winningPlan(): Document {
      return describePlan(chosen.plan, filter, sortSpec, shape);
    },
    get rejectedPlans(): Document[] {
      return runs.filter((run) => run !== chosen).map((run) => describePlan(run.plan, filter, sortSpec, shape));
    },
    stats: chosen.stats,
  };
}

function soleStage(stage: Document | undefined, name: string): unknown {
  if (stage === undefined) return undefined;
  const keys = Object.keys(stage);
  return keys.length === 1 && keys[0] === name ? stage[name] : undefined;
}

/**
 * Splits an aggregation pipeline into the query its leading `$match`es, `$sort`,
 * `$skip` and `$limit` express (which the planner answers from an index) and the
 * stages that then run over only those documents.
 */
export function aggregateShape(pipeline: readonly Document[]): { shape: QueryShape; rest: Document[] } {
  const filters: Document[] = [];
  let position = 0;
  for (;;) {
    const match = soleStage(pipeline[position], '$match');
    if (typeNameOf(match) !== 'object' || match === undefined) break;
    filters.push(match as Document);
    position += 1;
  }
  let sort: Document | undefined;
  const sortStage = soleStage(pipeline[position], '$sort');
  if (
    typeNameOf(sortStage) === 'object' &&
    Object.values(sortStage as Document).every((direction) => direction === 1 || direction === -1)
  ) {
    sort = sortStage as Document;
    position += 1;
  }
  let skip: number | undefined;
  const skipStage = soleStage(pipeline[position], '$skip');
  if (typeof skipStage === 'number' && Number.isInteger(skipStage) && skipStage >= 0) {
    skip = skipStage;
    position += 1;
  }
  let limit: number | undefined;
  const limitStage = soleStage(pipeline[position], '$limit');
  if (typeof limitStage === 'number' && Number.isInteger(limitStage) && limitStage > 0) {
    limit = limitStage;
    position += 1;
  }
  const filter = filters.length === 0 ? undefined : filters.length === 1 ? filters[0] : { $and: filters };
  return { shape: { filter, sort, skip, limit }, rest: pipeline.slice(position) };
}
