import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import type { CommentStatus } from '../contracts/comments';
import { normaliseCommentText } from '../comments';
import { withoutId, type StoredCollections } from './stored-collections';

/** A post (Disqus thread, WordPress item) as read from an export. */
export interface ImportedThread {
  externalId: string;
  /** The post key Parley will use (`data-post`). */
  key: string;
  url: string | null;
  title: string | null;
  createdAt: Date;
  closed: boolean;
}

export interface ImportedComment {
  externalId: string;
  threadExternalId: string;
  parentExternalId: string | null;
  authorName: string;
  authorEmail: string | null;
  /** Plain text (markup already turned into text). */
  body: string;
  createdAt: Date;
  status: CommentStatus;
}

/** What an import did: every comment in the file is counted once, in one of these. */
export interface ImportSummary {
  format: string;
  site: string;
  threads: number;
  imported: number;
  /** Already there from an earlier run of the same import (the import is idempotent). */
  unchanged: number;
  skipped: number;
  /** Why comments were skipped, with how many each. */
  skippedReasons: Record<string, number>;
  /** Comments whose parent is not in the file: kept, as top-level comments. */
  orphans: number;
  byStatus: Partial<Record<CommentStatus, number>>;
}

const BATCH = 500;
const MAX_BODY = 20_000;
const MAX_NAME = 80;

/** A deterministic ObjectId: the same input always names the same document, so a re-run changes nothing. */
export function stableObjectId(...parts: string[]): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24));
}

export function hashEmail(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

/**
 * Writes imported threads and comments: posts matched by key or URL, authors as
 * guest identities (name and hashed e-mail), comments with their whole ancestry.
 * Every write is an upsert of a deterministic id with `$setOnInsert`, so running
 * the same import twice changes nothing. Nothing is published on the event bus:
 * imported comments raise no live events, notifications or webhooks.
 */
export function createImportWriter(deps: {
  stores: StoredCollections;
  site: string;
  format: string;
  /** Parent of each comment, by external id (read in a first pass over the file). */
  parents: ReadonlyMap<string, string | null>;
}) {
  const { stores, site, format } = deps;
  const summary: ImportSummary = {
    format,
    site,
    threads: 0,
    imported: 0,
    unchanged: 0,
    skipped: 0,
    skippedReasons: {},
    orphans: 0,
    byStatus: {},
  };
  const threads = new Map<string, { postId: Types.ObjectId; key: string }>();
  const authorIds = new Map<string, Types.ObjectId>();
  const authorsTouched = new Set<string>();
  let pending: { doc: Record<string, unknown>; status: CommentStatus }[] = [];
  let pendingAuthors: Record<string, unknown>[] = [];

  const commentId = (externalId: string): Types.ObjectId =>
    stableObjectId(site, format, 'comment', externalId);

  const ancestorsOf = (externalId: string): { ids: Types.ObjectId[]; isOrphan: boolean } => {
    const chain: Types.ObjectId[] = [];
    const seen = new Set<string>([externalId]);
    let parent = deps.parents.get(externalId) ?? null;
    while (parent !== null) {
      if (seen.has(parent) || !deps.parents.has(parent))
        return { ids: chain.length === 0 ? [] : chain.reverse(), isOrphan: chain.length === 0 };
      seen.add(parent);
      chain.push(commentId(parent));
      parent = deps.parents.get(parent) ?? null;
    }
    return { ids: chain.reverse(), isOrphan: false };
  };

  const skip = (reason: string): void => {
    summary.skipped += 1;
    summary.skippedReasons[reason] = (summary.skippedReasons[reason] ?? 0) + 1;
  };

  const flush = async (): Promise<void> => {
    if (pendingAuthors.length > 0) {
      const authors = pendingAuthors;
      pendingAuthors = [];
      await stores.Author.bulkWrite(
        authors.map((doc) => ({
          updateOne: {
            filter: { _id: doc['_id'] },
            update: { $setOnInsert: withoutId(doc) },
            upsert: true,
            timestamps: false,
          },
        })),
        { ordered: false },
      );
    }
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const result = await stores.Comment.bulkWrite(
      batch.map(({ doc }) => ({
        updateOne: {
          filter: { _id: doc['_id'] },
          update: { $setOnInsert: withoutId(doc) },
          upsert: true,
          timestamps: false,
        },
      })),
      { ordered: false },
    );
    const inserted = new Set(Object.values(result.upsertedIds).map((id) => String(id)));
    for (const { doc, status } of batch) {
      if (inserted.has(String(doc['_id']))) {
        summary.imported += 1;
        summary.byStatus[status] = (summary.byStatus[status] ?? 0) + 1;
      } else {
        summary.unchanged += 1;
      }
    }
  };

  const authorFor = (name: string, email: string | null, at: Date): Types.ObjectId => {
    const identity = email ? `email:${hashEmail(email)}` : `name:${name}`;
    const known = authorIds.get(identity);
    if (known) return known;
    const id = stableObjectId(site, format, 'author', identity);
    authorIds.set(identity, id);
    pendingAuthors.push({
      _id: id,
      site,
      kind: 'guest',
      // Guests have no external account; an imported guest keeps where it came from and a hash of its e-mail, never the address.
      externalId: `${format}:${identity.startsWith('email:') ? `sha256:${identity.slice(6)}` : 'name'}`,
      name,
      avatar: null,
      email: null,
      standing: 'active',
      suspendedUntil: null,
      counts: { published: 0, pending: 0, rejected: 0 },
      createdAt: at,
      updatedAt: at,
    });
    return id;
  };

  return {
    summary,

    async addThread(thread: ImportedThread): Promise<void> {
      if (threads.has(thread.externalId)) return;
      summary.threads += 1;
      const existing =
        (await stores.Post.findOne({ site, key: thread.key }, { _id: 1, key: 1 }).lean()) ??
        (thread.url ? await stores.Post.findOne({ site, url: thread.url }, { _id: 1, key: 1 }).lean() : null);
      if (existing) {
        threads.set(thread.externalId, {
          postId: existing._id as Types.ObjectId,
          key: String(existing['key']),
        });
        return;
      }
      const postId = stableObjectId(site, format, 'post', thread.externalId);
      await stores.Post.updateOne(
        { _id: postId },
        {
          $setOnInsert: {
            site,
            key: thread.key,
            url: thread.url,
            title: thread.title,
            closed: thread.closed,
            heat: 'normal',
            premoderation: null,
            counts: { published: 0, pending: 0, reported: 0 },
            eventSeq: 0,
            pageVersion: 0,
            createdAt: thread.createdAt,
            updatedAt: thread.createdAt,
          },
        },
        { upsert: true },
      );
      threads.set(thread.externalId, { postId, key: thread.key });
    },

    async addComment(comment: ImportedComment): Promise<void> {
      const thread = threads.get(comment.threadExternalId);
      if (!thread) {
        skip('its thread is not in the file');
        return;
      }
      const body = normaliseCommentText(comment.body).slice(0, MAX_BODY);
      if (body === '' && comment.status !== 'deleted') {
        skip('empty text');
        return;
      }
      if (Number.isNaN(comment.createdAt.getTime())) {
        skip('no valid date');
        return;
      }
      const name = normaliseCommentText(comment.authorName).slice(0, MAX_NAME) || 'Guest';
      const ancestry = ancestorsOf(comment.externalId);
      if (ancestry.isOrphan) summary.orphans += 1;
      const authorId = authorFor(name, comment.authorEmail, comment.createdAt);
      authorsTouched.add(authorId.toHexString());
      pending.push({
        status: comment.status,
        doc: {
          _id: commentId(comment.externalId),
          site,
          post: thread.key,
          postId: thread.postId,
          parentId: ancestry.ids[ancestry.ids.length - 1] ?? null,
          ancestorIds: ancestry.ids,
          authorId: authorId.toHexString(),
          body,
          status: comment.status,
          revision: 1,
          verdict: null,
          history: [],
          replyCount: 0,
          reportCount: 0,
          reportReasons: {},
          hasOpenReports: false,
          firstReportedAt: null,
          lastReportedAt: null,
          createdAt: comment.createdAt,
          editedAt: null,
          statusChangedAt: comment.createdAt,
          statusChangedBy: { kind: 'system' },
          deletedAt: comment.status === 'deleted' ? comment.createdAt : null,
        },
      });
      if (pending.length >= BATCH) await flush();
    },

    skip,

    /** Writes what is buffered and brings the authors' decision counts up to date. */
    async finish(): Promise<ImportSummary> {
      await flush();
      const ids = [...authorsTouched];
      for (let start = 0; start < ids.length; start += BATCH) {
        const slice = ids.slice(start, start + BATCH);
        const rows = await stores.Comment.aggregate<{ _id: { author: string; status: string }; n: number }>([
          { $match: { authorId: { $in: slice } } },
          { $group: { _id: { author: '$authorId', status: '$status' }, n: { $sum: 1 } } },
        ]);
        const counts = new Map<string, { published: number; pending: number; rejected: number }>();
        for (const id of slice) counts.set(id, { published: 0, pending: 0, rejected: 0 });
        for (const row of rows) {
          const entry = counts.get(row._id.author);
          if (
            entry &&
            (row._id.status === 'published' || row._id.status === 'pending' || row._id.status === 'rejected')
          )
            entry[row._id.status] = row.n;
        }
        await stores.Author.bulkWrite(
          [...counts].map(([id, value]) => ({
            updateOne: { filter: { _id: new Types.ObjectId(id) }, update: { $set: { counts: value } } },
          })),
        );
      }
      return summary;
    },
  };
}
