import { createHash } from 'node:crypto';

/** Texts with fewer words than this are too short to call near-duplicates ("+1", "agreed"). */
export const MIN_WORDS = 4;
/** Hash functions in a sketch: the Jaccard estimate is within about ±0.06 at this size. */
export const SKETCH_SIZE = 64;
/** Estimated Jaccard similarity of word shingles at or above which two texts are the same text. */
export const NEAR_DUPLICATE_SIMILARITY = 0.7;

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased words in any script (Cyrillic, Latin, Greek, CJK runs…), accents folded away. */
export function wordsOf(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  return folded.match(WORD) ?? [];
}

/**
 * A MinHash sketch over word 2-shingles, or undefined for a text too short
 * to judge. Chosen over SimHash because comments are short: one added word
 * flips many SimHash bits but barely moves the Jaccard estimate.
 * The 64 hash functions come from one MD5 per shingle by double hashing.
 */
export function minhashSketch(text: string): number[] | undefined {
  const words = wordsOf(text);
  if (words.length < MIN_WORDS) return undefined;
  const sketch = new Array<number>(SKETCH_SIZE).fill(0xffffffff);
  const seen = new Set<string>();
  for (let index = 0; index + 1 < words.length; index++) {
    const shingle = `${words[index]} ${words[index + 1]}`;
    if (seen.has(shingle)) continue;
    seen.add(shingle);
    const digest = createHash('md5').update(shingle).digest();
    const first = digest.readUInt32LE(0);
    const second = digest.readUInt32LE(4) | 1;
    for (let slot = 0; slot < SKETCH_SIZE; slot++) {
      const value = (first + Math.imul(slot, second)) >>> 0;
      if (value < (sketch[slot] ?? 0xffffffff)) sketch[slot] = value;
    }
  }
  return sketch;
}

/** The share of equal slots: an estimate of the shingle sets' Jaccard similarity. */
export function estimateSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== SKETCH_SIZE || b.length !== SKETCH_SIZE) return 0;
  let equal = 0;
  for (let slot = 0; slot < SKETCH_SIZE; slot++) if (a[slot] === b[slot]) equal++;
  return equal / SKETCH_SIZE;
}

export function isNearDuplicate(a: readonly number[], b: readonly number[]): boolean {
  return estimateSimilarity(a, b) >= NEAR_DUPLICATE_SIMILARITY;
}
