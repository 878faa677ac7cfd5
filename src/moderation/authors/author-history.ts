import type { CommentRecord } from '../../comments';
import type { AuthorHistorySummary } from '../pipeline-types';
import type { CommentsPort } from '../moderation.ports';

/** How many of an author's comments in the window are looked at, at most. */
export const HISTORY_SCAN_LIMIT = 500;
const PAGE = 100;

/** What became of comments written in the window: published, held by the pipeline, rejected. */
export function summariseHistory(comments: readonly CommentRecord[], windowDays: number): AuthorHistorySummary {
  const counted = comments.filter((comment) => comment.status !== 'deleted');
  return {
    windowDays,
    total: counted.length,
    published: counted.filter((comment) => comment.status === 'published').length,
    held: counted.filter((comment) => comment.verdict?.action === 'hold').length,
    rejected: counted.filter((comment) => comment.status === 'rejected').length,
  };
}

/** The author's comments on a site since `now - windowDays`, newest first (at most HISTORY_SCAN_LIMIT). */
export async function loadRecentComments(
  comments: Pick<CommentsPort, 'listComments'>,
  input: { authorId: string; site: string; now: Date; windowDays: number },
): Promise<CommentRecord[]> {
  const since = input.now.getTime() - input.windowDays * 24 * 60 * 60 * 1000;
  const found: CommentRecord[] = [];
  let cursor: string | undefined;
  while (found.length < HISTORY_SCAN_LIMIT) {
    const page = await comments.listComments({
      authorId: input.authorId,
      sites: [input.site],
      orderBy: 'createdAt',
      direction: 'newest',
      limit: PAGE,
      cursor,
    });
    for (const comment of page.items) {
      if (comment.createdAt.getTime() < since) return found;
      found.push(comment);
    }
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return found;
}
