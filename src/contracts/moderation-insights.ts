/**
 * Wire types of what moderators read about brigades and authors:
 * `GET /mod/clusters`, `POST /mod/clusters/:id/reject`, `GET /mod/authors/:id`,
 * `POST /mod/authors/:id/notes`, `PATCH /mod/authors/:id/notes/:noteId`.
 */
import type { CommentStatus } from './comments';

/** How a cluster was found: nearly the same text from different authors, or a burst of first-time authors on one post. */
export type ClusterKind = 'near-duplicate' | 'first-time-burst';

/** A brigading cluster as `POST /mod/clusters/:id/reject` answers it. */
export interface ClusterDto {
  id: string;
  kind: ClusterKind;
  site: string;
  postIds: string[];
  /** Number of comments. */
  size: number;
  /** The shared text, as the comment that made the cluster said it (at most 500 characters). */
  sample: string;
  commentIds: string[];
  status: 'open' | 'rejected';
  createdAt: string;
  updatedAt: string;
}

/** One comment of a cluster, as the panel lists it when the cluster is opened. */
export interface ClusterCommentDto {
  id: string;
  body: string;
  status: CommentStatus;
  createdAt: string;
  postId: string;
  author: { id: string; name: string };
}

/** A post a cluster's comments were written under. */
export interface ClusterPostDto {
  id: string;
  key: string;
  title: string | null;
  url: string | null;
}

/** `GET /mod/clusters` item: the cluster and what a moderator needs to judge it. */
export interface ClusterDetailDto extends ClusterDto {
  /** Distinct authors among the comments. */
  authorCount: number;
  /** Comments still published or awaiting review (what rejecting the cluster would act on). */
  openCount: number;
  /** The first and the last comment's time: the window the brigade wrote in. */
  firstAt: string;
  lastAt: string;
  posts: ClusterPostDto[];
  /** Oldest first. */
  comments: ClusterCommentDto[];
}

/** `GET /mod/clusters` */
export interface ClusterListDto {
  clusters: ClusterDetailDto[];
}

/** `POST /mod/clusters/:id/reject` */
export interface ClusterRejectionDto {
  cluster: ClusterDto;
  results: { id: string; ok: boolean; code?: string }[];
}

/** A moderator's private note on an author. */
export interface AuthorNoteDto {
  id: string;
  text: string;
  at: string;
  moderator: { id: string; name: string };
  /** Set once the note was edited. */
  editedAt?: string;
}

/** `GET /mod/authors/:id` */
export interface AuthorHistoryDto {
  author: {
    id: string;
    site: string;
    name: string;
    standing: string;
    suspendedUntil: string | null;
    isVerified: boolean;
    /** All-time comments by status. */
    counts: { published: number; pending: number; rejected: number };
  };
  /** The last `windowDays` days: comments by outcome (`held`: the filter held them, whatever came next). */
  history: {
    windowDays: number;
    total: number;
    published: number;
    held: number;
    rejected: number;
    lastRejection: {
      at: string;
      by: 'moderator' | 'pipeline';
      reason: string | null;
      note: string | null;
      commentId: string | null;
    } | null;
  };
  /** Newest first. */
  notes: AuthorNoteDto[];
}
