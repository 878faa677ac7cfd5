import * as normalize from './normalize';
import { readSlotStream, type SlotStream } from './normalize';
import { hasNonAscii, readText } from '../text';
import { type ListName, spellEntry, spellingKey, WordTrie } from './word-trie';

// Local copies: the compiled CommonJS reads imported bindings through getters.
const ANY_CODE = normalize.ANY_CODE;
const GAP_CODE = normalize.GAP_CODE;

export interface WordMatch {
  /** The list entry that matched, as the list spells it. */
  word: string;
  list: ListName;
  /** UTF-16 offsets `[start, end)` into the original text. */
  span: [number, number];
  /** The original characters the span covers. */
  matched: string;
}

export interface WordFilter {
  /** Finds matches in `text` after folding look-alikes towards each word's script; spans are into `text`. */
  scan(text: string): WordMatch[];
  /**
   * Whether an entry may match in or from this word (lower case, letters of
   * one script and apostrophes): inside it, or as the first word of a
   * multi-word entry. A text of words for which this is false, separated by
   * plain punctuation (no leet symbols, masks or spelled-out letters), has no
   * match.
   */
  canMatchFrom(word: string): boolean;
  /**
   * The matches in one such word read alone, spans relative to it; undefined
   * when they may depend on the words around it (a multi-word entry may start
   * in it, or a name-like entry matched: "Dick Cheney"). In a text as above,
   * a word has exactly these matches, at its offset.
   */
  wordMatches(word: string): readonly WordMatch[] | undefined;
}

/** A word as runs of letters (`v` read as `u`, as the filter may): `butt` → `but` with counts 1, 1, 2. */
function runsOf(word: string): { letters: string; counts: number[] } {
  let letters = '';
  const counts: number[] = [];
  for (const char of word.replaceAll('v', 'u')) {
    if (letters[letters.length - 1] === char) counts[counts.length - 1] = (counts[counts.length - 1] ?? 0) + 1;
    else {
      letters += char;
      counts.push(1);
    }
  }
  return { letters, counts };
}

/**
 * Short stems that are never innocent inside a longer word (`bullshit`,
 * `motherfucking`). Any other entry shorter than `EMBEDDABLE_LENGTH` letters
 * must be a whole word, which is what spares Scunthorpe, assassin, classic,
 * cocktail, Essex and analysis.
 */
// prettier-ignore
const EMBEDDABLE_STEMS = new Set(['fuck', 'shit', 'cunt', 'twat', 'slut', 'whore', 'bitch', 'wank', 'jizz', 'dildo', 'fcuk', 'phuck']);
const EMBEDDABLE_LENGTH = 6;

/** Entries that are also given names or surnames: spared when capitalised next to another name. */
const NAME_LIKE = new Set(['dick', 'dyke', 'gaylord', 'cummer', 'kummer', 'fook', 'coon', 'kraut', 'hore']);

/**
 * Innocent words that contain an embeddable entry. A match that lies inside
 * one of these whole words is dropped. Keep this to real words and names, never
 * to sentences.
 */
// prettier-ignore
const INNOCENT_WORDS = [
  'scunthorpe', 'shiitake', 'shitake', 'matsushita', 'yoshitaka', 'yoshito', 'oshita', 'hoshitsu',
  'niggard', 'niggardly', 'niggardliness', 'snigger', 'sniggers', 'sniggered', 'sniggering',
  'retardant', 'retardants', 'retardation', 'woodpecker', 'woodpeckers', 'trimming', 'trimmings', 'brimming',
  'cummings', 'penistone', 'dickens', 'dickensian', 'pussyfoot', 'pussyfooting', 'pussycat', 'cockburn',
  'lipshitz', 'lipschitz', 'wankel', 'sextet', 'titmouse', 'grapefruit', 'whoredom',
];

/**
 * A moderator cannot read more highlights than this, and a flood of matches is
 * a hostile input: scanning stops once this many are found.
 */
export const MAX_MATCHES = 500;

export interface WordLists {
  banned: readonly string[];
  suspect: readonly string[];
}

export function createWordFilter(lists: WordLists): WordFilter {
  const trie = new WordTrie();
  /** First words of multi-word entries by their letters: the text must repeat each letter at least as often. */
  const phraseStarts = new Map<string, number[][]>();
  const addList = (words: readonly string[], list: ListName): void => {
    for (const word of words) {
      const steps = spellEntry(word);
      if (steps === undefined) continue;
      const key = spellingKey(steps);
      const isMultiWord = key.includes(' ');
      if (isMultiWord) {
        const { letters, counts } = runsOf(key.slice(0, key.indexOf(' ')));
        phraseStarts.set(letters, [...(phraseStarts.get(letters) ?? []), counts]);
      }
      const letters = key.length;
      const isWholeWordOnly = isMultiWord || !(EMBEDDABLE_STEMS.has(key) || letters >= EMBEDDABLE_LENGTH);
      trie.add(steps, { word, list, isWholeWordOnly, isNameLike: NAME_LIKE.has(key) });
    }
  };
  // Suspect first so that an entry on both lists ends up banned.
  addList(lists.suspect, 'suspect');
  addList(lists.banned, 'banned');
  const innocentKeys = new Set(INNOCENT_WORDS);
  // Plain ASCII has no look-alikes to fold: skip reading scripts (most comments in English).
  const scan = (text: string, nameLike?: { isFound: boolean }): WordMatch[] =>
    scanText(trie, innocentKeys, hasNonAscii(text) ? readText(text).folded : text, text, nameLike);
  // Multi-word entries are whole words: one can only start at the start of a word (or of its part after an apostrophe).
  const mayStartPhrase = (word: string): boolean =>
    word.split(/[^a-z]+/).some((part) => {
      const { letters, counts } = runsOf(part);
      return (phraseStarts.get(letters) ?? []).some((needed) =>
        needed.every((count, index) => (counts[index] ?? 0) >= count),
      );
    });
  const wordMatches = (word: string): readonly WordMatch[] | undefined => {
    const nameLike = { isFound: false };
    const matches = scan(word, nameLike);
    return nameLike.isFound || mayStartPhrase(word) ? undefined : matches;
  };
  return {
    scan: (text) => scan(text),
    canMatchFrom: (word) => (wordMatches(word)?.length ?? 1) > 0,
    wordMatches,
  };
}

function scanText(
  trie: WordTrie,
  innocentKeys: ReadonlySet<string>,
  text: string,
  original: string,
  nameLike?: { isFound: boolean },
): WordMatch[] {
  const slots = readSlotStream(text, trie.startFilter());
  const matches: WordMatch[] = [];
  // A trie reaches each (entry, start) by one path only, so matches need no de-duplication.
  trie.findAll(slots, (entry, first, last) => {
    if (isInsideInnocentWord(slots, innocentKeys, first, last)) return true;
    if (entry.isNameLike && nameLike !== undefined) nameLike.isFound = true;
    if (entry.isNameLike && isLikelyName(text, slots, first, last)) return true;
    const start = slots.start[first] ?? 0;
    const end = slots.end[last] ?? start;
    matches.push({
      word: entry.word,
      list: entry.list,
      span: [start, end],
      matched: original.slice(start, end),
    });
    return matches.length < MAX_MATCHES;
  });
  return matches.length > 1
    ? matches.sort((a, b) => a.span[0] - b.span[0] || b.span[1] - a.span[1])
    : matches;
}

/** Longer than any innocent word: such a word cannot be one, so don't build its spelling. */
const LONGEST_INNOCENT_SLOTS = 24;

function isInsideInnocentWord(
  slots: SlotStream,
  innocentKeys: ReadonlySet<string>,
  first: number,
  last: number,
): boolean {
  // The word around the match, looking no further than the longest innocent word
  // (so that checking every match of a long hostile word stays linear).
  let from = first;
  while (from > 0 && slots.primary[from - 1] !== GAP_CODE && first - from <= LONGEST_INNOCENT_SLOTS) from--;
  let to = last;
  while (to + 1 < slots.length && slots.primary[to + 1] !== GAP_CODE && to - last <= LONGEST_INNOCENT_SLOTS)
    to++;
  if ((from === first && to === last) || to - from > LONGEST_INNOCENT_SLOTS) return false;
  let word = '';
  for (let index = from; index <= to; index++) {
    const letter = slots.primary[index] ?? GAP_CODE;
    const char = letter === ANY_CODE ? '*' : String.fromCharCode(0x61 + letter);
    word += char.repeat(slots.count[index] ?? 1);
  }
  if (innocentKeys.has(word)) return true;
  // Also accept the collapsed spelling (`shiitake` read as `shitake`).
  return innocentKeys.has(collapse(word));
}

function collapse(word: string): string {
  let out = '';
  for (const char of word) if (out[out.length - 1] !== char) out += char;
  return out;
}

/**
 * "Dick Cheney", "Philip K. Dick", "Dick Van Dyke": a name-like entry written
 * in title case next to another title-case word in the same sentence.
 */
function isLikelyName(text: string, slots: SlotStream, first: number, last: number): boolean {
  if (slots.primary[first] === GAP_CODE || slots.upper[first] !== 1) return false;
  for (let index = first + 1; index <= last; index++) {
    if (slots.primary[index] !== GAP_CODE && slots.upper[index] === 1) return false; // shouting, not a name
  }
  const start = slots.start[first] ?? 0;
  const end = slots.end[last] ?? start;
  return isTitleCaseNeighbour(text, start, -1) || isTitleCaseNeighbour(text, end, 1);
}

/** Looks past spaces and initials' dots to the neighbouring word and checks its capital. */
function isTitleCaseNeighbour(text: string, from: number, direction: 1 | -1): boolean {
  let index = direction === 1 ? from : from - 1;
  let dots = 0;
  while (index >= 0 && index < text.length) {
    const char = text[index] ?? '';
    if (char === ' ') index += direction;
    else if (char === '.' && dots === 0 && direction === -1) {
      dots++;
      index += direction;
    } else break;
  }
  if (index === (direction === 1 ? from : from - 1)) return false;
  // Walk to the first letter of the neighbouring word.
  let wordStart = index;
  if (direction === -1) {
    while (wordStart > 0 && isLetterChar(text[wordStart - 1] ?? '')) wordStart--;
  }
  const initial = text[wordStart] ?? '';
  if (!isLetterChar(initial) || initial === initial.toLowerCase()) return false;
  const isInitialOnly = direction === -1 && index === wordStart;
  // A dot after a full word ends a sentence; after an initial ("K.") it does not.
  return dots === 0 || isInitialOnly;
}

function isLetterChar(char: string): boolean {
  return char.toLowerCase() !== char.toUpperCase();
}
