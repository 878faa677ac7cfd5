import { useRef, useState } from 'preact/hooks';
import { describeError } from '../error-messages';
import { AuthorBadges, isStaff } from './author-badges';
import { CommentBody } from './comment-body';
import { DeleteConfirm, EditForm, ReportForm } from './comment-forms';
import { Composer } from './composer';
import { phraseReasons } from '../reason-messages';
import { RelativeTimeLabel } from './relative-time-label';
import { useWidget } from './widget-context';

/** Levels of indentation before a reply chain continues on its own view. */
export const MAX_LEVEL = 4;

type OpenForm = 'none' | 'reply' | 'edit' | 'delete' | 'report';

/** Moves focus to a comment by id within the widget's shadow root (after it has rendered). */
export function focusComment(inside: Node | null, commentId: string): void {
  requestAnimationFrame(() => {
    const root = inside?.getRootNode();
    if (root instanceof ShadowRoot || root instanceof Document) {
      root.getElementById(`parley-comment-${commentId}`)?.focus();
    }
  });
}

export function CommentView({ id, level }: { id: string; level: number }) {
  const { controller, translator, t, now, focusThread, announce } = useWidget();
  const [open, setOpen] = useState<OpenForm>('none');
  const [repliesError, setRepliesError] = useState('');
  const [reactError, setReactError] = useState('');
  const [isLoadingReplies, setIsLoadingReplies] = useState(false);
  const item = useRef<HTMLLIElement>(null);
  const store = controller.store;
  const node = store.get(id);
  if (!node) return null;
  const comment = node.comment;
  const isOwn = store.isOwn(comment);
  const isDeleted = comment.status === 'deleted';
  const isPending = comment.status === 'pending';
  const isRejected = comment.status === 'rejected';
  /** Removed by moderation but kept so its replies stay readable (the author still sees their own text). */
  const isRemovedPlaceholder = isRejected && !isOwn;
  const canChange = !isRejected && controller.canChange(comment, now);
  const reasons = phraseReasons(t, comment.notice?.reasons ?? [], comment.notice?.reasonCodes);
  const ownNotice = !isOwn || !comment.notice
    ? ''
    : comment.notice.kind === 'held'
      ? t('comment.heldFor', { reasons })
      : comment.notice.kind === 'rejected'
        ? t('comment.notPublished', { reasons })
        : reasons
          ? t('comment.removedByModerator', { reasons })
          : t('comment.removedByModeratorPlain');
  const isPublishedAfterReview = store.publishedAfterReview.has(comment.id) && comment.status === 'published';
  const isClosed = store.post?.closed === true;
  const authorName = comment.author?.name ?? t('comment.guest');
  const hasReacted = controller.hasReacted(comment);
  const reactionWord = store.reactionLabel ?? t('comment.react');
  const toggle = (form: OpenForm) => () => setOpen(open === form ? 'none' : form);
  const close = () => setOpen('none');

  const hiddenReplies = Math.max(0, comment.replyCount - node.replyIds.length);
  const hasMoreReplies = node.repliesCursor !== null && (node.repliesCursor !== undefined || hiddenReplies > 0);
  const isAtDepthLimit = level >= MAX_LEVEL - 1;

  const loadReplies = async (): Promise<void> => {
    setIsLoadingReplies(true);
    setRepliesError('');
    try {
      await controller.loadReplies(comment.id);
    } catch (failure) {
      setRepliesError(describeError(failure, translator));
    } finally {
      setIsLoadingReplies(false);
    }
  };

  const copyPermalink = (event: Event): void => {
    // The link also works as a plain link (the host page's #parley-<id>); copying is a courtesy.
    const url = `${location.href.split('#')[0] ?? ''}#parley-${comment.id}`;
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (clipboard) {
      void clipboard.writeText(url).then(() => announce(t('comment.linkCopied')), () => undefined);
    }
    event.stopPropagation();
  };

  const classes = [
    'comment',
    isPending ? 'pending-comment' : '',
    isRejected && isOwn ? 'removed-own-comment' : '',
    isOwn ? 'own-comment' : '',
    controller.highlightedId === comment.id ? 'is-highlighted' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <li data-comment-id={comment.id} ref={item}>
      <article
        class={classes}
        id={`parley-comment-${comment.id}`}
        tabIndex={-1}
        aria-label={
          isDeleted ? t('comment.deletedLabel') : isRemovedPlaceholder ? t('comment.removedLabel') : t('comment.byLabel', { name: authorName })
        }
      >
        {isDeleted ? (
          <p class="tombstone">{t('comment.deleted')}</p>
        ) : isRemovedPlaceholder ? (
          <p class="tombstone">{t('comment.removed')}</p>
        ) : (
          <>
            <header class="comment-head">
              <span class="author">{authorName}</span>
              <AuthorBadges author={comment.author} />
              {comment.author?.isVerified && !isStaff(comment.author) ? <span class="verified">{t('comment.verified')}</span> : null}
              <span class="meta">
                <RelativeTimeLabel iso={comment.createdAt} now={now} />
                {comment.editedAt ? t('comment.edited') : ''}
              </span>
              {isPending && isOwn ? <span class="badge">{t('comment.awaitingModeration')}</span> : null}
              {isPublishedAfterReview ? <span class="badge badge-ok">{t('comment.publishedAfterReview')}</span> : null}
            </header>
            {ownNotice ? (
              <p class={isRejected ? 'own-notice is-removed' : 'own-notice'} role="status">
                {ownNotice}
              </p>
            ) : null}
            <CommentBody comment={comment} />
            <div class="actions">
              {isPending || isRejected ? null : isOwn ? (
                <span class="reactions" aria-label={t('comment.reactionsLabel', { count: comment.reactions })}>
                  ♥ {translator.formatNumber(comment.reactions)}
                </span>
              ) : (
                <button
                  type="button"
                  class="link react"
                  aria-pressed={hasReacted ? 'true' : 'false'}
                  aria-label={`${reactionWord} (${t('comment.reactionsLabel', { count: comment.reactions })})`}
                  onClick={() => {
                    setReactError('');
                    controller.toggleReaction(comment).catch((failure: unknown) => setReactError(describeError(failure, translator)));
                  }}
                >
                  {hasReacted ? '♥' : '♡'} {reactionWord} · {translator.formatNumber(comment.reactions)}
                </button>
              )}
              {!isClosed && !isPending && !isRejected ? (
                <button type="button" class="link" aria-expanded={open === 'reply'} onClick={toggle('reply')}>
                  {t('comment.reply')}
                </button>
              ) : null}
              {canChange ? (
                <>
                  <button type="button" class="link" aria-expanded={open === 'edit'} onClick={toggle('edit')}>
                    {t('comment.edit')}
                  </button>
                  <button type="button" class="link danger" aria-expanded={open === 'delete'} onClick={toggle('delete')}>
                    {t('comment.delete')}
                  </button>
                </>
              ) : null}
              {!isOwn ? (
                <button type="button" class="link" aria-expanded={open === 'report'} onClick={toggle('report')}>
                  {t('comment.report')}
                </button>
              ) : null}
              {!isPending && !isRejected ? (
                <a
                  class="link permalink"
                  href={`#parley-${comment.id}`}
                  aria-label={t('comment.permalinkLabel', { name: authorName })}
                  onClick={copyPermalink}
                >
                  {t('comment.permalink')}
                </a>
              ) : null}
            </div>
            {reactError ? (
              <p class="error" role="alert">
                {reactError}
              </p>
            ) : null}
            {open === 'reply' ? (
              <Composer
                parentId={comment.id}
                parentAuthor={authorName}
                onCancel={close}
                onDone={(newId) => {
                  close();
                  if (isAtDepthLimit) focusThread(comment.id);
                  else focusComment(item.current, newId);
                }}
              />
            ) : null}
            {open === 'edit' ? <EditForm comment={comment} onClose={close} /> : null}
            {open === 'delete' ? <DeleteConfirm comment={comment} onClose={close} /> : null}
            {open === 'report' ? <ReportForm comment={comment} onClose={close} /> : null}
          </>
        )}
      </article>
      {isAtDepthLimit ? (
        comment.replyCount > 0 || node.replyIds.length > 0 ? (
          <button type="button" class="link more" onClick={() => focusThread(comment.id)}>
            {t('comment.continueThread')}
          </button>
        ) : null
      ) : (
        <>
          {node.replyIds.length > 0 ? (
            <ol class="replies" aria-label={t('comment.repliesLabel', { name: authorName })}>
              {node.replyIds.map((replyId) => (
                <CommentView key={replyId} id={replyId} level={level + 1} />
              ))}
            </ol>
          ) : null}
          {hasMoreReplies ? (
            <button
              type="button"
              class="link more"
              disabled={isLoadingReplies}
              onClick={() => {
                void loadReplies().then(() => announce(t('comment.moreRepliesLoaded')));
              }}
            >
              {hiddenReplies > 0 ? t('comment.showHiddenReplies', { count: hiddenReplies }) : t('comment.showMoreReplies')}
            </button>
          ) : null}
          {repliesError ? <p class="error">{repliesError}</p> : null}
        </>
      )}
    </li>
  );
}
