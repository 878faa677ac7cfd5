import type { Document } from 'bson';
import { Query } from 'mingo';
import { MongoCommandError, badValue } from './command-error';
import { expandArrays, typeNameOf, valuesAtPath } from './bson-order';
import { formatShellValue, valueKey } from './value-key';

/** A secondary index as created by createIndexes and reported by listIndexes. */
export interface IndexDefinition {
  readonly name: string;
  readonly key: Document;
  readonly isUnique: boolean;
  readonly isSparse: boolean;
  readonly expireAfterSeconds?: number;
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

export function parseIndexSpec(raw: unknown): IndexDefinition {
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
  const spec: Document = { v: 2, ...input, key, name };
  delete spec['ns'];
  const definition: IndexDefinition = {
    name,
    key: key,
    isUnique: input['unique'] === true,
    isSparse: input['sparse'] === true,
    spec,
  };
  return typeof ttl === 'number' ? { ...definition, expireAfterSeconds: ttl } : definition;
}

interface IndexKeys {
  readonly keys: string[];
  readonly keyValues: Document[];
}

/**
 * Live state of one secondary index. Only unique indexes keep entries: they are the
 * only ones whose contents change a command's outcome.
 */
export class IndexState {
  readonly definition: IndexDefinition;
  private readonly partialFilter: Query | undefined;
  private readonly fields: { name: string; path: string[] }[];
  private readonly entries = new Map<string, string>();

  constructor(definition: IndexDefinition) {
    this.definition = definition;
    const partial: unknown = definition.spec['partialFilterExpression'];
    this.partialFilter = typeof partial === 'object' && partial !== null ? new Query(partial) : undefined;
    this.fields = Object.keys(definition.key).map((name) => ({ name, path: name.split('.') }));
  }

  private keysFor(document: Document): IndexKeys | undefined {
    if (this.partialFilter !== undefined && !this.partialFilter.test(document)) return undefined;
    const perField = this.fields.map((field) => {
      return expandArrays(valuesAtPath(document, field.path));
    });
    if (this.definition.isSparse && perField.every((values) => values.length === 0)) return undefined;
    let combinations: unknown[][] = [[]];
    for (const values of perField) {
      const options = values.length === 0 ? [null] : values;
      combinations = combinations.flatMap((prefix) =>
        options.map((value): unknown[] => [...prefix, value ?? null]),
      );
    }
    return {
      keys: combinations.map((combination) => combination.map(valueKey).join('|')),
      keyValues: combinations.map((combination) =>
        Object.fromEntries(this.fields.map((field, i) => [field.name, combination[i]])),
      ),
    };
  }

  /** Throws the E11000 error MongoDB raises if indexing `document` would collide with another document. */
  assertNoConflict(document: Document, idKey: string, namespace: string): void {
    if (!this.definition.isUnique) return;
    const indexed = this.keysFor(document);
    if (indexed === undefined) return;
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

  add(document: Document, idKey: string): void {
    if (!this.definition.isUnique) return;
    for (const key of this.keysFor(document)?.keys ?? []) this.entries.set(key, idKey);
  }

  remove(document: Document, idKey: string): void {
    if (!this.definition.isUnique) return;
    for (const key of this.keysFor(document)?.keys ?? []) {
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
