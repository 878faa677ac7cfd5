import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { REJECT_REASONS, type RejectReason } from '../../contracts/moderation-api';
import { localDateTimeInput } from '../format';
import type { AuthorAction } from '../api-client';
import { t, type PanelMessageKey } from '../i18n';

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

const SHORTCUTS: [string, PanelMessageKey][] = [
  ['j / k', 'help.nextPrevious'],
  ['a', 'help.approve'],
  ['r', 'help.reject'],
  ['x', 'help.select'],
  ['A / R', 'help.bulk'],
  ['/', 'help.search'],
  ['?', 'help.help'],
  ['Esc', 'help.close'],
];

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <Modal title={t('help.title')} onClose={onClose}>
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
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onClose} data-autofocus>
          {t('common.close')}
        </button>
      </div>
    </Modal>
  );
}


interface RejectDialogProps {
  count: number;
  /** The reason chosen at first (copy-paste brigades are usually spam). */
  initialReason?: RejectReason;
  onCancel: () => void;
  onReject: (reason: RejectReason, note: string) => void;
}

/** Reason picker + note. Enter in the picker confirms: the whole flow is keyboard-only. */
export function RejectDialog({ count, initialReason, onCancel, onReject }: RejectDialogProps) {
  const [reason, setReason] = useState<RejectReason>(initialReason ?? 'abuse');
  const [note, setNote] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    onReject(reason, note.trim());
  };
  return (
    <Modal title={t('reject.title', { count })} onClose={onCancel}>
      <form
        onSubmit={submit}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.target as HTMLElement).tagName === 'SELECT') submit(event);
        }}
      >
        <label class="field">
          <span>{t('reject.reason')}</span>
          <select
            name="reason"
            data-autofocus
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value as RejectReason)}
          >
            {REJECT_REASONS.map((entry) => (
              <option key={entry} value={entry}>
                {t(`rejectReason.${entry}`)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t('reject.note')}</span>
          <textarea name="note" rows={3} maxLength={500} value={note} onInput={(event) => setNote(event.currentTarget.value)} />
        </label>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="button button-danger">
            {t('reject.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}


interface AuthorActionDialogProps {
  action: AuthorAction;
  authorName: string;
  onCancel: () => void;
  onConfirm: (input: AuthorActionInput) => void;
}

export interface AuthorActionInput {
  note: string;
  until?: string;
  /** Ban or suspend and reject the author's pending and published comments in the same action. */
  rejectComments?: { reason: RejectReason };
}

export function AuthorActionDialog({ action, authorName, onCancel, onConfirm }: AuthorActionDialogProps) {
  const [note, setNote] = useState('');
  const [until, setUntil] = useState(() => localDateTimeInput(24));
  const [isRejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState<RejectReason>('abuse');
  const canReject = action === 'ban' || action === 'suspend';
  const submit = (event: Event) => {
    event.preventDefault();
    const rejectComments = canReject && isRejecting ? { rejectComments: { reason } } : {};
    if (action === 'suspend') onConfirm({ note: note.trim(), until: new Date(until).toISOString(), ...rejectComments });
    else onConfirm({ note: note.trim(), ...rejectComments });
  };
  return (
    <Modal title={t('authorAction.dialogTitle', { action: t(`authorAction.${action}`), name: authorName })} onClose={onCancel}>
      <form onSubmit={submit}>
        <p class="muted">{t(`authorAction.${action}.help`)}</p>
        {action === 'suspend' ? (
          <label class="field">
            <span>{t('authorAction.until')}</span>
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
        {canReject ? (
          <div class="field">
            <label class="field-check">
              <input
                type="checkbox"
                name="rejectComments"
                checked={isRejecting}
                onChange={(event) => setRejecting(event.currentTarget.checked)}
                aria-describedby="reject-comments-help"
              />
              <span>{t('authorAction.rejectComments')}</span>
            </label>
            <small id="reject-comments-help" class="muted">
              {t('authorAction.rejectComments.help')}
            </small>
          </div>
        ) : null}
        {canReject && isRejecting ? (
          <label class="field">
            <span>{t('authorAction.rejectReason')}</span>
            <select name="reason" value={reason} onChange={(event) => setReason(event.currentTarget.value as RejectReason)}>
              {REJECT_REASONS.map((entry) => (
                <option key={entry} value={entry}>
                  {t(`rejectReason.${entry}`)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label class="field">
          <span>{t('authorAction.note')}</span>
          <textarea rows={2} maxLength={500} value={note} onInput={(event) => setNote(event.currentTarget.value)} />
        </label>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" class={`button ${action === 'reinstate' ? 'button-primary' : 'button-danger'}`}>
            {t(`authorAction.${action}`)}
          </button>
        </div>
      </form>
    </Modal>
  );
}

interface ForceDialogProps {
  holder: string;
  verb: 'approve' | 'reject' | 'restore';
  onCancel: () => void;
  onConfirm: () => void;
}

/** Someone else claimed the comment: acting anyway is the moderator's explicit choice. */
export function ForceDialog({ holder, verb, onCancel, onConfirm }: ForceDialogProps) {
  const label = verb === 'approve' ? 'Approve anyway' : verb === 'reject' ? 'Reject anyway' : 'Restore anyway';
  return (
    <Modal title={`${holder} is reviewing this comment`} onClose={onCancel}>
      <p>
        {holder} opened this comment and may be deciding it right now. {verb === 'approve' ? 'Approve' : verb === 'reject' ? 'Reject' : 'Restore'} it
        anyway?
      </p>
      <div class="dialog-actions">
        <button type="button" class="button" data-autofocus onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class={verb === 'reject' ? 'button button-danger' : 'button button-primary'} onClick={onConfirm}>
          {label}
        </button>
      </div>
    </Modal>
  );
}
