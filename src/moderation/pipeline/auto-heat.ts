import type { ModerationSettings, PostHeat } from '../../contracts/moderation';

export interface PostActivity {
  /** Comments counted: the post's last ones, at most `autoHeat.window`. */
  recent: number;
  /** How many of those were reported by readers. */
  reported: number;
  /** How many of those the pipeline or a moderator held. */
  held: number;
}

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
  return reportRate >= autoHeat.reportRate || holdRate >= autoHeat.holdRate ? 'heated' : undefined;
}
