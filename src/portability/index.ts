/**
 * Data that can move: Parley's own export and restore (JSON lines), and imports
 * of Disqus and WordPress exports, streamed and idempotent.
 */
import type { Readable, Writable } from 'node:stream';
import type { Router } from 'express';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock';
import { repairCommentCounts } from '../comments';
import {
  importForeign,
  type ForeignFormat,
  type ImportProgress,
  type PostKeyChoice,
} from './foreign-imports';
import type { ImportSummary } from './import-writer';
import { createImportJobRepository } from './import-job.repository';
import { createImportJobs, type ImportJobsDeps } from './import-jobs.service';
import { createPortabilityRouter } from './portability.routes';
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
export { portabilityApiPaths, portabilityApiSchemas } from './portability.openapi';
export type { DataTransferAuditEntry } from './import-jobs.service';

export interface Portability {
  exportSite(site: string, out: Writable): Promise<ExportHeader>;
  restoreSite(
    site: string,
    input: Readable,
    onProgress?: (processed: number, total: number) => void,
  ): Promise<RestoreSummary & { counts: unknown }>;
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
    async restoreSite(site, input, onProgress) {
      const summary = await restoreSite(stores, input, site, onProgress);
      return { ...summary, counts: await repair(site) };
    },
    importForeign: (input) =>
      importForeign({ stores, repairCounts: repair, keyBy: input.keyBy ?? 'auto', ...input }),
  };
}

export interface DataTransfersDeps {
  connection: Connection;
  clock: Clock;
  logger: Logger;
  /** Largest upload accepted (IMPORT_MAX_MB). */
  maxBytes: number;
  assertAdmin: ImportJobsDeps['assertAdmin'];
  requireSite: ImportJobsDeps['requireSite'];
  recordAudit: ImportJobsDeps['recordAudit'];
  onJobChanged: ImportJobsDeps['onJobChanged'];
}

export interface DataTransfers {
  /** Admin routes (imports with progress, export download), mounted under `/api/v1` after the moderator guard. */
  router: Router;
  /** Ends running imports as failed, saying the service stopped. */
  close(): Promise<void>;
}

/** The panel's side of moving data: uploads imported as jobs, and the export as a download. */
export function createDataTransfers(deps: DataTransfersDeps): DataTransfers {
  const portability = createPortability({ connection: deps.connection, clock: () => deps.clock.now() });
  const jobs = createImportJobs({
    portability,
    repository: createImportJobRepository(deps.connection),
    clock: deps.clock,
    logger: deps.logger,
    maxBytes: deps.maxBytes,
    assertAdmin: deps.assertAdmin,
    requireSite: deps.requireSite,
    recordAudit: deps.recordAudit,
    onJobChanged: deps.onJobChanged,
  });
  return {
    router: createPortabilityRouter({ jobs, portability, clock: () => deps.clock.now() }),
    close: () => jobs.close(),
  };
}
