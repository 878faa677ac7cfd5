import type { CommentDto, ThreadSort } from '../contracts/comments';
import type { AuthorDirectory, AuthorRecord } from '../identity';
import { toCommentDto } from './comment-dto';
import type { CommentRecord, PostRecord } from './comment.types';
import type { CommentRepository, KeysetOrder, KeysetPosition } from './comment.repository';
import { decodeCursor, encodeCursor } from './cursor';

/** Replies shown under each comment in a page before "more replies". */
export const REPLIES_PER_LEVEL = 3;
/** Levels of replies nested under a thread page's top-level comments. */
export const THREAD_NESTING_DEPTH = 3;
/** Levels nested under each item of a replies page. */
export const REPLIES_NESTING_DEPTH = 2;

const THREAD_ORDERS: Record<ThreadSort, KeysetOrder> = {
  newest: { field: 'createdAt', direction: -1 },
  oldest: { field: 'createdAt', direction: 1 },
  top: { field: 'replyCount', direction: -1 },
};
const REPLY_ORDER: KeysetOrder = { field: 'createdAt', direction: 1 };

export const threadCursorScope = (sort: ThreadSort): string => `thread:${sort}`;
export const repliesCursorScope = (parentId: string): string => `replies:${parentId}`;

interface Node {
  record: CommentRecord;
  replies: Node[];
  repliesCursor: string | null;
}

export interface ReadContext {
  site: string;
  post: string;
  viewerAuthorId: string | undefined;
  editWindowSeconds: number;
  /** Parents under which the viewer has pending replies (not in replyCount). */
  parentsWithOwnPending: ReadonlySet<string>;
}

export interface ThreadReader {
  readTopLevel(ctx: ReadContext, sort: ThreadSort, cursor: string | undefined, limit: number): Promise<{ comments: CommentDto[]; nextCursor: string | null }>;
  readReplies(ctx: ReadContext, parentId: string, cursor: string | undefined, limit: number): Promise<{ comments: CommentDto[]; nextCursor: string | null }>;
  /** Parents of the viewer's pending comments on the post. */
  findParentsWithOwnPending(post: PostRecord, viewerAuthorId: string | undefined): Promise<Set<string>>;
}

export function createThreadReader(deps: { comments: CommentRepository; authors: AuthorDirectory }): ThreadReader {
  const { comments } = deps;

  const positionOf = (cursor: string | undefined, scope: string): KeysetPosition | null => {
    if (cursor === undefined) return null;
    const position = decodeCursor(cursor, scope);
    return position.key === null || position.id === null ? null : { key: position.key, id: position.id };
  };

  /** One keyset page: fetches one extra item to know whether there is more. */
  const page = async (
    ctx: ReadContext,
    parentId: string | null,
    order: KeysetOrder,
    after: KeysetPosition | null,
    limit: number,
    scope: string,
  ): Promise<{ items: CommentRecord[]; nextCursor: string | null }> => {
    const found = await comments.findThreadPage({
      site: ctx.site,
      post: ctx.post,
      parentId,
      viewerAuthorId: ctx.viewerAuthorId,
      order,
      after,
      limit: limit + 1,
    });
    const items = found.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      found.length > limit && last ? encodeCursor({ scope, key: comments.keyOf(last, order.field), id: last.id }) : null;
    return { items, nextCursor };
  };

  const hasReplies = (ctx: ReadContext, record: CommentRecord): boolean =>
    record.replyCount > 0 || ctx.parentsWithOwnPending.has(record.id);

  const nest = async (ctx: ReadContext, nodes: Node[], levelsLeft: number): Promise<void> => {
    if (nodes.length === 0) return;
    const withReplies = nodes.filter((node) => hasReplies(ctx, node.record));
    if (levelsLeft === 0) {
      for (const node of withReplies) node.repliesCursor = encodeCursor({ scope: repliesCursorScope(node.record.id), key: null, id: null });
      return;
    }
    const pages = await Promise.all(
      withReplies.map((node) =>
        page(ctx, node.record.id, REPLY_ORDER, null, REPLIES_PER_LEVEL, repliesCursorScope(node.record.id)),
      ),
    );
    const children: Node[] = [];
    withReplies.forEach((node, index) => {
      const result = pages[index];
      if (!result) return;
      node.replies = result.items.map((record) => ({ record, replies: [], repliesCursor: null }));
      node.repliesCursor = result.nextCursor;
      children.push(...node.replies);
    });
    await nest(ctx, children, levelsLeft - 1);
  };

  const collectAuthorIds = (nodes: Node[], into: Set<string>): Set<string> => {
    for (const node of nodes) {
      if (node.record.status !== 'deleted') into.add(node.record.authorId);
      collectAuthorIds(node.replies, into);
    }
    return into;
  };

  const render = (ctx: ReadContext, node: Node, authors: Map<string, AuthorRecord>): CommentDto => {
    const dto = toCommentDto(node.record, {
      author: authors.get(node.record.authorId),
      viewerAuthorId: ctx.viewerAuthorId,
      editWindowSeconds: ctx.editWindowSeconds,
    });
    dto.replies = node.replies.map((child) => render(ctx, child, authors));
    dto.repliesCursor = node.repliesCursor;
    return dto;
  };

  const renderAll = async (ctx: ReadContext, records: CommentRecord[], levels: number): Promise<CommentDto[]> => {
    const nodes: Node[] = records.map((record) => ({ record, replies: [], repliesCursor: null }));
    await nest(ctx, nodes, levels);
    const ids = [...collectAuthorIds(nodes, new Set())];
    const authors = ids.length > 0 ? await deps.authors.getAuthors(ids) : new Map<string, AuthorRecord>();
    return nodes.map((node) => render(ctx, node, authors));
  };

  return {
    async readTopLevel(ctx, sort, cursor, limit) {
      const scope = threadCursorScope(sort);
      const after = positionOf(cursor, scope);
      const result = await page(ctx, null, THREAD_ORDERS[sort], after, limit, scope);
      return { comments: await renderAll(ctx, result.items, THREAD_NESTING_DEPTH), nextCursor: result.nextCursor };
    },
    async readReplies(ctx, parentId, cursor, limit) {
      const scope = repliesCursorScope(parentId);
      const after = positionOf(cursor, scope);
      const result = await page(ctx, parentId, REPLY_ORDER, after, limit, scope);
      return { comments: await renderAll(ctx, result.items, REPLIES_NESTING_DEPTH), nextCursor: result.nextCursor };
    },
    async findParentsWithOwnPending(post, viewerAuthorId) {
      if (viewerAuthorId === undefined) return new Set();
      const pending = await comments.findPendingOfAuthor(post.site, post.key, viewerAuthorId, 200);
      return new Set(pending.flatMap((comment) => (comment.parentId === null ? [] : [comment.parentId])));
    },
  };
}
