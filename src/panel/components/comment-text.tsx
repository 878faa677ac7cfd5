import { useMemo, useState } from 'preact/hooks';
import type { CommentDto } from '../../contracts/comments';
import type { Finding } from '../../contracts/moderation';
import { commentHtmlNodes } from '../../browser-shared/comment-html';
import { t } from '../i18n';
import { HighlightedText } from './highlighted-text';

/**
 * A comment's rendered `html`, built through the allow-list (never innerHTML).
 * Spoilers stay readable to moderators, only marked as such.
 */
function FormattedHtml({ html }: { html: string }) {
  const nodes = useMemo(
    () =>
      commentHtmlNodes(html, {
        spoiler: (children, key) => (
          <span key={key} class="spoiler" title={t('card.spoiler')}>
            {children}
          </span>
        ),
      }),
    [html],
  );
  return <>{nodes}</>;
}

interface CommentTextProps {
  comment: Pick<CommentDto, 'id' | 'body' | 'html'>;
  findings: readonly Finding[];
}

/**
 * A comment's text in a card: formatted as readers see it, or its source with
 * the findings' spans marked (spans are offsets into the source). A comment
 * without `html` (an older service) shows its source only.
 */
export function CommentText({ comment, findings }: CommentTextProps) {
  const [isSource, setIsSource] = useState(false);
  const hasHtml = typeof comment.html === 'string' && comment.html !== '';
  const showSource = isSource || !hasHtml;
  const bodyId = `comment-${comment.id}-text`;
  return (
    <>
      {showSource ? (
        <p id={bodyId} class="comment-body comment-source" data-testid="comment-body" data-view="source">
          <HighlightedText text={comment.body} findings={findings} />
        </p>
      ) : (
        <div id={bodyId} class="comment-body formatted" data-testid="comment-body" data-view="formatted">
          <FormattedHtml html={comment.html} />
        </div>
      )}
      {hasHtml ? (
        <button
          type="button"
          class="link-button small comment-view-toggle"
          aria-controls={bodyId}
          aria-pressed={isSource}
          onClick={() => setIsSource(!isSource)}
        >
          {isSource ? t('card.showFormatted') : t('card.showSource')}
        </button>
      ) : null}
    </>
  );
}
