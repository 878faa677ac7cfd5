/**
 * Data that can move: Parley's own export and restore (JSON lines), and imports
 * of Disqus and WordPress exports, streamed and idempotent.
 */
import type { Readable, Writable } from 'node:stream';
import type { Connection } from 'mongoose';
import { repairCommentCounts } from '../comments';
import {
  importForeign,
  type ForeignFormat,
  type ImportProgress,
  type PostKeyChoice,
} from './foreign-imports';
import type { ImportSummary } from './import-writer';
import { exportSite, restoreSite, type ExportHeader, type RestoreSummary } from './parley-format';
import { storedCollections } from './stored-collections';

export { ImportFormatError } from './xml-records';
export { EXPORT_FORMAT, EXPORT_VERSION } from './parley-format';
export type { ExportHeader, RestoreSummary } from './parley-format';
export type { ImportSummary } from './import-writer';
export type { ForeignFormat, ImportProgress, PostKeyChoice } from './foreign-imports';
export { markupToText } from './foreign-imports';
export { storedCollections } from './stored-collections';
export type { StoredCollections } from './stored-collections';

export interface Portability {
  exportSite(site: string, out: Writable): Promise<ExportHeader>;
  restoreSite(site: string, input: Readable): Promise<RestoreSummary & { counts: unknown }>;
  importForeign(input: {
    site: string;
    format: ForeignFormat;
    open: () => Readable;
    totalBytes: number;
    keyBy?: PostKeyChoice;
    onProgress?: (progress: ImportProgress) => void;
  }): Promise<ImportSummary>;
}

export function createPortability(deps: { connection: Connection; clock?: () => Date }): Portability {
  const stores = storedCollections(deps.connection);
  const repair = (site: string) => repairCommentCounts(deps.connection, site);
  return {
    exportSite: (site, out) => exportSite(stores, site, out, deps.clock),
    async restoreSite(site, input) {
      const summary = await restoreSite(stores, input, site);
      return { ...summary, counts: await repair(site) };
    },
    importForeign: (input) =>
      importForeign({ stores, repairCounts: repair, keyBy: input.keyBy ?? 'auto', ...input }),
  };
}
