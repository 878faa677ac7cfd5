import type { AuthorNoticeDto, CommentDto, PublicPostDto, RepliesPageDto, ThreadPageDto, ThreadSort } from '../contracts/comments';
import type { CommentFeaturedEvent, PostUpdatedEvent } from '../contracts/socket-events';

export interface CommentNode {
  comment: CommentDto;
  replyIds: string[];
  /** Cursor for more replies; null when all are shown; undefined when none were fetched yet. */
  repliesCursor: string | null | undefined;
}

export type LoadState = 'loading' | 'ready' | 'failed';

function withoutNesting(comment: CommentDto): CommentDto {
  const { replies: _replies, repliesCursor: _cursor, ...flat } = comment;
  return flat;
}

/**
 * The thread as the reader sees it. Live events from others wait in `queued`
 * until the reader asks for them, so the page never moves under their eyes.
 * Mutable on purpose: components re-render on `version`.
 */
export class ThreadStore {
  version = 0;
  state: LoadState = 'loading';
  sort: ThreadSort = 'newest';
  post: PublicPostDto | null = null;
  topIds: string[] = [];
  nodes = new Map<string, CommentNode>();
  nextCursor: string | null = null;
  queued: CommentDto[] = [];
  count = 0;
  /** The site's reaction word, when it set one. */
  reactionLabel: string | null = null;
  /** The post's featured comments, latest featured first (the Featured block). */
  featured: CommentDto[] = [];
  /** Highest live-event sequence seen: `since` for `post:join` after a reconnect. */
  seq = 0;
  /** Comments this reader wrote in this page view (live events don't say whose they are). */
  readonly ownIds = new Set<string>();
  /** The reader's own comments a moderator published while this page was open. */
  readonly publishedAfterReview = new Set<string>();
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }

  get(id: string): CommentNode | undefined {
    return this.nodes.get(id);
  }

  isOwn(comment: CommentDto): boolean {
    return comment.isOwn === true || this.ownIds.has(comment.id);
  }

  seeSeq(seq: number): void {
    if (Number.isFinite(seq) && seq > this.seq) this.seq = seq;
  }

  /** A thread page: replaces the thread (first page) or appends to it (`load more`). */
  applyPage(page: ThreadPageDto, mode: 'replace' | 'append'): void {
    if (mode === 'replace') {
      this.topIds = [];
      this.nodes.clear();
      this.queued = [];
    }
    this.post = page.post;
    this.sort = page.sort;
    this.nextCursor = page.nextCursor;
    this.reactionLabel = page.reactionLabel ?? null;
    this.count = page.post.counts.published;
    this.seeSeq(page.seq);
    for (const comment of page.comments) {
      if (this.nodes.has(comment.id)) continue;
      this.ingest(comment);
      this.topIds.push(comment.id);
    }
    this.state = 'ready';
    this.changed();
  }

  applyReplies(page: RepliesPageDto): void {
    const parent = this.nodes.get(page.parentId);
    if (!parent) return;
    for (const reply of page.comments) {
      if (this.nodes.has(reply.id)) continue;
      this.ingest(reply);
      parent.replyIds.push(reply.id);
    }
    parent.repliesCursor = page.nextCursor;
    this.changed();
  }

  /** The reader's own new comment: shown at once, wherever the reader is (a refused one stays in the form instead). */
  addOwn(comment: CommentDto): void {
    this.ownIds.add(comment.id);
    if (comment.status === 'rejected' && !this.nodes.has(comment.id)) return;
    this.queued = this.queued.filter((queued) => queued.id !== comment.id);
    if (this.nodes.has(comment.id)) {
      this.update(comment);
      return;
    }
    this.insert(comment, 'start');
    this.changed();
  }

  /** `comment:created` (and unknown comments made visible by `comment:updated`). */
  applyCreated(comment: CommentDto): void {
    if (this.nodes.has(comment.id)) {
      this.update(comment);
      return;
    }
    if (this.isOwn(comment)) {
      this.addOwn(comment);
      return;
    }
    if (comment.status !== 'published') return;
    if (this.queued.some((queued) => queued.id === comment.id)) return;
    this.queued.push(comment);
    this.changed();
  }

  applyUpdated(comment: CommentDto): void {
    const known = this.nodes.get(comment.id);
    if (!known) {
      this.applyCreated(comment);
      return;
    }
    const isVisible = comment.status === 'published' || comment.status === 'deleted' || this.isOwn(known.comment);
    if (!isVisible) {
      this.remove(comment.id, null);
      return;
    }
    this.update(comment);
  }

  /**
   * Rejected or deleted: gone, or a placeholder when it has replies. The
   * reader's own comment removed by moderation stays in place for them, saying
   * so (with the reason, when the author's own event brings it).
   */
  remove(id: string, tombstone: CommentDto | null, removal?: { reason: 'rejected' | 'deleted'; notice?: AuthorNoticeDto | undefined }): void {
    this.queued = this.queued.filter((queued) => queued.id !== id);
    this.featured = this.featured.filter((featured) => featured.id !== id);
    const node = this.nodes.get(id);
    if (!node) {
      this.changed();
      return;
    }
    if (removal?.reason === 'rejected' && this.isOwn(node.comment)) {
      const notice = removal.notice ?? node.comment.notice ?? { kind: 'removed' as const, reasons: [], reasonCodes: [] };
      node.comment = { ...node.comment, status: 'rejected', notice, isOwn: true };
      this.publishedAfterReview.delete(id);
      this.changed();
      return;
    }
    // Replies shown, counted, or waiting behind "new comments" keep the tombstone in place.
    const hasReplies =
      node.replyIds.length > 0 || node.comment.replyCount > 0 || this.queued.some((queued) => queued.parentId === id);
    if (tombstone && hasReplies) {
      node.comment = { ...withoutNesting(tombstone), replyCount: node.comment.replyCount };
      this.changed();
      return;
    }
    this.nodes.delete(id);
    const parentId = node.comment.parentId;
    const parent = parentId ? this.nodes.get(parentId) : undefined;
    if (parent) {
      parent.replyIds = parent.replyIds.filter((replyId) => replyId !== id);
      parent.comment = { ...parent.comment, replyCount: Math.max(0, parent.comment.replyCount - 1) };
    } else {
      this.topIds = this.topIds.filter((topId) => topId !== id);
    }
    this.changed();
  }

  /** Puts the waiting comments from others into the thread (the "N new comments" button). */
  showQueued(): CommentDto[] {
    const shown = this.queued;
    this.queued = [];
    for (const comment of shown) {
      if (!this.nodes.has(comment.id)) this.insert(comment, this.sort === 'newest' ? 'start' : 'end');
    }
    this.changed();
    return shown;
  }

  /** The post's featured comments (`?featured=true`), as read with the first page. */
  setFeatured(comments: readonly CommentDto[]): void {
    this.featured = comments.map(withoutNesting);
    this.changed();
  }

  /** `comment:featured`: pinned at the top of the Featured block, or taken out of it. */
  applyFeatured(event: Pick<CommentFeaturedEvent, 'commentId' | 'featured' | 'comment'>): void {
    this.featured = this.featured.filter((comment) => comment.id !== event.commentId);
    if (event.featured && event.comment) this.featured.unshift(withoutNesting(event.comment));
    const node = this.nodes.get(event.commentId);
    if (node) node.comment = { ...node.comment, featured: event.featured };
    this.changed();
  }

  /** Keeps the Featured block in step with what happens to its comments in the thread. */
  private syncFeatured(comment: CommentDto): void {
    const index = this.featured.findIndex((featured) => featured.id === comment.id);
    if (index === -1) return;
    if (comment.status !== 'published' || !comment.featured) this.featured.splice(index, 1);
    else this.featured[index] = { ...withoutNesting(comment), reactions: comment.reactions };
  }

  /** `post:updated`: closed, heated or locked down while the page is open. */
  applyPostState(state: PostUpdatedEvent['state']): void {
    if (!this.post) return;
    this.post = { ...this.post, closed: state.closed, banner: state.banner };
    this.changed();
  }

  setCount(count: number): void {
    if (this.count === count) return;
    this.count = count;
    this.changed();
  }

  private update(comment: CommentDto): void {
    const node = this.nodes.get(comment.id);
    if (!node) return;
    const previous = node.comment;
    if (previous.status === 'pending' && comment.status === 'published' && this.isOwn(previous)) this.publishedAfterReview.add(comment.id);
    const next: CommentDto = { ...withoutNesting(comment), replyCount: Math.max(comment.replyCount, node.replyIds.length) };
    // Live events carry the public view: what only the author's own copy says must survive them.
    if (next.isOwn === undefined && (previous.isOwn === true || this.ownIds.has(comment.id))) next.isOwn = true;
    if (next.editableUntil === undefined && previous.editableUntil !== undefined && next.status !== 'deleted') {
      next.editableUntil = previous.editableUntil;
    }
    if (previous.viewerReacted && next.status !== 'deleted') next.viewerReacted = true;
    node.comment = next;
    this.syncFeatured(next);
    this.changed();
  }

  /** A comment's reaction count (live, or after the reader's own reaction); `viewerReacted` when the reader acted. */
  setReactions(commentId: string, reactions: number, viewerReacted?: boolean): void {
    const node = this.nodes.get(commentId);
    if (!node) return;
    node.comment = { ...node.comment, reactions, ...(viewerReacted === undefined ? {} : { viewerReacted }) };
    this.changed();
  }

  private insert(comment: CommentDto, where: 'start' | 'end'): void {
    const parent = comment.parentId ? this.nodes.get(comment.parentId) : undefined;
    if (comment.parentId && !parent) return;
    this.ingest(comment);
    if (parent) {
      parent.replyIds.push(comment.id);
      parent.comment = { ...parent.comment, replyCount: Math.max(parent.comment.replyCount, parent.replyIds.length) };
      return;
    }
    if (where === 'start') this.topIds.unshift(comment.id);
    else this.topIds.push(comment.id);
  }

  private ingest(comment: CommentDto): void {
    const replies = comment.replies ?? [];
    const repliesCursor =
      comment.repliesCursor !== undefined ? comment.repliesCursor : replies.length >= comment.replyCount ? null : undefined;
    this.nodes.set(comment.id, { comment: withoutNesting(comment), replyIds: replies.map((reply) => reply.id), repliesCursor });
    for (const reply of replies) this.ingest(reply);
  }
}
