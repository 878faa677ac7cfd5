import type { Document } from 'bson';

/**
 * MongoDB's cross-type ordering (BSON spec "Comparison/Sort Order"). A missing field
 * compares as null. Numbers of every width share one rank and compare by value.
 */
const TYPE_RANK = {
  minKey: 1,
  null: 2,
  number: 3,
  string: 4,
  object: 5,
  array: 6,
  binary: 7,
  objectId: 8,
  boolean: 9,
  date: 10,
  timestamp: 11,
  regex: 12,
  maxKey: 13,
} as const;

type TypeName = keyof typeof TYPE_RANK;

function bsonTypeTag(value: object): string | undefined {
  const tag: unknown = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

export function typeNameOf(value: unknown): TypeName {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'object':
      break;
    default:
      return 'object';
  }
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (value instanceof Uint8Array) return 'binary';
  switch (bsonTypeTag(value)) {
    case 'Int32':
    case 'Double':
    case 'Long':
    case 'Decimal128':
      return 'number';
    case 'ObjectId':
      return 'objectId';
    case 'Binary':
      return 'binary';
    case 'Timestamp':
      return 'timestamp';
    case 'BSONRegExp':
      return 'regex';
    case 'BSONSymbol':
      return 'string';
    case 'MinKey':
      return 'minKey';
    case 'MaxKey':
      return 'maxKey';
    default:
      return 'object';
  }
}

/** The rank of a value's type in MongoDB's cross-type order (missing counts as null). */
export function typeRankOf(value: unknown): number {
  return TYPE_RANK[typeNameOf(value)];
}

export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'object' && value !== null) {
    const tag = bsonTypeTag(value);
    if (tag === 'Decimal128') return Number((value as { toString(): string }).toString());
    const valueOf = (value as { valueOf(): unknown }).valueOf();
    if (typeof valueOf === 'number') return valueOf;
    const toNumberMethod: unknown = (value as { toNumber?: unknown }).toNumber;
    if (typeof toNumberMethod === 'function') return Number((toNumberMethod as () => unknown).call(value));
  }
  return Number.NaN;
}

function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const buffer: unknown = (value as { buffer?: unknown }).buffer;
  if (buffer instanceof Uint8Array) return buffer;
  const id: unknown = (value as { id?: unknown }).id;
  if (id instanceof Uint8Array) return id;
  return new Uint8Array();
}

/** Unsigned byte order; a loop, since this runs for every ObjectId comparison of an index tree. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

function compareScalars(a: number | string | bigint, b: number | string | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Strings compare by UTF-8 bytes, like MongoDB's simple (binary) collation. UTF-8 byte
 * order is code point order, which UTF-16 code unit order matches except that
 * surrogates (code points above U+FFFF) must rank above U+E000–U+FFFF: the first
 * differing unit is adjusted for that, without encoding either string.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return Math.sign(codePointRank(x) - codePointRank(y));
  }
  return Math.sign(a.length - b.length);
}

function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

function compareNumbers(a: unknown, b: unknown): number {
  const x = toNumber(a);
  const y = toNumber(b);
  // MongoDB sorts NaN below every other number.
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
  if (Number.isNaN(y)) return 1;
  return compareScalars(x, y);
}

/** How strings compare: binary by default, or a collation's comparison. Field names always compare binary. */
export type StringComparator = (a: string, b: string) => number;

function compareDocuments(a: Document, b: Document, compareText: StringComparator): number {
  const left: [string, unknown][] = Object.entries(a).filter(([, v]) => v !== undefined);
  const right: [string, unknown][] = Object.entries(b).filter(([, v]) => v !== undefined);
  const shared = Math.min(left.length, right.length);
  for (let i = 0; i < shared; i += 1) {
    const [keyA, valueA] = left[i] ?? ['', null];
    const [keyB, valueB] = right[i] ?? ['', null];
    const rank = TYPE_RANK[typeNameOf(valueA)] - TYPE_RANK[typeNameOf(valueB)];
    if (rank !== 0) return Math.sign(rank);
    const byKey = compareStrings(keyA, keyB);
    if (byKey !== 0) return byKey;
    const byValue = compareBsonValues(valueA, valueB, compareText);
    if (byValue !== 0) return byValue;
  }
  return Math.sign(left.length - right.length);
}

function compareArrays(a: readonly unknown[], b: readonly unknown[], compareText: StringComparator): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i += 1) {
    const result = compareBsonValues(a[i], b[i], compareText);
    if (result !== 0) return result;
  }
  return Math.sign(a.length - b.length);
}

function isObjectId(value: unknown): value is object {
  return typeof value === 'object' && value !== null && (value as { _bsontype?: unknown })._bsontype === 'ObjectId';
}

/** Total order over BSON values, as MongoDB applies it to sort keys and index keys. */
export function compareBsonValues(a: unknown, b: unknown, compareText: StringComparator = compareStrings): number {
  // Index trees compare keys on every step: the common same-type pairs skip the type dispatch.
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : Math.sign(compareText(a, b));
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b);
  if (a instanceof Date && b instanceof Date) return compareNumbers(a.getTime(), b.getTime());
  if (a === null && b === null) return 0;
  if (isObjectId(a) && isObjectId(b)) return compareBytes(bytesOf(a), bytesOf(b));
  const typeA = typeNameOf(a);
  const typeB = typeNameOf(b);
  if (typeA !== typeB) return Math.sign(TYPE_RANK[typeA] - TYPE_RANK[typeB]);
  switch (typeA) {
    case 'null':
    case 'minKey':
    case 'maxKey':
      return 0;
    case 'number':
      return compareNumbers(a, b);
    case 'string':
      return Math.sign(compareText(String(a), String(b)));
    case 'boolean':
      return compareScalars(Number(a), Number(b));
    case 'date':
      return compareNumbers((a as Date).getTime(), (b as Date).getTime());
    case 'objectId':
      return compareBytes(bytesOf(a), bytesOf(b));
    case 'binary': {
      const x = bytesOf(a);
      const y = bytesOf(b);
      if (x.length !== y.length) return Math.sign(x.length - y.length);
      return compareBytes(x, y);
    }
    case 'timestamp':
      return compareScalars(BigInt(String(a)), BigInt(String(b)));
    case 'regex': {
      const x = a as RegExp;
      const y = b as RegExp;
      return compareStrings(x.source, y.source) || compareStrings(x.flags, y.flags);
    }
    case 'array':
      return compareArrays(a as unknown[], b as unknown[], compareText);
    case 'object':
      return compareDocuments(a as Document, b as Document, compareText);
  }
}

/** Sort specification as sent by drivers: ordered field → 1 | -1 (other values, e.g. $meta, are ignored). */
export type SortSpec = Readonly<Record<string, unknown>>;

/** Values reachable at a dot path; arrays along the way fan out like MongoDB's multikey paths. */
export function valuesAtPath(value: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) return [value];
  const [head, ...rest] = path;
  if (head === undefined) return [value];
  if (Array.isArray(value)) {
    const index = /^\d+$/.test(head) ? Number(head) : -1;
    if (index >= 0 && index < value.length) return valuesAtPath(value[index], rest);
    return (value as unknown[]).flatMap((item: unknown): unknown[] =>
      typeof item === 'object' && item !== null && !Array.isArray(item) ? valuesAtPath(item, path) : [],
    );
  }
  if (typeof value !== 'object' || value === null || typeNameOf(value) !== 'object') return [];
  const child: unknown = (value as Document)[head];
  if (child === undefined) return [];
  return valuesAtPath(child, rest);
}

/**
 * Replaces each array value by its elements (an empty array by one missing value),
 * the way sort keys and index keys treat arrays.
 */
export function expandArrays(values: readonly unknown[]): unknown[] {
  return values.flatMap((value): unknown[] => {
    if (!Array.isArray(value)) return [value];
    const elements = value as unknown[];
    return elements.length === 0 ? [undefined] : elements;
  });
}

/**
 * The key a document sorts by on one field: arrays contribute their smallest element
 * for ascending sorts and their largest for descending, as in MongoDB.
 */
function sortKeyFor(
  document: Document,
  path: readonly string[],
  direction: number,
  compareText: StringComparator,
): unknown {
  const candidates = expandArrays(valuesAtPath(document, path));
  if (candidates.length === 0) return null;
  let best: unknown = candidates[0];
  for (const candidate of candidates.slice(1)) {
    const order = compareBsonValues(candidate, best, compareText);
    if ((direction > 0 && order < 0) || (direction < 0 && order > 0)) best = candidate;
  }
  return best;
}

/** Returns a new array sorted by the spec; ties keep their input (natural) order. */
export function sortDocuments<T extends Document>(
  documents: readonly T[],
  spec: SortSpec,
  compareText: StringComparator = compareStrings,
): T[] {
  const fields = Object.entries(spec)
    .filter(
      ([field, direction]) =>
        field !== '$natural' && (typeof direction === 'number' || typeNameOf(direction) === 'number'),
    )
    .map(([field, direction]) => ({ path: field.split('.'), direction: toNumber(direction) < 0 ? -1 : 1 }));
  if (fields.length === 0) return [...documents];
  const keyed = documents.map((document) => ({
    document,
    keys: fields.map((f) => sortKeyFor(document, f.path, f.direction, compareText)),
  }));
  keyed.sort((x, y) => {
    for (let i = 0; i < fields.length; i += 1) {
      const order = compareBsonValues(x.keys[i], y.keys[i], compareText) * (fields[i]?.direction ?? 1);
      if (order !== 0) return order;
    }
    return 0;
  });
  return keyed.map((entry) => entry.document);
}
