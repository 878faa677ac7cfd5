import type { ModerationSettings, PostHeat } from '../../contracts/moderation';

export interface PostActivity {
  /** Comments counted: the post's last ones, at most `autoHeat.window`. */
  recent: number;
  /** How many of those were reported by readers. */
  reported: number;
  /**
   * The distinct readers behind those reports, weighed: signed-in 1, anonymous ½.
   * One reader reporting every comment must not heat a post on their own.
   */
  reporterWeight: number;
  /** How many of those the pipeline or a moderator held. */
  held: number;
}

/** Reports heat a post only with this much distinct-reporter weight (3 signed-in readers, or 6 anonymous). */
export const MIN_REPORTER_WEIGHT = 3;

/**
 * Whether a post should be heated automatically. It needs at least half a
 * window of comments so that one bad comment on a quiet post heats nothing.
 * Automatic heating stops at `heated`: lockdown is a moderator's call.
 */
export function shouldAutoHeat(
  stats: PostActivity,
  autoHeat: ModerationSettings['autoHeat'],
): PostHeat | undefined {
  if (!autoHeat.enabled || autoHeat.window <= 0) return undefined;
  const sample = Math.min(stats.recent, autoHeat.window);
  if (sample < Math.ceil(autoHeat.window / 2)) return undefined;
  const reportRate = Math.min(stats.reported, sample) / sample;
  const holdRate = Math.min(stats.held, sample) / sample;
  const isReportedByMany = reportRate >= autoHeat.reportRate && stats.reporterWeight >= MIN_REPORTER_WEIGHT;
  return isReportedByMany || holdRate >= autoHeat.holdRate ? 'heated' : undefined;
}
