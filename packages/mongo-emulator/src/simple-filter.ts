import type { Document } from 'bson';
import { compareBsonValues, typeNameOf } from './bson-order';

/**
 * Most commands an application sends filter by equality, ranges, `$in` and `$exists`
 * on scalar values. Building a mingo query costs far more than answering one (mingo
 * copies its operator tables per query), so such filters are compiled here into plain
 * closures. Anything else, and any document where a path meets an array (where
 * MongoDB's element-wise matching applies), is answered by the general engine.
 */
type Predicate = (document: Document) => boolean;

/** Answers for one document; `undefined` when the path crosses an array (the general engine decides). */
type FieldTest = (value: unknown) => boolean;

const ARRAY = Symbol('array');

/** The value at a dotted path, or ARRAY when an array stands anywhere on it. */
function valueAt(document: Document, path: readonly string[]): unknown {
  let current: unknown = document;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) return ARRAY;
    if (current instanceof Date || '_bsontype' in current) return undefined;
    current = (current as Document)[part];
  }
  return Array.isArray(current) ? ARRAY : current;
}

/** Values whose comparison by the BSON order is exactly MongoDB's equality and range semantics. */
function isSimpleOperand(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return true;
    case 'object':
      if (value instanceof Date) return true;
      return typeNameOf(value) === 'objectId';
    default:
      return false;
  }
}

function isOperatorObject(value: unknown): value is Document {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) return false;
  if ('_bsontype' in value || value instanceof RegExp) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

const equals = (operand: unknown): FieldTest =>
  operand === null
    ? (value) => value === null || value === undefined
    : (value) => value !== undefined && compareBsonValues(value, operand) === 0;

/** A range only matches values of the operand's own type bracket, as in MongoDB. */
function range(operand: unknown, accepts: (order: number) => boolean): FieldTest | undefined {
  if (operand === null || typeof operand === 'boolean') return undefined;
  const bracket = typeNameOf(operand);
  return (value) => value !== undefined && typeNameOf(value) === bracket && accepts(compareBsonValues(value, operand));
}

function operatorTest(operator: string, operand: unknown): FieldTest | undefined {
  switch (operator) {
    case '$eq':
      return isSimpleOperand(operand) ? equals(operand) : undefined;
    case '$ne': {
      if (!isSimpleOperand(operand)) return undefined;
      const test = equals(operand);
      return (value) => !test(value);
    }
    case '$gt':
      return isSimpleOperand(operand) ? range(operand, (order) => order > 0) : undefined;
    case '$gte':
      return isSimpleOperand(operand) ? range(operand, (order) => order >= 0) : undefined;
    case '$lt':
      return isSimpleOperand(operand) ? range(operand, (order) => order < 0) : undefined;
    case '$lte':
      return isSimpleOperand(operand) ? range(operand, (order) => order <= 0) : undefined;
    case '$in':
    case '$nin': {
      if (!Array.isArray(operand) || !operand.every(isSimpleOperand)) return undefined;
      const tests = operand.map(equals);
      const isIn: FieldTest = (value) => tests.some((test) => test(value));
      return operator === '$in' ? isIn : (value) => !isIn(value);
    }
    case '$exists': {
      if (typeof operand !== 'boolean' && operand !== 0 && operand !== 1) return undefined;
      return operand === true || operand === 1 ? (value) => value !== undefined : (value) => value === undefined;
    }
    default:
      return undefined;
  }
}

function fieldTest(condition: unknown): FieldTest | undefined {
  if (!isOperatorObject(condition)) return isSimpleOperand(condition) ? equals(condition) : undefined;
  const tests: FieldTest[] = [];
  for (const [operator, operand] of Object.entries(condition)) {
    const test = operatorTest(operator, operand);
    if (test === undefined) return undefined;
    tests.push(test);
  }
  return tests.length === 1 ? tests[0] : (value) => tests.every((test) => test(value));
}

/** `undefined` result: a path crossed an array, ask the general engine. */
type PartialPredicate = (document: Document) => boolean | undefined;

function compileClauses(filter: Document): PartialPredicate | undefined {
  const parts: PartialPredicate[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' || field === '$or') {
      if (!Array.isArray(condition) || condition.length === 0) return undefined;
      const clauses: PartialPredicate[] = [];
      for (const clause of condition) {
        if (typeof clause !== 'object' || clause === null || Array.isArray(clause)) return undefined;
        const compiled = compileClauses(clause as Document);
        if (compiled === undefined) return undefined;
        clauses.push(compiled);
      }
      parts.push(field === '$and' ? every(clauses) : some(clauses));
      continue;
    }
    if (field.startsWith('$') || field === '') return undefined;
    const path = field.split('.');
    if (path.some((part) => part === '' || /^\d+$/.test(part) || part.startsWith('$'))) return undefined;
    const test = fieldTest(condition);
    if (test === undefined) return undefined;
    parts.push((document) => {
      const value = valueAt(document, path);
      return value === ARRAY ? undefined : test(value);
    });
  }
  return every(parts);
}

function every(parts: readonly PartialPredicate[]): PartialPredicate {
  if (parts.length === 1) return parts[0] as PartialPredicate;
  return (document) => {
    let isUnknown = false;
    for (const part of parts) {
      const result = part(document);
      if (result === false) return false;
      if (result === undefined) isUnknown = true;
    }
    return isUnknown ? undefined : true;
  };
}

function some(parts: readonly PartialPredicate[]): PartialPredicate {
  return (document) => {
    let isUnknown = false;
    for (const part of parts) {
      const result = part(document);
      if (result === true) return true;
      if (result === undefined) isUnknown = true;
    }
    return isUnknown ? undefined : false;
  };
}

/**
 * A predicate for `filter` when it only uses equality, ranges, `$in`/`$nin`, `$ne`,
 * `$exists`, `$and` and `$or` on scalar operands; else undefined. `general` is asked
 * (and built once, on first need) for documents whose paths meet an array.
 */
export function compileSimpleFilter(filter: Document, general: () => Predicate): Predicate | undefined {
  const compiled = compileClauses(filter);
  if (compiled === undefined) return undefined;
  let fallback: Predicate | undefined;
  return (document) => {
    const result = compiled(document);
    if (result !== undefined) return result;
    fallback ??= general();
    return fallback(document);
  };
}
