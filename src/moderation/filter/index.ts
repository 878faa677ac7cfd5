/**
 * Word filter: finds banned and suspect words in one pass over a normalised
 * copy of the text (case, accents, look-alikes, leet, separators, repeats),
 * reporting spans in the original text.
 */
export { createWordFilter } from './word-filter';
export type { WordFilter, WordLists, WordMatch } from './word-filter';
export { DEFAULT_BANNED_WORDS } from './default-words';
export { normalizeForMatching } from './normalize';
