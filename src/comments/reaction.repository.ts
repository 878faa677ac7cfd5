import { Schema, Types, type Connection, type Model } from 'mongoose';

export type ReactionKind = 'up' | 'down';

interface ReactionDoc {
  _id: Types.ObjectId;
  commentId: Types.ObjectId;
  site: string;
  /** `author:<id>` for a known reader, else `anon:<salted hash of IP and user agent>` (as for reports). */
  reader: string;
  kind: ReactionKind;
  createdAt: Date;
}

const reactionSchema = new Schema<ReactionDoc>(
  {
    commentId: { type: Schema.Types.ObjectId, required: true },
    site: { type: String, required: true },
    reader: { type: String, required: true },
    kind: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'reactions', versionKey: false },
);
reactionSchema.index({ commentId: 1, reader: 1 }, { unique: true });
reactionSchema.index({ reader: 1, commentId: 1 });

export interface ReactionRepository {
  /** Sets one reader's reaction; returns the kind it replaced (null: none). */
  put(reaction: { commentId: string; site: string; reader: string; kind: ReactionKind; at: Date }): Promise<ReactionKind | null>;
  /** Removes one reader's reaction; returns the kind removed (null: there was none). */
  remove(commentId: string, reader: string): Promise<ReactionKind | null>;
  /** Which of these comments the reader reacted to positively. */
  reactedBy(reader: string, commentIds: readonly string[]): Promise<Set<string>>;
  /** Recounted from the reactions themselves (the repair path). */
  countFor(commentIds: readonly string[]): Promise<Map<string, { up: number; down: number }>>;
}

export function createReactionRepository(connection: Connection): ReactionRepository {
  const Reaction: Model<ReactionDoc> =
    (connection.models['Reaction'] as Model<ReactionDoc> | undefined) ?? connection.model<ReactionDoc>('Reaction', reactionSchema);
  return {
    async put(reaction) {
      const commentId = new Types.ObjectId(reaction.commentId);
      try {
        await Reaction.create({ commentId, site: reaction.site, reader: reaction.reader, kind: reaction.kind, createdAt: reaction.at });
        return null;
      } catch (error) {
        if (typeof error !== 'object' || error === null || (error as { code?: unknown }).code !== 11000) throw error;
      }
      // The reader already reacted: switch the kind, and say which one it was.
      const previous = await Reaction.findOneAndUpdate(
        { commentId, reader: reaction.reader },
        { $set: { kind: reaction.kind } },
        { returnDocument: 'before' },
      )
        .lean<ReactionDoc>()
        .exec();
      return previous?.kind ?? null;
    },
    async remove(commentId, reader) {
      const removed = await Reaction.findOneAndDelete({ commentId: new Types.ObjectId(commentId), reader }).lean<ReactionDoc>().exec();
      return removed?.kind ?? null;
    },
    async reactedBy(reader, commentIds) {
      if (commentIds.length === 0) return new Set();
      const docs = await Reaction.find({ reader, kind: 'up', commentId: { $in: commentIds.map((id) => new Types.ObjectId(id)) } }, { commentId: 1 })
        .lean<Pick<ReactionDoc, 'commentId'>[]>()
        .exec();
      return new Set(docs.map((doc) => doc.commentId.toHexString()));
    },
    async countFor(commentIds) {
      const counts = new Map<string, { up: number; down: number }>();
      // In slices: a repair asks about every comment of its posts, and one `$in` of them all is a huge command.
      for (let start = 0; start < commentIds.length; start += 1000) {
        const slice = commentIds.slice(start, start + 1000);
        const docs = await Reaction.find({ commentId: { $in: slice.map((id) => new Types.ObjectId(id)) } }, { commentId: 1, kind: 1 })
          .lean<Pick<ReactionDoc, 'commentId' | 'kind'>[]>()
          .exec();
        for (const doc of docs) {
          const id = doc.commentId.toHexString();
          const entry = counts.get(id) ?? { up: 0, down: 0 };
          entry[doc.kind] += 1;
          counts.set(id, entry);
        }
      }
      return counts;
    },
  };
}
