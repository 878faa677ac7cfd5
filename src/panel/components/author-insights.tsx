import { useCallback, useEffect, useState } from 'preact/hooks';
import { REJECT_REASONS, type RejectReason } from '../../contracts/moderation-api';
import type { AuthorHistoryDto, AuthorNoteDto } from '../../contracts/moderation-insights';
import { ApiProblem } from '../api-client';
import { formatAge, formatDateTime } from '../format';
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
 * What moderators know about the comment's author: their last 30 days
 * (published, held, rejected), the last rejection and why, and the team's
 * private notes, which can be added and edited here.
 */
export function AuthorInsights({ authorId, authorName }: { authorId: string; authorName: string }) {
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
    </section>
  );
}
