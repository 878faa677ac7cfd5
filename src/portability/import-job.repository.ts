import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../db/model';
import type { ImportJobDto } from '../contracts/portability';

/** The stored job: what the panel is told (`ImportJobDto`), with dates as dates and who started it. */
export interface ImportJobRecord extends Omit<ImportJobDto, 'createdAt' | 'updatedAt' | 'finishedAt'> {
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export type ImportJobPatch = Partial<
  Pick<
    ImportJobRecord,
    'status' | 'phase' | 'bytesRead' | 'processed' | 'total' | 'summary' | 'error' | 'updatedAt' | 'finishedAt'
  >
>;

interface ImportJobDoc extends Omit<ImportJobRecord, 'id'> {
  _id: Types.ObjectId;
}

const importJobSchema = new Schema<ImportJobDoc>(
  {
    site: { type: String, required: true },
    kind: { type: String, required: true },
    fileName: { type: String, default: null },
    status: { type: String, required: true },
    phase: { type: String, required: true },
    bytesRead: { type: Number, default: 0 },
    totalBytes: { type: Number, required: true },
    processed: { type: Number, default: 0 },
    total: { type: Number, default: null },
    summary: { type: Schema.Types.Mixed, default: null },
    error: { type: String, default: null },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
  },
  { collection: 'import_jobs', versionKey: false, minimize: false },
);
// A site's recent jobs, newest first.
importJobSchema.index({ site: 1, _id: -1 });

const toRecord = (doc: ImportJobDoc): ImportJobRecord => ({
  id: doc._id.toHexString(),
  site: doc.site,
  kind: doc.kind,
  fileName: doc.fileName,
  status: doc.status,
  phase: doc.phase,
  bytesRead: doc.bytesRead,
  totalBytes: doc.totalBytes,
  processed: doc.processed,
  total: doc.total,
  summary: doc.summary,
  error: doc.error,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  finishedAt: doc.finishedAt,
});

export function toImportJobDto(job: ImportJobRecord): ImportJobDto {
  return {
    id: job.id,
    site: job.site,
    kind: job.kind,
    fileName: job.fileName,
    status: job.status,
    phase: job.phase,
    bytesRead: job.bytesRead,
    totalBytes: job.totalBytes,
    processed: job.processed,
    total: job.total,
    summary: job.summary,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

export type ImportJobRepository = ReturnType<typeof createImportJobRepository>;

export function createImportJobRepository(connection: Connection) {
  const ImportJob = modelOn<ImportJobDoc>(connection, 'ImportJob', importJobSchema);
  const isId = (id: string): boolean => /^[0-9a-f]{24}$/i.test(id);
  return {
    async insert(job: Omit<ImportJobRecord, 'id'>): Promise<ImportJobRecord> {
      const doc = await ImportJob.create(job);
      return toRecord(doc.toObject());
    },
    async update(id: string, patch: ImportJobPatch): Promise<void> {
      await ImportJob.updateOne({ _id: id }, { $set: patch });
    },
    /** Applies `patch` only if the job is still running and silent since `updatedAt` (no process wrote meanwhile). */
    async settleIfUnchanged(id: string, updatedAt: Date, patch: ImportJobPatch): Promise<void> {
      await ImportJob.updateOne({ _id: id, status: 'running', updatedAt }, { $set: patch });
    },
    async find(site: string, id: string): Promise<ImportJobRecord | undefined> {
      if (!isId(id)) return undefined;
      const doc = await ImportJob.findOne({ _id: id, site }).lean<ImportJobDoc>();
      return doc ? toRecord(doc) : undefined;
    },
    async listRecent(site: string, limit: number): Promise<ImportJobRecord[]> {
      const docs = await ImportJob.find({ site }).sort({ _id: -1 }).limit(limit).lean<ImportJobDoc[]>();
      return docs.map(toRecord);
    },
  };
}
