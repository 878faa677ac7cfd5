import { Schema, Types, type Connection } from 'mongoose';
import { modelOn } from '../../db/model';
import { createGroupCommit, insertEach, newDocument } from '../../db/group-commit';

/** One comment's sketch, kept for the brigading window. */
export interface FingerprintRecord {
  commentId: string;
  site: string;
  postId: string;
  authorId: string;
  /** MinHash sketch; null for texts too short to compare. */
  sketch: number[] | null;
  isFirstTimeAuthor: boolean;
  createdAt: Date;
}

export type ClusterKind = 'near-duplicate' | 'first-time-burst';

export interface ClusterRecord {
  id: string;
  kind: ClusterKind;
  site: string;
  postIds: string[];
  commentIds: string[];
  authorIds: string[];
  sample: string;
  status: 'open' | 'rejected';
  createdAt: Date;
  updatedAt: Date;
}

interface FingerprintDoc extends FingerprintRecord {
  _id: Types.ObjectId;
}
interface ClusterDoc extends Omit<ClusterRecord, 'id'> {
  _id: Types.ObjectId;
}

const fingerprintSchema = new Schema<FingerprintDoc>(
  {
    commentId: { type: String, required: true },
    site: { type: String, required: true },
    postId: { type: String, required: true },
    authorId: { type: String, required: true },
    sketch: { type: [Number], default: null },
    isFirstTimeAuthor: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'brigading_fingerprints', versionKey: false },
);
fingerprintSchema.index({ site: 1, createdAt: -1 });
fingerprintSchema.index({ postId: 1, createdAt: -1 });
fingerprintSchema.index({ commentId: 1 });
// Fingerprints only matter inside a window (at most a week); MongoDB drops them after.
fingerprintSchema.index({ createdAt: 1 }, { expireAfterSeconds: 8 * 24 * 3600 });

const clusterSchema = new Schema<ClusterDoc>(
  {
    kind: { type: String, required: true },
    site: { type: String, required: true },
    postIds: { type: [String], default: [] },
    commentIds: { type: [String], default: [] },
    authorIds: { type: [String], default: [] },
    sample: { type: String, required: true },
    status: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'brigading_clusters', versionKey: false },
);
clusterSchema.index({ site: 1, status: 1, updatedAt: -1 });
clusterSchema.index({ commentIds: 1 });

function toCluster(doc: ClusterDoc): ClusterRecord {
  return {
    id: doc._id.toHexString(),
    kind: doc.kind,
    site: doc.site,
    postIds: [...doc.postIds],
    commentIds: [...doc.commentIds],
    authorIds: [...doc.authorIds],
    sample: doc.sample,
    status: doc.status,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function toFingerprint(doc: FingerprintDoc): FingerprintRecord {
  return {
    commentId: doc.commentId,
    site: doc.site,
    postId: doc.postId,
    authorId: doc.authorId,
    sketch: doc.sketch && doc.sketch.length > 0 ? [...doc.sketch] : null,
    isFirstTimeAuthor: doc.isFirstTimeAuthor,
    createdAt: doc.createdAt,
  };
}

/** How many recent fingerprints one check compares against, at most. */
export const MAX_COMPARED = 2000;

export interface BrigadingRepository {
  addFingerprint(record: FingerprintRecord): Promise<void>;
  /** Newest first, at most MAX_COMPARED. */
  recentOnSite(site: string, since: Date): Promise<FingerprintRecord[]>;
  recentOnPost(postId: string, since: Date): Promise<FingerprintRecord[]>;
  /** The comment ids of `recentOnSite` alone (a few bytes each instead of a sketch). */
  recentIdsOnSite(site: string, since: Date): Promise<string[]>;
  recentIdsOnPost(postId: string, since: Date): Promise<string[]>;
  /** The fingerprints of these comments, in any order. */
  fingerprintsOf(commentIds: readonly string[]): Promise<FingerprintRecord[]>;
  /** The open cluster of a kind holding any of these comments. */
  findOpenCluster(kind: ClusterKind, site: string, commentIds: string[]): Promise<ClusterRecord | undefined>;
  /** The open burst cluster of a post updated since a time. */
  findOpenBurst(postId: string, since: Date): Promise<ClusterRecord | undefined>;
  createCluster(record: Omit<ClusterRecord, 'id'>): Promise<ClusterRecord>;
  extendCluster(id: string, add: { commentIds: string[]; authorIds: string[]; postIds: string[] }, at: Date): Promise<void>;
  getCluster(id: string): Promise<ClusterRecord | undefined>;
  listOpenClusters(filter: { sites: readonly string[] | null; postId?: string | undefined; limit: number }): Promise<ClusterRecord[]>;
  markRejected(id: string, at: Date): Promise<void>;
}

export function createBrigadingRepository(connection: Connection): BrigadingRepository {
  const Fingerprints = modelOn(connection, 'BrigadingFingerprint', fingerprintSchema);
  /** The comment ids of the newest fingerprints that match `filter` (at most MAX_COMPARED), newest first. */
  const recentIdsWhere = async (filter: Record<string, unknown>): Promise<string[]> => {
    const docs = await Fingerprints.find(filter, { _id: 0, commentId: 1 })
      .sort({ createdAt: -1 })
      .limit(MAX_COMPARED)
      .lean<Pick<FingerprintDoc, 'commentId'>[]>();
    return docs.map((doc) => doc.commentId);
  };
  const Clusters = modelOn(connection, 'BrigadingCluster', clusterSchema);
  // Sketches of comments posted together: one insert command (every caller awaits its own).
  const inserts = createGroupCommit(insertEach(Fingerprints), { connection: Fingerprints.db });
  return {
    async addFingerprint(record) {
      await inserts.add(newDocument(Fingerprints, { ...record }));
    },
    async recentOnSite(site, since) {
      const docs = await Fingerprints.find({ site, createdAt: { $gte: since } })
        .sort({ createdAt: -1 })
        .limit(MAX_COMPARED)
        .lean<FingerprintDoc[]>();
      return docs.map(toFingerprint);
    },
    async recentOnPost(postId, since) {
      const docs = await Fingerprints.find({ postId, createdAt: { $gte: since } })
        .sort({ createdAt: -1 })
        .limit(MAX_COMPARED)
        .lean<FingerprintDoc[]>();
      return docs.map(toFingerprint);
    },
    recentIdsOnSite: (site, since) => recentIdsWhere({ site, createdAt: { $gte: since } }),
    recentIdsOnPost: (postId, since) => recentIdsWhere({ postId, createdAt: { $gte: since } }),
    async fingerprintsOf(commentIds) {
      if (commentIds.length === 0) return [];
      const docs = await Fingerprints.find({ commentId: { $in: commentIds } }).lean<FingerprintDoc[]>();
      return docs.map(toFingerprint);
    },
    async findOpenCluster(kind, site, commentIds) {
      const doc = await Clusters.findOne({ kind, site, status: 'open', commentIds: { $in: commentIds } })
        .sort({ updatedAt: -1 })
        .lean<ClusterDoc>();
      return doc ? toCluster(doc) : undefined;
    },
    async findOpenBurst(postId, since) {
      const doc = await Clusters.findOne({ kind: 'first-time-burst', postIds: postId, status: 'open', updatedAt: { $gte: since } })
        .sort({ updatedAt: -1 })
        .lean<ClusterDoc>();
      return doc ? toCluster(doc) : undefined;
    },
    async createCluster(record) {
      const doc = await Clusters.create(record);
      return toCluster(doc.toObject<ClusterDoc>());
    },
    async extendCluster(id, add, at) {
      await Clusters.updateOne(
        { _id: new Types.ObjectId(id) },
        {
          $addToSet: { commentIds: { $each: add.commentIds }, authorIds: { $each: add.authorIds }, postIds: { $each: add.postIds } },
          $set: { updatedAt: at },
        },
      );
    },
    async getCluster(id) {
      const doc = await Clusters.findById(id).lean<ClusterDoc>();
      return doc ? toCluster(doc) : undefined;
    },
    async listOpenClusters(filter) {
      const query: Record<string, unknown> = { status: 'open' };
      if (filter.sites) query['site'] = { $in: filter.sites };
      if (filter.postId) query['postIds'] = filter.postId;
      const docs = await Clusters.find(query).sort({ updatedAt: -1 }).limit(filter.limit).lean<ClusterDoc[]>();
      return docs.map(toCluster);
    },
    async markRejected(id, at) {
      await Clusters.updateOne({ _id: new Types.ObjectId(id) }, { $set: { status: 'rejected', updatedAt: at } });
    },
  };
}
