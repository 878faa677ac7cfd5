import { DEFAULT_MODERATION_SETTINGS, type ModerationSettings } from '../../../contracts/moderation';
import type { AuthorHistorySummary, ScreeningContext } from '../../pipeline-types';
import { historyPhase } from './history.phase';

function contextWith(history: AuthorHistorySummary | undefined, settings: Partial<ModerationSettings['history']> = {}): ScreeningContext {
  return {
    text: 'hello',
    isEdit: false,
    now: new Date(),
    site: { id: 's', settings: { ...DEFAULT_MODERATION_SETTINGS, history: { ...DEFAULT_MODERATION_SETTINGS.history, ...settings } } },
    post: { closed: false, heat: 'normal' },
    author: { standing: 'active', approvedCount: 0, isVerified: false },
    recent: { recentBodies: [] },
    history,
  };
}

const summary = (total: number, rejected: number): AuthorHistorySummary => ({
  windowDays: 30,
  total,
  published: total - rejected,
  held: 0,
  rejected,
});

describe('history phase', () => {
  it('when most of an author\'s recent comments were rejected, then the next one is held with the numbers', () => {
    expect(historyPhase(contextWith(summary(5, 4)))).toEqual({
      action: 'hold',
      findings: [
        {
          rule: 'history.rejection-rate',
          category: 'history',
          detail: "4 of this author's 5 comments in the last 30 days were rejected (80%; the site holds from 60%).",
          action: 'hold',
        },
      ],
    });
  });

  it('when the rate is exactly the threshold, then it holds', () => {
    expect(historyPhase(contextWith(summary(10, 5), { rejectionRate: 0.5 }))?.action).toBe('hold');
  });

  it('when the rate is below the threshold, then it says nothing', () => {
    expect(historyPhase(contextWith(summary(10, 5)))).toBeUndefined();
  });

  it('when there are fewer comments than the minimum sample, then it says nothing however many were rejected', () => {
    expect(historyPhase(contextWith(summary(4, 4)))).toBeUndefined();
    expect(historyPhase(contextWith(summary(2, 2), { minSample: 2 }))?.action).toBe('hold');
  });

  it('when the site turned the phase off, or nothing was gathered, then it says nothing', () => {
    expect(historyPhase(contextWith(summary(5, 5), { enabled: false }))).toBeUndefined();
    expect(historyPhase(contextWith(undefined))).toBeUndefined();
  });
});
