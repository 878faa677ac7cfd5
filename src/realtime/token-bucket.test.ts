import { ManualClock } from '../../tests/helpers/test-server';
import { createTokenBucket } from './token-bucket';

describe('createTokenBucket', () => {
  it('when the burst is spent, then takes fail until time refills a token', () => {
    const clock = new ManualClock(0);
    const bucket = createTokenBucket({ capacity: 3, perSecond: 2, clock });
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    expect(bucket.secondsUntilToken()).toBeCloseTo(0.5);
    clock.advance(500);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('when a long time passes, then it refills only up to its capacity', () => {
    const clock = new ManualClock(0);
    const bucket = createTokenBucket({ capacity: 2, perSecond: 10, clock });
    bucket.take();
    bucket.take();
    clock.advance(60_000);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
  });

  it('when the clock goes backwards, then no tokens appear', () => {
    const clock = new ManualClock(10_000);
    const bucket = createTokenBucket({ capacity: 1, perSecond: 1, clock });
    bucket.take();
    clock.advance(-5_000);
    expect(bucket.take()).toBe(false);
  });
});
