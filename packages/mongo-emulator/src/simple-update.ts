import { serialize, type Document } from 'bson';
import { cloneDocument } from './collection-store';

/**
 * `$set`, `$unset` and `$inc` on paths through plain sub-documents, computed without
 * mingo (whose updater builds an operator context per call and needs a deep copy to
 * mutate). The result shares every untouched sub-document with `original`: stored
 * documents are never changed in place, so sharing is safe. Anything else (positional
 * paths, arrays on the way, a non-number under `$inc`, overlapping paths) is left to
 * the general engine by returning undefined, so its semantics and errors stay.
 */
const SIMPLE_OPERATORS = new Set(['$set', '$unset', '$inc']);

export interface SimpleUpdateOutcome {
  readonly document: Document;
  readonly isModified: boolean;
}

interface Step {
  readonly operator: string;
  readonly path: readonly string[];
  readonly operand: unknown;
}

function isPlainObject(value: unknown): value is Document {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof RegExp) &&
    !(value instanceof Uint8Array) &&
    !('_bsontype' in value)
  );
}

function stepsOf(modifier: Readonly<Record<string, unknown>>): Step[] | undefined {
  const steps: Step[] = [];
  for (const [operator, fields] of Object.entries(modifier)) {
    if (!SIMPLE_OPERATORS.has(operator) || !isPlainObject(fields)) return undefined;
    const entries = Object.entries(fields);
    if (entries.length === 0) return undefined;
    for (const [field, operand] of entries) {
      const path = field.split('.');
      if (path.some((part) => part === '' || part === '__proto__' || part.startsWith('$') || /^\d+$/.test(part)))
        return undefined;
      if (path[0] === '_id') return undefined;
      if (operator === '$inc' && (typeof operand !== 'number' || !Number.isFinite(operand))) return undefined;
      steps.push({ operator, path, operand });
    }
  }
  // Overlapping paths (`a` and `a.b`) are a conflict MongoDB refuses: the general engine says so.
  const joined = steps.map((step) => step.path.join('.')).sort();
  for (let i = 1; i < joined.length; i += 1) {
    const previous = joined[i - 1] ?? '';
    const current = joined[i] ?? '';
    if (current === previous || current.startsWith(`${previous}.`)) return undefined;
  }
  return steps;
}

function copyValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return new Date(value.getTime());
  return cloneDocument({ value })['value'];
}

function isSameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return Buffer.compare(Buffer.from(serialize({ v: a })), Buffer.from(serialize({ v: b }))) === 0;
}

/** The computed document, or undefined when the update is not one this module answers. */
export function applySimpleUpdate(
  original: Document,
  modifier: Readonly<Record<string, unknown>>,
): SimpleUpdateOutcome | undefined {
  const steps = stepsOf(modifier);
  if (steps === undefined) return undefined;
  const root: Document = { ...original };
  /** Sub-documents already copied for this update (so two paths under one parent share the copy). */
  const copied = new Set<Document>([root]);
  let isModified = false;
  for (const step of steps) {
    let parent: Document = root;
    const last = step.path.length - 1;
    let isMissing = false;
    for (let i = 0; i < last; i += 1) {
      const part = step.path[i] as string;
      const child: unknown = Object.hasOwn(parent, part) ? parent[part] : undefined;
      if (child === undefined) {
        if (step.operator === '$unset') {
          isMissing = true;
          break;
        }
        const created: Document = {};
        copied.add(created);
        parent[part] = created;
        parent = created;
        continue;
      }
      if (!isPlainObject(child)) {
        // `$unset` through a scalar is a no-op in MongoDB; anything else is for the general engine.
        if (step.operator === '$unset' && !Array.isArray(child)) {
          isMissing = true;
          break;
        }
        return undefined;
      }
      if (copied.has(child)) {
        parent = child;
        continue;
      }
      const copy: Document = { ...child };
      copied.add(copy);
      parent[part] = copy;
      parent = copy;
    }
    if (isMissing) continue;
    const field = step.path[last] as string;
    const current: unknown = Object.hasOwn(parent, field) ? parent[field] : undefined;
    if (step.operator === '$unset') {
      if (Object.hasOwn(parent, field)) {
        delete parent[field];
        isModified = true;
      }
      continue;
    }
    if (step.operator === '$inc') {
      if (current !== undefined && typeof current !== 'number') return undefined;
      const next = (current ?? 0) + (step.operand as number);
      if (current === undefined || next !== current) isModified = true;
      parent[field] = next;
      continue;
    }
    if (current === undefined || !isSameValue(current, step.operand)) isModified = true;
    parent[field] = copyValue(step.operand);
  }
  return { document: isModified ? root : original, isModified };
}
