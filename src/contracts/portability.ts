/** Files the panel (and `POST /mod/sites/:id/imports`) accepts; recognised from their first bytes. */
export const IMPORT_FILE_KINDS = ['disqus', 'wordpress', 'parley'] as const;
export type ImportFileKind = (typeof IMPORT_FILE_KINDS)[number];

export type ImportJobStatus = 'running' | 'done' | 'failed';

/**
 * `scanning`: the first pass (who answers whom); `writing`: comments going in;
 * `counting`: post counts rebuilt; `done`. A restore goes straight to `writing`.
 */
export type ImportJobPhase = 'scanning' | 'writing' | 'counting' | 'done';

/** What an import or restore did, once it is over. */
export interface ImportJobSummary {
  /** New comments written. */
  imported: number;
  /** Comments that were there already from an earlier run (imports are idempotent). */
  unchanged: number;
  skipped: number;
  /** Why comments were skipped, with how many each. */
  skippedReasons: Record<string, number>;
  /** Replies whose parent is not in the file, kept at the top level. */
  orphans: number;
  /** Posts the comments went into (created or matched). */
  posts: number;
  /** New comments by status (`published`, `pending`, `rejected`, `deleted`). */
  byStatus: Record<string, number>;
  /** Restores only: documents created and left as they were, by kind (post, author, comment, audit…). */
  created?: Record<string, number>;
  alreadyThere?: Record<string, number>;
}

/** `POST /mod/sites/:id/imports` (202) and `GET /mod/sites/:id/imports/:jobId`. */
export interface ImportJobDto {
  id: string;
  site: string;
  kind: ImportFileKind;
  fileName: string | null;
  status: ImportJobStatus;
  phase: ImportJobPhase;
  /** Bytes of the file read in the current pass, of `totalBytes`. */
  bytesRead: number;
  totalBytes: number;
  /** Comments (documents, for a restore) handled so far, of `total`; `total` is null until known. */
  processed: number;
  total: number | null;
  summary: ImportJobSummary | null;
  /** Why a failed job stopped, in words a blog owner can act on. */
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}
