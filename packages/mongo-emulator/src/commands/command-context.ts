import type { Document } from 'bson';
import { MongoCommandError, badValue, typeMismatch } from '../command-error';
import type { CollectionStore, Storage } from '../collection-store';
import type { CursorRegistry } from '../cursor-registry';
import type { FailPoints } from '../fail-points';

/** What a command handler may touch. Handlers are synchronous so each command is atomic. */
export interface CommandContext {
  readonly storage: Storage;
  readonly cursors: CursorRegistry;
  readonly databaseName: string;
  readonly connectionId: number;
  /** Present only when the server runs with test commands enabled. */
  readonly failPoints?: FailPoints | undefined;
}

export type CommandHandler = (command: Document, context: CommandContext) => Document;

export function isPlainDocument(value: unknown): value is Document {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof RegExp) &&
    !('_bsontype' in value)
  );
}

/** The collection a command targets: the string value of its first field. */
export function collectionNameOf(command: Document, commandName: string): string {
  const name: unknown = command[commandName];
  if (typeof name !== 'string' || name.length === 0) {
    throw new MongoCommandError(
      73,
      'InvalidNamespace',
      `collection name has invalid type ${typeof name} for command ${commandName}`,
    );
  }
  return name;
}

export function optionalDocument(command: Document, field: string): Document | undefined {
  const value: unknown = command[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainDocument(value))
    throw typeMismatch(`BSON field '${field}' is the wrong type '${typeof value}', expected type 'object'`);
  return value;
}

export function optionalNumber(command: Document, field: string): number | undefined {
  const value: unknown = command[field];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number))
    throw typeMismatch(`BSON field '${field}' is the wrong type, expected a number`);
  return number;
}

export function nonNegative(value: number | undefined, field: string): number | undefined {
  if (value !== undefined && value < 0) throw badValue(`${field} value must be >= 0`);
  return value;
}

export function documentArray(command: Document, field: string): Document[] {
  const value: unknown = command[field];
  if (!Array.isArray(value)) throw typeMismatch(`BSON field '${field}' is missing or not an array`);
  return value.map((item: unknown, index) => {
    if (!isPlainDocument(item))
      throw typeMismatch(`BSON field '${field}.${index}' is the wrong type, expected type 'object'`);
    return item;
  });
}

export function namespaceOf(context: CommandContext, collection: string): string {
  return `${context.databaseName}.${collection}`;
}

export function findCollection(context: CommandContext, name: string): CollectionStore | undefined {
  return context.storage.getCollection(context.databaseName, name);
}
