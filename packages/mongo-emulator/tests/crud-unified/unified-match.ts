import { EJSON, type Document } from 'bson';

/**
 * The Unified Test Format's "Evaluating Matches" rules: numbers match across int,
 * long and double; root-level documents (and the documents of a root-level array)
 * may carry extra fields, nested ones may not; `$$exists`, `$$type` and
 * `$$unsetOrMatches` are special operators. Returns every mismatch, each with its path,
 * so a failing spec test says exactly where the server's answer differs.
 */
export function findMismatches(expected: unknown, actual: unknown, options: { isRoot: boolean }): string[] {
  const mismatches: string[] = [];
  matchValue(expected, actual, '', options.isRoot, mismatches);
  return mismatches;
}

const NUMERIC_TAGS = new Set(['Int32', 'Double', 'Long', 'Decimal128']);

function bsonTag(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tag: unknown = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

export function isPlainObject(value: unknown): value is Document {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof RegExp) &&
    !(value instanceof Uint8Array) &&
    bsonTag(value) === undefined
  );
}

function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const tag = bsonTag(value);
  if (tag === undefined || !NUMERIC_TAGS.has(tag)) return undefined;
  return Number((value as { toString(): string }).toString());
}

/** The BSON type aliases `$$type` accepts, as the server's `$type` names them. */
export function bsonTypeAliasesOf(value: unknown): string[] {
  if (value === undefined) return ['undefined'];
  if (value === null) return ['null'];
  switch (typeof value) {
    case 'string':
      return ['string'];
    case 'boolean':
      return ['bool'];
    case 'bigint':
      return ['long'];
    case 'number':
      // A promoted number no longer says whether it was an int, a long or a double.
      return Number.isInteger(value) ? ['int', 'long', 'double'] : ['double'];
    default:
      break;
  }
  if (Array.isArray(value)) return ['array'];
  if (value instanceof Date) return ['date'];
  if (value instanceof RegExp) return ['regex'];
  if (value instanceof Uint8Array) return ['binData'];
  const tag = bsonTag(value);
  const byTag: Record<string, string> = {
    Int32: 'int',
    Double: 'double',
    Long: 'long',
    Decimal128: 'decimal',
    ObjectId: 'objectId',
    Binary: 'binData',
    Timestamp: 'timestamp',
    BSONRegExp: 'regex',
    MinKey: 'minKey',
    MaxKey: 'maxKey',
    Code: 'javascript',
    BSONSymbol: 'symbol',
  };
  if (tag !== undefined) return [byTag[tag] ?? tag];
  return ['object'];
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined (missing)';
  try {
    return EJSON.stringify(value, { relaxed: true });
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function specialOperator(expected: unknown): [string, unknown] | undefined {
  if (!isPlainObject(expected)) return undefined;
  const keys = Object.keys(expected);
  const [key] = keys;
  if (keys.length !== 1 || key === undefined || !key.startsWith('$$')) return undefined;
  return [key, expected[key]];
}

function matchValue(expected: unknown, actual: unknown, path: string, isRoot: boolean, out: string[]): void {
  // The driver sends some ordered fields (sort, hint) as a Map.
  if (actual instanceof Map) actual = Object.fromEntries(actual as Map<string, unknown>);
  const operator = specialOperator(expected);
  if (operator !== undefined) {
    matchOperator(operator[0], operator[1], actual, path, isRoot, out);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      out.push(`${path || '(root)'}: expected an array, got ${describe(actual)}`);
      return;
    }
    if (actual.length !== expected.length) {
      out.push(
        `${path || '(root)'}: expected ${expected.length} elements, got ${actual.length}: ${describe(actual)}`,
      );
    }
    expected.forEach((item: unknown, index) => {
      if (index < actual.length) matchValue(item, actual[index], `${path}[${index}]`, isRoot, out);
    });
    return;
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) {
      out.push(`${path || '(root)'}: expected a document ${describe(expected)}, got ${describe(actual)}`);
      return;
    }
    for (const [key, value] of Object.entries(expected)) {
      matchValue(value, actual[key], path === '' ? key : `${path}.${key}`, false, out);
    }
    if (!isRoot) {
      for (const key of Object.keys(actual)) {
        if (!(key in expected) && actual[key] !== undefined)
          out.push(`${path === '' ? key : `${path}.${key}`}: unexpected field with ${describe(actual[key])}`);
      }
    }
    return;
  }
  const expectedNumber = numericValue(expected);
  if (expectedNumber !== undefined) {
    const actualNumber = numericValue(actual);
    const isSame =
      actualNumber !== undefined &&
      (actualNumber === expectedNumber || (Number.isNaN(actualNumber) && Number.isNaN(expectedNumber)));
    if (!isSame) out.push(`${path || '(root)'}: expected ${describe(expected)}, got ${describe(actual)}`);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    if (expected !== actual)
      out.push(`${path || '(root)'}: expected ${describe(expected)}, got ${describe(actual)}`);
    return;
  }
  if (canonical(expected) !== canonical(actual))
    out.push(`${path || '(root)'}: expected ${describe(expected)}, got ${describe(actual)}`);
}

function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  return EJSON.stringify({ v: value }, { relaxed: false });
}

function matchOperator(
  name: string,
  argument: unknown,
  actual: unknown,
  path: string,
  isRoot: boolean,
  out: string[],
): void {
  const where = path || '(root)';
  switch (name) {
    case '$$exists':
      if ((actual !== undefined) !== argument)
        out.push(
          `${where}: expected the field to ${argument === true ? 'exist' : 'be absent'}, got ${describe(actual)}`,
        );
      return;
    case '$$type': {
      const wanted = Array.isArray(argument) ? argument.map(String) : [String(argument)];
      const aliases = bsonTypeAliasesOf(actual);
      if (!aliases.some((alias) => wanted.includes(alias)))
        out.push(
          `${where}: expected type ${wanted.join('|')}, got ${aliases.join('|')} (${describe(actual)})`,
        );
      return;
    }
    case '$$unsetOrMatches':
      if (actual !== undefined) matchValue(argument, actual, path, isRoot, out);
      return;
    default:
      throw new Error(`The spec runner does not support the ${name} operator (at ${where})`);
  }
}
