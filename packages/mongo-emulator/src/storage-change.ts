import type { Document } from 'bson';

/**
 * One applied change to the stored state, as the journal records it. Changes are
 * effects, not commands: replaying them needs no query or update logic, so a
 * recovery always rebuilds exactly the state that was acknowledged.
 */
export type StorageChange =
  | {
      readonly op: 'createCollection';
      readonly db: string;
      readonly coll: string;
      readonly options: Document;
    }
  | { readonly op: 'dropCollection'; readonly db: string; readonly coll: string }
  | { readonly op: 'dropDatabase'; readonly db: string }
  | {
      readonly op: 'renameCollection';
      readonly db: string;
      readonly coll: string;
      readonly toDb: string;
      readonly toColl: string;
    }
  | { readonly op: 'insert'; readonly db: string; readonly coll: string; readonly doc: Document }
  | { readonly op: 'replace'; readonly db: string; readonly coll: string; readonly doc: Document }
  | { readonly op: 'delete'; readonly db: string; readonly coll: string; readonly id: unknown }
  | { readonly op: 'createIndex'; readonly db: string; readonly coll: string; readonly spec: Document }
  | { readonly op: 'dropIndex'; readonly db: string; readonly coll: string; readonly name: string }
  | { readonly op: 'dropAllIndexes'; readonly db: string; readonly coll: string };

export type StorageChangeListener = (change: StorageChange) => void;
