import { Schema, type AccumulatorOperator, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../db/model';
import type { ScreeningDraft } from '../../comments';
import type { NudgeStatsDto } from '../../contracts/socket-events';
import type { NudgeRecorder } from '../screening';

/** A revision or "post anyway" counts toward a nudge only this soon after it. */
export const NUDGE_FOLLOW_UP_MS = 60 * 60 * 1000;
/** The window `GET /mod/stats` counts nudges over. */
export const NUDGE_STATS_HOURS = 24;

interface NudgeDoc {
  _id: Types.ObjectId;
  site: string;
  postId: string;
  authorId: string;
  at: Date;
  outcome: 'revised' | 'posted-anyway' | null;
  resolvedAt: Date | null;
}

const nudgeSchema = new Schema<NudgeDoc>(
  {
    site: { type: String, required: true },
    postId: { type: String, required: true },
    authorId: { type: String, required: true },
    at: { type: Date, required: true },
    outcome: { type: String, default: null },
    resolvedAt: { type: Date, default: null },
  },
  { collection: 'nudges', versionKey: false },
);
nudgeSchema.index({ authorId: 1, postId: 1, at: -1 });
nudgeSchema.index({ site: 1, at: -1 });

/** Nudges shown to authors and what they did next (stats: how many revised). */
export function createNudgeRepository(connection: Connection): NudgeRecorder & {
  stats(sites: readonly string[] | null, now: Date): Promise<NudgeStatsDto>;
} {
  const Nudges = modelOn(connection, 'Nudge', nudgeSchema);
  return {
    async nudged(draft: ScreeningDraft, now: Date) {
      await Nudges.create({ site: draft.site.id, postId: draft.post.id, authorId: draft.author.id, at: now, outcome: null, resolvedAt: null });
    },
    async followedUp(draft: ScreeningDraft, outcome: 'revised' | 'posted-anyway', now: Date) {
      await Nudges.updateMany(
        {
          authorId: draft.author.id,
          postId: draft.post.id,
          outcome: null,
          at: { $gte: new Date(now.getTime() - NUDGE_FOLLOW_UP_MS) },
        },
        { $set: { outcome, resolvedAt: now } },
      );
    },
    async stats(sites, now) {
      const filter: Record<string, unknown> = { at: { $gte: new Date(now.getTime() - NUDGE_STATS_HOURS * 3600 * 1000) } };
      if (sites) filter['site'] = { $in: sites };
      // One pass over the window's index range for all three figures.
      const outcomeIs = (outcome: string): AccumulatorOperator => ({ $sum: { $cond: [{ $eq: ['$outcome', outcome] }, 1, 0] } });
      const [counted] = await Nudges.aggregate<{ shown: number; revised: number; postedAnyway: number }>([
        { $match: filter },
        { $group: { _id: null, shown: { $sum: 1 }, revised: outcomeIs('revised'), postedAnyway: outcomeIs('posted-anyway') } },
      ]);
      return { windowHours: NUDGE_STATS_HOURS, shown: counted?.shown ?? 0, revised: counted?.revised ?? 0, postedAnyway: counted?.postedAnyway ?? 0 };
    },
  };
}
