import type { CommentRecord, ScreeningDraft, ScreeningResult, ScreenComment } from '../comments';
import type { ScreeningContext, ScreeningOutcome } from './pipeline-types';
import type { Clock } from '../shared/clock';
import type { CommentsPort } from './moderation.ports';

/** How many of an author's latest comments the flood phase compares against. */
const RECENT_COMMENTS = 5;

/** The pure part: a draft plus the author's recent comments → the pipeline's context. */
export function buildScreeningContext(draft: ScreeningDraft, recent: CommentRecord[], now: Date): ScreeningContext {
  const others = recent.filter((comment) => comment.id !== draft.commentId);
  return {
    text: draft.text,
    isEdit: draft.isEdit,
    now,
    site: { id: draft.site.id, settings: draft.site.settings },
    post: {
      closed: draft.post.closed,
      heat: draft.post.heat,
      premoderation: draft.post.premoderation ?? undefined,
    },
    author: {
      standing: draft.author.standing,
      suspendedUntil: draft.author.suspendedUntil ?? undefined,
      approvedCount: draft.author.counts.published,
      isVerified: draft.author.kind === 'sso',
    },
    recent: {
      lastPostedAt: others[0]?.createdAt,
      recentBodies: others.map((comment) => comment.body),
    },
  };
}

/**
 * The `screen(draft)` the composition root hands the comment service: gathers
 * what the phases need, then runs the pure pipeline.
 */
export function createScreen(deps: {
  comments: Pick<CommentsPort, 'listRecentByAuthor'>;
  runPipeline: (context: ScreeningContext) => ScreeningOutcome;
  clock: Clock;
}): ScreenComment {
  return async (draft): Promise<ScreeningResult> => {
    const recent = await deps.comments.listRecentByAuthor(draft.author.id, draft.site.id, RECENT_COMMENTS + 1);
    const outcome = deps.runPipeline(buildScreeningContext(draft, recent, deps.clock.now()));
    return outcome.refusal
      ? { action: outcome.action, findings: outcome.findings, refusal: outcome.refusal }
      : { action: outcome.action, findings: outcome.findings };
  };
}
