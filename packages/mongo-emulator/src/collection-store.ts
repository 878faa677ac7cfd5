import { deserialize, serialize, UUID, type Document } from 'bson';
import { MongoCommandError, badValue } from './command-error';
import { ID_INDEX_SPEC, IndexState, duplicateKeyError, type IndexDefinition, type StoredRecord } from './index-catalog';
import type { StorageChangeListener } from './storage-change';
import { parseCollation, type Collation } from './collation';
import { valueKey } from './value-key';

/** A deep copy through BSON, so stored state never shares objects with callers. */
export function cloneDocument(document: Document): Document {
  return deserialize(serialize(document), { promoteValues: true, promoteBuffers: false });
}

/**
 * True when every field an index reads is the very same value in both documents (the
 * same object or an equal primitive on each path), so its entries cannot differ. A
 * partial index may also read other fields in its filter: never taken as unchanged.
 */
function isIndexedValueShared(index: IndexState, previous: Document, next: Document): boolean {
  if (index.partialFilterExpression !== undefined) return false;
  return index.fields.every((field) => {
    let a: unknown = previous;
    let b: unknown = next;
    for (const part of field.path) {
      if (a === b) return true;
      if (Array.isArray(a) || Array.isArray(b)) return false;
      a = typeof a === 'object' && a !== null ? (a as Document)[part] : undefined;
      b = typeof b === 'object' && b !== null ? (b as Document)[part] : undefined;
    }
    return a === b;
  });
}

/** What a collection reads from the storage that holds it. */
export interface CollectionHost {
  /** Told of every applied change (the journal); absent for a purely in-memory store. */
  readonly onChange: StorageChangeListener | undefined;
  /** While true (a recovery replaying), writes keep documents only; indexes are rebuilt afterwards. */
  readonly isIndexingDeferred: boolean;
}

const DETACHED: CollectionHost = { onChange: undefined, isIndexingDeferred: false };

/** One collection: documents in natural (insertion) order keyed by _id, plus its indexes. */
export class CollectionStore {
  private currentDatabaseName: string;
  private currentName: string;
  readonly options: Document;
  readonly uuid = new UUID();
  private readonly documents = new Map<string, Document>();
  /** Record ids: fixed per document for its lifetime, in insertion order, like MongoDB's RecordId. */
  private readonly records = new Map<string, number>();
  private readonly byRecord = new Map<number, Document>();
  private nextRecord = 1;
  private readonly indexes: IndexState[] = [];
  /**
   * The _id index as an ordered tree for the planner; uniqueness of _id is the documents
   * map's, and with a collection collation also the tree's (collation-equal strings collide).
   */
  readonly idIndex: IndexState;
  /** The collection's `collation`: the default of its queries and indexes; absent: binary. */
  readonly defaultCollation: Collation | undefined;
  private readonly host: CollectionHost;

  constructor(databaseName: string, name: string, options: Document = {}, host: CollectionHost = DETACHED) {
    this.currentDatabaseName = databaseName;
    this.currentName = name;
    this.options = options;
    this.host = host;
    this.defaultCollation = parseCollation(options['collation']);
    const collation = this.defaultCollation;
    this.idIndex = new IndexState({
      name: '_id_',
      key: { _id: 1 },
      isUnique: collation !== undefined,
      isSparse: false,
      spec: collation === undefined ? ID_INDEX_SPEC : { ...ID_INDEX_SPEC, collation: collation.spec },
      ...(collation === undefined ? {} : { collation }),
    });
  }

  get databaseName(): string {
    return this.currentDatabaseName;
  }

  get name(): string {
    return this.currentName;
  }

  /** Moves the collection to another namespace (renameCollection); Storage keeps the maps. */
  moveTo(databaseName: string, name: string): void {
    this.currentDatabaseName = databaseName;
    this.currentName = name;
  }

  /** The stored document with this _id; callers must not mutate it. */
  documentById(id: unknown): Document | undefined {
    return this.documents.get(valueKey(id));
  }

  get namespace(): string {
    return `${this.databaseName}.${this.name}`;
  }

  get size(): number {
    return this.documents.size;
  }

  /** Stored documents in natural order, without copying the list: callers must not mutate them. */
  naturalOrder(): IterableIterator<Document> {
    return this.documents.values();
  }

  /** Stored documents themselves: callers must not mutate them (clone first). */
  documentsInOrder(): Document[] {
    return [...this.documents.values()];
  }

  /** Every index the planner may scan, _id first. */
  plannableIndexes(): IndexState[] {
    return [this.idIndex, ...this.indexes];
  }

  documentByRecord(record: number): Document | undefined {
    return this.byRecord.get(record);
  }

  indexDefinitions(): IndexDefinition[] {
    return this.indexes.map((index) => index.definition);
  }

  indexSpecs(): Document[] {
    return [this.idIndex.definition.spec, ...this.indexes.map((index) => index.definition.spec)];
  }

  /**
   * Inserts a copy of `document`, which must already carry an _id. All checks happen
   * before any change. `adopt` stores the object itself: for documents nothing else
   * holds, such as those a recovery just decoded from disk.
   */
  insert(document: Document, ownership: 'copy' | 'adopt' = 'copy'): void {
    const id: unknown = document['_id'];
    if (Array.isArray(id)) throw badValue("can't use an array for _id");
    const idKey = valueKey(id);
    if (this.documents.has(idKey)) throw duplicateKeyError(this.namespace, '_id_', { _id: 1 }, { _id: id });
    const stored = ownership === 'adopt' ? document : cloneDocument(document);
    const isIndexing = !this.host.isIndexingDeferred;
    if (isIndexing && this.defaultCollation !== undefined) this.idIndex.assertNoConflict(stored, idKey, this.namespace);
    if (isIndexing) for (const index of this.indexes) index.assertNoConflict(stored, idKey, this.namespace);
    const record = this.nextRecord;
    this.nextRecord += 1;
    if (isIndexing) for (const index of this.plannableIndexes()) index.add(stored, idKey, record);
    this.documents.set(idKey, stored);
    this.records.set(idKey, record);
    this.byRecord.set(record, stored);
    this.host.onChange?.({ op: 'insert', db: this.databaseName, coll: this.name, doc: stored });
  }

  /** Replaces the document whose _id is `id` with a copy of `next` (same _id); `adopt` as for insert. */
  replace(previous: Document, next: Document, ownership: 'copy' | 'adopt' = 'copy'): void {
    const idKey = valueKey(previous['_id']);
    if (valueKey(next['_id']) !== idKey) {
      throw new MongoCommandError(
        66,
        'ImmutableField',
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
    const stored = ownership === 'adopt' ? next : cloneDocument(next);
    const record = this.recordOf(idKey);
    if (!this.host.isIndexingDeferred) {
      for (const index of this.indexes) index.assertNoConflict(stored, idKey, this.namespace);
      const current = this.documents.get(idKey) ?? previous;
      // An update usually leaves most indexed fields alone (and shares them with the stored
      // document): those indexes keep their entries instead of a remove and an add each.
      const changed = this.plannableIndexes().filter((index) => !isIndexedValueShared(index, current, stored));
      for (const index of changed) index.remove(current, idKey, record);
      for (const index of changed) index.add(stored, idKey, record);
    }
    this.documents.set(idKey, stored);
    this.byRecord.set(record, stored);
    this.host.onChange?.({ op: 'replace', db: this.databaseName, coll: this.name, doc: stored });
  }

  private recordOf(idKey: string): number {
    const record = this.records.get(idKey);
    if (record === undefined) throw new Error(`no record for stored document ${idKey}`);
    return record;
  }

  remove(document: Document): void {
    const idKey = valueKey(document['_id']);
    const stored = this.documents.get(idKey);
    if (stored === undefined) return;
    const record = this.recordOf(idKey);
    if (!this.host.isIndexingDeferred)
      for (const index of this.plannableIndexes()) index.remove(stored, idKey, record);
    this.documents.delete(idKey);
    this.records.delete(idKey);
    this.byRecord.delete(record);
    this.host.onChange?.({ op: 'delete', db: this.databaseName, coll: this.name, id: stored['_id'] });
  }

  /**
   * Adds an index built from the existing documents, which a unique index checks
   * (E11000 on a collision, and no index). While indexing is deferred it is only
   * declared, and built with the others by `rebuildIndexes`.
   */
  addIndex(definition: IndexDefinition): void {
    const index = new IndexState(definition);
    if (!this.host.isIndexingDeferred) index.rebuild(this.storedRecords(), this.namespace);
    this.indexes.push(index);
    this.host.onChange?.({ op: 'createIndex', db: this.databaseName, coll: this.name, spec: definition.spec });
  }

  /** Builds every index (_id included) anew from the stored documents: the end of a recovery. */
  rebuildIndexes(): void {
    for (const index of this.plannableIndexes()) index.rebuild(this.storedRecords(), this.namespace);
  }

  private *storedRecords(): Generator<StoredRecord> {
    for (const [idKey, record] of this.records) {
      const document = this.documents.get(idKey);
      if (document !== undefined) yield { idKey, record, document };
    }
  }

  dropIndex(name: string): boolean {
    const position = this.indexes.findIndex((index) => index.definition.name === name);
    if (position < 0) return false;
    this.indexes.splice(position, 1);
    this.host.onChange?.({ op: 'dropIndex', db: this.databaseName, coll: this.name, name });
    return true;
  }

  dropAllIndexes(): void {
    this.indexes.length = 0;
    this.host.onChange?.({ op: 'dropAllIndexes', db: this.databaseName, coll: this.name });
  }

  /** Deletes documents whose TTL index expiry is at or before `now`; returns how many. */
  removeExpired(now: number): number {
    const ttlIndexes = this.indexes.filter((index) => index.definition.expireAfterSeconds !== undefined);
    if (ttlIndexes.length === 0) return 0;
    const expired = this.documentsInOrder().filter((document) =>
      ttlIndexes.some((index) => {
        const expiry = index.expiryOf(document);
        return expiry !== undefined && expiry <= now;
      }),
    );
    for (const document of expired) this.remove(document);
    return expired.length;
  }
}

/** All databases of one emulator instance. A database exists while it has a collection. */
export class Storage implements CollectionHost {
  private readonly databases = new Map<string, Map<string, CollectionStore>>();
  /** Told of every applied change; the journal sets it, a recovery unsets it while replaying. */
  onChange: StorageChangeListener | undefined;
  private isDeferringIndexes = false;

  get isIndexingDeferred(): boolean {
    return this.isDeferringIndexes;
  }

  /**
   * Runs `replay` with index maintenance off, then builds every collection's indexes
   * once from its final documents. For a recovery, whose writes were checked when they
   * were first applied: keeping each index up to date write by write would cost an
   * ordered insert per entry, where one sort per index does.
   */
  replayWithIndexesDeferred(replay: () => void): void {
    this.isDeferringIndexes = true;
    try {
      replay();
    } finally {
      this.isDeferringIndexes = false;
      for (const collection of this.allCollections()) collection.rebuildIndexes();
    }
  }

  getCollection(databaseName: string, name: string): CollectionStore | undefined {
    return this.databases.get(databaseName)?.get(name);
  }

  /** Implicit creation, as MongoDB does on first write or index build. */
  getOrCreateCollection(databaseName: string, name: string): CollectionStore {
    return this.getCollection(databaseName, name) ?? this.createCollection(databaseName, name, {});
  }

  createCollection(databaseName: string, name: string, options: Document): CollectionStore {
    validateCollectionName(name);
    const collection = new CollectionStore(databaseName, name, options, this);
    this.attach(collection);
    this.onChange?.({ op: 'createCollection', db: databaseName, coll: name, options });
    return collection;
  }

  private attach(collection: CollectionStore): void {
    const database = this.databases.get(collection.databaseName) ?? new Map<string, CollectionStore>();
    database.set(collection.name, collection);
    this.databases.set(collection.databaseName, database);
  }

  private detach(databaseName: string, name: string): CollectionStore | undefined {
    const database = this.databases.get(databaseName);
    const collection = database?.get(name);
    if (database === undefined || collection === undefined) return undefined;
    database.delete(name);
    if (database.size === 0) this.databases.delete(databaseName);
    return collection;
  }

  /** Moves a collection with its documents and indexes; the target must not exist (drop it first). */
  renameCollection(databaseName: string, name: string, toDatabaseName: string, toName: string): void {
    validateCollectionName(toName);
    const collection = this.detach(databaseName, name);
    if (collection === undefined) return;
    collection.moveTo(toDatabaseName, toName);
    this.attach(collection);
    this.onChange?.({
      op: 'renameCollection',
      db: databaseName,
      coll: name,
      toDb: toDatabaseName,
      toColl: toName,
    });
  }

  dropCollection(databaseName: string, name: string): CollectionStore | undefined {
    const collection = this.detach(databaseName, name);
    if (collection !== undefined) this.onChange?.({ op: 'dropCollection', db: databaseName, coll: name });
    return collection;
  }

  dropDatabase(databaseName: string): boolean {
    const existed = this.databases.delete(databaseName);
    if (existed) this.onChange?.({ op: 'dropDatabase', db: databaseName });
    return existed;
  }

  collections(databaseName: string): CollectionStore[] {
    return [...(this.databases.get(databaseName)?.values() ?? [])];
  }

  databaseNames(): string[] {
    return [...this.databases.keys()];
  }

  allCollections(): CollectionStore[] {
    return [...this.databases.values()].flatMap((database) => [...database.values()]);
  }
}

function validateCollectionName(name: string): void {
  if (
    name.length === 0 ||
    name.includes('\0') ||
    name.includes('$') ||
    name.startsWith('.') ||
    name.startsWith('system.')
  ) {
    throw new MongoCommandError(73, 'InvalidNamespace', `Invalid collection name: ${name}`);
  }
}
