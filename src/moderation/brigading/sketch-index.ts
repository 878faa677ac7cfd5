import type { FingerprintRecord } from './brigading.repository';
import { MIN_EQUAL_SLOTS, SKETCH_SIZE, isNearDuplicate } from './minhash';

/**
 * LSH over MinHash sketches: the slots are cut into bands of BAND_ROWS slots, and a
 * sketch is filed under each band's values. Two sketches that are near-duplicates
 * (at most SKETCH_SIZE − MIN_EQUAL_SLOTS = 19 unequal slots of 64) share at least
 * BANDS − 19 = 2 whole bands, whatever slots differ: each unequal slot spoils at most
 * one of the 21 bands. So a candidate needs MIN_SHARED_BANDS shared bands, and every
 * pair at or above the threshold is a candidate (no probability involved); a candidate
 * is then checked on the full sketch, so what is reported is exactly `isNearDuplicate`.
 * Unrelated texts share no band (three equal slots in a row happen with probability
 * J³ per band, J their Jaccard similarity) and are never compared.
 */
export const BAND_ROWS = 3;
export const BANDS = Math.floor(SKETCH_SIZE / BAND_ROWS);
export const MIN_SHARED_BANDS = BANDS - (SKETCH_SIZE - MIN_EQUAL_SLOTS);
if (MIN_SHARED_BANDS < 1) throw new Error('sketch index: bands too wide to find every near-duplicate');

/** One number per band's values (unequal values may share it: that only adds a candidate). */
function bandKey(sketch: readonly number[], band: number): number {
  const start = band * BAND_ROWS;
  let high = 0x811c9dc5;
  for (let row = 0; row < BAND_ROWS - 1; row++) high = Math.imul(high ^ (sketch[start + row] ?? 0), 0x01000193) >>> 0;
  const low = (sketch[start + BAND_ROWS - 1] ?? 0) & 0x1fffff;
  return high * 0x200000 + low;
}

export interface SketchIndex {
  add(fingerprint: FingerprintRecord): void;
  remove(fingerprint: FingerprintRecord): void;
  /** Indexed fingerprints sharing MIN_SHARED_BANDS bands with this sketch: the only ones a check compares. */
  candidatesOf(sketch: readonly number[]): FingerprintRecord[];
  /** Indexed fingerprints whose sketch is a near-duplicate of this one (`isNearDuplicate`), in no order. */
  nearDuplicatesOf(sketch: readonly number[]): FingerprintRecord[];
}

export function createSketchIndex(): SketchIndex {
  const bands = Array.from({ length: BANDS }, () => new Map<number, Set<FingerprintRecord>>());
  /** Each band's buckets with the fingerprint's key in it; nothing for a fingerprint without a full sketch. */
  const forEachBandOf = (
    fingerprint: FingerprintRecord,
    visit: (buckets: Map<number, Set<FingerprintRecord>>, key: number) => void,
  ): void => {
    const { sketch } = fingerprint;
    if (!sketch || sketch.length !== SKETCH_SIZE) return;
    bands.forEach((buckets, band) => visit(buckets, bandKey(sketch, band)));
  };
  const candidatesOf = (sketch: readonly number[]): FingerprintRecord[] => {
    if (sketch.length !== SKETCH_SIZE) return [];
    const shared = new Map<FingerprintRecord, number>();
    bands.forEach((buckets, band) => {
      const bucket = buckets.get(bandKey(sketch, band));
      if (bucket) for (const fingerprint of bucket) shared.set(fingerprint, (shared.get(fingerprint) ?? 0) + 1);
    });
    const candidates: FingerprintRecord[] = [];
    for (const [fingerprint, count] of shared) if (count >= MIN_SHARED_BANDS) candidates.push(fingerprint);
    return candidates;
  };
  return {
    add(fingerprint) {
      forEachBandOf(fingerprint, (buckets, key) => {
        let bucket = buckets.get(key);
        if (!bucket) buckets.set(key, (bucket = new Set()));
        bucket.add(fingerprint);
      });
    },
    remove(fingerprint) {
      forEachBandOf(fingerprint, (buckets, key) => {
        const bucket = buckets.get(key);
        if (!bucket) return;
        bucket.delete(fingerprint);
        if (bucket.size === 0) buckets.delete(key);
      });
    },
    candidatesOf,
    nearDuplicatesOf(sketch) {
      return candidatesOf(sketch).filter(
        (fingerprint) => fingerprint.sketch !== null && isNearDuplicate(sketch, fingerprint.sketch),
      );
    },
  };
}
