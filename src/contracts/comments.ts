import type { Finding, PostHeat, VerdictAction } from './moderation';

export type CommentStatus = 'published' | 'pending' | 'rejected' | 'deleted';
/** `best`: the lower bound of the Wilson interval of reactions (see README, Reactions). */
export type ThreadSort = 'newest' | 'oldest' | 'top' | 'best';
export const REPORT_REASONS = ['spam', 'abuse', 'hate', 'misinformation', 'off-topic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export interface AuthorDto {
  id: string;
  name: string;
  avatar?: string;
  /** Signed in through the host site's SSO rather than a guest. */
  isVerified: boolean;
  /**
   * Short labels shown beside the name: `Moderator` or `Staff` for the site's
   * own people (a moderator answering in the thread), or what the host site's
   * SSO token says (`Subscriber`, `Verified`…). Never on guests. Display as text.
   */
  badges: string[];
}

/** Badges Parley itself gives (the widget translates these; others are shown as written). */
export const BUILT_IN_BADGES = ['Moderator', 'Staff'] as const;
/** At most this many badges per author, each at most `MAX_BADGE_LENGTH` characters. */
export const MAX_BADGES = 3;
export const MAX_BADGE_LENGTH = 24;
/** Comments a post may have featured at once. */
export const MAX_FEATURED_PER_POST = 10;

/**
 * What happened to the reader's own comment when it is not (or no longer)
 * published: `held` (awaiting review), `rejected` (the filter refused it),
 * `removed` (a moderator removed it). Reasons are sentences for the author,
 * never the filter's internals.
 */
export interface AuthorNoticeDto {
  kind: 'held' | 'rejected' | 'removed';
  /** The reasons in English, for clients that do not phrase the codes. */
  reasons: string[];
  /**
   * The same reasons as stable codes, one per sentence of `reasons` (`category.insult`,
   * `spam.link`, `policy.premoderation`, `moderator.off-topic`, `fallback.hold`, …):
   * clients phrase them in their reader's language and fall back to `reasons`.
   */
  reasonCodes: string[];
}

/**
 * A comment as readers, the widget and socket events see it. `body` is the
 * source as written (a small Markdown subset); `html` is what to show.
 * A deleted comment kept for its replies is a tombstone: `status: 'deleted'`,
 * `body: ''`, `author: null`.
 */
export interface CommentDto {
  id: string;
  site: string;
  /** The host's key for the post (`data-post`). */
  post: string;
  parentId: string | null;
  ancestorIds: string[];
  depth: number;
  /** The source as the author wrote it (Markdown subset): for editing and quoting. */
  body: string;
  /**
   * `body` rendered and sanitised: only the elements and attributes of
   * `contracts/formatting.ts`, links with `rel="ugc nofollow noopener"`.
   * Clients still build nodes from it through that allow-list, never `innerHTML`.
   */
  html: string;
  author: AuthorDto | null;
  status: CommentStatus;
  replyCount: number;
  /** Revision number, 1 for the original text, +1 per edit. */
  revision: number;
  createdAt: string;
  editedAt: string | null;
  /** Present only for the comment's own author: until when it may be edited or deleted. */
  editableUntil?: string;
  /** Present only for the comment's own author. */
  isOwn?: boolean;
  /** Positive reactions ("Respect"); downvotes, when a site enables them, only feed ranking. */
  reactions: number;
  /** Whether the identified reader (author token or SSO) reacted; false for anonymous reads. */
  viewerReacted: boolean;
  /** A moderator featured it: the widget pins it in the Featured block. */
  featured: boolean;
  /** Present only for the comment's own author, when it is held or refused. */
  notice?: AuthorNoticeDto;
  /** In thread pages: the first replies, nested. */
  replies?: CommentDto[];
  /** In thread pages: cursor to load the rest of the replies, null when all are shown. */
  repliesCursor?: string | null;
}

export interface PostDto {
  id: string;
  site: string;
  key: string;
  url: string | null;
  title: string | null;
  closed: boolean;
  heat: PostHeat;
  counts: { published: number; pending: number; reported: number };
}

/**
 * A post as readers see it: no heat and no pending or reported counts, which
 * would tell readers (and brigades) how moderation is going. Moderators get
 * the full `PostDto` from `/mod` routes.
 */
export interface PublicPostDto {
  id: string;
  site: string;
  key: string;
  url: string | null;
  title: string | null;
  closed: boolean;
  /**
   * What readers are told about the post's moderation, as a banner: `heated`
   * (slow mode, new voices reviewed first), `lockdown` (everything reviewed
   * first), or null. What they will live anyway, never the numbers behind it.
   */
  banner: PostBanner;
  counts: { published: number };
}

export type PostBanner = 'heated' | 'lockdown' | null;

/** The banner a post of this heat shows its readers. */
export function bannerOf(heat: PostHeat): PostBanner {
  return heat === 'normal' ? null : heat;
}

/**
 * `GET /sites/:site/posts/:post/comments`; with `?featured=true` the post's
 * featured comments (latest featured first, no nested replies, `nextCursor: null`).
 */
export interface ThreadPageDto {
  post: PublicPostDto;
  sort: ThreadSort;
  comments: CommentDto[];
  nextCursor: string | null;
  /** The latest live-event sequence of the post when the page was read: pass as `since` to `post:join`. */
  seq: number;
  /** The site's word for the reaction button ("Respect"); null: the widget's own, in the reader's language. */
  reactionLabel: string | null;
}

/** `GET /comments/:id/replies` */
export interface RepliesPageDto {
  parentId: string;
  comments: CommentDto[];
  nextCursor: string | null;
}

/** `POST /sites/:site/posts/:post/comments` → 201 */
export interface CreatedCommentDto {
  comment: CommentDto;
  /** Returned on a guest's first post: send as `Authorization: Bearer …` later. */
  authorToken?: string;
  /** Explains a `pending` or `rejected` status to the author (reasons phrased for them, as in `comment.notice`). */
  verdict?: { action: VerdictAction; reasons: string[]; reasonCodes: string[] };
}

/** `POST /sites/:site/previews`: a draft rendered as `CommentDto.html` would be. */
export interface CommentPreviewDto {
  html: string;
}

/** `PUT` / `DELETE /comments/:id/reaction` */
export interface ReactionResultDto {
  reacted: boolean;
  reactions: number;
}

/** `GET /sites/:site/counts?posts=a,b` */
export type CountsDto = Record<string, number>;

/** Internal moderation view of a comment (moderator API and `/moderation` events). */
export interface ModerationItemDto {
  comment: CommentDto & { status: CommentStatus };
  verdict: { action: VerdictAction; findings: Finding[]; languages: string[] } | null;
  post: { id: string; key: string; title: string | null; url: string | null; heat: PostHeat; closed: boolean };
  parent: CommentDto | null;
  author: {
    id: string;
    name: string;
    standing: 'active' | 'banned' | 'suspended' | 'premoderated';
    suspendedUntil: string | null;
    isVerified: boolean;
    history: { published: number; rejected: number; pending: number };
  };
  reports: { count: number; reasons: Partial<Record<ReportReason, number>> };
  claim: { moderatorId: string; moderatorName: string; until: string } | null;
  /**
   * Who put a rejected or published comment where it is, when, and why: a
   * moderator (with reason code and note) or the system (the pipeline's verdict).
   * Null while it waits for a decision.
   */
  decision: {
    kind: 'moderator' | 'system';
    moderatorId: string | null;
    moderatorName: string | null;
    at: string;
    reason: string | null;
    note: string | null;
  } | null;
  /** When the comment entered its current queue. */
  queuedAt: string;
}

/** Reason codes of author notices (`AuthorNoticeDto.reasonCodes`): the service gives them, clients phrase them. */
export const AUTHOR_REASON_CODES = [
  'category.profanity',
  'category.slur',
  'category.insult',
  'category.dehumanising',
  'category.violence',
  'category.threat',
  'category.self-harm',
  'category.spam',
  'category.promotion',
  'category.evasion',
  'category.brigading',
  'category.history',
  'category.external',
  'words.banned',
  'words.suspect',
  'spam.link',
  'spam.shouting',
  'spam.repeated',
  'spam.contact',
  'spam',
  'flood.repeat',
  'flood',
  'author.premoderated',
  'policy.premoderation',
  'policy.lockdown',
  'policy.heated',
  'hostile',
  'fallback.hold',
  'fallback.reject',
  'moderator.spam',
  'moderator.abuse',
  'moderator.hate',
  'moderator.off-topic',
  'moderator.misinformation',
  'moderator.personal-info',
  'moderator.other',
  'moderator.rechecking',
] as const;

export type AuthorReasonCode = (typeof AUTHOR_REASON_CODES)[number];
