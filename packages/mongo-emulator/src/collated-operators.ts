import type { Document } from 'bson';
import { Context, evalExpr } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import type { ArrayOrObject, Options } from 'mingo/types';
import { flatten, resolve } from 'mingo/util';
import { compareBsonValues, typeNameOf } from './bson-order';
import type { Collation } from './collation';

/**
 * mingo's query and expression comparisons with strings compared by a collation.
 * Only comparisons that involve a string change: every other operand goes to mingo's
 * own operator, so a collation never alters how numbers, dates or ids match.
 */
type QueryOperatorFn = (selector: string, value: unknown, options: Options) => (document: unknown) => boolean;
type ExpressionOperatorFn = (document: unknown, expression: unknown, options: Options) => unknown;

/** True when a string (or a symbol) sits anywhere in the value. */
export function containsString(value: unknown): boolean {
  const type = typeNameOf(value);
  if (type === 'string') return true;
  if (type === 'array') return (value as unknown[]).some(containsString);
  if (type === 'object') return Object.values(value as Document).some(containsString);
  return false;
}

function depthOf(selector: string): number {
  return selector.split('.').length - 1;
}

function original(name: string): QueryOperatorFn {
  return (queryOperators as unknown as Record<string, QueryOperatorFn>)[name] as QueryOperatorFn;
}

function originalExpression(name: string): ExpressionOperatorFn {
  return (expressionOperators as unknown as Record<string, ExpressionOperatorFn>)[name] as ExpressionOperatorFn;
}

function collatedQueryOperators(collation: Collation): Record<string, QueryOperatorFn> {
  const isEqual = (a: unknown, b: unknown): boolean => compareBsonValues(a, b, collation.compareStrings) === 0;
  /** The field's value, or any element of it (arrays match by element too), equals `b`. */
  const matchesEqual = (value: unknown, b: unknown, depth: number): boolean => {
    if (isEqual(value, b)) return true;
    if (!Array.isArray(value)) return false;
    return value.some((item) => isEqual(item, b)) || flatten(value, depth).some((item) => isEqual(item, b));
  };
  const matchesIn = (value: unknown, list: readonly unknown[], depth: number): boolean => {
    if (value === undefined || value === null) return list.some((item) => item === null);
    return list.some((item) => {
      if (item instanceof RegExp) {
        const candidates = Array.isArray(value) ? value : [value];
        return candidates.some((candidate) => typeof candidate === 'string' && item.test(candidate));
      }
      return matchesEqual(value, item, depth);
    });
  };
  const field =
    (selector: string, test: (value: unknown) => boolean) =>
    (document: unknown): boolean =>
      test(resolve(document as ArrayOrObject, selector, { unwrapArray: true }));
  const equality =
    (isNegated: boolean): QueryOperatorFn =>
    (selector, value, options) => {
      if (!containsString(value)) return original(isNegated ? '$ne' : '$eq')(selector, value, options);
      const depth = depthOf(selector) || 1;
      return field(selector, (resolved) => matchesEqual(resolved, value, depth) !== isNegated);
    };
  const membership =
    (isNegated: boolean): QueryOperatorFn =>
    (selector, value, options) => {
      if (!Array.isArray(value) || !containsString(value))
        return original(isNegated ? '$nin' : '$in')(selector, value, options);
      const depth = depthOf(selector) || 1;
      return field(selector, (resolved) => matchesIn(resolved, value, depth) !== isNegated);
    };
  const range =
    (name: string, accepts: (order: number) => boolean): QueryOperatorFn =>
    (selector, value, options) => {
      if (typeof value !== 'string') return original(name)(selector, value, options);
      return field(selector, (resolved) =>
        (Array.isArray(resolved) ? resolved : [resolved]).some(
          (item) => typeNameOf(item) === 'string' && accepts(collation.compareStrings(String(item), value)),
        ),
      );
    };
  const all: QueryOperatorFn = (selector, value, options) => {
    if (!Array.isArray(value) || !value.some((item) => typeof item === 'string'))
      return original('$all')(selector, value, options);
    const others = original('$all')(
      selector,
      value.filter((item) => typeof item !== 'string'),
      options,
    );
    const texts = value.filter((item): item is string => typeof item === 'string');
    return (document) => {
      const resolved = resolve(document as ArrayOrObject, selector, { unwrapArray: true });
      if (!Array.isArray(resolved) || resolved.length === 0) return false;
      const hasTexts = texts.every((text) => resolved.some((item) => isEqual(item, text)));
      return hasTexts && (texts.length === value.length || others(document));
    };
  };
  return {
    $eq: equality(false),
    $ne: equality(true),
    $in: membership(false),
    $nin: membership(true),
    $gt: range('$gt', (order) => order > 0),
    $gte: range('$gte', (order) => order >= 0),
    $lt: range('$lt', (order) => order < 0),
    $lte: range('$lte', (order) => order <= 0),
    $all: all,
  };
}

function collatedExpressionOperators(collation: Collation): Record<string, ExpressionOperatorFn> {
  const comparison =
    (name: string, result: (order: number) => unknown): ExpressionOperatorFn =>
    (document, expression, options) => {
      const operands = evalExpr(document, expression, options);
      if (!Array.isArray(operands) || operands.length !== 2 || !containsString(operands))
        return originalExpression(name)(document, expression, options);
      return result(compareBsonValues(operands[0], operands[1], collation.compareStrings));
    };
  return {
    $eq: comparison('$eq', (order) => order === 0),
    $ne: comparison('$ne', (order) => order !== 0),
    $gt: comparison('$gt', (order) => order > 0),
    $gte: comparison('$gte', (order) => order >= 0),
    $lt: comparison('$lt', (order) => order < 0),
    $lte: comparison('$lte', (order) => order <= 0),
    $cmp: comparison('$cmp', (order) => order),
  };
}

const contexts = new Map<string, Context>();

/** Every mingo operator, with the comparisons above for this collation (one context per collation). */
export function collatedContext(collation: Collation): Context {
  const cached = contexts.get(collation.key);
  if (cached !== undefined) return cached;
  const context = Context.init({
    accumulator: accumulatorOperators,
    expression: { ...expressionOperators, ...collatedExpressionOperators(collation) },
    pipeline: pipelineOperators,
    projection: projectionOperators,
    query: { ...queryOperators, ...collatedQueryOperators(collation) },
    window: windowOperators,
  });
  contexts.set(collation.key, context);
  return context;
}

/**
 * Aggregation stages whose grouping or joining would need the collation too; with a
 * non-simple collation they are refused rather than run with binary comparison.
 */
export const STAGES_WITHOUT_COLLATION = new Set([
  '$bucket',
  '$bucketAuto',
  '$sortByCount',
  '$setWindowFields',
  '$lookup',
  '$graphLookup',
  '$facet',
  '$unionWith',
  '$densify',
  '$fill',
]);

const ORDER_FREE_ACCUMULATORS = new Set(['$sum', '$count', '$avg', '$first', '$last', '$push']);

/**
 * A `$group` the collation cannot change: a constant `_id` (no field path) and
 * accumulators that never compare values, as countDocuments sends
 * (`{ _id: 1, n: { $sum: 1 } }`).
 */
export function isCollationFreeGroup(spec: unknown): boolean {
  if (typeNameOf(spec) !== 'object') return false;
  const { _id: id, ...accumulators } = spec as Document;
  if (containsFieldPath(id) || containsString(id)) return false;
  return Object.values(accumulators).every((accumulator) => {
    if (typeNameOf(accumulator) !== 'object') return false;
    const names = Object.keys(accumulator as Document);
    return names.length === 1 && ORDER_FREE_ACCUMULATORS.has(names[0] ?? '');
  });
}

function containsFieldPath(value: unknown): boolean {
  const type = typeNameOf(value);
  if (type === 'string') return String(value).startsWith('$');
  if (type === 'array') return (value as unknown[]).some(containsFieldPath);
  if (type === 'object') return Object.values(value as Document).some(containsFieldPath);
  return false;
}
