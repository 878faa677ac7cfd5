import { DEFAULT_MODERATION_SETTINGS } from '../../contracts/moderation';
import { shouldAutoHeat } from './auto-heat';

const autoHeat = { enabled: true, reportRate: 0.3, holdRate: 0.5, window: 20 };

describe('shouldAutoHeat', () => {
  it('when one reader (or two anonymous ones) reported every comment, then reports alone do not heat the post', () => {
    expect(shouldAutoHeat({ recent: 20, reported: 20, reporterWeight: 1, held: 0 }, autoHeat)).toBeUndefined();
    expect(shouldAutoHeat({ recent: 20, reported: 20, reporterWeight: 2.5, held: 0 }, autoHeat)).toBeUndefined();
    expect(shouldAutoHeat({ recent: 20, reported: 20, reporterWeight: 3, held: 0 }, autoHeat)).toBe('heated');
  });

  it('when the report rate reaches the threshold, then the post is heated', () => {
    expect(shouldAutoHeat({ recent: 20, reported: 6, reporterWeight: 10, held: 0 }, autoHeat)).toBe('heated');
    expect(shouldAutoHeat({ recent: 20, reported: 5, reporterWeight: 10, held: 0 }, autoHeat)).toBeUndefined();
  });

  it('when the hold rate reaches the threshold, then the post is heated', () => {
    expect(shouldAutoHeat({ recent: 20, reported: 0, reporterWeight: 10, held: 10 }, autoHeat)).toBe('heated');
    expect(shouldAutoHeat({ recent: 20, reported: 0, reporterWeight: 10, held: 9 }, autoHeat)).toBeUndefined();
  });

  it('when fewer than half a window of comments exist, then one bad comment heats nothing', () => {
    expect(shouldAutoHeat({ recent: 2, reported: 2, reporterWeight: 10, held: 2 }, autoHeat)).toBeUndefined();
    expect(shouldAutoHeat({ recent: 10, reported: 3, reporterWeight: 10, held: 0 }, autoHeat)).toBe('heated');
  });

  it('when auto-heat is disabled, then nothing is suggested', () => {
    expect(
      shouldAutoHeat({ recent: 20, reported: 20, reporterWeight: 10, held: 20 }, { ...autoHeat, enabled: false }),
    ).toBeUndefined();
  });

  it('when every comment is reported, then it still stops at heated (lockdown is a moderator call)', () => {
    expect(shouldAutoHeat({ recent: 20, reported: 20, reporterWeight: 10, held: 20 }, DEFAULT_MODERATION_SETTINGS.autoHeat)).toBe(
      'heated',
    );
  });
});
