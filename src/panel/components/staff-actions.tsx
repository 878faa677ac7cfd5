import { useState } from 'preact/hooks';
import type { CommentDto } from '../../contracts/comments';
import { ApiProblem } from '../api-client';
import { t } from '../i18n';
import { usePanel } from './panel-context';

const MAX_REPLY_LENGTH = 5000;

/**
 * What a moderator does with a published comment for readers: feature it (the
 * widget pins it above the thread) and answer it in the thread as the site's staff.
 */
export function StaffActions({ comment }: { comment: CommentDto }) {
  const { api, notify, moderator } = usePanel();
  const [featured, setFeatured] = useState<boolean | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const [isReplying, setIsReplying] = useState(false);
  const [reply, setReply] = useState('');
  const [error, setError] = useState('');
  if (comment.status !== 'published') return null;
  const isFeatured = featured ?? comment.featured;
  const reasonOf = (failure: unknown): string => (failure instanceof ApiProblem ? failure.message : String(failure));

  const toggleFeatured = async (): Promise<void> => {
    setIsBusy(true);
    try {
      const answer = isFeatured ? await api.unfeature(comment.id) : await api.feature(comment.id);
      setFeatured(answer.comment.featured);
      notify(answer.comment.featured ? t('staff.featuredDone') : t('staff.unfeaturedDone'), 'success');
    } catch (failure) {
      notify(t('staff.failed', { reason: reasonOf(failure) }), 'error');
    } finally {
      setIsBusy(false);
    }
  };

  const sendReply = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError('');
    setIsBusy(true);
    try {
      await api.replyAsStaff(comment.id, reply);
      setReply('');
      setIsReplying(false);
      notify(t('staff.replied'), 'success');
    } catch (failure) {
      setError(reasonOf(failure));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <div class="staff-actions">
      {isFeatured ? <span class="pill pill-featured" data-testid="featured-pill">{t('staff.featured')}</span> : null}
      <button type="button" class="button" disabled={isBusy} aria-pressed={isFeatured ? 'true' : 'false'} onClick={() => void toggleFeatured()} data-testid="feature-toggle">
        {isFeatured ? t('staff.unfeature') : t('staff.feature')}
      </button>
      <button type="button" class="button" aria-expanded={isReplying ? 'true' : 'false'} onClick={() => setIsReplying(!isReplying)} data-testid="staff-reply-open">
        {t('staff.reply')}
      </button>
      {isReplying ? (
        <form class="staff-reply" onSubmit={(event) => void sendReply(event)} data-testid="staff-reply-form">
          <label>
            <span>{t('staff.replyLabel', { name: moderator.name })}</span>
            <textarea
              value={reply}
              maxLength={MAX_REPLY_LENGTH}
              rows={3}
              required
              onInput={(event) => setReply(event.currentTarget.value)}
            />
          </label>
          {error ? (
            <p class="error" role="alert">
              {error}
            </p>
          ) : null}
          <div class="staff-reply-actions">
            <button type="submit" class="button button-primary" disabled={isBusy || reply.trim() === ''}>
              {t('staff.send')}
            </button>
            <button type="button" class="button" onClick={() => setIsReplying(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
