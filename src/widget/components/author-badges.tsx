import type { AuthorDto } from '../../contracts/comments';
import type { WidgetMessageKey } from '../i18n';
import { useWidget } from './widget-context';

/** Parley's own badges, in the reader's language; a host site's SSO badges are shown as written. */
const BUILT_IN_LABELS: Readonly<Record<string, WidgetMessageKey>> = {
  Moderator: 'comment.badge.moderator',
  Staff: 'comment.badge.staff',
};

/** A moderator answering as the site's staff: their badge says more than "Verified". */
export function isStaff(author: AuthorDto): boolean {
  return (author.badges ?? []).some((badge) => badge in BUILT_IN_LABELS);
}

/** The author's badges as chips beside the name (text only: a badge never carries markup). */
export function AuthorBadges({ author }: { author: AuthorDto | null }) {
  const { t } = useWidget();
  const badges = author?.badges ?? [];
  if (badges.length === 0) return null;
  return (
    <>
      {badges.map((badge) => {
        const key = BUILT_IN_LABELS[badge];
        return (
          <span key={badge} class={key ? 'author-badge is-staff' : 'author-badge'} data-badge={badge}>
            {key ? t(key) : badge}
          </span>
        );
      })}
    </>
  );
}
