import type { CommentDto, ThreadSort } from '../contracts/comments';
import type { AuthorDirectory, AuthorRecord } from '../identity';
import { toCommentDto } from './comment-dto';
import type { CommentRecord } from './comment.types';
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
}

/** Where a replies page hangs: its parent comment. */
export interface ReplyParent {
  id: string;
  depth: number;
}

export interface ThreadReader {
  readTopLevel(ctx: ReadContext, sort: ThreadSort, cursor: string | undefined, limit: number): Promise<{ comments: CommentDto[]; nextCursor: string | null }>;
  readReplies(ctx: ReadContext, parent: ReplyParent, cursor: string | undefined, limit: number): Promise<{ comments: CommentDto[]; nextCursor: string | null }>;
}

/**
 * Reads pages of a thread in a fixed number of database round trips whatever
 * the page size: the page itself (beside the viewer's own pending comments),
 * every nested reply under it in one query, and the authors in one query.
 */
export function createThreadReader(deps: { comments: CommentRepository; authors: AuthorDirectory }): ThreadReader {
  const { comments } = deps;

  const positionOf = (cursor: string | undefined, scope: string): KeysetPosition | null => {
    if (cursor === undefined) return null;
    const position = decodeCursor(cursor, scope);
    return position.key === null || position.id === null ? null : { key: position.key, id: position.id };
  };

  const cursorAfter = (record: CommentRecord, order: KeysetOrder, scope: string): string =>
    encodeCursor({ scope, key: comments.keyOf(record, order.field), id: record.id });

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
    return { items, nextCursor: found.length > limit && last ? cursorAfter(last, order, scope) : null };
  };

  /** Parents under which the viewer has pending replies (not in replyCount). */
  const parentsWithOwnPending = async (ctx: ReadContext): Promise<ReadonlySet<string>> => {
    if (ctx.viewerAuthorId === undefined) return new Set();
    const pending = await comments.findPendingOfAuthor(ctx.site, ctx.post, ctx.viewerAuthorId, 200);
    return new Set(pending.flatMap((comment) => (comment.parentId === null ? [] : [comment.parentId])));
  };

  const startCursor = (record: CommentRecord): string => encodeCursor({ scope: repliesCursorScope(record.id), key: null, id: null });

  /** Hangs the fetched replies under their parents, level by level, from the one reply-tree query. */
  const nest = (nodes: Node[], trees: Map<string, CommentRecord[]>, levelsLeft: number, ownPending: ReadonlySet<string>): void => {
    for (const node of nodes) {
      const hasReplies = node.record.replyCount > 0 || ownPending.has(node.record.id);
      if (levelsLeft === 0) {
        if (hasReplies) node.repliesCursor = startCursor(node.record);
        continue;
      }
      const found = trees.get(node.record.id) ?? [];
      const shown = found.slice(0, REPLIES_PER_LEVEL);
      node.replies = shown.map((record) => ({ record, replies: [], repliesCursor: null }));
      const last = shown[shown.length - 1];
      node.repliesCursor = found.length > REPLIES_PER_LEVEL && last ? cursorAfter(last, REPLY_ORDER, repliesCursorScope(node.record.id)) : null;
      nest(node.replies, trees, levelsLeft - 1, ownPending);
    }
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

  const renderAll = async (
    ctx: ReadContext,
    records: CommentRecord[],
    rootDepth: number,
    levels: number,
    ownPending: ReadonlySet<string>,
  ): Promise<CommentDto[]> => {
    const nodes: Node[] = records.map((record) => ({ record, replies: [], repliesCursor: null }));
    const trees = await comments.findReplyTrees({
      site: ctx.site,
      post: ctx.post,
      // Only parents that have something to show are worth asking about.
      rootIds: records.filter((record) => record.replyCount > 0 || ownPending.has(record.id)).map((record) => record.id),
      rootDepth,
      levels,
      perParent: REPLIES_PER_LEVEL + 1,
      viewerAuthorId: ctx.viewerAuthorId,
    });
    nest(nodes, trees, levels, ownPending);
    const ids = [...collectAuthorIds(nodes, new Set())];
    const authors = ids.length > 0 ? await deps.authors.getAuthors(ids) : new Map<string, AuthorRecord>();
    return nodes.map((node) => render(ctx, node, authors));
  };

  return {
    async readTopLevel(ctx, sort, cursor, limit) {
      const scope = threadCursorScope(sort);
      const after = positionOf(cursor, scope);
      const [result, ownPending] = await Promise.all([page(ctx, null, THREAD_ORDERS[sort], after, limit, scope), parentsWithOwnPending(ctx)]);
      return { comments: await renderAll(ctx, result.items, 0, THREAD_NESTING_DEPTH, ownPending), nextCursor: result.nextCursor };
    },
    async readReplies(ctx, parent, cursor, limit) {
      const scope = repliesCursorScope(parent.id);
      const after = positionOf(cursor, scope);
      const [result, ownPending] = await Promise.all([page(ctx, parent.id, REPLY_ORDER, after, limit, scope), parentsWithOwnPending(ctx)]);
      return { comments: await renderAll(ctx, result.items, parent.depth + 1, REPLIES_NESTING_DEPTH, ownPending), nextCursor: result.nextCursor };
    },
  };
}
