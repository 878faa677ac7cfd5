import { useEffect, useRef, useState } from 'preact/hooks';
import type { TargetedKeyboardEvent } from 'preact';
import { REPORT_REASONS, type CommentDto, type ReportReason } from '../../contracts/comments';
import { describeError } from '../error-messages';
import { useUniqueId, useWidget } from './widget-context';

const REASON_LABELS: Record<ReportReason, string> = {
  spam: 'Spam',
  abuse: 'Abuse or harassment',
  hate: 'Hate speech',
  misinformation: 'Misinformation',
  'off-topic': 'Off-topic',
  other: 'Something else',
};

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
  const { controller, announce } = useWidget();
  const id = useUniqueId('edit');
  const [body, setBody] = useState(comment.body);
  const [error, setError] = useState('');
  const [isSending, setIsSending] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  useEffect(() => textarea.current?.focus(), []);

  const save = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!body.trim()) {
      setError('Write something before saving.');
      return;
    }
    setIsSending(true);
    try {
      await controller.editComment(comment, body.trim());
      announce('Your comment was updated.');
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setIsSending(false);
    }
  };

  return (
    <form class="inline-form" onSubmit={(event) => void save(event)} onKeyDown={closeOnEscape(onClose)} noValidate>
      <label class="field-label" for={`${id}-body`}>
        Edit your comment
      </label>
      <textarea
        id={`${id}-body`}
        ref={textarea}
        value={body}
        aria-describedby={`${id}-error`}
        onInput={(event) => setBody(event.currentTarget.value)}
      />
      <p class="error" id={`${id}-error`} aria-live="polite">
        {error}
      </p>
      <div class="composer-row">
        <button type="submit" class="primary" disabled={isSending}>
          Save
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function DeleteConfirm({ comment, onClose }: InlineFormProps) {
  const { controller, announce } = useWidget();
  const [error, setError] = useState('');
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);

  const remove = async (): Promise<void> => {
    try {
      await controller.deleteComment(comment);
      announce('Your comment was deleted.');
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  return (
    <div class="inline-form" role="group" aria-label="Delete comment" onKeyDown={closeOnEscape(onClose)}>
      <p class="notice">Delete this comment? This can't be undone.</p>
      <p class="error" aria-live="polite">
        {error}
      </p>
      <div class="composer-row">
        <button type="button" class="primary" onClick={() => void remove()}>
          Delete
        </button>
        <button type="button" class="secondary" ref={cancel} onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export function ReportForm({ comment, onClose }: InlineFormProps) {
  const { controller, announce } = useWidget();
  const id = useUniqueId('report');
  const [reason, setReason] = useState<ReportReason>('spam');
  const [error, setError] = useState('');
  const [isDone, setIsDone] = useState(false);
  const select = useRef<HTMLSelectElement>(null);
  useEffect(() => select.current?.focus(), []);

  const send = async (event: Event): Promise<void> => {
    event.preventDefault();
    try {
      await controller.reportComment(comment, reason);
      setIsDone(true);
      announce('Thanks for your report. A moderator will review the comment.');
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  if (isDone) {
    return (
      <div class="inline-form">
        <p class="notice">Thanks for your report. A moderator will review this comment.</p>
      </div>
    );
  }
  return (
    <form class="inline-form" onSubmit={(event) => void send(event)} onKeyDown={closeOnEscape(onClose)}>
      <label class="field-label" for={`${id}-reason`}>
        Why are you reporting this comment?
      </label>
      <select
        id={`${id}-reason`}
        ref={select}
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value as ReportReason)}
      >
        {REPORT_REASONS.map((value) => (
          <option key={value} value={value}>
            {REASON_LABELS[value]}
          </option>
        ))}
      </select>
      <p class="error" aria-live="polite">
        {error}
      </p>
      <div class="composer-row">
        <button type="submit" class="primary">
          Report
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
