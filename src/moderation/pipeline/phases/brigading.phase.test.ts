import { DEFAULT_MODERATION_SETTINGS, type ModerationSettings } from '../../../contracts/moderation';
import type { BrigadingSignals, ScreeningContext } from '../../pipeline-types';
import { brigadingPhase } from './brigading.phase';

function contextWith(brigading: BrigadingSignals | undefined, settings: Partial<ModerationSettings['brigading']> = {}): ScreeningContext {
  return {
    text: 'the same words again and again',
    isEdit: false,
    now: new Date(),
    site: { id: 's', settings: { ...DEFAULT_MODERATION_SETTINGS, brigading: { ...DEFAULT_MODERATION_SETTINGS.brigading, ...settings } } },
    post: { closed: false, heat: 'normal' },
    author: { standing: 'active', approvedCount: 0, isVerified: false },
    recent: { recentBodies: [] },
    brigading,
  };
}

const others = (count: number): BrigadingSignals['nearDuplicates'] =>
  Array.from({ length: count }, (_, index) => ({ commentId: `c${index}`, authorId: `a${index}`, postId: 'p' }));

describe('brigading phase', () => {
  it('when two other authors wrote nearly the same text (a cluster of three), then it holds', () => {
    expect(brigadingPhase(contextWith({ nearDuplicates: others(2), firstTimeAuthorsOnPost: 0, isFirstTimeAuthor: false }))).toEqual({
      action: 'hold',
      findings: [
        {
          rule: 'brigading.near-duplicate',
          category: 'brigading',
          detail: 'Nearly the same text as 2 recent comments by other authors on this site in the last 60 minutes (a possible brigade).',
          action: 'hold',
        },
      ],
    });
  });

  it('when only one other author wrote it, then a pair is below the default cluster size', () => {
    expect(brigadingPhase(contextWith({ nearDuplicates: others(1), firstTimeAuthorsOnPost: 0, isFirstTimeAuthor: false }))).toBeUndefined();
    expect(
      brigadingPhase(contextWith({ nearDuplicates: others(1), firstTimeAuthorsOnPost: 0, isFirstTimeAuthor: false }, { minClusterSize: 2 }))?.action,
    ).toBe('hold');
  });

  it('when a first-time author arrives in a burst of first-time authors, then it holds; a regular in the same burst is not held', () => {
    const burst = { nearDuplicates: [], firstTimeAuthorsOnPost: 4, isFirstTimeAuthor: true };
    expect(brigadingPhase(contextWith(burst, { firstTimeBurst: 5 }))?.findings[0]).toMatchObject({
      rule: 'brigading.first-time-burst',
      category: 'brigading',
      detail: 'One of 5 first-time authors on this post in the last 60 minutes (the site holds from 5).',
    });
    expect(brigadingPhase(contextWith({ ...burst, isFirstTimeAuthor: false }, { firstTimeBurst: 5 }))).toBeUndefined();
    expect(brigadingPhase(contextWith({ ...burst, firstTimeAuthorsOnPost: 3 }, { firstTimeBurst: 5 }))).toBeUndefined();
  });

  it('when bursts are off (0) or the phase is disabled, then it says nothing', () => {
    expect(brigadingPhase(contextWith({ nearDuplicates: [], firstTimeAuthorsOnPost: 50, isFirstTimeAuthor: true }))).toBeUndefined();
    expect(brigadingPhase(contextWith({ nearDuplicates: others(5), firstTimeAuthorsOnPost: 0, isFirstTimeAuthor: false }, { enabled: false }))).toBeUndefined();
  });
});
