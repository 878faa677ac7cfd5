import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { CommentDto } from '../../contracts/comments';
import { commentHtmlNodes } from '../../browser-shared/comment-html';
import { CommentText } from './comment-text';
import { useWidget } from './widget-context';

/** Hidden until a reader clicks it or presses Enter or Space on it; then it stays shown. */
export function Spoiler({ children }: { children: ComponentChildren }) {
  const { t } = useWidget();
  const [isRevealed, setIsRevealed] = useState(false);
  if (isRevealed) return <span class="spoiler is-revealed">{children}</span>;
  const reveal = (event: Event): void => {
    event.preventDefault();
    setIsRevealed(true);
  };
  return (
    <span
      class="spoiler"
      role="button"
      tabIndex={0}
      aria-label={t('format.spoilerReveal')}
      title={t('format.spoilerReveal')}
      onClick={reveal}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') reveal(event);
      }}
    >
      {/* Hidden content is neither read out nor focusable until revealed. */}
      <span class="spoiler-content" aria-hidden="true" {...{ inert: true }}>
        {children}
      </span>
    </span>
  );
}

/** Allow-listed HTML as nodes, spoilers included. */
export function FormattedHtml({ html }: { html: string }) {
  const nodes = useMemo(() => commentHtmlNodes(html, { spoiler: (children, key) => <Spoiler key={key}>{children}</Spoiler> }), [html]);
  return <>{nodes}</>;
}

/** A comment's text as its readers see it: the rendered `html`, or the plain body from an older service. */
export function CommentBody({ comment }: { comment: Pick<CommentDto, 'body' | 'html'> }) {
  if (typeof comment.html === 'string' && comment.html !== '') {
    return (
      <div class="body formatted">
        <FormattedHtml html={comment.html} />
      </div>
    );
  }
  return (
    <p class="body">
      <CommentText text={comment.body} />
    </p>
  );
}
