import { useEffect, useRef, useState } from 'preact/hooks';
import type { ImportJobDto } from '../../contracts/portability';
import type { SiteDto } from '../../contracts/moderation-api';
import { formatDateTime } from '../format';
import { panelTranslator, t, type PanelMessageKey } from '../i18n';
import { usePanel } from './panel-context';
import { SitePicker, useChosenSite } from './site-choice';

/** How often a running import is asked how far it got. */
const POLL_MS = 400;
const LIVE_POLL_MS = 5000;

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const number = (value: number): string => new Intl.NumberFormat(panelTranslator.lang).format(value);
const percent = (part: number, whole: number): number => (whole > 0 ? Math.min(100, Math.round((part / whole) * 100)) : 0);

const KIND_LABEL: Record<ImportJobDto['kind'], PanelMessageKey> = {
  disqus: 'data.kind.disqus',
  wordpress: 'data.kind.wordpress',
  parley: 'data.kind.parley',
};

/** Where a running job is, as a bar and a sentence: bytes while scanning, comments once counted. */
function JobProgress({ job }: { job: ImportJobDto }) {
  let value: number | undefined;
  let max = 100;
  let text: string;
  if (job.phase === 'counting') {
    text = t('data.progress.counting');
  } else if (job.phase === 'writing' && job.total !== null) {
    value = Math.min(job.processed, job.total);
    max = Math.max(job.total, 1);
    text = t('data.progress.writing', { processed: number(value), total: number(job.total) });
  } else {
    value = percent(job.bytesRead, job.totalBytes);
    text = job.phase === 'writing' ? t('data.progress.writingBytes', { percent: value }) : t('data.progress.scanning', { percent: value });
  }
  return (
    <div class="import-progress">
      <progress
        data-testid="import-progress"
        max={max}
        {...(value === undefined ? {} : { value })}
        aria-label={t('data.progressLabel')}
        aria-valuetext={text}
      />
      <p class="small" data-testid="import-status" data-phase={job.phase} data-processed={job.processed} data-total={job.total ?? ''}>
        {text}
      </p>
    </div>
  );
}

function JobSummary({ job }: { job: ImportJobDto }) {
  const summary = job.summary;
  if (!summary) return null;
  const statuses = Object.entries(summary.byStatus).filter(([, n]) => n > 0);
  const reasons = Object.entries(summary.skippedReasons);
  return (
    <div class="import-summary" data-testid="import-summary">
      <p>
        <strong data-testid="import-imported">
          {job.kind === 'parley'
            ? t('data.summary.restored', { count: summary.imported })
            : t('data.summary.imported', { count: summary.imported })}
        </strong>{' '}
        {t('data.summary.posts', { count: summary.posts })}
      </p>
      <ul class="created-list">
        {statuses.length > 0 ? (
          <li>
            {statuses.map(([status, n]) => `${t(`data.status.${status as 'published'}`)}: ${number(n)}`).join(' · ')}
          </li>
        ) : null}
        <li data-testid="import-unchanged">{t('data.summary.unchanged', { count: summary.unchanged })}</li>
        {summary.orphans > 0 ? <li>{t('data.summary.orphans', { count: summary.orphans })}</li> : null}
        {summary.skipped > 0 ? <li data-testid="import-skipped">{t('data.summary.skipped', { count: summary.skipped })}</li> : null}
        {reasons.map(([reason, n]) => (
          <li key={reason} class="muted" data-testid="import-skip-reason">
            {number(n)} × {reason}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** One job: its file, then its progress, its summary, or why it stopped. */
function JobReport({ job }: { job: ImportJobDto }) {
  return (
    <div class="import-job" data-testid="import-job" data-job-id={job.id} data-kind={job.kind} data-status={job.status} aria-live="polite">
      <p class="small muted">
        {t(KIND_LABEL[job.kind])}
        {job.fileName ? ` · ${job.fileName}` : ''} · {formatDateTime(job.createdAt)}
      </p>
      {job.status === 'running' ? <JobProgress job={job} /> : null}
      {job.status === 'done' ? <JobSummary job={job} /> : null}
      {job.status === 'failed' ? (
        <p class="notice notice-error" role="alert" data-testid="import-error">
          {job.error ?? t('data.failedUnknown')}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Of two readings of the shown job, the later one: a poll's or the upload's answer can
 * arrive after a live event already told a later step (a small file is done at once).
 */
function newerOf(shown: ImportJobDto | null, read: ImportJobDto): ImportJobDto {
  if (shown === null) return read;
  if (shown.id !== read.id) return shown.createdAt > read.createdAt ? shown : read;
  if (shown.status !== 'running' && read.status === 'running') return shown;
  return read.updatedAt >= shown.updatedAt ? read : shown;
}

function ImportCard({ site }: { site: SiteDto }) {
  const { api, socket } = usePanel();
  const [file, setFile] = useState<File | null>(null);
  const [job, setJob] = useState<ImportJobDto | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [isUploading, setUploading] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // A job started earlier (another tab, before a reload) is shown where it is.
  useEffect(() => {
    setJob(null);
    setRefusal(null);
    let isCurrent = true;
    api.imports(site.id).then(
      (jobs) => {
        if (isCurrent && jobs[0]) setJob(jobs[0]);
      },
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [api, site.id]);

  // Live: the service tells admins each step of a job as it stores it (the shown one, or a newer one of this site).
  useEffect(() => {
    if (!socket) return undefined;
    const onUpdated = (event: ImportJobDto): void => {
      if (event.site !== site.id) return;
      setJob((shown) => newerOf(shown, event));
    };
    socket.on('import:updated', onUpdated);
    return () => {
      socket.off('import:updated', onUpdated);
    };
  }, [socket, site.id]);

  // Read while running: often while the live connection is down, now and then while it is up (a missed event).
  useEffect(() => {
    if (job?.status !== 'running') return () => undefined;
    const timer = window.setTimeout(
      () => {
        api.importJob(site.id, job.id).then((read) => setJob((shown) => newerOf(shown, read)), (problem: unknown) => setRefusal(t('data.pollFailed', { reason: reasonOf(problem) })));
      },
      socket?.connected === true ? LIVE_POLL_MS : POLL_MS,
    );
    return () => window.clearTimeout(timer);
  }, [api, socket, site.id, job]);

  return (
    <div class="card">
      <h2>{t('data.importTitle')}</h2>
      <p class="muted small">{t('data.importIntro')}</p>
      <form
        class="stack"
        aria-label={t('data.importTitle')}
        onSubmit={(event) => {
          event.preventDefault();
          if (!file) return;
          setUploading(true);
          setRefusal(null);
          // The earlier job's report would read as this file's until the service answers.
          setJob(null);
          api.startImport(site.id, file).then(
            (started) => {
              setUploading(false);
              setJob((shown) => newerOf(shown, started));
              setFile(null);
              if (input.current) input.current.value = '';
            },
            (problem: unknown) => {
              setUploading(false);
              setRefusal(reasonOf(problem));
            },
          );
        }}
      >
        <label class="field">
          <span>{t('data.file')}</span>
          <input
            ref={input}
            type="file"
            name="import-file"
            accept=".xml,.jsonl,.json,.ndjson,application/xml,text/xml"
            onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
          />
        </label>
        <button type="submit" class="button button-primary" disabled={!file || isUploading || job?.status === 'running'} data-testid="import-start">
          {isUploading ? t('data.uploading') : t('data.upload')}
        </button>
      </form>
      {refusal ? (
        <p class="notice notice-error" role="alert" data-testid="import-refusal">
          {refusal}
        </p>
      ) : null}
      {job ? <JobReport job={job} /> : null}
    </div>
  );
}

function ExportCard({ site }: { site: SiteDto }) {
  const { api, notify } = usePanel();
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div class="card">
      <h2>{t('data.exportTitle')}</h2>
      <p class="muted small">{t('data.exportIntro')}</p>
      <button
        type="button"
        class="button button-primary"
        disabled={isBusy}
        data-testid="export-download"
        onClick={() => {
          setBusy(true);
          setError(null);
          api.exportSite(site.id).then(
            ({ blob, fileName }) => {
              setBusy(false);
              const url = URL.createObjectURL(blob);
              const link = document.createElement('a');
              link.href = url;
              link.download = fileName;
              document.body.append(link);
              link.click();
              link.remove();
              // The download has taken the blob by the next task.
              window.setTimeout(() => URL.revokeObjectURL(url), 0);
              notify(t('data.exported', { file: fileName }), 'success');
            },
            (problem: unknown) => {
              setBusy(false);
              setError(reasonOf(problem));
            },
          );
        }}
      >
        {isBusy ? t('data.exporting') : t('data.exportButton')}
      </button>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="import-job">
        <h3>{t('data.restoreTitle')}</h3>
        <p class="muted small">{t('data.restoreIntro')}</p>
      </div>
    </div>
  );
}

/** Admins: bring comments in (Disqus, WordPress, a Parley export to restore) and take the site out. */
export function DataView() {
  const site = useChosenSite();
  if (!site) return <p class="muted">{t('siteScreen.noSite')}</p>;
  return (
    <section class="view" aria-labelledby="data-title">
      <div class="view-head">
        <h1 id="data-title">{t('data.title', { name: site.name })}</h1>
        <SitePicker chosen={site} />
      </div>
      <div class="two-columns">
        <ImportCard site={site} />
        <ExportCard site={site} />
      </div>
    </section>
  );
}
