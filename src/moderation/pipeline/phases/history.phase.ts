import type { Phase } from '../../pipeline-types';

const percent = (share: number): string => `${Math.round(share * 100)}%`;

/**
 * The `history` phase: holds an author whose recent comments on the site
 * were mostly rejected, once there are enough of them to say so.
 */
export const historyPhase: Phase = ({ history, site }) => {
  const settings = site.settings.history;
  if (!settings.enabled || !history || history.total < settings.minSample) return undefined;
  const share = history.rejected / history.total;
  if (share < settings.rejectionRate) return undefined;
  return {
    action: 'hold',
    findings: [
      {
        rule: 'history.rejection-rate',
        category: 'history',
        detail: `${history.rejected} of this author's ${history.total} comments in the last ${history.windowDays} days were rejected (${percent(share)}; the site holds from ${percent(settings.rejectionRate)}).`,
        action: 'hold',
      },
    ],
  };
};
