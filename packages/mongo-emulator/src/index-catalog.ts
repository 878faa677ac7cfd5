import type { Document } from 'bson';
import { Query } from 'mingo';
import BTree from 'sorted-btree';
import { bulkLoad } from 'sorted-btree/extended/bulkLoad';
import { MongoCommandError, badValue } from './command-error';
import {
  compareBsonValues,
  compareStrings,
  expandArrays,
  typeNameOf,
  typeRankOf,
  valuesAtPath,
  type StringComparator,
} from './bson-order';
import { parseCollation, type Collation } from './collation';
import { formatShellValue, valueKey } from './value-key';

/** A secondary index as created by createIndexes and reported by listIndexes. */
export interface IndexDefinition {
  readonly name: string;
  readonly key: Document;
  readonly isUnique: boolean;
  readonly isSparse: boolean;
  readonly expireAfterSeconds?: number;
  /** How the index orders strings: its own `collation`, else the collection's default; absent: binary. */
  readonly collation?: Collation;
  /** The spec as the client sent it (minus ns), echoed back by listIndexes. */
  readonly spec: Document;
}

export const ID_INDEX_SPEC: Document = { v: 2, key: { _id: 1 }, name: '_id_' };

/** Default index names join field and direction: { a: 1, b: -1 } → "a_1_b_-1". */
export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');
}

/** `defaultCollation`: the collection's, which an index without a `collation` of its own takes. */
export function parseIndexSpec(raw: unknown, defaultCollation?: Collation): IndexDefinition {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw badValue('index specification must be an object');
  const input = raw as Document;
  const key: unknown = input['key'];
  if (typeof key !== 'object' || key === null || Array.isArray(key) || Object.keys(key).length === 0) {
    throw new MongoCommandError(67, 'CannotCreateIndex', 'Index keys cannot be empty.');
  }
  const name = typeof input['name'] === 'string' ? input['name'] : defaultIndexName(key);
  const partial: unknown = input['partialFilterExpression'];
  if (partial !== undefined && (typeof partial !== 'object' || partial === null))
    throw badValue('partialFilterExpression must be an object');
  const ttl: unknown = input['expireAfterSeconds'];
  const collation = input['collation'] === undefined ? defaultCollation : parseCollation(input['collation']);
  const spec: Document = { v: 2, ...input, key, name };
  delete spec['ns'];
  if (collation !== undefined) spec['collation'] = collation.spec;
  const definition: IndexDefinition = {
    name,
    key: key,
    isUnique: input['unique'] === true,
    isSparse: input['sparse'] === true,
    spec,
    ...(collation === undefined ? {} : { collation }),
  };
  return typeof ttl === 'number' ? { ...definition, expireAfterSeconds: ttl } : definition;
}

/** Fan-out of the index trees: sorted-btree's default. */
const TREE_NODE_SIZE = 32;

/** One stored document as an index build reads it. */
export interface StoredRecord {
  readonly idKey: string;
  readonly record: number;
  readonly document: Document;
}

/** A path that crosses or ends on an array: the key needs the general (multikey) expansion. */
const FANS_OUT: unique symbol = Symbol('fans-out');

/**
 * The one value at a dot path of a document without arrays on it: undefined when
 * missing, FANS_OUT when an array is met (what `valuesAtPath` would expand). The
 * common case of an index key, computed without allocating.
 */
function scalarAtPath(document: Document, path: readonly string[]): unknown {
  let value: unknown = document;
  for (const step of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    if (Array.isArray(value)) return FANS_OUT;
    if (typeNameOf(value) !== 'object') return undefined;
    value = (value as Document)[step];
    if (value === undefined) return undefined;
  }
  return Array.isArray(value) ? FANS_OUT : value;
}

/** One index key: a value per index field, in field order. */
type KeyValues = unknown[];

/** The string a unique index keys its owners by: equal exactly when MongoDB deems the keys equal. */
function uniqueKeyOf(values: readonly unknown[]): string {
  return values.map(valueKey).join('|');
}

/** Below or above every value in tree order, whatever a field's direction: scan bounds. */
export const TREE_MIN: unique symbol = Symbol('tree-min');
export const TREE_MAX: unique symbol = Symbol('tree-max');

/**
 * A value-space bound just below (`edge` -1) or above (+1) every value of one BSON
 * type rank: `{ $gt: 5 }` scans up to the end of the numbers, as MongoDB's
 * type-bracketed comparisons do.
 */
export class TypeBracketBound {
  constructor(
    readonly rank: number,
    readonly edge: -1 | 1,
  ) {}
}

/** One entry of an index tree: the key values in index field order, then the record id. */
export interface IndexEntryKey {
  readonly values: readonly unknown[];
  readonly record: number;
}

function compareValueSpace(a: unknown, b: unknown, compareText: StringComparator): number {
  if (a instanceof TypeBracketBound) {
    if (b instanceof TypeBracketBound) return Math.sign(a.rank - b.rank) || Math.sign(a.edge - b.edge);
    const rank = typeRankOf(b);
    return a.rank === rank ? a.edge : Math.sign(a.rank - rank);
  }
  if (b instanceof TypeBracketBound) return -compareValueSpace(b, a, compareText);
  return compareBsonValues(a, b, compareText);
}

function compareKeyValue(a: unknown, b: unknown, direction: number, compareText: StringComparator): number {
  if (a === TREE_MIN) return b === TREE_MIN ? 0 : -1;
  if (a === TREE_MAX) return b === TREE_MAX ? 0 : 1;
  if (b === TREE_MIN) return 1;
  if (b === TREE_MAX) return -1;
  return compareValueSpace(a, b, compareText) * direction;
}

/**
 * Tree order of an index: field by field in each field's direction (strings by the
 * index's collation), then by record id (insertion order).
 */
export function indexKeyComparator(
  directions: readonly number[],
  compareText: StringComparator = compareStrings,
): (a: IndexEntryKey, b: IndexEntryKey) => number {
  return (a, b) => {
    for (let i = 0; i < directions.length; i += 1) {
      const order = compareKeyValue(a.values[i], b.values[i], directions[i] ?? 1, compareText);
      if (order !== 0) return order;
    }
    return a.record - b.record;
  };
}

/**
 * Live state of one index: every entry in an ordered tree (B+ tree) that the query
 * planner scans by ranges, plus, for unique indexes, the key → owner map that
 * enforces uniqueness.
 */
export class IndexState {
  readonly definition: IndexDefinition;
  readonly fields: readonly { name: string; path: string[] }[];
  readonly directions: readonly number[];
  private currentTree: BTree<IndexEntryKey, number>;
  /** True once any document put an array on an indexed path: keys then repeat a document. */
  isMultikey = false;
  readonly partialFilterExpression: Document | undefined;
  private readonly partialFilter: Query | undefined;
  private entries = new Map<string, string>();
  /** Unique indexes with a collation find collisions in the tree (collation-equal keys): record → owner. */
  private owners = new Map<number, string>();

  constructor(definition: IndexDefinition) {
    this.definition = definition;
    const partial: unknown = definition.spec['partialFilterExpression'];
    this.partialFilterExpression = typeof partial === 'object' && partial !== null ? partial : undefined;
    this.partialFilter =
      this.partialFilterExpression === undefined ? undefined : new Query(this.partialFilterExpression);
    this.fields = Object.keys(definition.key).map((name) => ({ name, path: name.split('.') }));
    this.directions = Object.values(definition.key).map((direction) => (Number(direction) < 0 ? -1 : 1));
    this.currentTree = new BTree<IndexEntryKey, number>(
      undefined,
      indexKeyComparator(this.directions, definition.collation?.compareStrings),
      TREE_NODE_SIZE,
    );
  }

  /** Every entry in index order; a rebuild replaces the tree, so read it here each time. */
  get tree(): BTree<IndexEntryKey, number> {
    return this.currentTree;
  }

  get collation(): Collation | undefined {
    return this.definition.collation;
  }

  /** The owner of another entry whose key the collation deems equal to `values`, if any. */
  private collatedOwnerOf(values: readonly unknown[], idKey: string): string | undefined {
    const compare = this.tree._compare;
    for (const [entry, record] of this.tree.entries({ values, record: -Infinity })) {
      if (compare({ values: entry.values, record: 0 }, { values, record: 0 }) !== 0) return undefined;
      const owner = this.owners.get(record);
      if (owner !== undefined && owner !== idKey) return owner;
    }
    return undefined;
  }

  /** The keys a document puts in the index (several for a multikey one), or undefined when it is left out. */
  private keysFor(document: Document): KeyValues[] | undefined {
    if (this.partialFilter !== undefined && !this.partialFilter.test(document)) return undefined;
    const scalar = this.scalarKeyOf(document);
    if (scalar === FANS_OUT) return this.expandedKeysFor(document);
    return scalar === undefined ? undefined : [scalar];
  }

  /** The one key of a document with no array on the indexed paths (FANS_OUT otherwise; undefined when sparse leaves it out). */
  private scalarKeyOf(document: Document): KeyValues | typeof FANS_OUT | undefined {
    const values = new Array<unknown>(this.fields.length);
    let isAnyPresent = false;
    for (let i = 0; i < this.fields.length; i += 1) {
      const value = scalarAtPath(document, this.fields[i]?.path ?? []);
      if (value === FANS_OUT) return FANS_OUT;
      if (value !== undefined) isAnyPresent = true;
      values[i] = value ?? null;
    }
    if (this.definition.isSparse && !isAnyPresent) return undefined;
    return values;
  }

  private expandedKeysFor(document: Document): KeyValues[] | undefined {
    const perField = this.fields.map((field) => {
      const raw = valuesAtPath(document, field.path);
      if (raw.length > 1 || raw.some((value) => Array.isArray(value))) this.isMultikey = true;
      return expandArrays(raw);
    });
    if (this.definition.isSparse && perField.every((values) => values.length === 0)) return undefined;
    let combinations: KeyValues[] = [[]];
    for (const values of perField) {
      const options = values.length === 0 ? [null] : values;
      combinations = combinations.flatMap((prefix) =>
        options.map((value): unknown[] => [...prefix, value ?? null]),
      );
    }
    return combinations;
  }

  /** Throws the E11000 error MongoDB raises if indexing `document` would collide with another document. */
  assertNoConflict(document: Document, idKey: string, namespace: string): void {
    if (!this.definition.isUnique) return;
    const keys = this.keysFor(document);
    if (keys === undefined) return;
    for (const values of keys) {
      const owner = this.collation !== undefined ? this.collatedOwnerOf(values, idKey) : this.entries.get(uniqueKeyOf(values));
      if (owner !== undefined && owner !== idKey) throw this.duplicateOf(namespace, values);
    }
  }

  /**
   * Replaces every entry by those of `records`, building the tree bottom-up from the
   * sorted keys: a build from scratch (createIndexes on a filled collection, recovery)
   * sorts once instead of inserting entry by entry. A unique index refuses a collision
   * with E11000 and is then left as it was.
   */
  rebuild(records: Iterable<StoredRecord>, namespace: string): void {
    const entryKeys: IndexEntryKey[] = [];
    const owners = new Map<number, string>();
    const entries = new Map<string, string>();
    const isUnique = this.definition.isUnique;
    const isCollatedUnique = isUnique && this.collation !== undefined;
    const wasMultikey = this.isMultikey;
    this.isMultikey = false;
    try {
      for (const { idKey, record, document } of records) {
        const keys = this.keysFor(document);
        if (keys === undefined) continue;
        for (const values of keys) entryKeys.push({ values, record });
        if (isCollatedUnique) owners.set(record, idKey);
        else if (isUnique) {
          for (const values of keys) {
            const key = uniqueKeyOf(values);
            const owner = entries.get(key);
            if (owner !== undefined && owner !== idKey) throw this.duplicateOf(namespace, values);
            entries.set(key, idKey);
          }
        }
      }
      const compare = this.currentTree._compare;
      entryKeys.sort(compare);
      const distinct: IndexEntryKey[] = [];
      for (const key of entryKeys) {
        const previous = distinct[distinct.length - 1];
        // A multikey document can repeat one key ([1, 1]): one entry, as in the tree.
        if (previous !== undefined && compare(previous, key) === 0) continue;
        // Collation-equal keys sort next to each other: two owners there collide.
        if (
          isCollatedUnique &&
          previous !== undefined &&
          owners.get(previous.record) !== owners.get(key.record) &&
          compare({ values: previous.values, record: 0 }, { values: key.values, record: 0 }) === 0
        )
          throw this.duplicateOf(namespace, key.values);
        distinct.push(key);
      }
      this.currentTree = bulkLoad(
        distinct,
        distinct.map((key) => key.record),
        TREE_NODE_SIZE,
        compare,
      );
    } catch (error: unknown) {
      this.isMultikey = wasMultikey;
      throw error;
    }
    this.owners = owners;
    this.entries = entries;
  }

  private duplicateOf(namespace: string, values: readonly unknown[]): MongoCommandError {
    const keyValue = Object.fromEntries(this.fields.map((field, i) => [field.name, values[i]]));
    return duplicateKeyError(namespace, this.definition.name, this.definition.key, keyValue);
  }

  add(document: Document, idKey: string, record: number): void {
    const keys = this.keysFor(document);
    if (keys === undefined) return;
    for (const values of keys) this.currentTree.set({ values, record }, record);
    if (!this.definition.isUnique) return;
    if (this.collation !== undefined) {
      this.owners.set(record, idKey);
      return;
    }
    for (const values of keys) this.entries.set(uniqueKeyOf(values), idKey);
  }

  remove(document: Document, idKey: string, record: number): void {
    const keys = this.keysFor(document);
    if (keys === undefined) return;
    for (const values of keys) this.currentTree.delete({ values, record });
    if (!this.definition.isUnique) return;
    if (this.collation !== undefined) {
      this.owners.delete(record);
      return;
    }
    for (const values of keys) {
      const key = uniqueKeyOf(values);
      if (this.entries.get(key) === idKey) this.entries.delete(key);
    }
  }

  /** The date a TTL index expires `document` at, or undefined if it never expires. */
  expiryOf(document: Document): number | undefined {
    const ttl = this.definition.expireAfterSeconds;
    const field = this.fields[0];
    if (ttl === undefined || field === undefined || this.fields.length !== 1) return undefined;
    if (this.partialFilter !== undefined && !this.partialFilter.test(document)) return undefined;
    const dates = valuesAtPath(document, field.path)
      .flatMap((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]))
      .filter((v): v is Date => typeNameOf(v) === 'date');
    if (dates.length === 0) return undefined;
    return Math.min(...dates.map((d) => d.getTime())) + ttl * 1000;
  }
}

export function duplicateKeyError(
  namespace: string,
  indexName: string,
  keyPattern: Document,
  keyValue: Document,
): MongoCommandError {
  const rendered = Object.entries(keyValue).map(([field, value]) => `${field}: ${formatShellValue(value)}`);
  return new MongoCommandError(
    11000,
    'DuplicateKey',
    `E11000 duplicate key error collection: ${namespace} index: ${indexName} dup key: { ${rendered.join(', ')} }`,
    { keyPattern, keyValue },
  );
}
