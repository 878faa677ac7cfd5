import type { ModerationItemDto, PostDto, ReportReason } from './comments';
import type { AuthorStanding, Finding, ModerationSettings, PostHeat, Verdict } from './moderation';
import type { QueueName, StatsDto } from './socket-events';

export type ModeratorRole = 'admin' | 'moderator';

export interface ModeratorDto {
  id: string;
  email: string;
  name: string;
  role: ModeratorRole;
  /** Site ids this moderator may moderate; admins may moderate every site. */
  sites: string[];
}

/** `POST /mod/sessions` → 201 */
export interface SessionDto {
  token: string;
  /** Send back as `X-CSRF-Token` on unsafe requests authenticated by the cookie. */
  csrfToken: string;
  expiresAt: string;
  moderator: ModeratorDto;
}

export interface SiteDto {
  id: string;
  name: string;
  origins: string[];
  hasSsoSecret: boolean;
  settings: ModerationSettings;
  createdAt: string;
}

/** `GET /mod/queue?queue=&site=&post=&q=&cursor=&limit=` */
export interface QueuePageDto {
  queue: QueueName;
  items: ModerationItemDto[];
  nextCursor: string | null;
  /** Depth of every queue for the same filters. */
  counts: Record<QueueName, number>;
}

export const REJECT_REASONS = ['spam', 'abuse', 'hate', 'off-topic', 'misinformation', 'personal-info', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** `POST /mod/comments/:id/approve` body: the revision the moderator saw (409 REVISION_CONFLICT if edited since). */
export interface ApproveBody {
  revision: number;
  /** Act although another moderator claimed the comment (else 409 CLAIMED_BY_OTHER). */
  force?: boolean;
}
/** `POST /mod/comments/:id/reject` body. */
export interface RejectBody {
  revision?: number;
  reason: RejectReason;
  note?: string;
  force?: boolean;
}
/** `POST /mod/comments/bulk` body → `{ results: [{ id, ok, code? }] }` */
export interface BulkBody {
  action: 'approve' | 'reject';
  ids: string[];
  reason?: RejectReason;
  note?: string;
  force?: boolean;
}
export interface BulkResultDto {
  results: { id: string; ok: boolean; code?: string }[];
}

/** `POST /mod/authors/:id/suspend` body; ban/premoderate/reinstate take `{ note? }`. */
export interface SuspendBody {
  until: string;
  note?: string;
  /** Also reject the author's pending and published comments on the site, in the same action. */
  rejectComments?: boolean;
  /** The reason recorded on each comment rejected with `rejectComments` (default `other`). */
  reason?: RejectReason;
}

/** `POST /mod/authors/:id/ban` body: all optional; `{ note? }` alone still works. */
export interface BanBody {
  note?: string;
  /** Also reject the author's pending and published comments on the site, in the same action. */
  rejectComments?: boolean;
  /** The reason recorded on each comment rejected with `rejectComments` (default `other`). */
  reason?: RejectReason;
}

/** `POST /mod/authors/:id/{ban|suspend|premoderate|reinstate}` answer. */
export interface AuthorActionResultDto {
  author: {
    id: string;
    site: string;
    name: string;
    standing: AuthorStanding;
    suspendedUntil: string | null;
    history: { published: number; pending: number; rejected: number };
  };
  /** Comments rejected by `rejectComments` (0 without it). */
  rejected: { count: number; ids: string[] };
  /**
   * A guest's ban or suspension also refuses new guests from the clients they posted
   * from (GUEST_BAN_CLIENT_HOURS): how many clients, until when (null: none held).
   */
  clients: { held: number; until: string | null };
}

/** `PATCH /mod/posts/:id` body (id is the post's id from PostDto / ModerationItemDto.post.id). */
export interface PostPatchBody {
  heat?: PostHeat;
  closed?: boolean;
  premoderation?: 'none' | 'all' | 'new-authors' | null;
}

/** `GET /mod/posts?site=&sort=hot` */
export interface HotPostDto extends PostDto {
  commentsLastHour: number;
  holdsLastDay: number;
  reportsLastDay: number;
}

/** `POST /mod/sites/:id/try` `{ text, post? }` → the verdict, nothing stored. */
export interface TryResultDto extends Verdict {
  refusal?: { code: string; message: string };
  findings: Finding[];
}

export interface AuditEntryDto {
  id: string;
  at: string;
  /** `moderator` for people, `system` for the pipeline and automatic heat. */
  actor: { kind: 'moderator'; id: string; name: string } | { kind: 'system' };
  action: string;
  site: string;
  commentId: string | null;
  authorId: string | null;
  postId: string | null;
  revision: number | null;
  reason: string | null;
  note: string | null;
  detail: Record<string, unknown>;
  /** Context for people reading the log: the author's name, the comment's first words, the post. */
  authorName?: string | null;
  commentExcerpt?: string | null;
  post?: { id: string; key: string; title: string | null; url: string | null } | null;
}

/** `GET /mod/audit?site=&moderator=&author=&comment=&before=&after=&cursor=` */
export interface AuditPageDto {
  entries: AuditEntryDto[];
  nextCursor: string | null;
}

/** `GET /mod/stats?site=` */
export type StatsResponseDto = StatsDto;

export type { ReportReason };

/** `GET /mod/system`: what moderators must know about this installation. */
export interface SystemDto {
  database: {
    /** `mongodb`: MONGODB_URI; `memory-server`: an embedded mongod; `emulator`: the built-in emulator. */
    engine: 'mongodb' | 'memory-server' | 'emulator';
    /** Whether data survives a restart of the service; the panel warns when it does not. */
    durable: boolean;
  };
  /** GDPR erasures: hours between a request and the erasure (0: at once). */
  privacy: { deletionGraceHours: number };
}
