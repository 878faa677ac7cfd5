import { useEffect, useRef, useState } from 'preact/hooks';
import type { TargetedKeyboardEvent } from 'preact';
import { REPORT_REASONS, type CommentDto, type ReportReason } from '../../contracts/comments';
import { describeError } from '../error-messages';
import { FormattingField } from './formatting-field';
import { useUniqueId, useWidget } from './widget-context';


interface InlineFormProps {
  comment: CommentDto;
  onClose: () => void;
}

function closeOnEscape(onClose: () => void) {
  return (event: TargetedKeyboardEvent<HTMLElement>): void => {
    if (event.key === 'Escape') onClose();
  };
}

export function EditForm({ comment, onClose }: InlineFormProps) {
  const { controller, translator, t, announce } = useWidget();
  const id = useUniqueId('edit');
  const [body, setBody] = useState(comment.body);
  const [error, setError] = useState('');
  const [isSending, setIsSending] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  useEffect(() => textarea.current?.focus(), []);

  const save = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!body.trim()) {
      setError(t('edit.writeSomething'));
      return;
    }
    setIsSending(true);
    try {
      await controller.editComment(comment, body.trim());
      announce(t('edit.updated'));
      onClose();
    } catch (failure) {
      setError(describeError(failure, translator));
      setIsSending(false);
    }
  };

  return (
    <form class="inline-form" onSubmit={(event) => void save(event)} onKeyDown={closeOnEscape(onClose)} noValidate>
      <label class="field-label" for={`${id}-body`}>
        {t('edit.label')}
      </label>
      <FormattingField id={`${id}-body`} textarea={textarea} value={body} describedBy={`${id}-error`} isInvalid={error !== ''} onChange={setBody} />
      <p class="error" id={`${id}-error`} aria-live="polite">
        {error}
      </p>
      <div class="composer-row">
        <button type="submit" class="primary" disabled={isSending}>
          {t('edit.save')}
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          {t('composer.cancel')}
        </button>
      </div>
    </form>
  );
}

export function DeleteConfirm({ comment, onClose }: InlineFormProps) {
  const { controller, translator, t, announce } = useWidget();
  const [error, setError] = useState('');
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);

  const remove = async (): Promise<void> => {
    try {
      await controller.deleteComment(comment);
      announce(t('delete.done'));
    } catch (failure) {
      setError(describeError(failure, translator));
    }
  };

  return (
    <div class="inline-form" role="group" aria-label={t('delete.label')} onKeyDown={closeOnEscape(onClose)}>
      <p class="notice">{t('delete.confirm')}</p>
      <p class="error" aria-live="polite">
        {error}
      </p>
      <div class="composer-row">
        <button type="button" class="primary" onClick={() => void remove()}>
          {t('comment.delete')}
        </button>
        <button type="button" class="secondary" ref={cancel} onClick={onClose}>
          {t('composer.cancel')}
        </button>
      </div>
    </div>
  );
}

export function ReportForm({ comment, onClose }: InlineFormProps) {
  const { controller, translator, t, announce } = useWidget();
  const id = useUniqueId('report');
  // No reason is chosen for the reader: they pick one, or nothing is sent.
  const [reason, setReason] = useState<ReportReason | ''>('');
  const [error, setError] = useState('');
  const [isDone, setIsDone] = useState(false);
  const select = useRef<HTMLSelectElement>(null);
  useEffect(() => select.current?.focus(), []);

  const send = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (reason === '') {
      setError(t('report.chooseFirst'));
      select.current?.focus();
      return;
    }
    try {
      await controller.reportComment(comment, reason);
      setIsDone(true);
      announce(t('report.thanksAnnouncement'));
    } catch (failure) {
      setError(describeError(failure, translator));
    }
  };

  if (isDone) {
    return (
      <div class="inline-form">
        <p class="notice">{t('report.thanks')}</p>
      </div>
    );
  }
  return (
    <form class="inline-form" onSubmit={(event) => void send(event)} onKeyDown={closeOnEscape(onClose)}>
      <label class="field-label" for={`${id}-reason`}>
        {t('report.label')}
      </label>
      <select
        id={`${id}-reason`}
        ref={select}
        value={reason}
        required
        aria-invalid={error ? 'true' : 'false'}
        onChange={(event) => {
          setReason(event.currentTarget.value as ReportReason | '');
          setError('');
        }}
      >
        <option value="" disabled>
          {t('report.choose')}
        </option>
        {REPORT_REASONS.map((value) => (
          <option key={value} value={value}>
            {t(`report.reason.${value}`)}
          </option>
        ))}
      </select>
      <p class="error" aria-live="polite">
        {error}
      </p>
      <div class="composer-row">
        <button type="submit" class="primary" disabled={reason === ''}>
          {t('comment.report')}
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          {t('composer.cancel')}
        </button>
      </div>
    </form>
  );
}
