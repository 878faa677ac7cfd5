import type { CommentStatus, ReportReason, ThreadSort } from '../contracts/comments';
import type { Finding, PostHeat, PremoderationMode, VerdictAction } from '../contracts/moderation';
import type { ProblemCode } from '../contracts/problem-codes';
import type { AuthorRecord } from '../identity';
import type { SiteRecord } from '../sites';

export interface PostCounts {
  published: number;
  pending: number;
  /** Published comments with open reports (the reported queue). */
  reported: number;
}

/** One article's thread. */
export interface PostRecord {
  id: string;
  site: string;
  key: string;
  url: string | null;
  title: string | null;
  closed: boolean;
  heat: PostHeat;
  /** Per-post override of the site's pre-moderation; null follows the site. */
  premoderation: PremoderationMode | null;
  counts: PostCounts;
  /** Sequence number of the post's latest live event. */
  eventSeq: number;
  /** Moves whenever what readers see of the thread changes: the key of cached pages. */
  pageVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What the pipeline decided about one revision. */
export interface StoredVerdict {
  action: VerdictAction;
  findings: Finding[];
  /** BCP 47 codes; absent on verdicts stored before languages were detected. */
  languages?: string[] | undefined;
  revision: number;
  at: Date;
}

/** A replaced revision kept for moderators. */
export interface CommentRevision {
  revision: number;
  body: string;
  /** When this revision was written. */
  writtenAt: Date;
  verdict: StoredVerdict | null;
}

/** Who changed a comment's status. */
export type StatusActor =
  | {
      kind: 'moderator';
      id: string;
      /** The moderator's name and their reject reason code and note, kept with the decision. */
      name?: string | undefined;
      reason?: string | undefined;
      note?: string | null | undefined;
    }
  | { kind: 'system' }
  | { kind: 'author'; id: string };

/** The internal comment, as the moderation port hands it out. */
export interface CommentRecord {
  id: string;
  site: string;
  /** The host's post key. */
  post: string;
  postId: string;
  parentId: string | null;
  ancestorIds: string[];
  depth: number;
  authorId: string;
  /** The source as the author wrote it (Markdown subset). */
  body: string;
  /** `body` rendered to the allow-listed HTML readers see (contracts/formatting.ts). */
  html: string;
  status: CommentStatus;
  revision: number;
  verdict: StoredVerdict | null;
  history: CommentRevision[];
  /** Direct replies readers see: published ones, and tombstones that still have replies. */
  replyCount: number;
  reportCount: number;
  reportReasons: Partial<Record<ReportReason, number>>;
  /** In the reported queue: reported while published, not dismissed since. */
  hasOpenReports: boolean;
  /** Positive and (where a site enables them) negative reactions, counted by diff. */
  reactions: { up: number; down: number };
  /** When a moderator featured it; null when it is not featured. */
  featuredAt: Date | null;
  firstReportedAt: Date | null;
  lastReportedAt: Date | null;
  createdAt: Date;
  editedAt: Date | null;
  statusChangedAt: Date;
  statusChangedBy: StatusActor | null;
  deletedAt: Date | null;
}

/**
 * What the comment service asks the moderation pipeline about a new or edited
 * comment. The composition root supplies the `screen` function.
 */
export interface ScreeningDraft {
  site: SiteRecord;
  post: PostRecord;
  author: AuthorRecord;
  /** The body as it will be stored (trimmed, NFC, control characters stripped). */
  text: string;
  isEdit: boolean;
  /** Set for edits. */
  commentId?: string | undefined;
  /** The comment this one replies to. */
  parentId?: string | null | undefined;
  /** The author was nudged about this text and posts it anyway. */
  confirmNudge?: boolean | undefined;
  /**
   * The author identity was created by this very request (a guest's first comment): it has
   * no earlier comments, history or nudges, so nothing need be read about them.
   */
  isNewAuthor?: boolean | undefined;
}

export interface ScreeningResult {
  action: VerdictAction;
  findings: Finding[];
  /** BCP 47 codes of the comment's languages. */
  languages: string[];
  /** The comment is not stored; the client gets this error. */
  refusal?: { code: ProblemCode; message: string; context?: Record<string, unknown> | undefined } | undefined;
}

export type ScreenComment = (draft: ScreeningDraft) => Promise<ScreeningResult>;

/**
 * Told after every change the moderation side may care about (a comment
 * entering or leaving a queue). Errors thrown here are logged, never returned
 * to the client.
 */
export type CommentChange =
  | {
      kind: 'created';
      comment: CommentRecord;
      /** The post and the author as the posting request held them (before this comment's counts), so listeners need not read them again. */
      post?: PostRecord | undefined;
      author?: AuthorRecord | undefined;
    }
  | { kind: 'edited'; comment: CommentRecord; previousStatus: CommentStatus }
  | { kind: 'status-changed'; comment: CommentRecord; previousStatus: CommentStatus; by: StatusActor }
  | { kind: 'deleted'; comment: CommentRecord; previousStatus: CommentStatus }
  | { kind: 'reported'; comment: CommentRecord; reason: ReportReason; isFirstOpenReport: boolean }
  | { kind: 'reports-dismissed'; comment: CommentRecord }
  | { kind: 'featured'; comment: CommentRecord; featured: boolean; by: StatusActor };

export type CommentChangeListener = (change: CommentChange) => void | Promise<void>;

/** A post's state before and after a moderator (or automatic heat) changed it. */
export interface PostChange {
  post: PostRecord;
  previous: PostRecord;
}

export type PostChangeListener = (change: PostChange) => void | Promise<void>;

/** Filter for moderation queues (`listComments`). */
export interface CommentListFilter {
  statuses?: readonly CommentStatus[] | undefined;
  /** Limit to these sites (a moderator's scope); undefined: every site. */
  sites?: readonly string[] | undefined;
  postId?: string | undefined;
  authorId?: string | undefined;
  /** Case-insensitive substring of the body (regex-escaped). */
  keyword?: string | undefined;
  /** With `keyword`: comments by these authors match too (a search by author name). */
  keywordAuthorIds?: readonly string[] | undefined;
  /** Only comments whose verdict detected one of these languages. */
  languages?: readonly string[] | undefined;
  /** Only comments with open reports. */
  isReported?: boolean | undefined;
  /** Keyset order field: `createdAt` (default), `statusChangedAt` (entered the queue) or `firstReportedAt`. */
  orderBy?: 'createdAt' | 'statusChangedAt' | 'firstReportedAt' | undefined;
  /** Oldest first (default) or newest first. */
  direction?: 'oldest' | 'newest' | undefined;
  cursor?: string | undefined;
  /** 1–100, default 20. */
  limit?: number | undefined;
}

export interface CommentListPage {
  items: CommentRecord[];
  nextCursor: string | null;
}

export type { ThreadSort };
