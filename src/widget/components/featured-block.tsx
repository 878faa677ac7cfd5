import type { CommentDto } from '../../contracts/comments';
import { AuthorBadges } from './author-badges';
import { useWidget } from './widget-context';

/** How much of a featured comment the block shows; the whole text is one click away in the thread. */
const EXCERPT_LENGTH = 220;

function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_LENGTH) return flat;
  // Never cut a surrogate pair in half (emoji, rare scripts).
  return `${Array.from(flat).slice(0, EXCERPT_LENGTH).join('').trimEnd()}…`;
}

/** The post's featured comments, pinned above the thread; each opens the thread at that comment. */
export function FeaturedBlock({ comments, onOpen }: { comments: readonly CommentDto[]; onOpen: (id: string) => void }) {
  const { t } = useWidget();
  return (
    <section class="featured" aria-labelledby="parley-featured-title" data-featured-block>
      <h3 class="featured-title" id="parley-featured-title">
        {t('featured.title')}
      </h3>
      <ul class="featured-list">
        {comments.map((comment) => (
          <li key={comment.id} class="featured-item" data-featured-id={comment.id}>
            <button type="button" class="featured-open" onClick={() => onOpen(comment.id)} aria-describedby={`parley-featured-${comment.id}`}>
              <span class="author">{comment.author?.name ?? t('comment.guest')}</span>
              <AuthorBadges author={comment.author} />
              <span class="featured-excerpt" id={`parley-featured-${comment.id}`}>
                {excerptOf(comment.body)}
              </span>
              <span class="featured-link">{t('featured.showInThread')}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
