import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { PostHeat, PremoderationMode } from '../contracts/moderation';
import type { PostCounts, PostRecord } from './comment.types';
import { createGroupRead } from '../db/group-read';

interface PostDoc {
  _id: Types.ObjectId;
  site: string;
  key: string;
  url: string | null;
  title: string | null;
  closed: boolean;
  /** A moderator opened the post: the site's `closeAfterDays` leaves it open. */
  keepOpen?: boolean;
  heat: PostHeat;
  premoderation: PremoderationMode | null;
  counts: PostCounts;
  eventSeq: number;
  pageVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

const postSchema = new Schema<PostDoc>(
  {
    site: { type: String, required: true },
    key: { type: String, required: true },
    url: { type: String, default: null },
    title: { type: String, default: null },
    closed: { type: Boolean, default: false },
    keepOpen: { type: Boolean, default: false },
    heat: { type: String, default: 'normal' },
    premoderation: { type: String, default: null },
    counts: {
      published: { type: Number, default: 0 },
      pending: { type: Number, default: 0 },
      reported: { type: Number, default: 0 },
    },
    eventSeq: { type: Number, default: 0 },
    pageVersion: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'posts', versionKey: false, minimize: false },
);
postSchema.index({ site: 1, key: 1 }, { unique: true });
postSchema.index({ site: 1, updatedAt: -1 });
// The sweep that closes posts after a site's `closeAfterDays`.
postSchema.index({ site: 1, closed: 1, createdAt: 1 });

export interface NewPost {
  site: string;
  key: string;
  url: string | null;
  title: string | null;
  now: Date;
}

export interface PostStatePatch {
  heat?: PostHeat | undefined;
  closed?: boolean | undefined;
  premoderation?: PremoderationMode | null | undefined;
}

export interface PostRepository {
  findById(id: string): Promise<PostRecord | undefined>;
  findByKey(site: string, key: string): Promise<PostRecord | undefined>;
  findByKeys(site: string, keys: readonly string[]): Promise<PostRecord[]>;
  findByIds(ids: readonly string[]): Promise<PostRecord[]>;
  /** Most recently active first. */
  listRecent(sites: readonly string[] | undefined, limit: number): Promise<PostRecord[]>;
  /** Finds the post or creates it; safe when two requests create it at once. */
  findOrCreate(post: NewPost): Promise<PostRecord>;
  /** Fills url/title the first time a client tells them. */
  fillDetails(id: string, details: { url?: string | undefined; title?: string | undefined }): Promise<void>;
  /** Applies a counts diff atomically and returns the counts after it. */
  incrementCounts(id: string, diff: Partial<PostCounts>, now: Date): Promise<PostCounts | undefined>;
  /**
   * Atomically takes the next live-event sequence number. An event every reader
   * sees (`isPublic`) also moves the page version in the same write, so a seq read
   * beside a page version never names a public event that version's pages lack.
   */
  nextEventSeq(id: string, options?: { isPublic: boolean }): Promise<number>;
  /**
   * `nextEventSeq` and `incrementCounts` in one write: the counts diff of the change
   * the event tells, applied atomically with its sequence number (one command, not two).
   */
  nextEventSeqWithCounts(id: string, options: { isPublic: boolean; diff: Partial<PostCounts>; now: Date }): Promise<{ seq: number; counts: PostCounts }>;
  /**
   * Moves the post's page version: every write that changes what readers of the
   * thread see calls it once its data is written, so cached pages of the older
   * version are never served again (by any instance: the version is stored here).
   */
  bumpPageVersion(id: string): Promise<void>;
  bumpPageVersions(ids: readonly string[]): Promise<void>;
  /** Opening a post (`closed: false`) also keeps it open past the site's `closeAfterDays`. */
  setState(id: string, patch: PostStatePatch, now: Date): Promise<PostRecord | undefined>;
  /** Open posts of a site first seen before `cutoff` that no moderator kept open, oldest first. */
  findDueToClose(site: string, cutoff: Date, limit: number): Promise<PostRecord[]>;
  setCounts(id: string, counts: PostCounts): Promise<void>;
  /** The posts' denormalised counts added up per site set (all sites when undefined): no comment is counted. */
  sumCounts(sites: readonly string[] | undefined): Promise<PostCounts>;
  /** Every post of a site (or all), for repairs. */
  listIds(site?: string): Promise<{ id: string; site: string; key: string; counts: PostCounts }[]>;
}

function toRecord(doc: PostDoc): PostRecord {
  return {
    id: doc._id.toHexString(),
    site: doc.site,
    key: doc.key,
    url: doc.url ?? null,
    title: doc.title ?? null,
    closed: doc.closed ?? false,
    heat: doc.heat ?? 'normal',
    premoderation: doc.premoderation ?? null,
    counts: {
      published: doc.counts?.published ?? 0,
      pending: doc.counts?.pending ?? 0,
      reported: doc.counts?.reported ?? 0,
    },
    eventSeq: doc.eventSeq ?? 0,
    pageVersion: doc.pageVersion ?? 0,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

export function createPostRepository(
  connection: Connection,
  options: {
    /** Told once a write that moved these posts' page versions is acknowledged. */
    onPageVersionMoved?: ((postIds: string[]) => void) | undefined;
  } = {},
): PostRepository {
  const Post: Model<PostDoc> = (connection.models['Post'] as Model<PostDoc> | undefined) ?? connection.model<PostDoc>('Post', postSchema);
  const moved = (ids: readonly string[]): void => options.onPageVersionMoved?.([...ids]);

  // Read on every post and every thread page: those asking together share one read (through the driver, as a lean read would answer it).
  const postsByKey = createGroupRead<{ site: string; key: string }, PostDoc | undefined>(async (queries) => {
    const sites = [...new Set(queries.map((query) => query.site))];
    const filter =
      sites.length === 1 && sites[0] !== undefined
        ? { site: sites[0], key: { $in: [...new Set(queries.map((query) => query.key))] } }
        : { $or: queries.map((query) => ({ site: query.site, key: query.key })) };
    const docs = await Post.collection.find<PostDoc>(filter).toArray();
    return queries.map((query) => docs.find((doc) => doc.site === query.site && doc.key === query.key));
  }, { connection: Post.db });
  const findByKey = async (site: string, key: string): Promise<PostRecord | undefined> => {
    const doc = await postsByKey({ site, key });
    return doc ? toRecord(doc) : undefined;
  };

  return {
    async findById(id) {
      if (!Types.ObjectId.isValid(id)) return undefined;
      const doc = await Post.findById(id).lean<PostDoc>().exec();
      return doc ? toRecord(doc) : undefined;
    },
    findByKey,
    async findByKeys(site, keys) {
      const docs = await Post.find({ site, key: { $in: [...keys] } }).lean<PostDoc[]>().exec();
      return docs.map(toRecord);
    },
    async findByIds(ids) {
      if (ids.length === 0) return [];
      const docs = await Post.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }).lean<PostDoc[]>().exec();
      return docs.map(toRecord);
    },
    async listRecent(sites, limit) {
      const filter = sites === undefined ? {} : { site: { $in: [...sites] } };
      const docs = await Post.find(filter).sort({ updatedAt: -1, _id: -1 }).limit(limit).lean<PostDoc[]>().exec();
      return docs.map(toRecord);
    },
    async findOrCreate(post) {
      const existing = await findByKey(post.site, post.key);
      if (existing) return existing;
      try {
        const created = await Post.create({
          site: post.site,
          key: post.key,
          url: post.url,
          title: post.title,
          closed: false,
          heat: 'normal',
          premoderation: null,
          counts: { published: 0, pending: 0, reported: 0 },
          eventSeq: 0,
          pageVersion: 0,
          createdAt: post.now,
          updatedAt: post.now,
        });
        return toRecord(created.toObject<PostDoc>());
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const raced = await findByKey(post.site, post.key);
        if (!raced) throw error;
        return raced;
      }
    },
    async fillDetails(id, details) {
      const updates: Promise<unknown>[] = [];
      // Readers see the url and title: their cached pages go.
      if (details.url !== undefined) updates.push(Post.updateOne({ _id: id, url: null }, { $set: { url: details.url }, $inc: { pageVersion: 1 } }).exec());
      if (details.title !== undefined) updates.push(Post.updateOne({ _id: id, title: null }, { $set: { title: details.title }, $inc: { pageVersion: 1 } }).exec());
      await Promise.all(updates);
      if (updates.length > 0) moved([id]);
    },
    async incrementCounts(id, diff, now) {
      const inc: Record<string, number> = {};
      for (const [field, amount] of Object.entries(diff)) if (amount) inc[`counts.${field}`] = amount;
      if (Object.keys(inc).length === 0) {
        const doc = await Post.findById(id).lean<PostDoc>().exec();
        return doc ? toRecord(doc).counts : undefined;
      }
      const doc = await Post.findOneAndUpdate({ _id: id }, { $inc: inc, $set: { updatedAt: now } }, { returnDocument: 'after' }).lean<PostDoc>().exec();
      return doc ? toRecord(doc).counts : undefined;
    },
    async nextEventSeq(id, options) {
      const inc = options?.isPublic === true ? { eventSeq: 1, pageVersion: 1 } : { eventSeq: 1 };
      const doc = await Post.findOneAndUpdate({ _id: id }, { $inc: inc }, { returnDocument: 'after', projection: { eventSeq: 1 } })
        .lean<Pick<PostDoc, '_id' | 'eventSeq'>>()
        .exec();
      if (!doc) throw new Error(`post ${id} vanished while appending an event`);
      if (options?.isPublic === true) moved([id]);
      return doc.eventSeq;
    },
    async nextEventSeqWithCounts(id, { isPublic, diff, now }) {
      const inc: Record<string, number> = isPublic ? { eventSeq: 1, pageVersion: 1 } : { eventSeq: 1 };
      for (const [field, amount] of Object.entries(diff)) if (amount) inc[`counts.${field}`] = amount;
      const doc = (await Post.collection.findOneAndUpdate(
        { _id: new Types.ObjectId(id) },
        { $inc: inc, $set: { updatedAt: now } },
        { returnDocument: 'after', projection: { eventSeq: 1, counts: 1 } },
      )) as Pick<PostDoc, '_id' | 'eventSeq' | 'counts'> | null;
      if (!doc) throw new Error(`post ${id} vanished while appending an event`);
      if (isPublic) moved([id]);
      return {
        seq: doc.eventSeq,
        counts: { published: doc.counts?.published ?? 0, pending: doc.counts?.pending ?? 0, reported: doc.counts?.reported ?? 0 },
      };
    },
    async setState(id, patch, now) {
      if (!Types.ObjectId.isValid(id)) return undefined;
      const set: Record<string, unknown> = { updatedAt: now };
      if (patch.heat !== undefined) set['heat'] = patch.heat;
      if (patch.closed !== undefined) set['closed'] = patch.closed;
      if (patch.closed === false) set['keepOpen'] = true;
      if (patch.premoderation !== undefined) set['premoderation'] = patch.premoderation;
      const doc = await Post.findOneAndUpdate({ _id: id }, { $set: set, $inc: { pageVersion: 1 } }, { returnDocument: 'after' }).lean<PostDoc>().exec();
      moved([id]);
      return doc ? toRecord(doc) : undefined;
    },
    async findDueToClose(site, cutoff, limit) {
      const docs = await Post.find({ site, closed: false, createdAt: { $lt: cutoff }, keepOpen: { $ne: true } })
        .sort({ createdAt: 1 })
        .limit(limit)
        .lean<PostDoc[]>()
        .exec();
      return docs.map(toRecord);
    },
    async setCounts(id, counts) {
      await Post.updateOne({ _id: id }, { $set: { counts }, $inc: { pageVersion: 1 } }).exec();
      moved([id]);
    },
    async bumpPageVersion(id) {
      await Post.updateOne({ _id: id }, { $inc: { pageVersion: 1 } }).exec();
      moved([id]);
    },
    async bumpPageVersions(ids) {
      if (ids.length === 0) return;
      await Post.updateMany({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { $inc: { pageVersion: 1 } }).exec();
      moved(ids);
    },
    async sumCounts(sites) {
      const match = sites === undefined ? {} : { site: { $in: [...sites] } };
      const [sum] = await Post.aggregate<PostCounts>([
        { $match: match },
        {
          $group: {
            _id: null,
            published: { $sum: '$counts.published' },
            pending: { $sum: '$counts.pending' },
            reported: { $sum: '$counts.reported' },
          },
        },
        { $project: { _id: 0, published: 1, pending: 1, reported: 1 } },
      ]).exec();
      return { published: sum?.published ?? 0, pending: sum?.pending ?? 0, reported: sum?.reported ?? 0 };
    },
    async listIds(site) {
      const docs = await Post.find(site === undefined ? {} : { site }, { site: 1, key: 1, counts: 1 })
        .lean<Pick<PostDoc, '_id' | 'site' | 'key' | 'counts'>[]>()
        .exec();
      return docs.map((doc) => ({
        id: doc._id.toHexString(),
        site: doc.site,
        key: doc.key,
        counts: { published: doc.counts?.published ?? 0, pending: doc.counts?.pending ?? 0, reported: doc.counts?.reported ?? 0 },
      }));
    },
  };
}
