import type { AuthorStanding, Finding, ModerationSettings, PostHeat, VerdictAction } from '../contracts/moderation';
import type { ProblemCode } from '../contracts/problem-codes';

/**
 * Everything a phase may look at, gathered before the pipeline runs so that
 * phases stay pure functions (no I/O, no clock of their own).
 */
export interface ScreeningContext {
  /** The body as it will be stored: trimmed, NFC-normalised, control characters stripped. */
  text: string;
  isEdit: boolean;
  now: Date;
  site: { id: string; settings: ModerationSettings };
  post: {
    closed: boolean;
    heat: PostHeat;
    /** Per-post override of the site's pre-moderation. */
    premoderation?: 'none' | 'all' | 'new-authors' | undefined;
  };
  author: {
    standing: AuthorStanding;
    suspendedUntil?: Date | undefined;
    /** Approved (published) comments of this author on this site. */
    approvedCount: number;
    /** A host-site SSO user rather than a guest. */
    isVerified: boolean;
  };
  recent: {
    /** When this author last posted on this site (not counting an edit's own comment). */
    lastPostedAt?: Date | undefined;
    /** The author's recent bodies on this site (newest first, a handful). */
    recentBodies: string[];
  };
}

/**
 * A refusal: the comment is not stored at all and the client gets this error
 * (empty, too long, closed post, banned author, slow mode).
 */
export interface Refusal {
  code: ProblemCode;
  message: string;
  context?: Record<string, unknown>;
}

export interface PhaseResult {
  /** Omitted: the phase only records findings. */
  action?: Exclude<VerdictAction, 'publish'>;
  findings: Finding[];
  refusal?: Refusal;
}

/** One step of the pipeline. Returns nothing when it has nothing to say. */
export type Phase = (context: ScreeningContext) => PhaseResult | undefined;

export interface ScreeningOutcome {
  action: VerdictAction;
  findings: Finding[];
  /** Set when the comment must be refused instead of stored. */
  refusal?: Refusal;
}
