import type { CommentDto, ThreadSort } from '../contracts/comments';
import type { AuthorDirectory, AuthorRecord } from '../identity';
import { toCommentDto } from './comment-dto';
import type { CommentRecord } from './comment.types';
import type { CommentRepository, KeysetOrder, KeysetPosition } from './comment.repository';
import { decodeCursor, encodeCursor } from './cursor';
import { wilsonLowerBound } from './ranking';
import type { RankingSnapshotRepository } from './ranking-snapshot.repository';
import type { ReactionRepository } from './reaction.repository';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';

/** Replies shown under each comment in a page before "more replies". */
export const REPLIES_PER_LEVEL = 3;
/** Levels of replies nested under a thread page's top-level comments. */
export const THREAD_NESTING_DEPTH = 3;
/** Levels nested under each item of a replies page. */
export const REPLIES_NESTING_DEPTH = 2;

const THREAD_ORDERS: Record<'newest' | 'oldest', KeysetOrder> = {
  newest: { field: 'createdAt', direction: -1 },
  oldest: { field: 'createdAt', direction: 1 },
};
/** Ranked sorts page through a snapshot of their order (see ranking-snapshot.repository.ts). */
const RANKED_FIELDS = { best: 'bestScore', top: 'replyCount' } as const;
/** The snapshot covers this many top-level comments; a session paging further starts a new one. */
export const RANKING_SNAPSHOT_SIZE = 2000;
/** How long one paging session of a ranked thread may last. */
export const RANKING_SNAPSHOT_TTL_MS = 60 * 60_000;
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
  /** The reader's reaction identity (`author:<id>`), to mark what they reacted to. */
  viewerReader?: string | undefined;
}

/** Where a replies page hangs: its parent comment. */
export interface ReplyParent {
  id: string;
  depth: number;
}

export interface ThreadReader {
  readTopLevel(ctx: ReadContext, sort: ThreadSort, cursor: string | undefined, limit: number): Promise<{ comments: CommentDto[]; nextCursor: string | null }>;
  readReplies(ctx: ReadContext, parent: ReplyParent, cursor: string | undefined, limit: number): Promise<{ comments: CommentDto[]; nextCursor: string | null }>;
  /** The post's featured comments (published only), latest featured first, without nested replies. */
  readFeatured(ctx: ReadContext, limit: number): Promise<CommentDto[]>;
}

/**
 * Reads pages of a thread in a fixed number of database round trips whatever
 * the page size: the page itself (beside the viewer's own pending comments),
 * every nested reply under it in one query, and the authors in one query.
 */
export function createThreadReader(deps: {
  comments: CommentRepository;
  authors: AuthorDirectory;
  reactions: ReactionRepository;
  snapshots: RankingSnapshotRepository;
  clock: Clock;
}): ThreadReader {
  const { comments } = deps;

  const isVisible = (record: CommentRecord, viewerAuthorId: string | undefined): boolean =>
    record.status === 'published' ||
    ((record.status === 'deleted' || record.status === 'rejected') && record.replyCount > 0) ||
    (record.status === 'pending' && record.authorId === viewerAuthorId);

  /**
   * A ranked page: the first page ranks the whole thread once and, when there is
   * more than a page, keeps that order as a snapshot; later pages read their slice
   * of it (cursor: offset + snapshot id). Comments removed meanwhile drop out.
   */
  const rankedPage = async (
    ctx: ReadContext,
    sort: 'best' | 'top',
    cursor: string | undefined,
    limit: number,
    scope: string,
  ): Promise<{ items: CommentRecord[]; nextCursor: string | null }> => {
    /** Up to a snapshot's worth of the ranking, from the start or from after a comment. */
    const rank = (after?: { value: number; id: string }): Promise<string[]> =>
      comments.rankTopLevel({ site: ctx.site, post: ctx.post, viewerAuthorId: ctx.viewerAuthorId, field: RANKED_FIELDS[sort], limit: RANKING_SNAPSHOT_SIZE, after });
    const keep = (order: string[]): Promise<string> =>
      deps.snapshots.insert({ site: ctx.site, post: ctx.post, sort, ids: order, expiresAt: new Date(deps.clock.now().getTime() + RANKING_SNAPSHOT_TTL_MS) });
    let ids: string[];
    let offset = 0;
    let snapshotId: string | undefined;
    if (cursor === undefined) {
      ids = await rank();
      if (ids.length > limit) snapshotId = await keep(ids);
    } else {
      const position = decodeCursor(cursor, scope);
      const snapshot = position.id === null ? undefined : await deps.snapshots.find(position.id, deps.clock.now());
      const key = position.key;
      if (!snapshot || snapshot.site !== ctx.site || snapshot.post !== ctx.post || snapshot.sort !== sort || key === null || !Number.isInteger(key) || key < 0 || key > snapshot.ids.length) {
        throw new AppError('CURSOR_INVALID', 'This ranking has expired or does not belong to this thread; start again without the cursor');
      }
      ids = snapshot.ids;
      offset = key;
      snapshotId = snapshot.id;
    }
    const slice = ids.slice(offset, offset + limit);
    const found = new Map((await comments.findByIds(slice)).map((record) => [record.id, record]));
    const items = slice.flatMap((id) => {
      const record = found.get(id);
      return record && isVisible(record, ctx.viewerAuthorId) ? [record] : [];
    });
    const next = offset + limit;
    if (snapshotId !== undefined && next < ids.length) return { items, nextCursor: encodeCursor({ scope, key: next, id: snapshotId }) };
    // A full snapshot may stop short of the thread: the ranking goes on in a new one, from after its
    // last comment as that one ranks now (so the reader is never told the end before it is there).
    const lastId = ids[ids.length - 1];
    if (snapshotId === undefined || ids.length < RANKING_SNAPSHOT_SIZE || lastId === undefined) return { items, nextCursor: null };
    const last = found.get(lastId) ?? (await comments.findByIds([lastId]))[0];
    if (last === undefined) return { items, nextCursor: null };
    const value = sort === 'top' ? last.replyCount : wilsonLowerBound(last.reactions.up, last.reactions.down);
    const more = await rank({ value, id: lastId });
    if (more.length === 0) return { items, nextCursor: null };
    return { items, nextCursor: encodeCursor({ scope, key: 0, id: await keep(more) }) };
  };

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

  const collectCommentIds = (nodes: Node[], into: string[]): string[] => {
    for (const node of nodes) {
      into.push(node.record.id);
      collectCommentIds(node.replies, into);
    }
    return into;
  };

  const render = (ctx: ReadContext, node: Node, authors: Map<string, AuthorRecord>, reacted: ReadonlySet<string>): CommentDto => {
    const dto = toCommentDto(node.record, {
      author: authors.get(node.record.authorId),
      viewerAuthorId: ctx.viewerAuthorId,
      editWindowSeconds: ctx.editWindowSeconds,
      viewerReacted: reacted.has(node.record.id),
    });
    dto.replies = node.replies.map((child) => render(ctx, child, authors, reacted));
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
    const [authors, reacted] = await Promise.all([
      ids.length > 0 ? deps.authors.getAuthors(ids) : Promise.resolve(new Map<string, AuthorRecord>()),
      ctx.viewerReader === undefined ? Promise.resolve(new Set<string>()) : deps.reactions.reactedBy(ctx.viewerReader, collectCommentIds(nodes, [])),
    ]);
    return nodes.map((node) => render(ctx, node, authors, reacted));
  };

  return {
    async readTopLevel(ctx, sort, cursor, limit) {
      const scope = threadCursorScope(sort);
      const [result, ownPending] = await Promise.all([
        sort === 'best' || sort === 'top'
          ? rankedPage(ctx, sort, cursor, limit, scope)
          : page(ctx, null, THREAD_ORDERS[sort], positionOf(cursor, scope), limit, scope),
        parentsWithOwnPending(ctx),
      ]);
      return { comments: await renderAll(ctx, result.items, 0, THREAD_NESTING_DEPTH, ownPending), nextCursor: result.nextCursor };
    },
    async readFeatured(ctx, limit) {
      // No levels of replies: the Featured block links into the thread instead.
      return renderAll(ctx, await comments.findFeatured(ctx.site, ctx.post, limit), 0, 0, new Set());
    },
    async readReplies(ctx, parent, cursor, limit) {
      const scope = repliesCursorScope(parent.id);
      const after = positionOf(cursor, scope);
      const [result, ownPending] = await Promise.all([page(ctx, parent.id, REPLY_ORDER, after, limit, scope), parentsWithOwnPending(ctx)]);
      return { comments: await renderAll(ctx, result.items, parent.depth + 1, REPLIES_NESTING_DEPTH, ownPending), nextCursor: result.nextCursor };
    },
  };
}
