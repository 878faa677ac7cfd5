import { useRef, useState } from 'preact/hooks';
import { describeError } from '../error-messages';
import { CommentText } from './comment-text';
import { DeleteConfirm, EditForm, ReportForm } from './comment-forms';
import { Composer } from './composer';
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
  const [isLoadingReplies, setIsLoadingReplies] = useState(false);
  const item = useRef<HTMLLIElement>(null);
  const store = controller.store;
  const node = store.get(id);
  if (!node) return null;
  const comment = node.comment;
  const isOwn = store.isOwn(comment);
  const isDeleted = comment.status === 'deleted';
  const isPending = comment.status === 'pending';
  const canChange = controller.canChange(comment, now);
  const isClosed = store.post?.closed === true;
  const authorName = comment.author?.name ?? t('comment.guest');
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

  const classes = ['comment', isPending ? 'pending-comment' : '', isOwn ? 'own-comment' : ''].filter(Boolean).join(' ');
  return (
    <li data-comment-id={comment.id} ref={item}>
      <article
        class={classes}
        id={`parley-comment-${comment.id}`}
        tabIndex={-1}
        aria-label={isDeleted ? t('comment.deletedLabel') : t('comment.byLabel', { name: authorName })}
      >
        {isDeleted ? (
          <p class="tombstone">{t('comment.deleted')}</p>
        ) : (
          <>
            <header class="comment-head">
              <span class="author">{authorName}</span>
              {comment.author?.isVerified ? <span class="verified">{t('comment.verified')}</span> : null}
              <span class="meta">
                <RelativeTimeLabel iso={comment.createdAt} now={now} />
                {comment.editedAt ? t('comment.edited') : ''}
              </span>
              {isPending && isOwn ? <span class="badge">{t('comment.awaitingModeration')}</span> : null}
            </header>
            <p class="body">
              <CommentText text={comment.body} />
            </p>
            <div class="actions">
              {!isClosed && !isPending ? (
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
            </div>
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
