import { createHash } from 'node:crypto';

/** Texts with fewer words than this are too short to call near-duplicates ("+1", "agreed"). */
export const MIN_WORDS = 4;
/**
 * Stock replies ("I agree with you 100%", "Полностью согласен с вами",
 * "Так, повністю згоден з вами") are short and common: different authors write
 * them alike without any coordination. A text needs this many distinct word
 * pairs and letters to be sketched.
 */
export const MIN_SHINGLES = 5;
export const MIN_LETTERS = 30;
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
 * to judge (fewer than `MIN_WORDS` words, `MIN_SHINGLES` distinct pairs or
 * `MIN_LETTERS` letters). Chosen over SimHash because comments are short: one added word
 * flips many SimHash bits but barely moves the Jaccard estimate.
 * The 64 hash functions come from one MD5 per shingle by double hashing.
 */
export function minhashSketch(text: string): number[] | undefined {
  const words = wordsOf(text);
  if (words.length < MIN_WORDS) return undefined;
  let letters = 0;
  for (const word of words) letters += word.length;
  const shingles = new Set<string>();
  for (let index = 0; index + 1 < words.length; index++) shingles.add(`${words[index]} ${words[index + 1]}`);
  if (shingles.size < MIN_SHINGLES || letters < MIN_LETTERS) return undefined;
  const sketch = new Array<number>(SKETCH_SIZE).fill(0xffffffff);
  for (const shingle of shingles) {
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

/** Fewest equal slots whose share reaches NEAR_DUPLICATE_SIMILARITY (45 of 64). */
export const MIN_EQUAL_SLOTS = ((): number => {
  let slots = 0;
  while (slots / SKETCH_SIZE < NEAR_DUPLICATE_SIMILARITY) slots++;
  return slots;
})();

/**
 * `estimateSimilarity(a, b) >= NEAR_DUPLICATE_SIMILARITY`, stopping as soon as too many
 * slots differ: a new comment is checked against up to 2,000 recent sketches, nearly all unlike it.
 */
export function isNearDuplicate(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== SKETCH_SIZE || b.length !== SKETCH_SIZE) return false;
  const allowedMisses = SKETCH_SIZE - MIN_EQUAL_SLOTS;
  let misses = 0;
  for (let slot = 0; slot < SKETCH_SIZE; slot++) {
    if (a[slot] !== b[slot] && ++misses > allowedMisses) return false;
  }
  return true;
}
