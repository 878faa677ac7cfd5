export { openDatabase } from './database';
export type { Database, DatabaseKind, OpenDatabaseOptions } from './database';
export { modelOn } from './model';
export { drainBatchers } from './batcher';
export { createGroupCommit, insertEach, newDocument, updateEach } from './group-commit';
export type { BatchWriter, GroupCommit } from './group-commit';
export { createGroupRead } from './group-read';
export type { BatchReader } from './group-read';
