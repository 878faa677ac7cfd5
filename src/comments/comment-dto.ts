import { bannerOf, type AuthorDto, type CommentDto, type PostDto, type PublicPostDto } from '../contracts/comments';
import type { AuthorRecord } from '../identity';
import { authorNoticeOf } from './author-notice';
import type { CommentRecord, PostRecord } from './comment.types';

export interface CommentDtoOptions {
  /** The comment's author, when known (omitted for tombstones anyway). */
  author: AuthorRecord | undefined;
  /** The reader's author id: their own comments carry `isOwn` and `editableUntil`. */
  viewerAuthorId?: string | undefined;
  /** The site's edit window. */
  editWindowSeconds: number;
  /** The identified reader reacted to this comment. */
  viewerReacted?: boolean | undefined;
}

export function toAuthorDto(author: AuthorRecord): AuthorDto {
  // Staff (a moderator answering in the thread) is vouched for by Parley itself, SSO users by the host site.
  const dto: AuthorDto = { id: author.id, name: author.name, isVerified: author.kind !== 'guest', badges: author.kind === 'guest' ? [] : [...author.badges] };
  if (author.avatar) dto.avatar = author.avatar;
  return dto;
}

/**
 * A deleted comment kept for its replies, or a removed (rejected) one whose
 * replies stay readable: no body, no author, except for its own author.
 */
export function isTombstone(comment: CommentRecord, viewerAuthorId?: string): boolean {
  if (comment.status === 'deleted') return true;
  return comment.status === 'rejected' && viewerAuthorId !== comment.authorId;
}

/** The one mapping from a stored comment to what readers, the widget and socket events see. */
export function toCommentDto(comment: CommentRecord, options: CommentDtoOptions): CommentDto {
  const tombstone = isTombstone(comment, options.viewerAuthorId);
  const dto: CommentDto = {
    id: comment.id,
    site: comment.site,
    post: comment.post,
    parentId: comment.parentId,
    ancestorIds: [...comment.ancestorIds],
    depth: comment.depth,
    body: tombstone ? '' : comment.body,
    html: tombstone ? '' : comment.html,
    author: tombstone || !options.author ? null : toAuthorDto(options.author),
    status: comment.status,
    replyCount: comment.replyCount,
    revision: comment.revision,
    createdAt: comment.createdAt.toISOString(),
    editedAt: comment.editedAt ? comment.editedAt.toISOString() : null,
    reactions: tombstone ? 0 : comment.reactions.up,
    viewerReacted: !tombstone && options.viewerReacted === true,
    featured: !tombstone && comment.status === 'published' && comment.featuredAt !== null,
  };
  if (!tombstone && options.viewerAuthorId !== undefined && options.viewerAuthorId === comment.authorId) {
    dto.isOwn = true;
    dto.editableUntil = new Date(comment.createdAt.getTime() + options.editWindowSeconds * 1000).toISOString();
    const notice = authorNoticeOf(comment);
    if (notice) dto.notice = notice;
  }
  return dto;
}

export function toPostDto(post: PostRecord): PostDto {
  return {
    id: post.id,
    site: post.site,
    key: post.key,
    url: post.url,
    title: post.title,
    closed: post.closed,
    heat: post.heat,
    counts: { ...post.counts },
  };
}

/** What readers see of a post (see PublicPostDto). */
export function toPublicPostDto(post: PostRecord): PublicPostDto {
  return {
    id: post.id,
    site: post.site,
    key: post.key,
    url: post.url,
    title: post.title,
    closed: post.closed,
    banner: bannerOf(post.heat),
    counts: { published: post.counts.published },
  };
}
