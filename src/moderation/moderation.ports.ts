import type { CommentDto, PostDto } from '../contracts/comments';
import type { PostHeat, PremoderationMode } from '../contracts/moderation';
import type { CommentListFilter, CommentListPage, CommentRecord, PostCounts, PostRecord, StatusActor } from '../comments';
import type { AuthorRecord } from '../identity';
import type { CommentStatus } from '../contracts/comments';

/**
 * What moderation needs from the comments component. The composition root
 * hands these over; moderation never touches comment storage itself.
 */
export interface CommentsPort {
  getComment(id: string): Promise<CommentRecord | undefined>;
  getComments(ids: string[]): Promise<Map<string, CommentRecord>>;
  setCommentStatus(
    id: string,
    change: { to: CommentStatus; expectedRevision?: number | undefined; by: StatusActor },
  ): Promise<CommentRecord>;
  dismissReports(id: string): Promise<CommentRecord>;
  /** Features or unfeatures a comment (COMMENT_NOT_FEATURABLE, FEATURED_LIMIT_REACHED); `isChanged` false when it already was so. */
  setFeatured(id: string, change: { featured: boolean; by: StatusActor }): Promise<{ comment: CommentRecord; isChanged: boolean }>;
  /** A published reply by the site's staff author, not screened (PARENT_NOT_REPLYABLE, POST_CLOSED, COMMENT_EMPTY, COMMENT_TOO_LONG). */
  createStaffReply(input: { parentId: string; body: string; author: AuthorRecord; by: StatusActor }): Promise<CommentRecord>;
  /** Comments as readers see them, authors (and their badges) loaded. */
  renderComments(records: readonly CommentRecord[]): Promise<CommentDto[]>;
  listComments(filter: CommentListFilter): Promise<CommentListPage>;
  /** Weight of the distinct readers who reported these comments (signed-in 1, anonymous ½). */
  weighReporters(commentIds: readonly string[]): Promise<number>;
  countComments(filter: CommentListFilter): Promise<number>;
  /** Published, pending and reported comments of some sites (or all), from the posts' denormalised counts. */
  sumPostCounts(sites: readonly string[] | undefined): Promise<PostCounts>;
  getPost(id: string): Promise<PostRecord | undefined>;
  findPost(site: string, key: string): Promise<PostRecord | undefined>;
  getPosts(ids: string[]): Promise<Map<string, PostRecord>>;
  listPosts(filter: { sites?: readonly string[] | undefined; limit: number }): Promise<PostRecord[]>;
  setPostState(
    id: string,
    patch: { heat?: PostHeat | undefined; closed?: boolean | undefined; premoderation?: PremoderationMode | null | undefined },
  ): Promise<PostRecord>;
  /** A post's latest comments (any status), newest first, reduced to what auto-heating weighs. */
  listRecentActivity(postId: string, limit: number): Promise<{ id: string; reportCount: number; isHeld: boolean }[]>;
  /** The author's latest comments on a site, newest first (flood and repeat checks). */
  listRecentByAuthor(authorId: string, site: string, limit: number): Promise<CommentRecord[]>;
  toCommentDto(comment: CommentRecord): CommentDto;
  toPostDto(post: PostRecord): PostDto;
}
