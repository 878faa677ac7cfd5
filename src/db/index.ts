export { openDatabase } from './database';
export type { Database, DatabaseKind, OpenDatabaseOptions } from './database';
