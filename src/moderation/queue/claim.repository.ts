import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../db/model';

export interface ClaimRecord {
  commentId: string;
  site: string;
  moderatorId: string;
  moderatorName: string;
  until: Date;
}

interface ClaimDoc {
  _id: string;
  site: string;
  moderatorId: string;
  moderatorName: string;
  until: Date;
}

const claimSchema = new Schema<ClaimDoc>(
  {
    _id: { type: String, required: true },
    site: { type: String, required: true },
    moderatorId: { type: String, required: true },
    moderatorName: { type: String, required: true },
    // Lapsed claims are removed by MongoDB after a grace period; reads ignore them at once.
    until: { type: Date, required: true, expires: 300 },
  },
  { collection: 'moderation_claims', versionKey: false },
);

export interface ClaimRepository {
  /** Takes or renews the lease; returns the current holder (which may be someone else). */
  claim(input: ClaimRecord, now: Date): Promise<ClaimRecord>;
  release(commentId: string): Promise<ClaimRecord | undefined>;
  /** Ends every claim of one moderator; returns the ended ones. */
  releaseAllOf(moderatorId: string): Promise<ClaimRecord[]>;
  findActive(commentIds: string[], now: Date): Promise<Map<string, ClaimRecord>>;
}

function toRecord(doc: ClaimDoc): ClaimRecord {
  return { commentId: doc._id, site: doc.site, moderatorId: doc.moderatorId, moderatorName: doc.moderatorName, until: doc.until };
}

export function createClaimRepository(connection: Connection): ClaimRepository {
  const Claim = modelOn(connection, 'ModerationClaim', claimSchema);
  return {
    async claim(input, now) {
      try {
        const doc = await Claim.findOneAndUpdate(
          { _id: input.commentId, $or: [{ until: { $lte: now } }, { moderatorId: input.moderatorId }] },
          { $set: { site: input.site, moderatorId: input.moderatorId, moderatorName: input.moderatorName, until: input.until } },
          { upsert: true, returnDocument: 'after' },
        ).lean<ClaimDoc>();
        if (doc) return toRecord(doc);
      } catch (error) {
        // Upsert collided with someone else's live claim on the same _id.
        if ((error as { code?: unknown }).code !== 11000) throw error;
      }
      const holder = await Claim.findById(input.commentId).lean<ClaimDoc>();
      if (!holder) throw new Error('claim vanished while being taken');
      return toRecord(holder);
    },
    async release(commentId) {
      const doc = await Claim.findByIdAndDelete(commentId).lean<ClaimDoc>();
      return doc ? toRecord(doc) : undefined;
    },
    async releaseAllOf(moderatorId) {
      const docs = await Claim.find({ moderatorId }).lean<ClaimDoc[]>();
      if (docs.length === 0) return [];
      await Claim.deleteMany({ moderatorId, _id: { $in: docs.map((doc) => doc._id) } });
      return docs.map(toRecord);
    },
    async findActive(commentIds, now) {
      if (commentIds.length === 0) return new Map();
      const docs = await Claim.find({ _id: { $in: commentIds }, until: { $gt: now } }).lean<ClaimDoc[]>();
      return new Map(docs.map((doc) => [doc._id, toRecord(doc)]));
    },
  };
}
