import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { ReportReason } from '../contracts/comments';

interface ReportDoc {
  _id: Types.ObjectId;
  commentId: Types.ObjectId;
  site: string;
  /** Author id of a known reader, else a salted hash of IP and user agent. */
  reader: string;
  reason: ReportReason;
  createdAt: Date;
}

const reportSchema = new Schema<ReportDoc>(
  {
    commentId: { type: Schema.Types.ObjectId, required: true },
    site: { type: String, required: true },
    reader: { type: String, required: true },
    reason: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'reports', versionKey: false },
);
reportSchema.index({ commentId: 1, reader: 1 }, { unique: true });
reportSchema.index({ site: 1, createdAt: -1 });

export interface ReportRepository {
  /** Records one reader's report; 'duplicate' when that reader already reported the comment. */
  insert(report: { commentId: string; site: string; reader: string; reason: ReportReason; at: Date }): Promise<'inserted' | 'duplicate'>;
  /** The distinct readers who reported any of these comments. */
  listReaders(commentIds: readonly string[]): Promise<string[]>;
}

export function createReportRepository(connection: Connection): ReportRepository {
  const Report: Model<ReportDoc> = (connection.models['Report'] as Model<ReportDoc> | undefined) ?? connection.model<ReportDoc>('Report', reportSchema);
  return {
    async insert(report) {
      try {
        await Report.create({
          commentId: new Types.ObjectId(report.commentId),
          site: report.site,
          reader: report.reader,
          reason: report.reason,
          createdAt: report.at,
        });
        return 'inserted';
      } catch (error) {
        if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000) return 'duplicate';
        throw error;
      }
    },
    async listReaders(commentIds) {
      if (commentIds.length === 0) return [];
      const readers: unknown[] = await Report.distinct('reader', { commentId: { $in: commentIds.map((id) => new Types.ObjectId(id)) } });
      return readers.filter((reader): reader is string => typeof reader === 'string');
    },
  };
}
