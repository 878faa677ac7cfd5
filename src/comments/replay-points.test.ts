import { createReplayPoints } from './replay-points';

describe('replay points', () => {
  const clockAt = (start: number): { now: () => Date; advance: (ms: number) => void } => {
    let time = start;
    return { now: () => new Date(time), advance: (ms) => (time += ms) };
  };

  it('when a seq was learned, then it is the replay point while fresh, and none once stale', () => {
    const clock = clockAt(1_000_000);
    const points = createReplayPoints(clock, { freshMs: 10_000 });
    expect(points.before('s', 'p')).toBeUndefined();
    points.learn('s', 'p', 7);
    expect(points.before('s', 'p')).toBe(7);
    expect(points.before('s', 'other')).toBeUndefined();
    clock.advance(10_001);
    expect(points.before('s', 'p')).toBeUndefined();
  });

  it('when a smaller seq arrives after a larger one (reads overtaking), then the point never goes back', () => {
    const points = createReplayPoints(clockAt(0));
    points.learn('s', 'p', 9);
    points.learn('s', 'p', 4);
    expect(points.before('s', 'p')).toBe(9);
  });

  it('when more posts than the cap are learned, then the least recently learned is forgotten', () => {
    const points = createReplayPoints(clockAt(0), { max: 2 });
    points.learn('s', 'a', 1);
    points.learn('s', 'b', 2);
    points.learn('s', 'a', 3);
    points.learn('s', 'c', 4);
    expect(points.before('s', 'b')).toBeUndefined();
    expect(points.before('s', 'a')).toBe(3);
    expect(points.before('s', 'c')).toBe(4);
  });
});
