import { retryDelayMs } from './delivery-worker';

describe('webhook retry back-off', () => {
  it('when attempts keep failing, then each wait doubles from the base and stops growing at an hour', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(8, 30_000)).toBe(3_600_000);
    expect(retryDelayMs(40, 30_000)).toBe(3_600_000);
  });

  it('when the base is 30 s, then a day holds about thirty attempts', () => {
    let elapsed = 0;
    let attempts = 1;
    while (elapsed + retryDelayMs(attempts, 30_000) <= 24 * 3_600_000) {
      elapsed += retryDelayMs(attempts, 30_000);
      attempts += 1;
    }
    expect(attempts).toBeGreaterThanOrEqual(25);
    expect(attempts).toBeLessThanOrEqual(35);
  });
});
