import type { FingerprintRecord } from './brigading.repository';
import { MIN_EQUAL_SLOTS, SKETCH_SIZE, isNearDuplicate, minhashSketch } from './minhash';
import { BAND_ROWS, BANDS, MIN_SHARED_BANDS, createSketchIndex } from './sketch-index';

const fingerprint = (id: string, sketch: number[] | null): FingerprintRecord => ({
  commentId: id,
  site: 's',
  postId: 'p',
  authorId: `author-${id}`,
  sketch,
  isFirstTimeAuthor: false,
  createdAt: new Date(0),
});

const sketchOf = (text: string): number[] => {
  const sketch = minhashSketch(text);
  if (!sketch) throw new Error(`no sketch for ${text}`);
  return sketch;
};

/** A copy of a sketch with these slots changed. */
const differingAt = (sketch: readonly number[], slots: readonly number[]): number[] => sketch.map((value, slot) => (slots.includes(slot) ? (value + 1) >>> 0 : value));

const WORDS = ['council', 'bridge', 'vote', 'budget', 'river', 'school', 'tram', 'winter', 'market', 'taxes', 'park', 'station', 'library', 'мост', 'дорога', 'город', 'школа', 'налоги'];

describe('sketch index (LSH bands)', () => {
  it('has 21 bands of 3 slots, so a pair at the threshold shares at least 2 whole bands', () => {
    expect(BANDS * BAND_ROWS).toBeLessThanOrEqual(SKETCH_SIZE);
    expect([BANDS, BAND_ROWS, MIN_SHARED_BANDS]).toEqual([21, 3, 2]);
    expect(MIN_SHARED_BANDS).toBe(BANDS - (SKETCH_SIZE - MIN_EQUAL_SLOTS));
  });

  it('when a sketch differs in as many slots as the threshold allows, spread to spoil as many bands as it can, then it is still found', () => {
    const base = sketchOf('Stop the talks now, Ukraine must never accept these terms from the Kremlin');
    const misses = SKETCH_SIZE - MIN_EQUAL_SLOTS;
    // One unequal slot in each of the first 19 bands: only the last two bands are whole.
    const atThreshold = differingAt(base, Array.from({ length: misses }, (_, band) => band * BAND_ROWS));
    expect(isNearDuplicate(base, atThreshold)).toBe(true);
    const index = createSketchIndex();
    index.add(fingerprint('copy', atThreshold));
    expect(index.nearDuplicatesOf(base).map((found) => found.commentId)).toEqual(['copy']);
    // One slot more and it is not a near-duplicate, and not reported.
    const below = differingAt(atThreshold, [19 * BAND_ROWS]);
    expect(isNearDuplicate(base, below)).toBe(false);
    const other = createSketchIndex();
    other.add(fingerprint('below', below));
    expect(other.nearDuplicatesOf(base)).toEqual([]);
  });

  it('when random unequal slots leave a pair at or above the threshold, then the index finds it every time', () => {
    const base = sketchOf('Переговоры в Стамбуле — это предательство, никаких уступок агрессору и точка');
    let seed = 7;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 500; trial++) {
      const misses = Math.floor(random() * (SKETCH_SIZE - MIN_EQUAL_SLOTS + 1));
      const slots = new Set<number>();
      while (slots.size < misses) slots.add(Math.floor(random() * SKETCH_SIZE));
      const copy = differingAt(base, [...slots]);
      const index = createSketchIndex();
      index.add(fingerprint('copy', copy));
      expect(index.nearDuplicatesOf(base)).toHaveLength(1);
    }
  });

  it('when a near-duplicate of a text copied with small changes sits among 2,000 unrelated comments, then it alone is a candidate', () => {
    const index = createSketchIndex();
    let seed = 11;
    const word = (): string => WORDS[(seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % WORDS.length] ?? 'city';
    for (let at = 0; at < 2000; at++) {
      index.add(fingerprint(`other-${at}`, sketchOf(`I think the ${Array.from({ length: 12 }, word).join(' ')} ${at}`)));
    }
    index.add(fingerprint('copy', sketchOf('Stop the talks now!!! Ukraine must never accept these terms from the Kremlin #brigade')));
    index.add(fingerprint('no-sketch', null));
    const candidates = index.candidatesOf(sketchOf('Stop the talks now, Ukraine must never accept these terms from the Kremlin'));
    expect(candidates.map((found) => found.commentId)).toEqual(['copy']);
  });

  it('when a fingerprint is removed, then it is no longer found', () => {
    const sketch = sketchOf('Stop the talks now, Ukraine must never accept these terms from the Kremlin');
    const index = createSketchIndex();
    const copy = fingerprint('copy', [...sketch]);
    index.add(copy);
    index.remove(copy);
    expect(index.candidatesOf(sketch)).toEqual([]);
  });
});
