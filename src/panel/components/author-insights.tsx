import { useCallback, useEffect, useState } from 'preact/hooks';
import { REJECT_REASONS, type RejectReason } from '../../contracts/moderation-api';
import type { AuthorHistoryDto, AuthorNoteDto } from '../../contracts/moderation-insights';
import { ApiProblem } from '../api-client';
import { formatAge, formatDateTime } from '../format';
import { saveTextFile } from '../../browser-shared/save-file';
import { t } from '../i18n';
import { usePanel } from './panel-context';

const MAX_NOTE = 2000;

function isRejectReason(value: string): value is RejectReason {
  return (REJECT_REASONS as readonly string[]).includes(value);
}

function reasonText(rejection: NonNullable<AuthorHistoryDto['history']['lastRejection']>): string {
  const reason = rejection.reason ?? '';
  if (rejection.by === 'moderator') {
    const named = isRejectReason(reason) ? t(`rejectReason.${reason}`) : reason || t('author.noReason');
    return rejection.note ? `${named} (“${rejection.note}”)` : named;
  }
  return reason || t('author.noReason');
}

function NoteEditor({
  initial,
  label,
  submitLabel,
  onSave,
  onCancel,
}: {
  initial: string;
  label: string;
  submitLabel: string;
  onSave: (text: string) => Promise<void>;
  onCancel?: () => void;
}) {
  const [text, setText] = useState(initial);
  const [isSaving, setSaving] = useState(false);
  const [error, setError] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    if (isSaving) return;
    if (text.trim() === '') {
      setError(t('author.noteEmpty'));
      return;
    }
    setSaving(true);
    setError('');
    onSave(text.trim()).then(
      () => {
        setSaving(false);
        if (!onCancel) setText('');
      },
      (failure: unknown) => {
        setSaving(false);
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
  };
  return (
    <form class="note-editor" onSubmit={submit}>
      <label class="field">
        <span class="small">{label}</span>
        <textarea
          rows={2}
          maxLength={MAX_NOTE}
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && onCancel) {
              event.stopPropagation();
              onCancel();
            }
          }}
        />
      </label>
      {error ? (
        <p class="error small" role="alert">
          {error}
        </p>
      ) : null}
      <div class="note-actions">
        <button type="submit" class="button" disabled={isSaving}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" class="button button-ghost" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

function NoteItem({ note, onEdit }: { note: AuthorNoteDto; onEdit: (text: string) => Promise<void> }) {
  const [isEditing, setEditing] = useState(false);
  if (isEditing) {
    return (
      <li class="author-note" data-note-id={note.id}>
        <NoteEditor
          initial={note.text}
          label={t('author.editNoteLabel')}
          submitLabel={t('author.saveNote')}
          onSave={async (text) => {
            await onEdit(text);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      </li>
    );
  }
  return (
    <li class="author-note" data-note-id={note.id}>
      <p class="note-text">{note.text}</p>
      <p class="muted small">
        {note.moderator.name} ·{' '}
        <time dateTime={note.at} title={formatDateTime(note.at)}>
          {formatAge(note.at)}
        </time>
        {note.editedAt ? ` · ${t('author.noteEdited')}` : ''}{' '}
        <button type="button" class="link-button" onClick={() => setEditing(true)} aria-label={t('author.editNoteAria')}>
          {t('author.editNote')}
        </button>
      </p>
    </li>
  );
}

/**
 * A reader's GDPR request handled by a moderator: download what is stored about
 * them (to send it on), or erase it after a confirmation. Both are audited.
 */
function PersonalData({ authorId, authorName, site }: { authorId: string; authorName: string; site: string }) {
  const { api, notify } = usePanel();
  const [isConfirming, setConfirming] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const [graceHours, setGraceHours] = useState<number | null>(null);
  const [result, setResult] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    if (!isConfirming) return;
    api.system().then(
      (system) => setGraceHours(system.privacy.deletionGraceHours),
      () => setGraceHours(null),
    );
  }, [api, isConfirming]);

  const reasonOf = (failure: unknown): string => (failure instanceof Error ? failure.message : String(failure));
  const download = (): void => {
    setBusy(true);
    setError('');
    api.authorData(authorId).then(
      (text) => {
        const file = `parley-data-${site}-${authorId}.json`;
        saveTextFile(file, text);
        setBusy(false);
        setResult(t('author.data.downloaded', { file }));
      },
      (failure: unknown) => {
        setBusy(false);
        setError(t('author.data.failed', { reason: reasonOf(failure) }));
      },
    );
  };
  const erase = (): void => {
    setBusy(true);
    setError('');
    api.eraseAuthor(authorId).then(
      (done) => {
        setBusy(false);
        setConfirming(false);
        const message = done.isDone
          ? t('author.data.erased', { name: authorName })
          : t('author.data.scheduled', { name: authorName, date: formatDateTime(done.scheduledFor) });
        setResult(message);
        notify(message, 'success');
      },
      (failure: unknown) => {
        setBusy(false);
        setError(t('author.data.failed', { reason: reasonOf(failure) }));
      },
    );
  };

  return (
    <div class="author-data" data-testid="author-data">
      <h4 class="small">{t('author.data.title')}</h4>
      <p class="muted small">{t('author.data.hint')}</p>
      {isConfirming ? (
        <div class="notice notice-error" role="alertdialog" aria-label={t('author.data.erase')}>
          <p class="small" data-testid="author-erase-question">
            {graceHours === null
              ? t('common.loading')
              : graceHours > 0
                ? t('author.data.confirmLater', { name: authorName, count: graceHours })
                : t('author.data.confirmNow', { name: authorName })}
          </p>
          <div class="note-actions">
            <button type="button" class="button button-danger" disabled={isBusy || graceHours === null} onClick={erase}>
              {t('author.data.confirm')}
            </button>
            <button type="button" class="button button-ghost" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div class="note-actions">
          <button type="button" class="button" disabled={isBusy} onClick={download}>
            {t('author.data.download')}
          </button>
          <button type="button" class="button button-ghost" disabled={isBusy} onClick={() => setConfirming(true)}>
            {t('author.data.erase')}
          </button>
        </div>
      )}
      {result ? (
        <p class="small" role="status" data-testid="author-data-result">
          {result}
        </p>
      ) : null}
      {error ? (
        <p class="error small" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * What moderators know about the comment's author: their last 30 days
 * (published, held, rejected), the last rejection and why, and the team's
 * private notes, which can be added and edited here.
 */
export function AuthorInsights({ authorId, authorName, site }: { authorId: string; authorName: string; site: string }) {
  const { api, notify } = usePanel();
  const [insights, setInsights] = useState<AuthorHistoryDto | null>(null);
  const [failure, setFailure] = useState('');

  const load = useCallback(() => {
    api.authorHistory(authorId).then(
      (loaded) => {
        setInsights(loaded);
        setFailure('');
      },
      (error: unknown) => {
        if (error instanceof ApiProblem && error.isSessionLost) return;
        setFailure(error instanceof Error ? error.message : String(error));
      },
    );
  }, [api, authorId]);
  useEffect(() => load(), [load]);

  const replaceNote = (note: AuthorNoteDto) =>
    setInsights((current) =>
      current ? { ...current, notes: current.notes.map((entry) => (entry.id === note.id ? note : entry)) } : current,
    );

  if (failure) {
    return (
      <p class="author-insights muted small" data-testid="author-insights">
        {t('author.loadFailed', { reason: failure })}
      </p>
    );
  }
  if (!insights) {
    return (
      <p class="author-insights muted small" data-testid="author-insights" aria-busy="true">
        {t('common.loading')}
      </p>
    );
  }
  const { history, notes } = insights;
  const rejection = history.lastRejection;
  return (
    <section class="author-insights" data-testid="author-insights" aria-label={t('author.insightsLabel', { name: authorName })}>
      <p class="small" data-testid="author-recent">
        <strong>{t('author.lastDays', { count: history.windowDays })}</strong>{' '}
        {t('author.published', { count: history.published })} · {t('author.held', { count: history.held })} ·{' '}
        {t('author.rejected', { count: history.rejected })}
      </p>
      <p class="small" data-testid="author-last-rejection">
        {rejection
          ? t(rejection.by === 'moderator' ? 'author.lastRejectionModerator' : 'author.lastRejectionFilter', {
              reason: reasonText(rejection),
              age: formatAge(rejection.at),
            })
          : t('author.noRejection')}
      </p>
      <div class="author-notes">
        <h4 class="small">{t('author.notes')}</h4>
        {notes.length === 0 ? <p class="muted small">{t('author.noNotes')}</p> : null}
        <ul class="author-note-list">
          {notes.map((note) => (
            <NoteItem
              key={note.id}
              note={note}
              onEdit={async (text) => {
                const { note: saved } = await api.editAuthorNote(authorId, note.id, text);
                replaceNote(saved);
                notify(t('author.noteSaved', { name: authorName }), 'success');
              }}
            />
          ))}
        </ul>
        <NoteEditor
          initial=""
          label={t('author.addNoteLabel', { name: authorName })}
          submitLabel={t('author.addNote')}
          onSave={async (text) => {
            const { note } = await api.addAuthorNote(authorId, text);
            setInsights((current) => (current ? { ...current, notes: [note, ...current.notes] } : current));
            notify(t('author.noteSaved', { name: authorName }), 'success');
          }}
        />
      </div>
      <PersonalData authorId={authorId} authorName={authorName} site={site} />
    </section>
  );
}
