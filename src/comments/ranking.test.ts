import { wilsonLowerBound } from './ranking';

describe('wilsonLowerBound', () => {
  it('when a comment has more reactions at the same ratio, then it ranks higher', () => {
    expect(wilsonLowerBound(100, 0)).toBeGreaterThan(wilsonLowerBound(10, 0));
    expect(wilsonLowerBound(10, 0)).toBeGreaterThan(wilsonLowerBound(1, 0));
    expect(wilsonLowerBound(1, 0)).toBeGreaterThan(wilsonLowerBound(0, 0));
  });

  it('when downvotes come, then the score drops but stays within 0..1', () => {
    expect(wilsonLowerBound(10, 10)).toBeLessThan(wilsonLowerBound(10, 0));
    for (const [up, down] of [[0, 0], [0, 50], [1000, 0], [3, 7]] as const) {
      const score = wilsonLowerBound(up, down);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThan(1);
    }
  });
});
