import { type Slot, toSlots } from './normalize';
import { type ListName, spellEntry, spellingKey, WordTrie } from './word-trie';

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
  scan(text: string): WordMatch[];
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
  const addList = (words: readonly string[], list: ListName): void => {
    for (const word of words) {
      const steps = spellEntry(word);
      if (steps === undefined) continue;
      const key = spellingKey(steps);
      const isMultiWord = key.includes(' ');
      const letters = key.length;
      const isWholeWordOnly = isMultiWord || !(EMBEDDABLE_STEMS.has(key) || letters >= EMBEDDABLE_LENGTH);
      trie.add(steps, { word, list, isWholeWordOnly, isNameLike: NAME_LIKE.has(key) });
    }
  };
  // Suspect first so that an entry on both lists ends up banned.
  addList(lists.suspect, 'suspect');
  addList(lists.banned, 'banned');
  const innocentKeys = new Set(INNOCENT_WORDS);
  return {
    scan: (text) => scanText(trie, innocentKeys, text),
  };
}

function scanText(trie: WordTrie, innocentKeys: ReadonlySet<string>, text: string): WordMatch[] {
  const slots = toSlots(text);
  const matches: WordMatch[] = [];
  let words: WordBounds | undefined;
  // A trie reaches each (entry, start) by one path only, so matches need no de-duplication.
  trie.findAll(slots, (entry, first, last) => {
    words ??= findWordBounds(slots);
    if (isInsideInnocentWord(slots, words, innocentKeys, first, last)) return true;
    if (entry.isNameLike && isLikelyName(text, slots, first, last)) return true;
    const start = slots[first]?.start ?? 0;
    const end = slots[last]?.end ?? start;
    matches.push({ word: entry.word, list: entry.list, span: [start, end], matched: text.slice(start, end) });
    return matches.length < MAX_MATCHES;
  });
  return matches.sort((a, b) => a.span[0] - b.span[0] || b.span[1] - a.span[1]);
}

/** For each slot, the first and last slot of its word; computed once per scan so checks stay linear. */
interface WordBounds {
  from: Int32Array;
  to: Int32Array;
}

function findWordBounds(slots: readonly Slot[]): WordBounds {
  const from = new Int32Array(slots.length);
  const to = new Int32Array(slots.length);
  let wordStart = 0;
  for (let index = 0; index < slots.length; index++) {
    if (slots[index]?.kind !== 'letter') {
      from[index] = index;
      to[index] = index;
      wordStart = index + 1;
      continue;
    }
    from[index] = wordStart;
  }
  let wordEnd = slots.length - 1;
  for (let index = slots.length - 1; index >= 0; index--) {
    if (slots[index]?.kind !== 'letter') {
      wordEnd = index - 1;
      continue;
    }
    to[index] = wordEnd;
  }
  return { from, to };
}

/** Longer than any innocent word: such a word cannot be one, so don't build its spelling. */
const LONGEST_INNOCENT_SLOTS = 24;

function isInsideInnocentWord(
  slots: readonly Slot[],
  words: WordBounds,
  innocentKeys: ReadonlySet<string>,
  first: number,
  last: number,
): boolean {
  const from = words.from[first] ?? first;
  const to = words.to[last] ?? last;
  if ((from === first && to === last) || to - from > LONGEST_INNOCENT_SLOTS) return false;
  let word = '';
  for (let index = from; index <= to; index++) {
    const slot = slots[index];
    if (slot?.kind !== 'letter') return false;
    word += (slot.letters[0] ?? '').repeat(slot.count);
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
function isLikelyName(text: string, slots: readonly Slot[], first: number, last: number): boolean {
  const firstSlot = slots[first];
  if (firstSlot?.kind !== 'letter' || !firstSlot.isUpper) return false;
  for (let index = first + 1; index <= last; index++) {
    const slot = slots[index];
    if (slot?.kind === 'letter' && slot.isUpper) return false; // shouting, not a name
  }
  const start = firstSlot.start;
  const end = slots[last]?.end ?? start;
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
