/**
 * The quick reading of plain text. Most comments are a few sentences of
 * letters, spaces and ordinary punctuation: no Markdown, links, masks, leet,
 * mixed scripts or spelled-out letters. For those, one pass over the text
 * tells what the content phases (languages, words, lexicons, evasion) would:
 * each word is looked up by a hash of its lower-case letters, without building
 * a string, in a table that remembers whether the site's word filter or a
 * lexicon could match it and which languages it speaks for. A text whose words
 * are all inert has no content finding; anything else is read by the full
 * phases.
 */
import type { WordFilter } from '../filter';
import { DEFAULT_LEXICON, readTokens, type Lexicon, type Token } from '../lexicon';
import type { ScreeningContext } from '../pipeline-types';
import { addWordEvidence, rankLanguages, type Script } from '../text';
import { siteLexiconOf } from './phases/lexicon.phase';

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
  /** Digits: the text may hold a street address. */
  hasDigits: boolean;
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

/** Quotation marks of the quick reading, as lexicon tokens see them (a quoted word may be a mention). */
const QUOTES: ReadonlySet<number> = new Set(['"', '«', '»', '“', '”', '„', "'"].map((char) => char.charCodeAt(0)));

function isLetterClass(kind: number): boolean {
  return kind >= LATIN_LOWER && kind <= CYRILLIC_UPPER;
}

function isWordClass(kind: number): boolean {
  return kind >= LATIN_LOWER && kind <= DIGIT;
}

/** What one word (in lower case) tells the quick reading. */
interface WordInfo {
  /** A word filter entry or a lexicon word entry may match in or from it. */
  isBlocking: boolean;
  /** It may start a lexicon phrase: the phrases are tried on the text's tokens. */
  isPhraseTrigger: boolean;
  /** Its lexicon key. */
  key: string;
  /** Its lexicon key is one letter (`a`, `ммм`): lexicon tokens join runs of these (`с у к а`). */
  isOneLetterKey: boolean;
  /** Its evidence for languages, as `addWordEvidence` counts it. */
  evidence: readonly (readonly [string, number])[];
}

/** Slots of the open-addressing table (a power of two); it is emptied when half full. */
const TABLE_SLOTS = 1 << 16;
const TABLE_LIMIT = TABLE_SLOTS >> 1;

/** Words seen under one site filter, found by hash and letters, without a string per look-up. */
class WordTable {
  private slots = new Int32Array(TABLE_SLOTS);
  private words: string[] = [];
  private hashes: number[] = [];
  private infos: WordInfo[] = [];

  constructor(private readonly describe: (word: string, script: Script) => WordInfo) {}

  /** The word at `[start, end)` of `text` (its lower-case letters hash to `hash`). */
  find(text: string, start: number, end: number, hash: number, script: Script): WordInfo {
    const mask = TABLE_SLOTS - 1;
    const length = end - start;
    let slot = hash & mask;
    for (let entry = this.slots[slot] ?? 0; entry !== 0; entry = this.slots[slot] ?? 0) {
      const index = entry - 1;
      const word = this.words[index] ?? '';
      if (this.hashes[index] === hash && word.length === length && isSameWord(text, start, word)) {
        const info = this.infos[index];
        if (info !== undefined) return info;
      }
      slot = (slot + 1) & mask;
    }
    if (this.words.length >= TABLE_LIMIT) {
      this.slots.fill(0);
      this.words = [];
      this.hashes = [];
      this.infos = [];
      slot = hash & mask;
    }
    const word = text.slice(start, end).toLowerCase();
    const info = this.describe(word, script);
    this.words.push(word);
    this.hashes.push(hash);
    this.infos.push(info);
    this.slots[slot] = this.words.length;
    return info;
  }
}

function isSameWord(text: string, start: number, word: string): boolean {
  for (let index = 0; index < word.length; index++) {
    const code = text.charCodeAt(start + index);
    const lower = LOWER[code] ?? 0;
    if ((lower === 0 ? code : lower) !== word.charCodeAt(index)) return false;
  }
  return true;
}

function describeWord(
  filter: WordFilter,
  siteLexicon: ReturnType<typeof siteLexiconOf>,
  word: string,
  script: Script,
): WordInfo {
  const evidence = new Map<string, number>();
  addWordEvidence(evidence, word, { start: 0, end: word.length, script }, word);
  // The word read alone gives the token it gives in a text (its neighbours are plain punctuation).
  const tokens = readTokens(word, word);
  const token = tokens[0];
  const key = token?.key ?? '';
  const isOneToken =
    tokens.length === 1 && token !== undefined && !token.isMasked && token.start === 0 && token.end === word.length;
  const isSiteWord = (lexicon: Lexicon): boolean => lexicon.roleOfKey(key) !== 'none';
  const role = DEFAULT_LEXICON.roleOfKey(key);
  const isBlocking =
    !isOneToken ||
    role === 'word' ||
    filter.canMatchFrom(word) ||
    (siteLexicon !== null && (isSiteWord(siteLexicon.banned) || isSiteWord(siteLexicon.suspect)));
  return { isBlocking, isPhraseTrigger: role === 'phrase', key, isOneLetterKey: key.length === 1, evidence: [...evidence] };
}

/** Longer runs of one character are a spam signal (as the spam phase counts them). */
const REPEATED_RUN_LENGTH = 10;
const SHOUTING_MIN_LETTERS = 20;
const SHOUTING_UPPER_SHARE = 0.7;
const PHONE_MIN_DIGITS = 9;
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
  const evidence = new Map<string, number>();
  // The words of the text being read (reused from text to text).
  const words: WordInfo[] = [];
  const wordStarts: number[] = [];
  const wordEnds: number[] = [];
  const wordSentences: number[] = [];
  return (text, site) => {
    // Trailing spaces end the paragraph unseen; the words end before them.
    let length = text.length;
    while (length > 0 && text.charCodeAt(length - 1) === 0x20) length--;
    if (length === 0) return undefined;
    // Markdown: a list item (`- `, `1. `, `1) `) or leading spaces would read otherwise.
    const firstKind = CLASSES[text.charCodeAt(0)] ?? OTHER;
    if (firstKind === HYPHEN || firstKind === SPACE) return undefined;
    if (firstKind === DIGIT) {
      let at = 1;
      while (at < length && CLASSES[text.charCodeAt(at)] === DIGIT) at++;
      const next = text.charCodeAt(at);
      if (next === 0x2e || next === 0x29) return undefined;
    }
    const filter = filterFor(site);
    let table = tables.get(filter);
    if (table === undefined) {
      const siteLexicon = siteLexiconOf(site.settings);
      table = new WordTable((word, script) => describeWord(filter, siteLexicon, word, script));
      tables.set(filter, table);
    }
    evidence.clear();
    words.length = 0;
    wordStarts.length = 0;
    wordEnds.length = 0;
    wordSentences.length = 0;
    let hasPhraseTrigger = false;
    let sentence = 0;
    let letters = 0;
    let upper = 0;
    let digits = 0;
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
      const code = text.charCodeAt(index);
      const kind = CLASSES[code] ?? OTHER;
      if (kind === OTHER) return undefined;
      if (code === previous) {
        run++;
        if (run >= REPEATED_RUN_LENGTH) hasLongRun = true;
      } else run = 1;
      previous = code;
      if (!isLetterClass(kind)) {
        if (kind === DIGIT) {
          digits++;
          if (index > 0 && isLetterClass(CLASSES[text.charCodeAt(index - 1)] ?? OTHER)) return undefined;
          // Dotted groups of digits (1.2.3.4) may read as an address to link.
          if (text.charCodeAt(index - 1) === 0x2e && text.charCodeAt(index - 3) === 0x2e) return undefined;
        } else if (kind === DOT) {
          sentence++;
          // A dot before a letter may be a host name (`example.com`); before a digit it is a number (`2.3%`), never a link.
          if (isLetterClass(CLASSES[text.charCodeAt(index + 1)] ?? OTHER)) return undefined;
        } else if (kind === BANG) {
          sentence++;
          // A run of them (`sh!!t`) reads as letters too.
          let before = index - 1;
          while (text.charCodeAt(before) === 0x21) before--;
          let after = index + 1;
          while (text.charCodeAt(after) === 0x21) after++;
          if (isWordClass(CLASSES[text.charCodeAt(before)] ?? OTHER) && isWordClass(CLASSES[text.charCodeAt(after)] ?? OTHER))
            return undefined;
        } else if (code === 0x3f || code === 0x3b || code === 0x2026) sentence++;
        index++;
        continue;
      }
      // A word: letters of one script, with apostrophes between letters.
      const start = index;
      if (start > 0 && CLASSES[text.charCodeAt(start - 1)] === DIGIT) return undefined;
      const isLatin = kind <= LATIN_UPPER;
      let hash = 0x811c9dc5;
      let partStart = start;
      let end = index;
      for (;;) {
        const current = text.charCodeAt(end);
        const currentKind = CLASSES[current] ?? OTHER;
        if (isLetterClass(currentKind)) {
          if (currentKind <= LATIN_UPPER !== isLatin) return undefined;
          letters++;
          if (currentKind === LATIN_UPPER || currentKind === CYRILLIC_UPPER) upper++;
          if (current === previous && end > start) {
            run++;
            if (run >= REPEATED_RUN_LENGTH) hasLongRun = true;
          } else if (end > start) run = 1;
          previous = current;
          hash = Math.imul(hash ^ (LOWER[current] ?? 0), 0x01000193);
          end++;
          continue;
        }
        if (currentKind === APOSTROPHE && isLetterClass(CLASSES[text.charCodeAt(end + 1)] ?? OTHER)) {
          // The word filter reads the letters after an apostrophe as a word of their own (`it's`: `it`, `s`).
          if (isLatin) {
            if (end - partStart === 1) {
              latinSpelled = lastLatinSingleEnd >= 0 && partStart - lastLatinSingleEnd <= 3 ? latinSpelled + 1 : 1;
              if (latinSpelled > MAX_SPELLED_LETTERS) return undefined;
              lastLatinSingleEnd = end;
            } else latinSpelled = 0;
            partStart = end + 1;
          }
          previous = current;
          run = 1;
          hash = Math.imul(hash ^ current, 0x01000193);
          end++;
          continue;
        }
        if (currentKind === DIGIT) return undefined;
        break;
      }
      const info = table.find(text, start, end, hash | 0, isLatin ? 'latin' : 'cyrillic');
      if (info.isBlocking) return undefined;
      hasPhraseTrigger ||= info.isPhraseTrigger;
      words.push(info);
      wordStarts.push(start);
      wordEnds.push(end);
      wordSentences.push(sentence);
      for (const [language, weight] of info.evidence) evidence.set(language, (evidence.get(language) ?? 0) + weight);
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
      if (info.isOneLetterKey) {
        spelled = lastSingleEnd >= 0 && start - lastSingleEnd === 1 ? spelled + 1 : 1;
        if (spelled > MAX_SPELLED_LETTERS) return undefined;
        lastSingleEnd = end;
      } else {
        spelled = 0;
        lastSingleEnd = -1;
      }
      index = end;
    }
    if (hasPhraseTrigger) {
      const tokens: Token[] = words.map((info, at) => {
        const start = wordStarts[at] ?? 0;
        const end = wordEnds[at] ?? start;
        const first = CLASSES[text.charCodeAt(start)] ?? OTHER;
        return {
          start,
          end,
          key: info.key,
          isCapitalized: first === LATIN_UPPER || first === CYRILLIC_UPPER,
          isMasked: false,
          sentence: wordSentences[at] ?? 0,
          isQuoted: QUOTES.has(text.charCodeAt(start - 1)) || QUOTES.has(text.charCodeAt(end)),
        };
      });
      if (DEFAULT_LEXICON.scan(tokens).length > 0) return undefined;
    }
    const scriptWords = new Map<Script, number>();
    const scripts: [Script, number][] = isLatinFirst
      ? [['latin', latinWords], ['cyrillic', cyrillicWords]]
      : [['cyrillic', cyrillicWords], ['latin', latinWords]];
    for (const [script, count] of scripts) if (count > 0) scriptWords.set(script, count);
    return {
      text: length === text.length ? text : text.slice(0, length),
      languages: rankLanguages(scriptWords, evidence, latinWords + cyrillicWords),
      mayBeSpam:
        hasLongRun ||
        digits >= PHONE_MIN_DIGITS ||
        (letters >= SHOUTING_MIN_LETTERS && upper / letters > SHOUTING_UPPER_SHARE),
      hasDigits: digits > 0,
    };
  };
}
