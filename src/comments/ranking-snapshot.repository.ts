import { Schema, Types, type Connection, type Model } from 'mongoose';

/**
 * The frozen order of a ranked thread (`best`, `top`) for one paging session.
 * Scores move while reactions and replies arrive; paging through a snapshot of
 * the ids taken on the first page promises no gaps and no duplicates. Comments
 * posted later are not in it (they arrive live); counts shown stay current.
 */
interface SnapshotDoc {
  _id: Types.ObjectId;
  site: string;
  post: string;
  sort: string;
  ids: string[];
  expiresAt: Date;
}

const snapshotSchema = new Schema<SnapshotDoc>(
  {
    site: { type: String, required: true },
    post: { type: String, required: true },
    sort: { type: String, required: true },
    ids: { type: [String], default: [] },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'ranking_snapshots', versionKey: false },
);
snapshotSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export interface RankingSnapshot {
  id: string;
  site: string;
  post: string;
  sort: string;
  ids: string[];
  expiresAt: Date;
}

export interface RankingSnapshotRepository {
  insert(snapshot: Omit<RankingSnapshot, 'id'>): Promise<string>;
  /** Undefined when unknown or expired (expiry is checked here too: TTL deletion is lazy). */
  find(id: string, now: Date): Promise<RankingSnapshot | undefined>;
}

export function createRankingSnapshotRepository(connection: Connection): RankingSnapshotRepository {
  const Snapshot: Model<SnapshotDoc> =
    (connection.models['RankingSnapshot'] as Model<SnapshotDoc> | undefined) ?? connection.model<SnapshotDoc>('RankingSnapshot', snapshotSchema);
  return {
    async insert(snapshot) {
      const created = await Snapshot.create(snapshot);
      return created._id.toHexString();
    },
    async find(id, now) {
      if (!Types.ObjectId.isValid(id)) return undefined;
      const doc = await Snapshot.findById(id).lean<SnapshotDoc>().exec();
      if (!doc || doc.expiresAt.getTime() <= now.getTime()) return undefined;
      return { id: doc._id.toHexString(), site: doc.site, post: doc.post, sort: doc.sort, ids: doc.ids, expiresAt: doc.expiresAt };
    },
  };
}
