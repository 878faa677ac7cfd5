/**
 * The quick reading of plain text. Most comments are a few sentences of
 * letters, spaces and ordinary punctuation: no Markdown, links, masks, mixed
 * scripts or spelled-out letters (digits inside a Latin word, `sh1t`, and
 * letters joined by `!`, `b!tch`, are read too). For those, one pass over the
 * text tells what the content phases (languages, words, lexicons, evasion)
 * would: each word is looked up by a hash of its lower-case letters, without
 * building a string, in a table that remembers whether the site's word filter
 * or a lexicon could match it and which languages it speaks for. A text whose
 * words are all inert has no content finding; anything else is read by the
 * full phases.
 */
import { DEFAULT_MODERATION_SETTINGS } from '../../contracts/moderation';
import type { WordFilter, WordMatch } from '../filter';
import {
  DEFAULT_LEXICON,
  readTokens,
  type LexiconMatch,
  type PhrasesFilled,
  type Token,
  type TokenClasses,
} from '../lexicon';
import type { PhaseResult, ScreeningContext } from '../pipeline-types';
import { addWordEvidence, rankLanguages, rankLanguagesOfScript, type Script } from '../text';
import { lexiconFindings, siteLexiconOf } from './phases/lexicon.phase';
import { wordFindings } from './phases/words.phase';

/** What the quick reading found; see `ScreeningContext.plain`. */
export interface PlainTextReading {
  /** The text as readers see it: without trailing spaces. */
  text: string;
  /** BCP 47 codes, most used first, as `detectLanguages` gives them. */
  languages: string[];
  /**
   * A spam signal may be there (nine digits, a long run, mostly capitals):
   * the spam phase reads the text. A plain text has no link or e-mail
   * address: it has no `@`, `/` or dot before a letter.
   */
  mayBeSpam: boolean;
  /** Digits and a word that names a flat (`flat`, `apt`, `кв…`): the text may hold a street address. */
  mayHoldAddress: boolean;
  /**
   * Set when a word is on a list or in a lexicon, every such word read
   * whole (no leet, masks or separators inside it): the words phase's result.
   */
  words?: PhaseResult | undefined;
  /** Set with `words`: the lexicon phase's result (addresses included), null when it has none. */
  lexicon?: PhaseResult | null | undefined;
}

// Character classes of the quick reading; anything else sends the text to the full phases.
const OTHER = 0;
const LATIN_LOWER = 1;
const LATIN_UPPER = 2;
const CYRILLIC_LOWER = 3;
const CYRILLIC_UPPER = 4;
const DIGIT = 5;
const SPACE = 6;
const APOSTROPHE = 7;
const PUNCTUATION = 8;
const DOT = 9;
/** `!` reads as a letter between two word characters (`b!tch`). */
const BANG = 10;
const HYPHEN = 11;

const CLASSES = new Uint8Array(0x10000);
/** Lower case of each letter of the quick reading (0 for the rest). */
const LOWER = new Uint16Array(0x10000);

function setLetters(from: number, to: number, kind: number, lowerOffset: number): void {
  for (let code = from; code <= to; code++) {
    CLASSES[code] = kind;
    LOWER[code] = code + lowerOffset;
  }
}
setLetters(0x61, 0x7a, LATIN_LOWER, 0);
setLetters(0x41, 0x5a, LATIN_UPPER, 0x20);
// Russian and Ukrainian letters only: look-alikes no Russian or Ukrainian word uses (ѕ, ј, һ) are evasion material.
setLetters(0x430, 0x44f, CYRILLIC_LOWER, 0);
setLetters(0x410, 0x42f, CYRILLIC_UPPER, 0x20);
for (const [lower, upper] of [[0x451, 0x401], [0x454, 0x404], [0x456, 0x406], [0x457, 0x407], [0x491, 0x490]] as const) {
  setLetters(lower, lower, CYRILLIC_LOWER, 0);
  setLetters(upper, upper, CYRILLIC_UPPER, lower - upper);
}
for (let code = 0x30; code <= 0x39; code++) CLASSES[code] = DIGIT;
CLASSES[0x20] = SPACE;
for (const char of ["'", '’', 'ʼ']) CLASSES[char.charCodeAt(0)] = APOSTROPHE;
// No Markdown markup (* _ ~ ` [ ] < > | \ #), no link or leet characters (/ @ $ + € £ &), no line breaks.
for (const char of [',', ';', ':', '?', '"', '(', ')', '%', '«', '»', '“', '”', '„', '—', '–', '…'])
  CLASSES[char.charCodeAt(0)] = PUNCTUATION;
CLASSES[0x2e] = DOT;
CLASSES[0x21] = BANG;
CLASSES[0x2d] = HYPHEN;

/**
 * CLASSES and LOWER in one look-up per character of a word: the lower case
 * (bits 0–15), the class (16–19), upper case, a letter, a Latin letter.
 */
const KIND_SHIFT = 16;
const UPPER_SHIFT = 20;
const IS_LETTER_BIT = 1 << 21;
const IS_LATIN_BIT = 1 << 22;
const UPPER_BIT = 1 << UPPER_SHIFT;
const SCRIPT_LETTER_BITS = IS_LETTER_BIT | IS_LATIN_BIT;
const LATIN_LETTER_BITS = IS_LETTER_BIT | IS_LATIN_BIT;
const INFO = new Int32Array(0x10000);
for (let code = 0; code < 0x10000; code++) {
  const kind = CLASSES[code] ?? OTHER;
  const isLetter = kind >= LATIN_LOWER && kind <= CYRILLIC_UPPER;
  INFO[code] =
    (LOWER[code] ?? 0) |
    (kind << KIND_SHIFT) |
    ((kind === LATIN_UPPER || kind === CYRILLIC_UPPER ? 1 : 0) << UPPER_SHIFT) |
    (isLetter ? IS_LETTER_BIT : 0) |
    (isLetter && kind <= LATIN_UPPER ? IS_LATIN_BIT : 0);
}

/** Each code unit as the word table keeps it: letters in lower case, the rest as they are. */
const FOLD = new Uint16Array(0x10000);
for (let code = 0; code < 0x10000; code++) FOLD[code] = (LOWER[code] ?? 0) === 0 ? code : (LOWER[code] ?? 0);

/** Quotation marks of the quick reading, as lexicon tokens see them (a quoted word may be a mention). */
const IS_QUOTE = new Uint8Array(0x10000);
for (const char of ['"', '«', '»', '“', '”', '„', "'"]) IS_QUOTE[char.charCodeAt(0)] = 1;
/** UTF-16LE bytes are code units as this machine reads a Uint16Array. */
const IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
/** A hostile long text must not pin its buffer: past this, the next short text shrinks it. */
const MAX_RETAINED_CODES = 1 << 16;

/**
 * The table's hash of a word: of the sum of its code units in lower case
 * (added up as the reader finds the word's end, one addition a letter, no
 * multiply chain), its length and its first and last code units. Words alike
 * there (anagrams with the same ends) share a hash and are told apart by
 * their letters; a crowd of them is capped by `MAX_PROBES`.
 */
function mixWordHash(sum: number, length: number, first: number, last: number): number {
  let hash = Math.imul(sum ^ (length << 21), 0x9e3779b1);
  hash ^= Math.imul(first | (last << 16), 0x85ebca6b);
  return hash ^ (hash >>> 15);
}

/** `mixWordHash` of the word at `[start, end)` of `view`. */
function hashOfWord(view: Uint16Array, start: number, end: number): number {
  let sum = 0;
  for (let at = start; at < end; at++) sum += FOLD[view[at] ?? 0] ?? 0;
  return mixWordHash(sum, end - start, FOLD[view[start] ?? 0] ?? 0, FOLD[view[end - 1] ?? 0] ?? 0);
}

/** The capitals among `[start, end)` of `view`. */
function capitalsIn(view: Uint16Array, start: number, end: number): number {
  let count = 0;
  for (let at = start; at < end; at++) count += ((INFO[view[at] ?? 0] ?? 0) >>> UPPER_SHIFT) & 1;
  return count;
}

function isLetterClass(kind: number): boolean {
  return kind >= LATIN_LOWER && kind <= CYRILLIC_UPPER;
}

function isWordClass(kind: number): boolean {
  return kind >= LATIN_LOWER && kind <= DIGIT;
}

// What one word (in lower case) tells the quick reading, as bits.
/** The full phases must read the text: the word may match with the words around it, or reads as several tokens. */
const NEEDS_FULL = 1;
/** The word filter matches in it (its matches, read alone, are kept). */
const HAS_FILTER_MATCH = 2;
/** A lexicon word entry matches it, or it may start a phrase: the lexicon reads its token. */
const HAS_LEXICON_ROLE = 4;
/** It may be one of the site's own non-Latin words. */
const HAS_SITE_ROLE = 8;
/** Its lexicon key is one letter (`a`, `ммм`): lexicon tokens join runs of these (`с у к а`). */
const IS_ONE_LETTER_KEY = 16;
/** A lexicon word entry (or a site word) matches it: the lexicon must read the tokens. */
const IS_LEXICON_WORD = 32;
/** It may start a phrase that needs no other listed word besides it. */
const STARTS_ANY_PHRASE = 64;
/** It names a flat, as every street address pattern needs (see `FLAT_WORDS`). */
const NAMES_FLAT = 128;
/** In lower case it repeats one letter `REPEATED_RUN_LENGTH` times in a row: the text may too. */
const MAY_HAVE_LONG_RUN = 256;
/** It speaks for a language (its evidence pairs are not empty). */
const HAS_EVIDENCE = 512;
/** It fills the second slot of some phrase. */
const FILLS_PHRASES = 1024;

/** Languages the evidence of words speaks for, by index (a bit each in a 32-bit mask). */
const LANGUAGE_CODES: string[] = [];
const LANGUAGE_INDEX = new Map<string, number>();
const MAX_LANGUAGES = 31;

function languageIndexOf(language: string): number {
  let index = LANGUAGE_INDEX.get(language);
  if (index === undefined) {
    index = LANGUAGE_CODES.length;
    LANGUAGE_CODES.push(language);
    LANGUAGE_INDEX.set(language, index);
  }
  return index;
}

const NO_EVIDENCE = new Int32Array(0);

/** Slots of the open-addressing table (a power of two); it is emptied when half full. */
const TABLE_SLOTS = 1 << 16;
const TABLE_LIMIT = TABLE_SLOTS >> 1;
/**
 * Slots a new table starts with: a thread's vocabulary of a few thousand
 * words then probes a few kilobytes, in cache, and the table doubles as it
 * fills (up to `TABLE_SLOTS`).
 */
const FIRST_TABLE_SLOTS = 1 << 12;
/** Int32 values per word in `WordTable.entries`. */
const ENTRY_STRIDE = 4;
/** Slots a look-up may probe: honest words need a handful; past this, the text is read in full. */
const MAX_PROBES = 64;
/** The table's letters are bounded too (a stream of long made-up words): past this, it is emptied. */
const MAX_TABLE_CHARS = 1 << 20;

/**
 * Words seen under one site filter, found by hash and letters, without a
 * string per look-up. What a word tells is kept in parallel arrays by its
 * index: its bits, its lexicon key, its evidence for languages (pairs of
 * language index and weight) and its word filter matches.
 */
class WordTable {
  private slots = new Int32Array(FIRST_TABLE_SLOTS);
  /** Per word index, side by side (one cache line for a probe): its hash, length and offset in `chars`. */
  private readonly entries = new Int32Array(TABLE_LIMIT * ENTRY_STRIDE);
  readonly flags = new Uint16Array(TABLE_LIMIT);
  private count = 0;
  /** Counts the times the table was emptied: word indices read before then mean other words now. */
  generation = 0;
  /** Each word's lower-case code units, at its offset in `chars`, its length of them. */
  private chars = new Uint16Array(TABLE_LIMIT * 4);
  private used = 0;
  keys: string[] = [];
  evidence: Int32Array[] = [];
  matches: (readonly WordMatch[])[] = [];
  /** Phrases each word may start that need a second listed word, and those whose second word it is. */
  starts: (readonly number[])[] = [];
  fills: (readonly number[])[] = [];
  /** What the default lexicon's classes say of each word's key (filled as tokens are built). */
  classes: (TokenClasses | undefined)[] = [];

  constructor(
    private readonly filter: WordFilter,
    private readonly siteLexicon: ReturnType<typeof siteLexiconOf>,
  ) {}

  /**
   * The index of the word at `[start, end)` of `text` (its lower-case letters
   * hash to `hash`; `isLowerCase` when it has no capital, so its code units
   * are the table's as they are); -1 when its probe ran too long.
   */
  find(
    view: Uint16Array,
    start: number,
    end: number,
    hash: number,
    isLatin: boolean,
    isLowerCase: boolean,
    text: string,
  ): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const length = end - start;
    let slot = hash & mask;
    const { entries, chars } = this;
    let probes = 0;
    for (let entry = slots[slot] ?? 0; entry !== 0; entry = slots[slot] ?? 0) {
      const at4 = (entry - 1) * ENTRY_STRIDE;
      if (entries[at4] === hash && entries[at4 + 1] === length) {
        const index = entry - 1;
        const offset = entries[at4 + 2] ?? 0;
        let at = 0;
        if (isLowerCase) while (at < length && view[start + at] === chars[offset + at]) at++;
        else while (at < length && FOLD[view[start + at] ?? 0] === chars[offset + at]) at++;
        if (at === length) return index;
      }
      // A crowded stretch (words made to collide): the full phases read this text.
      if (++probes > MAX_PROBES) return -1;
      slot = (slot + 1) & mask;
    }
    return this.add(view, start, end, hash, isLatin, text, slot);
  }

  /** A word not in the table yet: described and added at `slot` (the empty slot its probe ended at). */
  private add(
    view: Uint16Array,
    start: number,
    end: number,
    hash: number,
    isLatin: boolean,
    text: string,
    probed: number,
  ): number {
    const length = end - start;
    let slot = probed;
    if (this.count >= TABLE_LIMIT || this.used + length > MAX_TABLE_CHARS) {
      this.slots = new Int32Array(FIRST_TABLE_SLOTS);
      this.generation++;
      this.count = 0;
      this.used = 0;
      this.keys = [];
      this.evidence = [];
      this.matches = [];
      this.starts = [];
      this.fills = [];
      this.classes = [];
      slot = this.emptySlotOf(hash);
    } else if ((this.count + 1) * 2 > this.slots.length) {
      this.grow();
      slot = this.emptySlotOf(hash);
    }
    const slots = this.slots;
    const index = this.count++;
    const word = text.slice(start, end).toLowerCase();
    this.describe(index, word, isLatin ? 'latin' : 'cyrillic');
    if (this.used + length > this.chars.length) {
      const grown = new Uint16Array(Math.min(Math.max(this.chars.length * 2, this.used + length), MAX_TABLE_CHARS + length));
      grown.set(this.chars.subarray(0, this.used));
      this.chars = grown;
    }
    for (let at = 0; at < length; at++) this.chars[this.used + at] = FOLD[view[start + at] ?? 0] ?? 0;
    const at4 = index * ENTRY_STRIDE;
    this.entries[at4] = hash;
    this.entries[at4 + 1] = length;
    this.entries[at4 + 2] = this.used;
    this.used += length;
    slots[slot] = index + 1;
    return index;
  }

  /** The first empty slot from `hash` on. */
  private emptySlotOf(hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = hash & mask;
    while ((slots[slot] ?? 0) !== 0) slot = (slot + 1) & mask;
    return slot;
  }

  /** Twice the slots, every word placed again (the table stays at most half full). */
  private grow(): void {
    const grown = new Int32Array(this.slots.length * 2);
    const mask = grown.length - 1;
    for (let index = 0; index < this.count; index++) {
      let slot = (this.entries[index * ENTRY_STRIDE] ?? 0) & mask;
      while ((grown[slot] ?? 0) !== 0) slot = (slot + 1) & mask;
      grown[slot] = index + 1;
    }
    this.slots = grown;
  }

  private describe(index: number, word: string, script: Script): void {
    if (word.includes('!')) {
      this.describeJoined(index, word);
      return;
    }
    const evidence = new Map<string, number>();
    addWordEvidence(evidence, word, { start: 0, end: word.length, script }, word);
    const pairs: number[] = [];
    let isKnown = true;
    for (const [language, weight] of evidence) {
      const at = languageIndexOf(language);
      if (at >= MAX_LANGUAGES) isKnown = false;
      pairs.push(at, weight);
    }
    // The word read alone gives the token it gives in a text (its neighbours are plain punctuation).
    const tokens = readTokens(word, word);
    const token = tokens[0];
    const key = token?.key ?? '';
    const isOneToken =
      tokens.length === 1 && token !== undefined && !token.isMasked && token.start === 0 && token.end === word.length;
    const matches = this.filter.wordMatches(word);
    const site = this.siteLexicon;
    const isSiteWord =
      site !== null && (site.banned.roleOfKey(key) !== 'none' || site.suspect.roleOfKey(key) !== 'none');
    let flags = 0;
    if (!isOneToken || matches === undefined || !isKnown) flags |= NEEDS_FULL;
    if (matches !== undefined && matches.length > 0) flags |= HAS_FILTER_MATCH;
    const role = DEFAULT_LEXICON.roleOfKey(key);
    const gates = DEFAULT_LEXICON.phraseGatesOf(key);
    if (role !== 'none') flags |= HAS_LEXICON_ROLE;
    if (role === 'word') flags |= IS_LEXICON_WORD;
    if (gates.startsAlways) flags |= STARTS_ANY_PHRASE;
    if (isSiteWord) flags |= HAS_SITE_ROLE | HAS_LEXICON_ROLE | IS_LEXICON_WORD;
    if (key.length === 1) flags |= IS_ONE_LETTER_KEY;
    if (hasRun(word, REPEATED_RUN_LENGTH)) flags |= MAY_HAVE_LONG_RUN;
    if (pairs.length > 0) flags |= HAS_EVIDENCE;
    if (gates.fills.length > 0) flags |= FILLS_PHRASES;
    if (FLAT_WORDS.has(word)) flags |= NAMES_FLAT;
    this.flags[index] = flags;
    this.keys.push(key);
    this.evidence.push(pairs.length > 0 ? Int32Array.from(pairs) : NO_EVIDENCE);
    this.matches.push(matches ?? []);
    this.starts.push(gates.starts);
    this.fills.push(gates.fills);
    this.classes.push(undefined);
  }

  /**
   * Letters joined by `!` (`b!tch`): the word filter reads them as one word,
   * while the other readings see the words between the `!` (the reader looks
   * those up on their own). Such an entry tells only the filter's matches.
   */
  private describeJoined(index: number, word: string): void {
    const matches = this.filter.wordMatches(word);
    let flags = 0;
    if (matches === undefined) flags |= NEEDS_FULL;
    else if (matches.length > 0) flags |= HAS_FILTER_MATCH;
    this.flags[index] = flags;
    this.keys.push('');
    this.evidence.push(NO_EVIDENCE);
    this.matches.push(matches ?? []);
    this.starts.push(NO_PHRASES);
    this.fills.push(NO_PHRASES);
    this.classes.push(undefined);
  }
}

/**
 * The end of the letters joined by `!` from `start` of `view`, its first `!`
 * at `at` (as the word filter reads `!` between letters: `b!tch`, `sh!!t`);
 * -1 when a digit, an apostrophe before a letter or a letter of another
 * script touches them (the full phases read those).
 */
function joinedEndOf(view: Uint16Array, at: number): number {
  let end = at;
  for (;;) {
    let after = end;
    while (view[after] === 0x21) after++;
    // A run of `!` after the last letters ends the word (`b!tch!`).
    if (((INFO[view[after] ?? 0] ?? 0) & SCRIPT_LETTER_BITS) !== LATIN_LETTER_BITS) return end;
    end = after;
    while (((INFO[view[end] ?? 0] ?? 0) & SCRIPT_LETTER_BITS) === LATIN_LETTER_BITS) end++;
    const kind = CLASSES[view[end] ?? 0] ?? OTHER;
    if (kind === BANG) continue;
    if (kind === DIGIT || isLetterClass(kind)) return -1;
    if (kind === APOSTROPHE && isLetterClass(CLASSES[view[end + 1] ?? 0] ?? OTHER)) return -1;
    return end;
  }
}

/**
 * The words that name a flat in an address pattern (`lexicon.phase.ts`), as a
 * word of a plain text spells them: every pattern has the flat word between
 * a space, comma or digits and a number (`14, flat 3`, `д. 5, кв. 12`), and in
 * a plain text a word touching a digit is read in full. `MAY_NAME_FLAT`, a
 * quick test over a whole text, also matches inside other words (`community`,
 * `квітня`).
 */
const FLAT_WORDS: ReadonlySet<string> = new Set(['flat', 'apt', 'apartment', 'unit', 'кв', 'квартира']);

/** Whether one code unit repeats `minimum` times in a row in `[start, end)` of `units`. */
function hasRunIn(units: ArrayLike<number>, start: number, end: number, minimum: number): boolean {
  let run = 0;
  let previous = -1;
  for (let at = start; at < end; at++) {
    const code = units[at] ?? 0;
    run = code === previous ? run + 1 : 1;
    if (run >= minimum) return true;
    previous = code;
  }
  return false;
}

function hasRun(word: string, minimum: number): boolean {
  return hasRunIn(Array.from(word, (char) => char.charCodeAt(0)), 0, word.length, minimum);
}

/** Evidence of the text being read, per language index, as `rankLanguages` asks for it. */
class EvidenceCounts {
  readonly counts = new Int32Array(MAX_LANGUAGES);
  /** Bit per language index with a count. */
  touched = 0;

  clear(): void {
    for (let bits = this.touched, at = 0; bits !== 0; bits >>>= 1, at++) if ((bits & 1) !== 0) this.counts[at] = 0;
    this.touched = 0;
  }

  add(pairs: Int32Array): void {
    for (let at = 0; at < pairs.length; at += 2) {
      const language = pairs[at] ?? 0;
      this.counts[language] = (this.counts[language] ?? 0) + (pairs[at + 1] ?? 0);
      this.touched |= 1 << language;
    }
  }

  get(language: string): number | undefined {
    const at = LANGUAGE_INDEX.get(language);
    if (at === undefined || at >= MAX_LANGUAGES || (this.touched & (1 << at)) === 0) return undefined;
    return this.counts[at];
  }

  /** As a map (for the rare text of two scripts). */
  toMap(): Map<string, number> {
    const map = new Map<string, number>();
    for (let at = 0; at < MAX_LANGUAGES; at++) {
      if ((this.touched & (1 << at)) !== 0) map.set(LANGUAGE_CODES[at] ?? '', this.counts[at] ?? 0);
    }
    return map;
  }
}

/** Per-text buffers of the words read (grown on demand, shrunk after a long text). */
class WordBuffers {
  ids = new Int32Array(64);
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  sentences = new Int32Array(64);
  /** Word positions whose token the lexicon reads, ascending. */
  lexicon = new Int32Array(64);
  /** Per word: 1 when it is a part of letters joined by `!` (the word filter reads the joined word instead). */
  isJoinedPart = new Uint8Array(64);
  /** Letters joined by `!`: the table index of each joined word, and its start. */
  joinedIds = new Int32Array(64);
  joinedStarts = new Int32Array(64);
  /** Token objects reused from text to text (a reading lends them to the lexicon only while it runs). */
  readonly pool: Token[] = [];
  /** The text's tokens (the first of the pool). */
  readonly tokens: Token[] = [];

  ensure(words: number): void {
    if (words <= this.ids.length && (words > 4096 || this.ids.length <= 4096)) return;
    const size = Math.max(64, words);
    this.ids = new Int32Array(size);
    this.starts = new Int32Array(size);
    this.ends = new Int32Array(size);
    this.sentences = new Int32Array(size);
    this.lexicon = new Int32Array(size);
    this.isJoinedPart = new Uint8Array(size);
    this.joinedIds = new Int32Array(size);
    this.joinedStarts = new Int32Array(size);
    if (this.pool.length > size) this.pool.length = size;
    this.tokens.length = 0;
  }
}

/** Longer runs of one character are a spam signal (as the spam phase counts them). */
const REPEATED_RUN_LENGTH = 10;
const SHOUTING_MIN_LETTERS = 20;
const SHOUTING_UPPER_SHARE = 0.7;
const PHONE_MIN_DIGITS = 9;
/** A phone number's digits are apart by two separators (space, `-`, `.`, `(`, `)`) at most. */
const PHONE_MAX_GAP = 2;
/** The most digits in a row a word's reading keeps inside a word (see `readScriptWords`). */
const MAX_STAND_INS = 4;
/** The most single-letter words in a row the word filter and the lexicon tokens never join (`f u c k`). */
const MAX_SPELLED_LETTERS = 2;

/**
 * Returns the quick reading of a text, or undefined when the text needs the
 * full phases. Word tables are kept per site filter (one per site's lists).
 */
export function createPlainTextReader(
  filterFor: (site: ScreeningContext['site']) => WordFilter,
): (text: string, site: ScreeningContext['site']) => PlainTextReading | undefined {
  const tables = new WeakMap<WordFilter, WordTable>();
  const evidence = new EvidenceCounts();
  const buffers = new WordBuffers();
  const filled: PhrasesFilled = { stamps: new Int32Array(DEFAULT_LEXICON.phraseCount), stamp: 0 };
  // One buffer seen as bytes (written natively, in one call) and as code units.
  let bytes = Buffer.alloc(2048);
  let codes = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
  const read = (text: string, site: ScreeningContext['site']): PlainTextReading | undefined => {
    const total = text.length;
    if (total === 0) return undefined;
    // The text's code units, then zeros: typed reads, and past the end reads as OTHER.
    if (codes.length < total + 2 || (codes.length > MAX_RETAINED_CODES && total + 2 <= MAX_RETAINED_CODES)) {
      bytes = Buffer.alloc(Math.max(total + 2, 1024) * 2);
      codes = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
    }
    const view = codes;
    if (IS_LITTLE_ENDIAN) bytes.write(text, 0, 'utf16le');
    else for (let at = 0; at < total; at++) view[at] = text.charCodeAt(at);
    // Trailing spaces end the paragraph unseen; the words end before them.
    let length = total;
    while (length > 0 && view[length - 1] === 0x20) length--;
    if (length === 0) return undefined;
    view[length] = 0;
    view[length + 1] = 0;
    // Markdown: a list item (`- `, `1. `, `1) `) or leading spaces would read otherwise.
    const firstKind = CLASSES[view[0] ?? 0] ?? OTHER;
    if (firstKind === HYPHEN || firstKind === SPACE) return undefined;
    if (firstKind === DIGIT) {
      let at = 1;
      while (at < length && CLASSES[view[at] ?? 0] === DIGIT) at++;
      const next = view[at] ?? 0;
      if (next === 0x2e || next === 0x29) return undefined;
    }
    const filter = filterFor(site);
    let table = tables.get(filter);
    if (table === undefined) {
      table = new WordTable(filter, siteLexiconOf(site.settings));
      tables.set(filter, table);
    }
    const generation = table.generation;
    const flagsOf = table.flags;
    const evidenceOf = table.evidence;
    const fillsOf = table.fills;
    evidence.clear();
    // A new stamp: no phrase's second word is seen in this text yet.
    if (filled.stamp === 0x7fffffff) {
      filled.stamps.fill(0);
      filled.stamp = 0;
    }
    const stamp = ++filled.stamp;
    const stamps = filled.stamps;
    // A word takes at least one letter and one separator.
    buffers.ensure((length >> 1) + 1);
    const { ids, starts, ends, sentences, lexicon, isJoinedPart, joinedIds, joinedStarts } = buffers;
    let wordCount = 0;
    // Letters joined by `!` read so far, and the end of the last (words before it are its parts).
    let joinedCount = 0;
    let joinedEnd = -1;
    let lexiconCount = 0;
    let seen = 0;
    let sentence = 0;
    let letters = 0;
    let upper = 0;
    let digits = 0;
    // Digits in a stretch a phone number could span (see `findPhones`), and the longest such stretch.
    let phoneDigits = 0;
    let phoneGap = PHONE_MAX_GAP + 1;
    let longestPhone = 0;
    let hasLongRun = false;
    let run = 0;
    let previous = -1;
    let latinWords = 0;
    let cyrillicWords = 0;
    let isLatinFirst = true;
    // Single-letter words in a row: Latin ones for the word filter (any gap of up to 3), any for the lexicon tokens.
    let latinSpelled = 0;
    let lastLatinSingleEnd = -1;
    let spelled = 0;
    let lastSingleEnd = -1;
    let index = 0;
    while (index < length) {
      const code = view[index] ?? 0;
      const kind = CLASSES[code] ?? OTHER;
      if (kind === OTHER) return undefined;
      if (code === previous) {
        run++;
        if (run >= REPEATED_RUN_LENGTH) hasLongRun = true;
      } else run = 1;
      previous = code;
      if (kind > CYRILLIC_UPPER) {
        if (kind === SPACE) {
          // The common case first.
          phoneGap++;
        } else if (kind === DIGIT) {
          digits++;
          phoneDigits = phoneGap <= PHONE_MAX_GAP ? phoneDigits + 1 : 1;
          phoneGap = 0;
          if (phoneDigits > longestPhone) longestPhone = phoneDigits;
          if (index > 0 && isLetterClass(CLASSES[view[index - 1] ?? 0] ?? OTHER)) return undefined;
          // Dotted groups of digits (1.2.3.4) may read as an address to link.
          if (index >= 3 && view[index - 1] === 0x2e && view[index - 3] === 0x2e) return undefined;
        } else if (kind === DOT) {
          phoneGap++;
          sentence++;
          // A dot before a letter may be a host name (`example.com`); before a digit it is a number (`2.3%`), never a link.
          if (isLetterClass(CLASSES[view[index + 1] ?? 0] ?? OTHER)) return undefined;
        } else if (kind === HYPHEN || code === 0x28 || code === 0x29) phoneGap++;
        else if (kind === BANG) {
          phoneGap = PHONE_MAX_GAP + 1;
          sentence++;
          // A run of them (`sh!!t`) reads as letters too.
          let before = index - 1;
          while (before >= 0 && view[before] === 0x21) before--;
          let after = index + 1;
          while (view[after] === 0x21) after++;
          const beforeKind = before >= 0 ? (CLASSES[view[before] ?? 0] ?? OTHER) : OTHER;
          if (index >= joinedEnd && isWordClass(beforeKind) && isWordClass(CLASSES[view[after] ?? 0] ?? OTHER))
            return undefined;
        } else {
          phoneGap = PHONE_MAX_GAP + 1;
          if (code === 0x3f || code === 0x3b || code === 0x2026) sentence++;
        }
        index++;
        continue;
      }
      phoneGap = PHONE_MAX_GAP + 1;
      // A word: letters of one script, with apostrophes between letters.
      const start = index;
      if (start > 0 && CLASSES[view[start - 1] ?? 0] === DIGIT) return undefined;
      const isLatin = kind <= LATIN_UPPER;
      let partStart = start;
      let end = index;
      // The word's letters are all of its first letter's script; `seenBits` has the upper-case bit of any capital.
      const script = isLatin ? LATIN_LETTER_BITS : IS_LETTER_BIT;
      let seenBits = 0;
      // Apostrophes and digits inside the word; the sum of its code units in lower case (see `mixWordHash`).
      let nonLetters = 0;
      let sum = 0;
      for (;;) {
        const current = view[end] ?? 0;
        const info = INFO[current] ?? 0;
        if ((info & SCRIPT_LETTER_BITS) === script) {
          seenBits |= info;
          sum += info & 0xffff;
          end++;
          continue;
        }
        // A letter of the other script: a mixed-script word.
        if ((info & IS_LETTER_BIT) !== 0) return undefined;
        const currentKind = (info >>> KIND_SHIFT) & 0xf;
        if (currentKind === APOSTROPHE && isLetterClass(CLASSES[view[end + 1] ?? 0] ?? OTHER)) {
          nonLetters++;
          sum += current;
          // The word filter reads the letters after an apostrophe as a word of their own (`it's`: `it`, `s`).
          if (isLatin) {
            if (end - partStart === 1) {
              latinSpelled = lastLatinSingleEnd >= 0 && partStart - lastLatinSingleEnd <= 3 ? latinSpelled + 1 : 1;
              if (latinSpelled > MAX_SPELLED_LETTERS) return undefined;
              lastLatinSingleEnd = end;
            } else latinSpelled = 0;
            partStart = end + 1;
          }
          end++;
          continue;
        }
        if (currentKind === BANG && isLatin && end > joinedEnd) {
          // Letters joined by `!` (`b!tch`): the filter reads the joined word, the rest each part.
          const joined = joinedEndOf(view, end);
          if (joined < 0) return undefined;
          if (joined > end) {
            const joinedId = table.find(view, start, joined, hashOfWord(view, start, joined), true, false, text);
            if (joinedId < 0) return undefined;
            const joinedFlags = flagsOf[joinedId] ?? NEEDS_FULL;
            if ((joinedFlags & NEEDS_FULL) !== 0) return undefined;
            seen |= joinedFlags & HAS_FILTER_MATCH;
            joinedIds[joinedCount] = joinedId;
            joinedStarts[joinedCount] = start;
            joinedCount++;
            joinedEnd = joined;
          }
          break;
        }
        if (currentKind === DIGIT) {
          // Up to four digits between letters of a Latin word stand in for letters (`sh1t`): every reading keeps them in the word.
          if (!isLatin) return undefined;
          let after = end + 1;
          while (after - end < MAX_STAND_INS && CLASSES[view[after] ?? 0] === DIGIT) after++;
          if (((INFO[view[after] ?? 0] ?? 0) & SCRIPT_LETTER_BITS) !== script) return undefined;
          digits += after - end;
          nonLetters += after - end;
          for (let at = end; at < after; at++) sum += view[at] ?? 0;
          end = after;
          continue;
        }
        break;
      }
      letters += end - start - nonLetters;
      const isLowerCase = (seenBits & UPPER_BIT) === 0;
      if (!isLowerCase) upper += capitalsIn(view, start, end);
      const hash = mixWordHash(sum, end - start, FOLD[view[start] ?? 0] ?? 0, FOLD[view[end - 1] ?? 0] ?? 0);
      const id = table.find(view, start, end, hash, isLatin, isLowerCase, text);
      if (id < 0) return undefined;
      const flags = flagsOf[id] ?? NEEDS_FULL;
      if ((flags & NEEDS_FULL) !== 0) return undefined;
      // Runs inside the word: only a word that repeats a letter in lower case can (the case may differ).
      if ((flags & MAY_HAVE_LONG_RUN) !== 0 && hasRunIn(view, start, end, REPEATED_RUN_LENGTH)) hasLongRun = true;
      // The word's last letter, for a run the next character would continue (none: it is not a letter).
      previous = view[end - 1] ?? -1;
      run = 1;
      if (end <= joinedEnd) {
        isJoinedPart[wordCount] = 1;
        seen |= flags & ~HAS_FILTER_MATCH;
      } else {
        isJoinedPart[wordCount] = 0;
        seen |= flags;
      }
      if ((flags & HAS_LEXICON_ROLE) !== 0) lexicon[lexiconCount++] = wordCount;
      if ((flags & FILLS_PHRASES) !== 0) {
        const fills = fillsOf[id] ?? NO_PHRASES;
        for (let at = 0; at < fills.length; at++) stamps[fills[at] ?? 0] = stamp;
      }
      ids[wordCount] = id;
      starts[wordCount] = start;
      ends[wordCount] = end;
      sentences[wordCount] = sentence;
      wordCount++;
      if ((flags & HAS_EVIDENCE) !== 0) evidence.add(evidenceOf[id] ?? NO_EVIDENCE);
      if (isLatin) {
        if (latinWords === 0 && cyrillicWords === 0) isLatinFirst = true;
        latinWords++;
        if (end - partStart === 1) {
          latinSpelled = lastLatinSingleEnd >= 0 && partStart - lastLatinSingleEnd <= 3 ? latinSpelled + 1 : 1;
          if (latinSpelled > MAX_SPELLED_LETTERS) return undefined;
          lastLatinSingleEnd = end;
        } else {
          latinSpelled = 0;
          lastLatinSingleEnd = -1;
        }
      } else {
        if (latinWords === 0 && cyrillicWords === 0) isLatinFirst = false;
        cyrillicWords++;
      }
      if ((flags & IS_ONE_LETTER_KEY) !== 0) {
        spelled = lastSingleEnd >= 0 && start - lastSingleEnd === 1 ? spelled + 1 : 1;
        if (spelled > MAX_SPELLED_LETTERS) return undefined;
        lastSingleEnd = end;
      } else {
        spelled = 0;
        lastSingleEnd = -1;
      }
      index = end;
    }
    // Emptied while the text was read (a flood of new words): its word indices are stale.
    if (table.generation !== generation) return undefined;
    const shown = length === text.length ? text : text.slice(0, length);
    const mayHoldAddress = digits > 0 && (seen & NAMES_FLAT) !== 0;
    let content: Pick<PlainTextReading, 'words' | 'lexicon'> | undefined;
    // The lexicon has something to try: a word entry, or a phrase whose words are all here.
    let isLexiconNeeded = (seen & (IS_LEXICON_WORD | STARTS_ANY_PHRASE)) !== 0;
    for (let at = 0; at < lexiconCount && !isLexiconNeeded; at++) {
      const position = lexicon[at] ?? 0;
      const starts = table.starts[ids[position] ?? 0] ?? NO_PHRASES;
      for (let index = 0; index < starts.length; index++) {
        const phrase = starts[index] ?? 0;
        if (stamps[phrase] !== stamp) continue;
        // A second slot side by side with the trigger (`не люди`): the word there must fill it.
        const offset = DEFAULT_LEXICON.secondOffsetOf(phrase);
        if (offset !== 0) {
          const neighbour = position + offset;
          if (neighbour < 0 || neighbour >= wordCount || sentences[neighbour] !== sentences[position]) continue;
          if (!(fillsOf[ids[neighbour] ?? 0] ?? NO_PHRASES).includes(phrase)) continue;
        }
        isLexiconNeeded = true;
        break;
      }
    }
    if ((seen & HAS_FILTER_MATCH) !== 0 || isLexiconNeeded) {
      const tokens = tokensOfWords(buffers, wordCount, table, view);
      const lexiconMatches = isLexiconNeeded
        ? DEFAULT_LEXICON.scanAt(tokens, lexicon, lexiconCount, filled)
        : NO_MATCHES;
      const hasSiteWords = (seen & HAS_SITE_ROLE) !== 0;
      if ((seen & HAS_FILTER_MATCH) !== 0 || lexiconMatches.length > 0 || hasSiteWords) {
        const settings = site.settings;
        const wordMatches =
          (seen & HAS_FILTER_MATCH) !== 0 ? matchesOfWords(buffers, wordCount, joinedCount, table, shown) : [];
        content = {
          words: wordFindings(shown, settings, wordMatches, () => tokens),
          lexicon:
            lexiconFindings(shown, settings, DEFAULT_LEXICON, tokens, lexiconMatches, hasSiteWords, mayHoldAddress) ??
            null,
        };
      }
    }
    return {
      text: shown,
      languages: languagesOf(latinWords, cyrillicWords, isLatinFirst, evidence),
      mayBeSpam:
        hasLongRun ||
        longestPhone >= PHONE_MIN_DIGITS ||
        (letters >= SHOUTING_MIN_LETTERS && upper / letters > SHOUTING_UPPER_SHARE),
      mayHoldAddress,
      ...content,
    };
  };
  for (const sample of WARM_UP_TEXTS) read(sample, WARM_UP_SITE);
  return read;
}

/**
 * A few texts that take every branch of the reading, read once when a reader
 * is made (under a site id no site can have), so that V8 compiles it having
 * seen each kind of character. Compiled before some branch ran, the reading
 * is thrown back to the interpreter the first time that branch runs; when
 * that happens inside a long text, V8 may replace the running loop with
 * on-stack-replacement code and keep that (about a third slower) for the
 * life of the process.
 */
const WARM_UP_TEXTS: readonly string[] = [
  'The talks in Istanbul are a first step (maybe); inflation is 2.3% — “nobody” said it: «yes», \'no\'.',
  'Переговоры в Стамбуле — это шаг вперёд! Обмін полоненими, перемир’я? Так… ЄС і Ґрунт, ЇЇ.',
  "It's Kyiv's turn, isn't it? Wow! Sh!t happens and b!tch and sh!!t. What a shit show, fuck.",
  'Call me at 555 123 4567 or (044) 123-45-67. Khreshchatyk 14, flat 3; вул. Хрещатик 14, кв. 3.',
  'Ukrainians are subhuman and should be shot. Смерть хохлам, блять! Русня, москалі, кацапи.',
  'THIS IS WRITTEN ENTIRELY IN CAPITAL LETTERS FOR EMPHASIS. Noooooooooooooo!!!!!!!!!!!! a b c',
  'f u c k you, я т ы, I a o. Visit example.com or 1.2.3.4 today, abc1 2abc 12.',
  '- a list item',
  '1. a numbered item',
  ' leading space',
  '*bold* and _italic_',
  'trailing spaces   ',
  '',
];
const WARM_UP_SITE: ScreeningContext['site'] = { id: '', settings: DEFAULT_MODERATION_SETTINGS };

const NO_MATCHES: readonly LexiconMatch[] = [];
const NO_PHRASES: readonly number[] = [];

/** The lexicon tokens of the words read (the reader's own token objects, rewritten). */
function tokensOfWords(buffers: WordBuffers, count: number, table: WordTable, view: Uint16Array): Token[] {
  const { pool, tokens, ids, starts, ends, sentences } = buffers;
  const { keys, classes } = table;
  tokens.length = count;
  for (let at = 0; at < count; at++) {
    const start = starts[at] ?? 0;
    const end = ends[at] ?? start;
    const first = CLASSES[view[start] ?? 0] ?? OTHER;
    const id = ids[at] ?? 0;
    const key = keys[id] ?? '';
    let known = classes[id];
    if (known === undefined) {
      known = DEFAULT_LEXICON.classesOf(key);
      classes[id] = known;
    }
    const isCapitalized = first === LATIN_UPPER || first === CYRILLIC_UPPER;
    const sentence = sentences[at] ?? 0;
    const isQuoted = (start > 0 && IS_QUOTE[view[start - 1] ?? 0] === 1) || IS_QUOTE[view[end] ?? 0] === 1;
    const token = pool[at];
    if (token === undefined) {
      const created: Token = { start, end, key, isCapitalized, isMasked: false, sentence, isQuoted, classes: known };
      pool.push(created);
      tokens[at] = created;
      continue;
    }
    tokens[at] = token;
    token.classes = known;
    token.start = start;
    token.end = end;
    token.key = key;
    token.isCapitalized = isCapitalized;
    token.sentence = sentence;
    token.isQuoted = isQuoted;
  }
  return tokens;
}

/**
 * The word filter's matches in the text: each word's own, at its offset, and
 * each word joined by `!` instead of its parts' (in text order, as `scan`
 * sorts them).
 */
function matchesOfWords(
  buffers: WordBuffers,
  count: number,
  joinedCount: number,
  table: WordTable,
  text: string,
): WordMatch[] {
  const { ids, starts, isJoinedPart, joinedIds, joinedStarts } = buffers;
  const found: WordMatch[] = [];
  const add = (id: number, offset: number): void => {
    if (((table.flags[id] ?? 0) & HAS_FILTER_MATCH) === 0) return;
    for (const match of table.matches[id] ?? []) {
      const start = offset + match.span[0];
      const end = offset + match.span[1];
      found.push({ word: match.word, list: match.list, span: [start, end], matched: text.slice(start, end) });
    }
  };
  for (let at = 0; at < count; at++) if (isJoinedPart[at] === 0) add(ids[at] ?? 0, starts[at] ?? 0);
  if (joinedCount === 0) return found;
  for (let at = 0; at < joinedCount; at++) add(joinedIds[at] ?? 0, joinedStarts[at] ?? 0);
  return found.sort((a, b) => a.span[0] - b.span[0] || b.span[1] - a.span[1]);
}

/** The text's languages, as `detectLanguages` gives them. */
function languagesOf(latinWords: number, cyrillicWords: number, isLatinFirst: boolean, evidence: EvidenceCounts): string[] {
  if (latinWords + cyrillicWords === 0) return [];
  if (cyrillicWords === 0) return rankLanguagesOfScript('latin', evidence);
  if (latinWords === 0) return rankLanguagesOfScript('cyrillic', evidence);
  const scriptWords = new Map<Script, number>(
    isLatinFirst
      ? [['latin', latinWords], ['cyrillic', cyrillicWords]]
      : [['cyrillic', cyrillicWords], ['latin', latinWords]],
  );
  return rankLanguages(scriptWords, evidence.toMap(), latinWords + cyrillicWords);
}
