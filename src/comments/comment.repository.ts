import { Schema, Types, type Connection, type Model, type QueryFilter } from 'mongoose';
import type { CommentStatus, ReportReason } from '../contracts/comments';
import type { CommentRecord, CommentRevision, StatusActor, StoredVerdict } from './comment.types';
import { wilsonLowerBound } from './ranking';
import { COMMENT_HTML_VERSION, renderCommentHtml } from '../formatting';
import { createGroupCommit, insertEach, newDocument } from '../db/group-commit';

interface CommentDoc {
  _id: Types.ObjectId;
  site: string;
  post: string;
  postId: Types.ObjectId;
  parentId: Types.ObjectId | null;
  ancestorIds: Types.ObjectId[];
  authorId: string;
  body: string;
  /**
   * `body` rendered (Markdown subset, sanitised), kept so that reads don't
   * render; absent on comments stored before formatting, or rendered by an
   * older renderer (`htmlVersion`): those render on read.
   */
  html?: string | undefined;
  htmlVersion?: number | undefined;
  status: CommentStatus;
  revision: number;
  verdict: StoredVerdict | null;
  history: CommentRevision[];
  replyCount: number;
  reportCount: number;
  reportReasons: Partial<Record<ReportReason, number>>;
  hasOpenReports: boolean;
  /** Reactions counted by diff (repaired from the reactions collection). */
  reactionUp: number;
  reactionDown: number;
  /** `wilsonLowerBound(reactionUp, reactionDown)`, kept for `sort=best`. */
  bestScore: number;
  /** Set while a moderator features it (`?featured=true`, the widget's Featured block). */
  featuredAt: Date | null;
  firstReportedAt: Date | null;
  lastReportedAt: Date | null;
  createdAt: Date;
  editedAt: Date | null;
  statusChangedAt: Date;
  statusChangedBy: StatusActor | null;
  deletedAt: Date | null;
}

const commentSchema = new Schema<CommentDoc>(
  {
    site: { type: String, required: true },
    post: { type: String, required: true },
    postId: { type: Schema.Types.ObjectId, required: true },
    parentId: { type: Schema.Types.ObjectId, default: null },
    ancestorIds: { type: [Schema.Types.ObjectId], default: [] },
    authorId: { type: String, required: true },
    body: { type: String, required: true },
    html: { type: String },
    htmlVersion: { type: Number },
    status: { type: String, required: true },
    revision: { type: Number, default: 1 },
    verdict: { type: Schema.Types.Mixed, default: null },
    history: { type: Schema.Types.Mixed, default: () => [] },
    replyCount: { type: Number, default: 0 },
    reportCount: { type: Number, default: 0 },
    reportReasons: { type: Schema.Types.Mixed, default: {} },
    hasOpenReports: { type: Boolean, default: false },
    reactionUp: { type: Number, default: 0 },
    reactionDown: { type: Number, default: 0 },
    bestScore: { type: Number, default: 0 },
    featuredAt: { type: Date, default: null },
    firstReportedAt: { type: Date, default: null },
    lastReportedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    editedAt: { type: Date, default: null },
    statusChangedAt: { type: Date, required: true },
    statusChangedBy: { type: Schema.Types.Mixed, default: null },
    deletedAt: { type: Date, default: null },
  },
  { collection: 'comments', versionKey: false, minimize: false },
);
// Thread pages and reply pages (newest/oldest keyset).
commentSchema.index({ site: 1, post: 1, parentId: 1, status: 1, createdAt: 1, _id: 1 });
// Thread pages sorted by replies ("top").
commentSchema.index({ site: 1, post: 1, parentId: 1, replyCount: -1, _id: -1 });
// Ranking snapshots for "best".
commentSchema.index({ site: 1, post: 1, parentId: 1, bestScore: -1, _id: -1 });
// A post's featured comments.
commentSchema.index({ site: 1, post: 1, featuredAt: -1 });
// Subtrees.
commentSchema.index({ ancestorIds: 1 });
// An author's comments (own pending, history, flood checks).
commentSchema.index({ authorId: 1, createdAt: -1 });
// Moderation queues.
commentSchema.index({ status: 1, site: 1, createdAt: 1, _id: 1 });
commentSchema.index({ status: 1, site: 1, statusChangedAt: 1, _id: 1 });
commentSchema.index({ hasOpenReports: 1, site: 1, firstReportedAt: 1, _id: 1 });
commentSchema.index({ postId: 1, status: 1 });
// A post's latest comments (auto-heat window) without sorting the whole thread.
commentSchema.index({ postId: 1, createdAt: 1, _id: 1 });

export type CommentOrderField = 'createdAt' | 'replyCount' | 'statusChangedAt' | 'firstReportedAt';

export interface KeysetOrder {
  field: CommentOrderField;
  direction: 1 | -1;
}

export interface KeysetPosition {
  /** Milliseconds for dates, the number itself for counts. */
  key: number;
  id: string;
}

export interface ThreadQuery {
  site: string;
  post: string;
  parentId: string | null;
  /** Also show this author's own pending comments. */
  viewerAuthorId?: string | undefined;
  order: KeysetOrder;
  after: KeysetPosition | null;
  limit: number;
}

/** The first replies under each of a page's comments, several levels deep, in one query. */
export interface ReplyTreeQuery {
  site: string;
  post: string;
  /** The page's comments; all sit at `rootDepth`. */
  rootIds: readonly string[];
  rootDepth: number;
  /** Levels of replies below the roots. */
  levels: number;
  /** Replies kept per parent, oldest first. */
  perParent: number;
  viewerAuthorId?: string | undefined;
}

export interface QueueQuery {
  statuses?: readonly CommentStatus[] | undefined;
  sites?: readonly string[] | undefined;
  postId?: string | undefined;
  authorId?: string | undefined;
  keyword?: string | undefined;
  keywordAuthorIds?: readonly string[] | undefined;
  languages?: readonly string[] | undefined;
  isReported?: boolean | undefined;
}

/** A comment to store; it starts without reactions unless told (imports, seeds), its `html` rendered from its body. */
export type NewComment = Omit<CommentRecord, 'id' | 'depth' | 'reactions' | 'featuredAt' | 'html'> & {
  id?: string;
  reactions?: CommentRecord['reactions'];
  featuredAt?: Date | null;
};

export interface BodyUpdate {
  body: string;
  status: CommentStatus;
  verdict: StoredVerdict;
  replaced: CommentRevision;
  editedAt: Date;
  statusChangedAt: Date;
  /** Set false when the edit takes the comment out of the published state. */
  hasOpenReports: boolean;
}

export interface RepairRow {
  id: string;
  depth: number;
  postId: string;
  parentId: string | null;
  status: CommentStatus;
  hasOpenReports: boolean;
  replyCount: number;
  reactions: { up: number; down: number };
}

/** What auto-heating weighs of one recent comment: no body, no verdict findings. */
export interface CommentActivity {
  id: string;
  reportCount: number;
  isHeld: boolean;
}

/** Statements per bulk write of a repair: one round trip each, a bounded command size. */
const BULK_WRITE_SIZE = 1000;

export interface CommentRepository {
  newId(): string;
  /** A post's latest comments (any status), newest first, as auto-heating weighs them: an indexed range read of three fields. */
  findRecentActivity(postId: string, limit: number): Promise<CommentActivity[]>;
  /** The posts an author has comments under (any status): an indexed read by author. */
  findPostIdsOfAuthor(authorId: string): Promise<string[]>;
  insert(comment: NewComment): Promise<CommentRecord>;
  /** Stores many comments at once (imports, seeding); counts are taken as given. */
  insertMany(comments: readonly NewComment[]): Promise<void>;
  findById(id: string): Promise<CommentRecord | undefined>;
  findByIds(ids: readonly string[]): Promise<CommentRecord[]>;
  findThreadPage(query: ThreadQuery): Promise<CommentRecord[]>;
  /**
   * Replies under the roots down to `levels` below them, grouped by parent:
   * each parent's first `perParent` visible replies, oldest first. One
   * database command whatever the number of roots.
   */
  findReplyTrees(query: ReplyTreeQuery): Promise<Map<string, CommentRecord[]>>;
  /** Sort key of a record for an order field. */
  keyOf(record: CommentRecord, field: CommentOrderField): number;
  findPendingOfAuthor(site: string, post: string, authorId: string, limit: number): Promise<CommentRecord[]>;
  /** Whether the author has a comment in the post that only they see as it is (pending, or rejected). */
  hasHiddenOfAuthor(site: string, post: string, authorId: string): Promise<boolean>;
  /** The author's latest comments on a site, newest first, whatever their status. */
  findRecentByAuthor(authorId: string, site: string, limit: number): Promise<CommentRecord[]>;
  /**
   * Changes status only if the comment is still in `from` (and at
   * `expectedRevision` when given): the guard against lost updates.
   */
  changeStatus(
    id: string,
    guard: { from: CommentStatus; expectedRevision?: number | undefined },
    change: { to: CommentStatus; at: Date; by: StatusActor; hasOpenReports: boolean; deletedAt?: Date | undefined },
  ): Promise<CommentRecord | undefined>;
  /** Replaces the body if still at `expectedRevision` and in `from`. */
  replaceBody(id: string, guard: { from: CommentStatus; expectedRevision: number }, update: BodyUpdate): Promise<CommentRecord | undefined>;
  /** Applies a diff to the reply count; returns the comment after it. */
  incrementReplyCount(id: string, diff: number): Promise<CommentRecord | undefined>;
  setReplyCount(id: string, replyCount: number): Promise<void>;
  /** Sets many reply counts (repair) in bulk writes of a bounded size. */
  setReplyCounts(changes: readonly { id: string; replyCount: number }[]): Promise<void>;
  /** Counts one report and returns the comment after it. */
  addReport(id: string, reason: ReportReason, at: Date): Promise<CommentRecord | undefined>;
  /** Opens the reported state of a published comment; false if it was open already (or not published). */
  openReports(id: string, at: Date): Promise<boolean>;
  /** Closes it; false if it was not open. */
  closeReports(id: string): Promise<boolean>;
  listQueue(query: QueueQuery, order: KeysetOrder, after: KeysetPosition | null, limit: number): Promise<CommentRecord[]>;
  countQueue(query: QueueQuery): Promise<number>;
  scanForRepair(postIds: readonly string[]): Promise<RepairRow[]>;
  /** Adds to a comment's reaction counts and re-scores it; undefined when it is gone. */
  adjustReactions(id: string, up: number, down: number): Promise<CommentRecord | undefined>;
  /** Sets counts recounted from the reactions (repair); true when they were wrong. */
  setReactions(id: string, up: number, down: number): Promise<boolean>;
  /**
   * Features (a date) or unfeatures (null) a comment; featuring only while it is
   * published. Undefined when the guard failed (gone, or not published).
   */
  setFeatured(id: string, featuredAt: Date | null): Promise<CommentRecord | undefined>;
  /** A post's published featured comments, latest featured first. */
  findFeatured(site: string, post: string, limit: number): Promise<CommentRecord[]>;
  /**
   * The ids of a post's visible top-level comments in ranking order (`bestScore` or
   * `replyCount`, then id), at most `limit`, from after `after` (a comment's value and
   * id) when given: the frozen order of a ranking snapshot.
   */
  rankTopLevel(query: {
    site: string;
    post: string;
    viewerAuthorId?: string | undefined;
    field: 'bestScore' | 'replyCount';
    limit: number;
    after?: { value: number; id: string } | undefined;
  }): Promise<string[]>;
}

function toRecord(doc: CommentDoc): CommentRecord {
  const ancestorIds = (doc.ancestorIds ?? []).map((id) => id.toHexString());
  return {
    id: doc._id.toHexString(),
    site: doc.site,
    post: doc.post,
    postId: doc.postId.toHexString(),
    parentId: doc.parentId ? doc.parentId.toHexString() : null,
    ancestorIds,
    depth: ancestorIds.length,
    authorId: doc.authorId,
    body: doc.body,
    html: htmlOf(doc),
    status: doc.status,
    revision: doc.revision ?? 1,
    verdict: doc.verdict ?? null,
    history: doc.history ?? [],
    replyCount: doc.replyCount ?? 0,
    reportCount: doc.reportCount ?? 0,
    reportReasons: doc.reportReasons ?? {},
    hasOpenReports: doc.hasOpenReports ?? false,
    reactions: { up: doc.reactionUp ?? 0, down: doc.reactionDown ?? 0 },
    featuredAt: doc.featuredAt ?? null,
    firstReportedAt: doc.firstReportedAt ?? null,
    lastReportedAt: doc.lastReportedAt ?? null,
    createdAt: doc.createdAt,
    editedAt: doc.editedAt ?? null,
    statusChangedAt: doc.statusChangedAt ?? doc.createdAt,
    statusChangedBy: doc.statusChangedBy ?? null,
    deletedAt: doc.deletedAt ?? null,
  };
}

/** The stored HTML when the current renderer wrote it; otherwise rendered now (comments from before formatting, imports). */
function htmlOf(doc: Pick<CommentDoc, 'body' | 'html' | 'htmlVersion'>): string {
  if (doc.html !== undefined && doc.html !== null && doc.htmlVersion === COMMENT_HTML_VERSION) return doc.html;
  return renderCommentHtml(doc.body ?? '');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function keyValue(field: CommentOrderField, key: number): Date | number {
  return field === 'replyCount' ? key : new Date(key);
}

/** `(field, _id)` strictly after the position in the given direction. */
function afterClause(order: KeysetOrder, after: KeysetPosition): QueryFilter<CommentDoc> {
  const op = order.direction === 1 ? '$gt' : '$lt';
  const value = keyValue(order.field, after.key);
  const id = new Types.ObjectId(after.id);
  // The outer bound repeats what the $or says, so a planner can bound the index range by it.
  return {
    [order.field]: { [order.direction === 1 ? '$gte' : '$lte']: value },
    $or: [{ [order.field]: { [op]: value } }, { [order.field]: value, _id: { [op]: id } }],
  };
}

/** What a reader sees in the thread: published comments, tombstones with replies, their own pending ones. */
function visibleTo(viewerAuthorId: string | undefined): QueryFilter<CommentDoc>[] {
  const visible: QueryFilter<CommentDoc>[] = [
    { status: 'published' },
    // Placeholders (deleted by the author, removed by moderation) that keep their replies readable.
    { status: { $in: ['deleted', 'rejected'] }, replyCount: { $gt: 0 } },
  ];
  if (viewerAuthorId !== undefined) visible.push({ status: 'pending', authorId: viewerAuthorId });
  return visible;
}

/**
 * The statuses `visibleTo` admits, as one `$in` beside its `$or`: the same set, said so
 * an index on `(…, status, createdAt)` is scanned as one range per status, merged in
 * the sort's order and stopped at the page's end, instead of sorting the whole thread.
 */
function visibleStatuses(viewerAuthorId: string | undefined): QueryFilter<CommentDoc> {
  const statuses: CommentStatus[] = ['published', 'deleted', 'rejected'];
  if (viewerAuthorId !== undefined) statuses.push('pending');
  return { status: { $in: statuses } };
}

function queueFilter(query: QueueQuery): QueryFilter<CommentDoc> {
  const filter: Record<string, unknown> = {};
  if (query.statuses) filter['status'] = { $in: [...query.statuses] };
  if (query.sites) filter['site'] = { $in: [...query.sites] };
  if (query.postId) filter['postId'] = new Types.ObjectId(query.postId);
  if (query.authorId) filter['authorId'] = query.authorId;
  if (query.isReported !== undefined) filter['hasOpenReports'] = query.isReported;
  if (query.languages) filter['verdict.languages'] = { $in: [...query.languages] };
  if (query.keyword) {
    const byText = { body: { $regex: escapeRegex(query.keyword), $options: 'i' } };
    const authorIds = query.keywordAuthorIds ?? [];
    if (authorIds.length > 0) filter['$or'] = [byText, { authorId: { $in: [...authorIds] } }];
    else Object.assign(filter, byText);
  }
  return filter;
}

function toDoc(comment: NewComment): CommentDoc {
  return {
    _id: comment.id !== undefined ? new Types.ObjectId(comment.id) : new Types.ObjectId(),
    site: comment.site,
    post: comment.post,
    postId: new Types.ObjectId(comment.postId),
    parentId: comment.parentId ? new Types.ObjectId(comment.parentId) : null,
    ancestorIds: comment.ancestorIds.map((id) => new Types.ObjectId(id)),
    authorId: comment.authorId,
    body: comment.body,
    html: renderCommentHtml(comment.body),
    htmlVersion: COMMENT_HTML_VERSION,
    status: comment.status,
    revision: comment.revision,
    verdict: comment.verdict,
    history: comment.history,
    replyCount: comment.replyCount,
    reportCount: comment.reportCount,
    reportReasons: comment.reportReasons,
    hasOpenReports: comment.hasOpenReports,
    reactionUp: comment.reactions?.up ?? 0,
    reactionDown: comment.reactions?.down ?? 0,
    bestScore: wilsonLowerBound(comment.reactions?.up ?? 0, comment.reactions?.down ?? 0),
    featuredAt: comment.featuredAt ?? null,
    firstReportedAt: comment.firstReportedAt,
    lastReportedAt: comment.lastReportedAt,
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
    statusChangedAt: comment.statusChangedAt,
    statusChangedBy: comment.statusChangedBy,
    deletedAt: comment.deletedAt,
  };
}

export function createCommentRepository(connection: Connection): CommentRepository {
  const Comment: Model<CommentDoc> =
    (connection.models['Comment'] as Model<CommentDoc> | undefined) ?? connection.model<CommentDoc>('Comment', commentSchema);

  // Comments posted together go to the database in one insert command (each still awaits its own).
  const inserts = createGroupCommit(insertEach(Comment), { connection: Comment.db });
  const sortOf = (order: KeysetOrder): Record<string, 1 | -1> => ({ [order.field]: order.direction, _id: order.direction });

  return {
    newId: () => new Types.ObjectId().toHexString(),
    async insert(comment) {
      const created = newDocument(Comment, { ...toDoc(comment) });
      await inserts.add(created);
      return toRecord(created as CommentDoc);
    },
    async insertMany(many) {
      if (many.length === 0) return;
      await Comment.insertMany(many.map(toDoc), { ordered: true, lean: true });
    },
    async findById(id) {
      if (!Types.ObjectId.isValid(id)) return undefined;
      const doc = await Comment.findById(id).lean<CommentDoc>().exec();
      return doc ? toRecord(doc) : undefined;
    },
    async findByIds(ids) {
      if (ids.length === 0) return [];
      const docs = await Comment.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } })
        .lean<CommentDoc[]>()
        .exec();
      return docs.map(toRecord);
    },
    async findThreadPage(query) {
      const and: QueryFilter<CommentDoc>[] = [visibleStatuses(query.viewerAuthorId), { $or: visibleTo(query.viewerAuthorId) }];
      if (query.after) and.push(afterClause(query.order, query.after));
      const filter = {
        site: query.site,
        post: query.post,
        parentId: query.parentId === null ? null : new Types.ObjectId(query.parentId),
        $and: and,
      } as QueryFilter<CommentDoc>;
      const docs = await Comment.find(filter).sort(sortOf(query.order)).limit(query.limit).lean<CommentDoc[]>().exec();
      return docs.map(toRecord);
    },
    async findReplyTrees(query) {
      const trees = new Map<string, CommentRecord[]>();
      if (query.rootIds.length === 0 || query.levels < 1) return trees;
      const groups = await Comment.aggregate<{ _id: Types.ObjectId; replies: CommentDoc[] }>([
        {
          $match: {
            site: query.site,
            post: query.post,
            ancestorIds: { $in: query.rootIds.map((id) => new Types.ObjectId(id)) },
            // Deeper than the last nested level: left for its own replies page.
            [`ancestorIds.${query.rootDepth + query.levels}`]: { $exists: false },
            $or: visibleTo(query.viewerAuthorId),
          },
        },
        { $sort: { createdAt: 1, _id: 1 } },
        { $group: { _id: '$parentId', replies: { $push: '$$ROOT' } } },
        { $project: { replies: { $slice: ['$replies', query.perParent] } } },
      ]).exec();
      for (const group of groups) trees.set(group._id.toHexString(), group.replies.map(toRecord));
      return trees;
    },
    keyOf(record, field) {
      if (field === 'replyCount') return record.replyCount;
      const value = record[field];
      return value ? value.getTime() : 0;
    },
    async findPendingOfAuthor(site, post, authorId, limit) {
      const docs = await Comment.find({ site, post, authorId, status: 'pending' }).sort({ createdAt: -1 }).limit(limit).lean<CommentDoc[]>().exec();
      return docs.map(toRecord);
    },
    async hasHiddenOfAuthor(site, post, authorId) {
      const doc = await Comment.findOne({ authorId, site, post, status: { $in: ['pending', 'rejected'] } }, { _id: 1 }).lean<Pick<CommentDoc, '_id'>>().exec();
      return doc !== null;
    },
    async findRecentActivity(postId, limit) {
      const docs = await Comment.find({ postId }, { _id: 1, reportCount: 1, status: 1, 'verdict.action': 1 })
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit)
        .lean<Pick<CommentDoc, '_id' | 'reportCount' | 'status' | 'verdict'>[]>()
        .exec();
      return docs.map((doc) => ({
        id: doc._id.toHexString(),
        reportCount: doc.reportCount,
        isHeld: doc.verdict?.action === 'hold' || doc.status === 'pending',
      }));
    },
    async findPostIdsOfAuthor(authorId) {
      const ids = await Comment.distinct('postId', { authorId }).exec();
      return ids.map((id) => id.toHexString());
    },
    async findRecentByAuthor(authorId, site, limit) {
      const docs = await Comment.find({ authorId, site }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<CommentDoc[]>().exec();
      return docs.map(toRecord);
    },
    async changeStatus(id, guard, change) {
      const filter: Record<string, unknown> = { _id: new Types.ObjectId(id), status: guard.from };
      if (guard.expectedRevision !== undefined) filter['revision'] = guard.expectedRevision;
      const set: Record<string, unknown> = {
        status: change.to,
        statusChangedAt: change.at,
        statusChangedBy: change.by,
        hasOpenReports: change.hasOpenReports,
      };
      if (change.deletedAt !== undefined) set['deletedAt'] = change.deletedAt;
      const doc = await Comment.findOneAndUpdate(filter as QueryFilter<CommentDoc>, { $set: set }, { returnDocument: 'after' }).lean<CommentDoc>().exec();
      return doc ? toRecord(doc) : undefined;
    },
    async replaceBody(id, guard, update) {
      const filter = { _id: new Types.ObjectId(id), status: guard.from, revision: guard.expectedRevision } as QueryFilter<CommentDoc>;
      const set: Record<string, unknown> = {
        body: update.body,
        html: renderCommentHtml(update.body),
        htmlVersion: COMMENT_HTML_VERSION,
        status: update.status,
        verdict: update.verdict,
        editedAt: update.editedAt,
        hasOpenReports: update.hasOpenReports,
      };
      if (update.status !== guard.from) set['statusChangedAt'] = update.statusChangedAt;
      const doc = await Comment.findOneAndUpdate(
        filter,
        { $set: set, $inc: { revision: 1 }, $push: { history: update.replaced } },
        { returnDocument: 'after' },
      )
        .lean<CommentDoc>()
        .exec();
      return doc ? toRecord(doc) : undefined;
    },
    async incrementReplyCount(id, diff) {
      const doc = await Comment.findOneAndUpdate({ _id: new Types.ObjectId(id) }, { $inc: { replyCount: diff } }, { returnDocument: 'after' })
        .lean<CommentDoc>()
        .exec();
      return doc ? toRecord(doc) : undefined;
    },
    async setReplyCount(id, replyCount) {
      await Comment.updateOne({ _id: new Types.ObjectId(id) }, { $set: { replyCount } }).exec();
    },
    async setReplyCounts(changes) {
      for (let start = 0; start < changes.length; start += BULK_WRITE_SIZE) {
        const chunk = changes.slice(start, start + BULK_WRITE_SIZE);
        await Comment.bulkWrite(
          chunk.map((change) => ({
            updateOne: { filter: { _id: new Types.ObjectId(change.id) }, update: { $set: { replyCount: change.replyCount } } },
          })),
          { ordered: false },
        );
      }
    },
    async addReport(id, reason, at) {
      const doc = await Comment.findOneAndUpdate(
        { _id: new Types.ObjectId(id) },
        { $inc: { reportCount: 1, [`reportReasons.${reason}`]: 1 }, $set: { lastReportedAt: at } },
        { returnDocument: 'after' },
      )
        .lean<CommentDoc>()
        .exec();
      return doc ? toRecord(doc) : undefined;
    },
    async adjustReactions(id, up, down) {
      const _id = new Types.ObjectId(id);
      const doc = await Comment.findOneAndUpdate({ _id }, { $inc: { reactionUp: up, reactionDown: down } }, { returnDocument: 'after' })
        .lean<CommentDoc>()
        .exec();
      if (!doc) return undefined;
      // Scored from the counts this update produced; guarded so a concurrent change's own re-score wins.
      await Comment.updateOne(
        { _id, reactionUp: doc.reactionUp, reactionDown: doc.reactionDown },
        { $set: { bestScore: wilsonLowerBound(doc.reactionUp, doc.reactionDown) } },
      ).exec();
      return toRecord(doc);
    },
    async setReactions(id, up, down) {
      const result = await Comment.updateOne(
        { _id: new Types.ObjectId(id), $or: [{ reactionUp: { $ne: up } }, { reactionDown: { $ne: down } }] },
        { $set: { reactionUp: up, reactionDown: down, bestScore: wilsonLowerBound(up, down) } },
      ).exec();
      return result.modifiedCount === 1;
    },
    async setFeatured(id, featuredAt) {
      if (!Types.ObjectId.isValid(id)) return undefined;
      const filter: Record<string, unknown> = { _id: new Types.ObjectId(id) };
      if (featuredAt !== null) filter['status'] = 'published';
      const doc = await Comment.findOneAndUpdate(filter as QueryFilter<CommentDoc>, { $set: { featuredAt } }, { returnDocument: 'after' })
        .lean<CommentDoc>()
        .exec();
      return doc ? toRecord(doc) : undefined;
    },
    async findFeatured(site, post, limit) {
      const docs = await Comment.find({ site, post, featuredAt: { $ne: null }, status: 'published' })
        .sort({ featuredAt: -1, _id: -1 })
        .limit(limit)
        .lean<CommentDoc[]>()
        .exec();
      return docs.map(toRecord);
    },
    async rankTopLevel(query) {
      const filter: QueryFilter<CommentDoc> = { site: query.site, post: query.post, parentId: null, $or: visibleTo(query.viewerAuthorId) };
      const { after } = query;
      if (after !== undefined) {
        filter.$and = [{ $or: [{ [query.field]: { $lt: after.value } }, { [query.field]: after.value, _id: { $lt: new Types.ObjectId(after.id) } }] }];
      }
      const docs = await Comment.find(filter, { _id: 1 })
        .sort({ [query.field]: -1, _id: -1 })
        .limit(query.limit)
        .lean<Pick<CommentDoc, '_id'>[]>()
        .exec();
      return docs.map((doc) => doc._id.toHexString());
    },
    async openReports(id, at) {
      const result = await Comment.updateOne(
        { _id: new Types.ObjectId(id), status: 'published', hasOpenReports: false },
        { $set: { hasOpenReports: true, firstReportedAt: at } },
      ).exec();
      return result.modifiedCount === 1;
    },
    async closeReports(id) {
      const result = await Comment.updateOne({ _id: new Types.ObjectId(id), hasOpenReports: true }, { $set: { hasOpenReports: false } }).exec();
      return result.modifiedCount === 1;
    },
    async listQueue(query, order, after, limit) {
      const filter = queueFilter(query);
      const full = after ? ({ $and: [filter, afterClause(order, after)] } as QueryFilter<CommentDoc>) : filter;
      const docs = await Comment.find(full).sort(sortOf(order)).limit(limit).lean<CommentDoc[]>().exec();
      return docs.map(toRecord);
    },
    countQueue(query) {
      return Comment.countDocuments(queueFilter(query)).exec();
    },
    async scanForRepair(postIds) {
      if (postIds.length === 0) return [];
      const docs = await Comment.find(
        { postId: { $in: postIds.map((id) => new Types.ObjectId(id)) } },
        { postId: 1, parentId: 1, ancestorIds: 1, status: 1, hasOpenReports: 1, replyCount: 1, reactionUp: 1, reactionDown: 1 },
      )
        .lean<Pick<CommentDoc, '_id' | 'postId' | 'parentId' | 'ancestorIds' | 'status' | 'hasOpenReports' | 'replyCount' | 'reactionUp' | 'reactionDown'>[]>()
        .exec();
      return docs.map((doc) => ({
        id: doc._id.toHexString(),
        depth: (doc.ancestorIds ?? []).length,
        postId: doc.postId.toHexString(),
        parentId: doc.parentId ? doc.parentId.toHexString() : null,
        reactions: { up: doc.reactionUp ?? 0, down: doc.reactionDown ?? 0 },
        status: doc.status,
        hasOpenReports: doc.hasOpenReports ?? false,
        replyCount: doc.replyCount ?? 0,
      }));
    },
  };
}
