import type { CommentRecord, ScreeningDraft, ScreeningResult, ScreenComment } from '../comments';
import { NUDGE_CATEGORIES, type Finding } from '../contracts/moderation';
import type {
  AuthorHistorySummary,
  BrigadingSignals,
  ExternalOpinion,
  ScreeningContext,
  ScreeningOutcome,
} from './pipeline-types';
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

/** Gathers what the asynchronous phases need (DB reads, classifier calls) for one draft. */
export interface ScreeningGatherers {
  /** The author's recent decisions (history phase). */
  history?: ((draft: ScreeningDraft, now: Date) => Promise<AuthorHistorySummary | undefined>) | undefined;
  /** Near-duplicates and first-time authors (brigading phase). */
  brigading?: ((draft: ScreeningDraft, now: Date) => Promise<BrigadingSignals | undefined>) | undefined;
  /** The site's external classifiers (external phase); only asked when a site configures one. */
  external?: ((draft: ScreeningDraft, languages: string[]) => Promise<ExternalOpinion[]>) | undefined;
}

/** Told when a comment is nudged, and what the author did next. */
export interface NudgeRecorder {
  nudged(draft: ScreeningDraft, now: Date): Promise<void>;
  /** The author's next comment on the post after a nudge: published as revised, or held after "post anyway". */
  followedUp(draft: ScreeningDraft, outcome: 'revised' | 'posted-anyway', now: Date): Promise<void>;
}

/** Hostile findings that would hold the comment: what the author is shown before posting. */
export function nudgeFindings(outcome: ScreeningOutcome): Finding[] {
  if (outcome.action !== 'hold' || outcome.refusal) return [];
  return outcome.findings.filter(
    (finding) => finding.action === 'hold' && finding.category !== undefined && NUDGE_CATEGORIES.includes(finding.category),
  );
}

/**
 * The `screen(draft)` the composition root hands the comment service: gathers
 * what the phases need, then runs the pure pipeline. Classifiers are only
 * asked once the local phases did not refuse the comment; a new comment that
 * would be held for hostility is refused once with COMMENT_NUDGED so its
 * author can reconsider.
 */
export function createScreen(deps: {
  comments: Pick<CommentsPort, 'listRecentByAuthor'>;
  runPipeline: (context: ScreeningContext) => ScreeningOutcome;
  clock: Clock;
  gather?: ScreeningGatherers | undefined;
  nudges?: NudgeRecorder | undefined;
}): ScreenComment {
  const gather = deps.gather ?? {};
  return async (draft): Promise<ScreeningResult> => {
    const now = deps.clock.now();
    const isNewAuthor = draft.isNewAuthor === true;
    const [recent, history, brigading] = await Promise.all([
      isNewAuthor ? [] : deps.comments.listRecentByAuthor(draft.author.id, draft.site.id, RECENT_COMMENTS + 1),
      gather.history?.(draft, now),
      gather.brigading?.(draft, now),
    ]);
    const context: ScreeningContext = { ...buildScreeningContext(draft, recent, now), history, brigading };
    let outcome = deps.runPipeline(context);
    if (!outcome.refusal && gather.external) {
      const external = await gather.external(draft, outcome.languages);
      if (external.length > 0) outcome = deps.runPipeline({ ...context, external });
    }
    if (outcome.refusal)
      return { action: outcome.action, findings: outcome.findings, languages: outcome.languages, refusal: outcome.refusal };
    if (!draft.isEdit && deps.nudges) {
      const hostile = nudgeFindings(outcome);
      if (hostile.length > 0 && draft.confirmNudge !== true) {
        await deps.nudges.nudged(draft, now);
        return {
          action: outcome.action,
          findings: outcome.findings,
          languages: outcome.languages,
          refusal: {
            code: 'COMMENT_NUDGED',
            message: 'This comment would be held for review. Edit it, or send it again with confirmNudge to post it anyway.',
            context: { findings: hostile.map((finding) => withExcerpt(finding, draft.text)) },
          },
        };
      }
      // An author made by this request was never nudged: there is nothing to follow up.
      if (isNewAuthor) return { action: outcome.action, findings: outcome.findings, languages: outcome.languages };
      if (outcome.action === 'publish') await deps.nudges.followedUp(draft, 'revised', now);
      else if (hostile.length > 0) await deps.nudges.followedUp(draft, 'posted-anyway', now);
    }
    return { action: outcome.action, findings: outcome.findings, languages: outcome.languages };
  };
}

/** A nudge quotes what was found, so the widget can say "This reads as a personal attack: '…'". */
function withExcerpt(finding: Finding, text: string): Finding & { excerpt?: string } {
  if (!finding.span) return finding;
  return { ...finding, excerpt: text.slice(finding.span[0], finding.span[1]) };
}
