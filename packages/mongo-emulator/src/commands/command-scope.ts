import type { Document } from 'bson';
import { parseCollation, type Collation } from '../collation';
import type { CollectionStore } from '../collection-store';
import { evaluateLetVariables } from '../let-variables';
import type { EvaluationScope } from '../query-engine';

/** A command's (or statement's) `collation`, else the collection's default; undefined: binary. */
export function collationFor(raw: unknown, collection: CollectionStore | undefined): Collation | undefined {
  if (raw === undefined || raw === null) return collection?.defaultCollation;
  return parseCollation(raw);
}

/** The command's `let` variables, evaluated once, and its collation. */
export function scopeOf(
  command: Document,
  commandName: string,
  collection: CollectionStore | undefined,
): EvaluationScope {
  return {
    variables: evaluateLetVariables(command['let'], commandName),
    collation: collationFor(command['collation'], collection),
  };
}
