import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { REJECT_REASONS, type RejectReason } from '../../contracts/moderation-api';
import { localDateTimeInput } from '../format';
import type { AuthorAction } from '../api-client';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}

/** A modal dialog: focus moves in, stays in (Tab wraps), Escape closes, focus returns. */
export function Modal({ title, onClose, children, wide }: ModalProps) {
  const panel = useRef<HTMLDivElement>(null);
  const titleId = useRef(`dialog-${Math.random().toString(36).slice(2)}`).current;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = panel.current?.querySelector<HTMLElement>('[data-autofocus]') ?? panel.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => previous?.focus({ preventScroll: true });
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !panel.current) return;
    const focusable = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div class="backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div
        ref={panel}
        class={`dialog card${wide ? ' dialog-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} class="dialog-title">
          {title}
        </h2>
        {children}
      </div>
    </div>
  );
}

const SHORTCUTS: [string, string][] = [
  ['j / k', 'Next / previous comment'],
  ['a', 'Approve (restore in Rejected, keep in Reported)'],
  ['r', 'Reject the selected comment (pick a reason)'],
  ['x', 'Select for a bulk action'],
  ['A / R', 'Approve / reject every selected comment'],
  ['/', 'Search'],
  ['?', 'Show or hide this help'],
  ['Esc', 'Close a dialog'],
];

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <dl class="shortcuts">
        {SHORTCUTS.map(([keys, label]) => (
          <div key={keys} class="shortcut">
            <dt>
              {keys.split(' / ').map((key, index) => (
                <span key={key}>
                  {index > 0 ? ' / ' : ''}
                  <kbd>{key}</kbd>
                </span>
              ))}
            </dt>
            <dd>{label}</dd>
          </div>
        ))}
      </dl>
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </Modal>
  );
}

const REASON_LABEL: Record<RejectReason, string> = {
  spam: 'Spam',
  abuse: 'Abuse or harassment',
  hate: 'Hate speech',
  'off-topic': 'Off-topic',
  misinformation: 'Misinformation',
  'personal-info': 'Personal information',
  other: 'Other',
};

interface RejectDialogProps {
  count: number;
  onCancel: () => void;
  onReject: (reason: RejectReason, note: string) => void;
}

/** Reason picker + note. Enter in the picker confirms: the whole flow is keyboard-only. */
export function RejectDialog({ count, onCancel, onReject }: RejectDialogProps) {
  const [reason, setReason] = useState<RejectReason>('abuse');
  const [note, setNote] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    onReject(reason, note.trim());
  };
  return (
    <Modal title={count === 1 ? 'Reject comment' : `Reject ${count} comments`} onClose={onCancel}>
      <form
        onSubmit={submit}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.target as HTMLElement).tagName === 'SELECT') submit(event);
        }}
      >
        <label class="field">
          <span>Reason</span>
          <select
            name="reason"
            data-autofocus
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value as RejectReason)}
          >
            {REJECT_REASONS.map((entry) => (
              <option key={entry} value={entry}>
                {REASON_LABEL[entry]}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Note (optional, kept in the audit log)</span>
          <textarea name="note" rows={3} maxLength={500} value={note} onInput={(event) => setNote(event.currentTarget.value)} />
        </label>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" class="button button-danger">
            Reject
          </button>
        </div>
      </form>
    </Modal>
  );
}

const AUTHOR_ACTION_TITLE: Record<AuthorAction, string> = {
  ban: 'Ban author',
  suspend: 'Suspend author',
  premoderate: 'Put author on pre-moderation',
  reinstate: 'Reinstate author',
};

const AUTHOR_ACTION_HELP: Record<AuthorAction, string> = {
  ban: 'Their new comments are refused on every post of this site.',
  suspend: 'Their new comments are refused until the time below.',
  premoderate: 'Every new comment of theirs waits in the pending queue.',
  reinstate: 'Lifts a ban, a suspension or pre-moderation.',
};

interface AuthorActionDialogProps {
  action: AuthorAction;
  authorName: string;
  onCancel: () => void;
  onConfirm: (input: { note: string; until?: string }) => void;
}

export function AuthorActionDialog({ action, authorName, onCancel, onConfirm }: AuthorActionDialogProps) {
  const [note, setNote] = useState('');
  const [until, setUntil] = useState(() => localDateTimeInput(24));
  const submit = (event: Event) => {
    event.preventDefault();
    if (action === 'suspend') onConfirm({ note: note.trim(), until: new Date(until).toISOString() });
    else onConfirm({ note: note.trim() });
  };
  return (
    <Modal title={`${AUTHOR_ACTION_TITLE[action]}: ${authorName}`} onClose={onCancel}>
      <form onSubmit={submit}>
        <p class="muted">{AUTHOR_ACTION_HELP[action]}</p>
        {action === 'suspend' ? (
          <label class="field">
            <span>Suspended until</span>
            <input
              type="datetime-local"
              required
              data-autofocus
              value={until}
              min={localDateTimeInput(0)}
              onInput={(event) => setUntil(event.currentTarget.value)}
            />
          </label>
        ) : null}
        <label class="field">
          <span>Note (optional)</span>
          <textarea rows={2} maxLength={500} value={note} onInput={(event) => setNote(event.currentTarget.value)} />
        </label>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" class={`button ${action === 'reinstate' ? 'button-primary' : 'button-danger'}`}>
            {AUTHOR_ACTION_TITLE[action]}
          </button>
        </div>
      </form>
    </Modal>
  );
}
