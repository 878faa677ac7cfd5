import type { AuthorStanding, Finding, ModerationSettings, PostHeat, VerdictAction } from '../contracts/moderation';
import type { ProblemCode } from '../contracts/problem-codes';
import type { ReaderText } from '../formatting';
import type { PlainTextReading } from './pipeline/plain-text';

/**
 * Everything a phase may look at, gathered before the pipeline runs so that
 * phases stay pure functions (no I/O, no clock of their own).
 */
export interface ScreeningContext {
  /** The body as it will be stored: trimmed, NFC-normalised, control characters stripped. */
  text: string;
  /**
   * The body as readers will read it once rendered (its text, then hidden link
   * targets), with a way back to `text` offsets. Phases that judge content
   * read it through `onReaderText`; the screener fills it in when absent.
   */
  reader?: ReaderText | undefined;
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
  /**
   * The quick reading of a plain text (see `pipeline/plain-text.ts`): set by
   * the screener when it proved the content phases have nothing to find, so
   * that only the phases that still may are run.
   */
  plain?: PlainTextReading | undefined;
  /** What the site's external classifiers said; absent when none was asked. */
  external?: ExternalOpinion[] | undefined;
  /** The author's recent decisions on this site (the history phase); absent when not gathered. */
  history?: AuthorHistorySummary | undefined;
  /** Near-duplicates and first-time authors around this comment (the brigading phase). */
  brigading?: BrigadingSignals | undefined;
}

/** One classifier's answer, already checked (signature, shape), or why there is none. */
export type ExternalOpinion =
  | { source: string; kind: 'classifier'; answer: ClassifierAnswer }
  | { source: 'perspective'; kind: 'perspective'; attribute: string; score: number; threshold: number; spans: PerspectiveSpan[] }
  | { source: string; kind: 'no-opinion' }
  | { source: string; kind: 'failed'; failMode: 'open' | 'closed'; reason: string };

/** The classifier contract's `200` body (README, "External classifiers"). */
export interface ClassifierAnswer {
  action?: VerdictAction | undefined;
  findings: {
    rule: string;
    detail: string;
    category?: string | undefined;
    span?: [number, number] | undefined;
    score?: number | undefined;
  }[];
}

/** A Perspective span score, in UTF-16 offsets of the comment body. */
export interface PerspectiveSpan {
  span: [number, number];
  score: number;
}

/** An author's comments on a site over the last days, by what became of them. */
export interface AuthorHistorySummary {
  windowDays: number;
  total: number;
  published: number;
  held: number;
  rejected: number;
}

export interface BrigadingSignals {
  /** Recent near-duplicates of this text by other authors (one per author). */
  nearDuplicates: { commentId: string; authorId: string; postId: string }[];
  /** First-time authors who commented on this post within the window (this one not included). */
  firstTimeAuthorsOnPost: number;
  /** This comment is its author's first on the site. */
  isFirstTimeAuthor: boolean;
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
  /** The comment's languages (BCP 47), from the phase that detects them. */
  languages?: string[];
}

/** One step of the pipeline. Returns nothing when it has nothing to say. */
export type Phase = (context: ScreeningContext) => PhaseResult | undefined;

export interface ScreeningOutcome {
  action: VerdictAction;
  findings: Finding[];
  /** BCP 47 codes of the comment's languages, most used first. */
  languages: string[];
  /** Set when the comment must be refused instead of stored. */
  refusal?: Refusal;
}
