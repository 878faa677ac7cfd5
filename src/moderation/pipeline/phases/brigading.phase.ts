import type { Finding } from '../../../contracts/moderation';
import type { Phase } from '../../pipeline-types';

/**
 * The `brigading` phase: holds a comment that is nearly the same text as
 * recent ones by other authors on the site, and a first-time author's comment
 * arriving in a burst of first-time authors on one post.
 */
export const brigadingPhase: Phase = ({ brigading, site }) => {
  const settings = site.settings.brigading;
  if (!settings.enabled || !brigading) return undefined;
  const findings: Finding[] = [];
  const clusterSize = brigading.nearDuplicates.length + 1;
  if (brigading.nearDuplicates.length > 0 && clusterSize >= settings.minClusterSize) {
    findings.push({
      rule: 'brigading.near-duplicate',
      category: 'brigading',
      detail: `Nearly the same text as ${brigading.nearDuplicates.length} recent comment${
        brigading.nearDuplicates.length === 1 ? '' : 's'
      } by other authors on this site in the last ${settings.windowMinutes} minutes (a possible brigade).`,
      action: 'hold',
    });
  }
  const burst = brigading.firstTimeAuthorsOnPost + 1;
  if (settings.firstTimeBurst > 0 && brigading.isFirstTimeAuthor && burst >= settings.firstTimeBurst) {
    findings.push({
      rule: 'brigading.first-time-burst',
      category: 'brigading',
      detail: `One of ${burst} first-time authors on this post in the last ${settings.windowMinutes} minutes (the site holds from ${settings.firstTimeBurst}).`,
      action: 'hold',
    });
  }
  return findings.length > 0 ? { action: 'hold', findings } : undefined;
};
