export { openDatabase } from './database';
export type { Database, DatabaseKind, OpenDatabaseOptions } from './database';
export { modelOn } from './model';
