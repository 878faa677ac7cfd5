import { useEffect, useRef, useState } from 'preact/hooks';
import type { TargetedKeyboardEvent } from 'preact';
import { describeError } from '../error-messages';
import { phraseReasons } from '../reason-messages';
import { NudgeNotice, nudgeFindings, type NudgeFinding } from './nudge-notice';
import { FormattingField } from './formatting-field';
import { NO_NOTIFY, NotifyField, checkNotifyChoice, describeMailOutcome, sendNotifyChoice, type NotifyChoice } from './notify-field';
import { useUniqueId, useWidget } from './widget-context';

export interface ComposerProps {
  /** Set for a reply form. */
  parentId?: string;
  parentAuthor?: string;
  onDone?: (commentId: string) => void;
  onCancel?: () => void;
}

const MAX_NAME_LENGTH = 50;

/** The new-comment and reply form. Ctrl/⌘+Enter posts, Escape cancels a reply. */
export function Composer({ parentId, parentAuthor, onDone, onCancel }: ComposerProps) {
  const { controller, translator, t, announce } = useWidget();
  const id = useUniqueId(parentId ? 'reply' : 'compose');
  const [name, setName] = useState(controller.guestName);
  const [body, setBody] = useState('');
  const [error, setError] = useState('');
  const [isSending, setIsSending] = useState(false);
  /** The service nudged the author about this text: what it found, until they edit or post anyway. */
  const [nudge, setNudge] = useState<NudgeFinding[] | null>(null);
  const [notify, setNotify] = useState<NotifyChoice>(NO_NOTIFY);
  const [notifyError, setNotifyError] = useState('');
  const textarea = useRef<HTMLTextAreaElement>(null);
  const isReply = parentId !== undefined;

  useEffect(() => {
    if (isReply) textarea.current?.focus();
  }, [isReply]);

  const submit = async (event?: Event, confirmNudge = false): Promise<void> => {
    event?.preventDefault();
    if (isSending) return;
    const text = body.trim();
    if (!text) {
      setError(t('composer.writeSomething'));
      textarea.current?.focus();
      return;
    }
    if (!controller.isSignedIn && !name.trim() && !controller.bearer()) {
      setError(t('composer.nameNeeded'));
      return;
    }
    // The address is checked before posting: a refused address must not leave a comment without its notifications.
    const addressProblem = checkNotifyChoice(controller, notify, translator);
    setNotifyError(addressProblem);
    if (addressProblem) {
      const field = textarea.current?.form?.elements.namedItem('email');
      if (field instanceof HTMLInputElement) field.focus();
      return;
    }
    setIsSending(true);
    setError('');
    try {
      const created = await controller.createComment({
        body: text,
        ...(parentId ? { parentId } : {}),
        ...(name.trim() ? { authorName: name.trim() } : {}),
        ...(confirmNudge ? { confirmNudge } : {}),
      });
      setNudge(null);
      const notice = created.comment.notice ?? created.verdict;
      const reasons = phraseReasons(t, notice?.reasons ?? [], notice?.reasonCodes);
      if (created.comment.status === 'rejected') {
        // Not published: say so and why, and keep the text to edit.
        setError(t('composer.notPublished', { reasons }));
        announce(t('composer.notPublished', { reasons }));
        textarea.current?.focus();
        return;
      }
      setBody('');
      const posted =
        created.comment.status === 'pending'
          ? reasons
            ? t('composer.heldFor', { reasons })
            : t('composer.sentForModeration')
          : isReply
            ? t('composer.replyPosted')
            : t('composer.commentPosted');
      const mailOutcome = await sendNotifyChoice(controller, notify, translator.lang);
      setNotify(NO_NOTIFY);
      announce(mailOutcome ? `${posted} ${describeMailOutcome(mailOutcome, translator)}` : posted);
      onDone?.(created.comment.id);
    } catch (failure) {
      const found = nudgeFindings(failure);
      if (found) setNudge(found);
      else setError(describeError(failure, translator));
    } finally {
      setIsSending(false);
    }
  };

  const onKeyDown = (event: TargetedKeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit();
    if (event.key === 'Escape' && onCancel) onCancel();
  };

  const signedInName = controller.signedInName;
  return (
    <form class={isReply ? 'composer inline-form' : 'composer'} onSubmit={(event) => void submit(event)} noValidate>
      {controller.isSignedIn ? (
        <p class="identity">{signedInName ? t('composer.commentingAs', { name: signedInName }) : t('composer.commentingSignedIn')}</p>
      ) : (
        <>
          <label for={`${id}-name`}>{t('composer.nameLabel')}</label>
          <input
            id={`${id}-name`}
            name="authorName"
            type="text"
            autoComplete="nickname"
            maxLength={MAX_NAME_LENGTH}
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </>
      )}
      <label for={`${id}-body`}>{isReply ? (parentAuthor ? t('composer.replyTo', { name: parentAuthor }) : t('composer.replyToComment')) : t('composer.joinLabel')}</label>
      <FormattingField
        id={`${id}-body`}
        textarea={textarea}
        placeholder={isReply ? t('composer.replyPlaceholder') : t('composer.placeholder')}
        value={body}
        describedBy={`${id}-error`}
        isInvalid={error !== ''}
        onChange={(value) => {
          setBody(value);
          // The nudge spoke of the text as it was; once edited, posting sends it anew.
          setNudge(null);
        }}
        onKeyDown={onKeyDown}
      />
      <p class="error" id={`${id}-error`} aria-live="polite">
        {error}
      </p>
      <NotifyField
        id={id}
        choice={notify}
        error={notifyError}
        onChange={(choice) => {
          setNotify(choice);
          setNotifyError('');
        }}
      />
      {nudge ? (
        <NudgeNotice
          findings={nudge}
          isSending={isSending}
          onEdit={() => {
            setNudge(null);
            textarea.current?.focus();
          }}
          onPostAnyway={() => void submit(undefined, true)}
        />
      ) : null}
      <div class="composer-row" style={nudge ? { display: 'none' } : undefined}>
        <span class="identity">{isReply ? '' : t('composer.beKind')}</span>
        <span>
          {onCancel ? (
            <button type="button" class="secondary" onClick={onCancel}>
              {t('composer.cancel')}
            </button>
          ) : null}{' '}
          {/* aria-disabled, not disabled: a disabled button would drop the keyboard focus mid-post. */}
          <button type="submit" class="primary" aria-disabled={isSending ? 'true' : 'false'}>
            {isSending ? t('composer.posting') : isReply ? t('composer.postReply') : t('composer.postComment')}
          </button>
        </span>
      </div>
    </form>
  );
}
