import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  truncateSync,
  unlinkSync,
} from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Document } from 'bson';
import type { Storage } from '../collection-store';
import { parseIndexSpec } from '../index-catalog';
import type { StorageChange } from '../storage-change';
import { lockDataDirectory, type HeldLock } from './data-directory-lock';
import { decodeFile, encodeChange, encodeRecord } from './journal-format';

export interface PersistenceLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface PersistenceOptions {
  readonly directory: string;
  /** Journal bytes after which the state is compacted into a snapshot. */
  readonly compactAfterBytes?: number;
  readonly logger?: PersistenceLogger | undefined;
}

/** What a start found on disk and did with it. */
export interface RecoveryReport {
  readonly directory: string;
  /** The previous owner died without closing (kill -9, crash, power loss). */
  readonly wasUncleanShutdown: boolean;
  readonly snapshotGeneration: number | undefined;
  readonly snapshotChanges: number;
  readonly journalRecords: number;
  /** The last journal record, cut short by the crash, that was dropped. */
  readonly tornRecord:
    { readonly file: string; readonly offset: number; readonly reason: string } | undefined;
  readonly durationMs: number;
}

/** The data directory cannot be read back: refuse to start rather than serve a wrong state. */
export class DataDirectoryDamagedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirectoryDamagedError';
  }
}

const DEFAULT_COMPACT_AFTER_BYTES = 64 * 1024 * 1024;
const SNAPSHOT_CHUNK_DOCUMENTS = 1000;
const JOURNAL_PATTERN = /^journal\.(\d{8})\.log$/;
const SNAPSHOT_PATTERN = /^snapshot\.(\d{8})\.bson$/;

const journalName = (generation: number): string => `journal.${String(generation).padStart(8, '0')}.log`;
const snapshotName = (generation: number): string => `snapshot.${String(generation).padStart(8, '0')}.bson`;

function generationsOf(names: readonly string[], pattern: RegExp): number[] {
  return names
    .map((name) => pattern.exec(name)?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Makes a rename or a new file in `directory` itself durable. */
function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Applies a recovered change; inserts of an _id already there replace it, so a replay is idempotent. */
function applyChange(storage: Storage, change: StorageChange): void {
  if (change.op === 'dropDatabase') {
    storage.dropDatabase(change.db);
    return;
  }
  if (change.op === 'createCollection') {
    if (storage.getCollection(change.db, change.coll) === undefined)
      storage.createCollection(change.db, change.coll, change.options);
    return;
  }
  if (change.op === 'dropCollection') {
    storage.dropCollection(change.db, change.coll);
    return;
  }
  if (change.op === 'renameCollection') {
    storage.dropCollection(change.toDb, change.toColl);
    storage.renameCollection(change.db, change.coll, change.toDb, change.toColl);
    return;
  }
  const collection = storage.getOrCreateCollection(change.db, change.coll);
  switch (change.op) {
    case 'insert':
    case 'replace': {
      // Just decoded from disk and held by nothing else: stored as is, without another copy.
      const previous = collection.documentById(change.doc['_id']);
      if (previous === undefined) collection.insert(change.doc, 'adopt');
      else collection.replace(previous, change.doc, 'adopt');
      return;
    }
    case 'delete':
      collection.remove({ _id: change.id });
      return;
    case 'createIndex': {
      const definition = parseIndexSpec(change.spec, collection.defaultCollation);
      if (!collection.indexDefinitions().some((index) => index.name === definition.name))
        collection.addIndex(definition);
      return;
    }
    case 'dropIndex':
      collection.dropIndex(change.name);
      return;
    case 'dropAllIndexes':
      collection.dropAllIndexes();
      return;
  }
}

interface SealedRecord {
  readonly sequence: number;
  readonly generation: number;
  readonly bytes: Buffer;
}

interface CollectionImage {
  readonly db: string;
  readonly coll: string;
  readonly options: Document;
  readonly indexSpecs: Document[];
  /** Stored documents are never changed in place (a replace stores a new object), so references are a consistent image. */
  readonly documents: Document[];
}

/**
 * Keeps one Storage on disk: every applied change goes into a write-ahead journal
 * that is fsync'd before the command that made it is answered; the journal is
 * compacted into a snapshot (written aside, then renamed) once it grows; a start
 * replays the snapshot and the journals after it.
 */
export class Persistence {
  readonly directory: string;
  readonly recovery: RecoveryReport;
  private readonly storage: Storage;
  private readonly lock: HeldLock;
  private readonly logger: PersistenceLogger | undefined;
  private readonly compactAfterBytes: number;
  private pending: Buffer[] = [];
  private sealed: SealedRecord[] = [];
  private sealedSequence = 0;
  private durableSequence = 0;
  private waiters: { sequence: number; resolve: () => void; reject: (error: Error) => void }[] = [];
  private generation: number;
  private journal: { generation: number; handle: FileHandle } | undefined;
  private journalBytes: number;
  private flushing: Promise<void> | undefined;
  private compacting: Promise<void> | undefined;
  private failure: Error | undefined;
  private isClosed = false;

  private constructor(
    storage: Storage,
    lock: HeldLock,
    options: PersistenceOptions,
    state: { generation: number; journalBytes: number; recovery: RecoveryReport },
  ) {
    this.storage = storage;
    this.lock = lock;
    this.directory = options.directory;
    this.logger = options.logger;
    this.compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    this.generation = state.generation;
    this.journalBytes = state.journalBytes;
    this.recovery = state.recovery;
  }

  /** Locks `directory` (creating it), loads what it holds into `storage`, then journals every change. */
  static open(storage: Storage, options: PersistenceOptions): Persistence {
    const directory = path.resolve(options.directory);
    mkdirSync(directory, { recursive: true });
    const lock = lockDataDirectory(directory);
    try {
      const started = Date.now();
      const state = Persistence.recover(storage, directory, options.logger);
      const recovery: RecoveryReport = {
        ...state.report,
        directory,
        wasUncleanShutdown: lock.tookOverFromPid !== undefined,
        durationMs: Date.now() - started,
      };
      const persistence = new Persistence(
        storage,
        lock,
        { ...options, directory },
        { generation: state.generation, journalBytes: state.journalBytes, recovery },
      );
      storage.onChange = (change) => persistence.pending.push(encodeChange(change));
      if (state.journalBytes > persistence.compactAfterBytes) void persistence.compact();
      return persistence;
    } catch (error: unknown) {
      lock.release();
      throw error;
    }
  }

  private static recover(
    storage: Storage,
    directory: string,
    logger: PersistenceLogger | undefined,
  ): {
    generation: number;
    journalBytes: number;
    report: Omit<RecoveryReport, 'directory' | 'wasUncleanShutdown' | 'durationMs'>;
  } {
    const names = readdirSync(directory);
    const snapshots = generationsOf(names, SNAPSHOT_PATTERN);
    const snapshotGeneration = snapshots.at(-1);
    const journals = generationsOf(names, JOURNAL_PATTERN).filter(
      (generation) => snapshotGeneration === undefined || generation >= snapshotGeneration,
    );
    if (names.includes('snapshot.tmp')) unlinkSync(path.join(directory, 'snapshot.tmp'));
    const listener = storage.onChange;
    storage.onChange = undefined;
    let snapshotChanges = 0;
    let journalRecords = 0;
    let journalBytes = 0;
    let tornRecord: RecoveryReport['tornRecord'];
    try {
      // Indexes are built once at the end, from the recovered documents, not write by write.
      storage.replayWithIndexesDeferred(() => {
        if (snapshotGeneration !== undefined) {
          const file = path.join(directory, snapshotName(snapshotGeneration));
          const decoded = decodeFile(readFileSync(file));
          if (decoded.tail !== undefined)
            throw new DataDirectoryDamagedError(
              `the snapshot ${file} is damaged at byte ${decoded.tail.offset} (${decoded.tail.reason}); refusing to start on it`,
            );
          for (const record of decoded.records) for (const change of record) applyChange(storage, change);
          snapshotChanges = decoded.records.reduce((sum, record) => sum + record.length, 0);
        }
        for (const [position, generation] of journals.entries()) {
          const file = path.join(directory, journalName(generation));
          const bytes = readFileSync(file);
          const decoded = decodeFile(bytes);
          for (const record of decoded.records) for (const change of record) applyChange(storage, change);
          journalRecords += decoded.records.length;
          journalBytes += decoded.validBytes;
          if (decoded.tail === undefined) continue;
          const isLast = position === journals.length - 1;
          if (decoded.tail.kind === 'corrupt' || !isLast)
            throw new DataDirectoryDamagedError(
              `the journal ${file} is damaged at byte ${decoded.tail.offset} (${decoded.tail.reason}) with more records after it; refusing to start on it`,
            );
          // The write that was in progress when the process died: never acknowledged, so dropped.
          truncateSync(file, decoded.validBytes);
          tornRecord = { file, offset: decoded.tail.offset, reason: decoded.tail.reason };
          logger?.warn(
            `mongo emulator: dropped an incomplete last journal record in ${file} at byte ${decoded.tail.offset} (${decoded.tail.reason}, ${bytes.length - decoded.validBytes} bytes): a write that was never acknowledged`,
          );
        }
      });
    } finally {
      storage.onChange = listener;
    }
    // Files a finished compaction no longer needs (it stopped before deleting them).
    for (const generation of snapshots.slice(0, -1))
      unlinkSync(path.join(directory, snapshotName(generation)));
    for (const generation of generationsOf(names, JOURNAL_PATTERN)) {
      if (snapshotGeneration !== undefined && generation < snapshotGeneration)
        unlinkSync(path.join(directory, journalName(generation)));
    }
    return {
      generation: Math.max(snapshotGeneration ?? 1, journals.at(-1) ?? 1),
      journalBytes,
      report: { snapshotGeneration, snapshotChanges, journalRecords, tornRecord },
    };
  }

  /**
   * Seals the changes of the command just applied into one journal record. Returns a
   * promise that settles once every change made so far is on disk, or undefined when
   * that is already so (a read with no write in flight answers at once).
   */
  commit(): Promise<void> | undefined {
    if (this.pending.length > 0) {
      this.sealedSequence += 1;
      this.sealed.push({
        sequence: this.sealedSequence,
        generation: this.generation,
        bytes: encodeRecord(this.pending),
      });
      this.pending = [];
      this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.durableSequence >= this.sealedSequence) return undefined;
    const sequence = this.sealedSequence;
    return new Promise((resolve, reject) => this.waiters.push({ sequence, resolve, reject }));
  }

  /** Writes sealed records in order, grouping whatever sealed meanwhile into one fsync. */
  private async flush(): Promise<void> {
    while (this.sealed.length > 0 && this.failure === undefined) {
      const batch = this.sealed;
      this.sealed = [];
      try {
        let start = 0;
        while (start < batch.length) {
          const generation = batch[start]?.generation ?? this.generation;
          let end = start;
          while (end < batch.length && batch[end]?.generation === generation) end += 1;
          const handle = await this.journalFor(generation);
          const bytes = Buffer.concat(batch.slice(start, end).map((record) => record.bytes));
          await handle.write(bytes);
          await handle.datasync();
          this.journalBytes += bytes.length;
          start = end;
        }
      } catch (error: unknown) {
        this.fail(error);
        return;
      }
      this.durableSequence = batch.at(-1)?.sequence ?? this.durableSequence;
      const ready = this.waiters.filter((waiter) => waiter.sequence <= this.durableSequence);
      this.waiters = this.waiters.filter((waiter) => waiter.sequence > this.durableSequence);
      for (const waiter of ready) waiter.resolve();
      if (this.journalBytes > this.compactAfterBytes && this.compacting === undefined && !this.isClosed)
        void this.compact();
    }
  }

  private async journalFor(generation: number): Promise<FileHandle> {
    if (this.journal?.generation === generation) return this.journal.handle;
    await this.journal?.handle.close();
    this.journal = undefined;
    const handle = await open(path.join(this.directory, journalName(generation)), 'a');
    syncDirectory(this.directory);
    this.journal = { generation, handle };
    return handle;
  }

  private fail(error: unknown): void {
    this.failure = new Error(
      `mongo emulator: writing the journal in ${this.directory} failed (${error instanceof Error ? error.message : String(error)}); no further write can be acknowledged`,
    );
    this.logger?.warn(this.failure.message);
    for (const waiter of this.waiters) waiter.reject(this.failure);
    this.waiters = [];
  }

  /** Writes the whole state as a new snapshot and drops the journals it replaces. */
  compact(): Promise<void> {
    this.compacting ??= this.writeSnapshot().finally(() => (this.compacting = undefined));
    return this.compacting;
  }

  private async writeSnapshot(): Promise<void> {
    // The cut: from here on new records go to the next generation's journal, and the
    // image below holds exactly the changes recorded in earlier generations.
    this.commit()?.catch(() => undefined);
    const generation = this.generation + 1;
    this.generation = generation;
    const images: CollectionImage[] = this.storage.allCollections().map((collection) => ({
      db: collection.databaseName,
      coll: collection.name,
      options: collection.options,
      indexSpecs: collection.indexDefinitions().map((definition) => definition.spec),
      documents: collection.documentsInOrder(),
    }));
    const draft = path.join(this.directory, 'snapshot.tmp');
    const handle = await open(draft, 'w');
    let bytesWritten = 0;
    try {
      for (const image of images) {
        const { db, coll } = image;
        const head = [encodeChange({ op: 'createCollection', db, coll, options: image.options })];
        await handle.write(encodeRecord(head));
        for (let start = 0; start < image.documents.length; start += SNAPSHOT_CHUNK_DOCUMENTS) {
          const chunk = image.documents
            .slice(start, start + SNAPSHOT_CHUNK_DOCUMENTS)
            .map((doc) => encodeChange({ op: 'insert', db, coll, doc }));
          const record = encodeRecord(chunk);
          bytesWritten += record.length;
          await handle.write(record);
        }
        if (image.indexSpecs.length > 0)
          await handle.write(
            encodeRecord(image.indexSpecs.map((spec) => encodeChange({ op: 'createIndex', db, coll, spec }))),
          );
      }
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(draft, path.join(this.directory, snapshotName(generation)));
    syncDirectory(this.directory);
    for (const name of readdirSync(this.directory)) {
      const journal = JOURNAL_PATTERN.exec(name)?.[1];
      const snapshot = SNAPSHOT_PATTERN.exec(name)?.[1];
      if (
        (journal !== undefined && Number(journal) < generation) ||
        (snapshot !== undefined && Number(snapshot) < generation)
      )
        unlinkSync(path.join(this.directory, name));
    }
    this.journalBytes = 0;
    this.logger?.info(
      `mongo emulator: compacted ${this.directory} into ${snapshotName(generation)} (${bytesWritten} bytes of documents)`,
    );
  }

  /** Lets in-flight writes reach the disk, closes the journal and releases the lock. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.commit()?.catch(() => undefined);
    this.storage.onChange = undefined;
    await this.compacting?.catch(() => undefined);
    await this.flushing;
    await this.journal?.handle.close();
    this.journal = undefined;
    this.lock.release();
  }
}
