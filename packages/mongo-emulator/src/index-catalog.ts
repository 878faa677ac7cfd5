import type { Document } from 'bson';
import { Query } from 'mingo';
import BTree from 'sorted-btree';
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

interface IndexKeys {
  readonly keys: string[];
  readonly keyValues: Document[];
  readonly combinations: unknown[][];
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
  readonly tree: BTree<IndexEntryKey, number>;
  /** True once any document put an array on an indexed path: keys then repeat a document. */
  isMultikey = false;
  readonly partialFilterExpression: Document | undefined;
  private readonly partialFilter: Query | undefined;
  private readonly entries = new Map<string, string>();
  /** Unique indexes with a collation find collisions in the tree (collation-equal keys): record → owner. */
  private readonly owners = new Map<number, string>();

  constructor(definition: IndexDefinition) {
    this.definition = definition;
    const partial: unknown = definition.spec['partialFilterExpression'];
    this.partialFilterExpression = typeof partial === 'object' && partial !== null ? partial : undefined;
    this.partialFilter =
      this.partialFilterExpression === undefined ? undefined : new Query(this.partialFilterExpression);
    this.fields = Object.keys(definition.key).map((name) => ({ name, path: name.split('.') }));
    this.directions = Object.values(definition.key).map((direction) => (Number(direction) < 0 ? -1 : 1));
    this.tree = new BTree<IndexEntryKey, number>(
      undefined,
      indexKeyComparator(this.directions, definition.collation?.compareStrings),
    );
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

  private keysFor(document: Document): IndexKeys | undefined {
    if (this.partialFilter !== undefined && !this.partialFilter.test(document)) return undefined;
    const perField = this.fields.map((field) => {
      const raw = valuesAtPath(document, field.path);
      if (raw.length > 1 || raw.some((value) => Array.isArray(value))) this.isMultikey = true;
      return expandArrays(raw);
    });
    if (this.definition.isSparse && perField.every((values) => values.length === 0)) return undefined;
    let combinations: unknown[][] = [[]];
    for (const values of perField) {
      const options = values.length === 0 ? [null] : values;
      combinations = combinations.flatMap((prefix) =>
        options.map((value): unknown[] => [...prefix, value ?? null]),
      );
    }
    const fields = this.fields;
    // Keys and key documents are only needed by unique indexes: computed on first use.
    return {
      combinations,
      get keys() {
        return combinations.map((combination) => combination.map(valueKey).join('|'));
      },
      get keyValues() {
        return combinations.map((combination) =>
          Object.fromEntries(fields.map((field, i) => [field.name, combination[i]])),
        );
      },
    };
  }

  /** Throws the E11000 error MongoDB raises if indexing `document` would collide with another document. */
  assertNoConflict(document: Document, idKey: string, namespace: string): void {
    if (!this.definition.isUnique) return;
    const indexed = this.keysFor(document);
    if (indexed === undefined) return;
    if (this.collation !== undefined) {
      indexed.combinations.forEach((values, i) => {
        if (this.collatedOwnerOf(values, idKey) !== undefined)
          throw duplicateKeyError(namespace, this.definition.name, this.definition.key, indexed.keyValues[i] ?? {});
      });
      return;
    }
    indexed.keys.forEach((key, i) => {
      const owner = this.entries.get(key);
      if (owner !== undefined && owner !== idKey) {
        throw duplicateKeyError(
          namespace,
          this.definition.name,
          this.definition.key,
          indexed.keyValues[i] ?? {},
        );
      }
    });
  }

  add(document: Document, idKey: string, record: number): void {
    const indexed = this.keysFor(document);
    if (indexed === undefined) return;
    for (const values of indexed.combinations) this.tree.set({ values, record }, record);
    if (!this.definition.isUnique) return;
    if (this.collation !== undefined) {
      this.owners.set(record, idKey);
      return;
    }
    for (const key of indexed.keys) this.entries.set(key, idKey);
  }

  remove(document: Document, idKey: string, record: number): void {
    const indexed = this.keysFor(document);
    if (indexed === undefined) return;
    for (const values of indexed.combinations) this.tree.delete({ values, record });
    if (!this.definition.isUnique) return;
    if (this.collation !== undefined) {
      this.owners.delete(record);
      return;
    }
    for (const key of indexed.keys) {
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
