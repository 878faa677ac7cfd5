import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import type { ImportFileKind, ImportJobDto, ImportJobSummary } from '../contracts/portability';
import type { ModeratorPrincipal } from '../identity';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { recogniseImportFile, SNIFF_BYTES } from './import-file-kind';
import { toImportJobDto, type ImportJobPatch, type ImportJobRecord, type ImportJobRepository } from './import-job.repository';
import type { ImportSummary } from './import-writer';
import type { Portability } from './index';
import { ImportFormatError } from './xml-records';

/** How often, at most, a running job's progress is written for pollers. */
const PROGRESS_EVERY_MS = 200;
/** A running job's process says it is alive this often, even in a phase without progress (counting)… */
const HEARTBEAT_MS = 5000;
/** …so a running job silent for this long lost its process (killed, crashed): it is reported as stopped. */
export const STALE_JOB_MS = 60_000;

const KIND_NAMES: Record<ImportFileKind, string> = {
  disqus: 'a Disqus export',
  wordpress: 'a WordPress WXR export',
  parley: 'a Parley export',
};

export class ImportFileUnsupportedError extends AppError {
  constructor(message: string) {
    super('IMPORT_FILE_UNSUPPORTED', message);
  }
}

export class ImportJobNotFoundError extends AppError {
  constructor(id: string) {
    super('IMPORT_JOB_NOT_FOUND', `import ${JSON.stringify(id)} was not found on this site`, { id });
  }
}

export class ImportTooLargeError extends AppError {
  constructor(limitBytes: number) {
    const mb = Math.round(limitBytes / (1024 * 1024));
    super('PAYLOAD_TOO_LARGE', `The file is larger than this service accepts (${mb} MB, IMPORT_MAX_MB)`, {
      limitBytes,
    });
  }
}

/** Said when the process stops under a running job (it cannot resume: the upload was a temporary file). */
const STOPPED = 'The service stopped during the import. Upload the file again: an import run twice changes nothing.';

export interface DataTransferAuditEntry {
  moderator: ModeratorPrincipal;
  action: 'site.import' | 'site.restore' | 'site.export';
  site: string;
  detail: Record<string, unknown>;
}

export interface ImportJobsDeps {
  portability: Portability;
  repository: ImportJobRepository;
  clock: Clock;
  logger: Logger;
  maxBytes: number;
  assertAdmin: (moderator: ModeratorPrincipal) => void;
  /** Throws SITE_NOT_FOUND for unknown sites. */
  requireSite: (site: string) => Promise<unknown>;
  recordAudit: (entry: DataTransferAuditEntry) => Promise<void>;
  /** Told each time a job's stored state moves (progress, done, failed): the panel's live view. */
  onJobChanged: (job: ImportJobDto) => void;
}

export interface StartImportInput {
  upload: Readable;
  /** The client's Content-Length, to refuse an oversize file before reading it. */
  declaredBytes?: number | undefined;
  fileName?: string | undefined;
  /** When the client says what it sends, a different file is refused instead of guessed. */
  expectedKind?: ImportFileKind | undefined;
}

function fromForeignSummary(summary: ImportSummary): ImportJobSummary {
  return {
    imported: summary.imported,
    unchanged: summary.unchanged,
    skipped: summary.skipped,
    skippedReasons: summary.skippedReasons,
    orphans: summary.orphans,
    posts: summary.threads,
    byStatus: { ...summary.byStatus },
  };
}

export type ImportJobs = ReturnType<typeof createImportJobs>;

/**
 * Imports and restores uploaded in the panel: the upload is spooled to a
 * temporary file (the importers read it twice), recognised from its first
 * bytes, and imported in the background as a job whose progress is kept in
 * MongoDB, so any instance can answer the panel's polls.
 */
export function createImportJobs(deps: ImportJobsDeps) {
  const { repository, clock, logger } = deps;
  /** Jobs this process runs, with the streams to cut when it stops. */
  const running = new Map<string, { done: Promise<void>; streams: Set<Readable> }>();
  let isClosing = false;

  const spool = async (input: StartImportInput): Promise<{ dir: string; file: string; bytes: number }> => {
    if (input.declaredBytes !== undefined && input.declaredBytes > deps.maxBytes) {
      input.upload.resume();
      throw new ImportTooLargeError(deps.maxBytes);
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-import-'));
    const file = path.join(dir, 'upload');
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        callback(bytes > deps.maxBytes ? new ImportTooLargeError(deps.maxBytes) : null, chunk);
      },
    });
    try {
      await pipeline(input.upload, limit, createWriteStream(file));
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return { dir, file, bytes };
  };

  const readHead = async (file: string): Promise<Buffer> => {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  };

  const run = async (
    moderator: ModeratorPrincipal,
    job: ImportJobRecord,
    file: string,
    streams: Set<Readable>,
  ): Promise<void> => {
    let latest: ImportJobPatch = {};
    let lastWrite = 0;
    let writing: Promise<void> = Promise.resolve();
    /** The job as stored after each write, told to the panel once the write is acknowledged. */
    let stored = job;
    const write = async (patch: ImportJobPatch): Promise<void> => {
      await repository.update(job.id, patch);
      stored = { ...stored, ...patch };
      deps.onJobChanged(toImportJobDto(stored));
    };
    const progress = (patch: ImportJobPatch): void => {
      latest = { ...latest, ...patch };
      const now = Date.now();
      if (now - lastWrite < PROGRESS_EVERY_MS) return;
      lastWrite = now;
      const shown = { ...latest, updatedAt: clock.now() };
      writing = writing.then(() => write(shown)).catch((error: unknown) => {
        logger.warn({ err: error, jobId: job.id }, 'import progress not written');
      });
    };
    const heartbeat = setInterval(() => {
      writing = writing
        .then(() => repository.update(job.id, { updatedAt: clock.now() }))
        .catch((error: unknown) => logger.warn({ err: error, jobId: job.id }, 'import heartbeat not written'));
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const openFile = (): Readable => {
      const stream = createReadStream(file);
      streams.add(stream);
      stream.once('close', () => streams.delete(stream));
      return stream;
    };
    try {
      let summary: ImportJobSummary;
      if (job.kind === 'parley') {
        const restored = await deps.portability.restoreSite(job.site, openFile(), (processed, total) =>
          progress({ phase: 'writing', processed, total }),
        );
        summary = {
          imported: restored.created.comment,
          unchanged: restored.unchanged.comment,
          skipped: 0,
          skippedReasons: {},
          orphans: 0,
          posts: restored.created.post + restored.unchanged.post,
          byStatus: {},
          created: { ...restored.created },
          alreadyThere: { ...restored.unchanged },
        };
      } else {
        summary = fromForeignSummary(
          await deps.portability.importForeign({
            site: job.site,
            format: job.kind,
            open: openFile,
            totalBytes: job.totalBytes,
            onProgress: (step) =>
              progress({
                phase: step.phase,
                bytesRead: step.bytesRead,
                processed: step.imported + step.skipped,
                total: step.total > 0 ? step.total : null,
              }),
          }),
        );
      }
      clearInterval(heartbeat);
      await writing;
      const now = clock.now();
      await write({
        status: 'done',
        phase: 'done',
        bytesRead: job.totalBytes,
        processed: summary.imported + summary.unchanged + summary.skipped,
        total: latest.total ?? summary.imported + summary.unchanged + summary.skipped,
        summary,
        updatedAt: now,
        finishedAt: now,
      });
      await deps.recordAudit({
        moderator,
        action: job.kind === 'parley' ? 'site.restore' : 'site.import',
        site: job.site,
        detail: { jobId: job.id, kind: job.kind, fileName: job.fileName, imported: summary.imported, skipped: summary.skipped },
      });
    } catch (error) {
      clearInterval(heartbeat);
      await writing;
      const isStopped = isClosing;
      const message =
        error instanceof ImportFormatError
          ? error.message
          : isStopped
            ? STOPPED
            : `The import stopped because of an error on the server (import ${job.id}); the log has the details. Comments written so far stay; upload the file again to finish: an import run twice changes nothing.`;
      if (!(error instanceof ImportFormatError) && !isStopped) logger.error({ err: error, jobId: job.id }, 'import failed');
      const now = clock.now();
      await write({ status: 'failed', error: message, updatedAt: now, finishedAt: now }).catch((writeError: unknown) => logger.error({ err: writeError, jobId: job.id }, 'import failure not written'));
    }
  };

  /** A job left running by a process that is gone is said to have stopped (and stored so). */
  const settleStale = async (job: ImportJobRecord): Promise<ImportJobRecord> => {
    const now = clock.now();
    if (job.status !== 'running' || running.has(job.id) || now.getTime() - job.updatedAt.getTime() < STALE_JOB_MS) return job;
    const patch = { status: 'failed' as const, error: STOPPED, updatedAt: now, finishedAt: now };
    await repository.settleIfUnchanged(job.id, job.updatedAt, patch);
    return { ...job, ...patch };
  };

  return {
    /** Spools and recognises the upload, then imports it in the background; answers the job as it starts. */
    async startImport(moderator: ModeratorPrincipal, site: string, input: StartImportInput): Promise<ImportJobDto> {
      deps.assertAdmin(moderator);
      await deps.requireSite(site);
      const { dir, file, bytes } = await spool(input);
      let isHandedOver = false;
      try {
        const recognised = recogniseImportFile(await readHead(file));
        if ('refusal' in recognised) throw new ImportFileUnsupportedError(recognised.refusal);
        if (input.expectedKind && input.expectedKind !== recognised.kind)
          throw new ImportFileUnsupportedError(
            `This file is ${KIND_NAMES[recognised.kind]}, not ${KIND_NAMES[input.expectedKind]}`,
          );
        const now = clock.now();
        const job = await repository.insert({
          site,
          kind: recognised.kind,
          fileName: input.fileName ?? null,
          status: 'running',
          phase: recognised.kind === 'parley' ? 'writing' : 'scanning',
          bytesRead: 0,
          totalBytes: bytes,
          processed: 0,
          total: null,
          summary: null,
          error: null,
          createdBy: moderator.id,
          createdAt: now,
          updatedAt: now,
          finishedAt: null,
        });
        const streams = new Set<Readable>();
        const done = run(moderator, job, file, streams).finally(() => {
          running.delete(job.id);
          return rm(dir, { recursive: true, force: true });
        });
        running.set(job.id, { done, streams });
        isHandedOver = true;
        return toImportJobDto(job);
      } finally {
        if (!isHandedOver) await rm(dir, { recursive: true, force: true });
      }
    },

    async getJob(moderator: ModeratorPrincipal, site: string, id: string): Promise<ImportJobDto> {
      deps.assertAdmin(moderator);
      await deps.requireSite(site);
      const job = await repository.find(site, id);
      if (!job) throw new ImportJobNotFoundError(id);
      return toImportJobDto(await settleStale(job));
    },

    async listJobs(moderator: ModeratorPrincipal, site: string): Promise<ImportJobDto[]> {
      deps.assertAdmin(moderator);
      await deps.requireSite(site);
      const jobs = await repository.listRecent(site, 10);
      return (await Promise.all(jobs.map(settleStale))).map(toImportJobDto);
    },

    /** Checks the export may start (admin, known site) before any byte is sent. */
    async prepareExport(moderator: ModeratorPrincipal, site: string): Promise<void> {
      deps.assertAdmin(moderator);
      await deps.requireSite(site);
    },

    async recordExport(moderator: ModeratorPrincipal, site: string, counts: Record<string, number>): Promise<void> {
      await deps.recordAudit({ moderator, action: 'site.export', site, detail: { counts } });
    },

    /** Cuts the file streams of running jobs (they end as failed, saying so) and waits for them. */
    async close(): Promise<void> {
      isClosing = true;
      const jobs = [...running.values()];
      for (const { streams } of jobs) for (const stream of streams) stream.destroy(new Error(STOPPED));
      await Promise.all(jobs.map((job) => job.done.catch(() => undefined)));
    },
  };
}
