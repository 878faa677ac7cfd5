/**
 * Turns a comment into a stream of matching slots: letters (with leet
 * alternatives, repeats collapsed into counts) and word gaps, each slot
 * remembering which UTF-16 range of the original text it came from.
 *
 * Everything here is a handful of left-to-right scans over typed arrays with
 * table look-ups; there is no regular expression and no object per character,
 * so hostile input costs linear time. Most comments (ASCII, no leet symbols,
 * no spelled-out letters) take a fast path that writes the slots in one pass.
 * `String.prototype.normalize` only runs for a non-ASCII code point the first
 * time it is seen (the result is cached).
 */

/** A letter slot: `letters` lists the candidate letters ('*' = any letter). */
export interface LetterSlot {
  kind: 'letter';
  letters: string;
  /** How many consecutive characters of the original collapsed into this slot. */
  count: number;
  start: number;
  end: number;
  /** True when the original character was an upper-case letter (for the name rule). */
  isUpper: boolean;
}

export interface GapSlot {
  kind: 'gap';
  start: number;
  end: number;
}

export type Slot = LetterSlot | GapSlot;

/** Wildcard letter: a masking asterisk between letters (`f**k`). */
export const ANY_LETTER = '*';

/** Letter codes in a slot stream: 0–25 for a–z, then these. */
export const ANY_CODE = 26;
export const GAP_CODE = 27;
/** `alt` of a slot without a second alternative. */
export const NO_ALT = 255;
/** "No further slot" in a start table, after GAP_CODE. */
export const END_CODE = GAP_CODE + 1;
/** Codes per position in a start table. */
export const START_STRIDE = END_CODE + 1;

/**
 * Which three slots in a row may start a match, by `(first * START_STRIDE +
 * second) * START_STRIDE + third` (first: a letter; second, third: a letter,
 * ANY_CODE, GAP_CODE or END_CODE). `inside` is for starts inside a word and is
 * undefined when no entry may match there. The fast reading uses it to list the
 * slots worth a walk while it writes them.
 */
export interface StartFilter {
  wordStart: Uint8Array;
  inside: Uint8Array | undefined;
}

/**
 * The slot stream as parallel typed arrays, valid until the next call that
 * normalises a text (the buffers are reused). Slot `i` is a gap when
 * `primary[i] === GAP_CODE`; otherwise it reads as letter `primary[i]` (or any
 * letter for `ANY_CODE`) or, when `alt[i] !== NO_ALT`, as letter `alt[i]`.
 */
export interface SlotStream {
  length: number;
  primary: Uint8Array;
  alt: Uint8Array;
  count: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** 1 when the original character was an upper-case letter (for the name rule). */
  upper: Uint8Array;
  /**
   * With a start filter and the fast reading: how many `candidates` there are,
   * the slots where a match may start (every other slot fails the filter). -1
   * when not computed: every slot is a candidate.
   */
  candidateCount: number;
  candidates: Int32Array;
}

// prettier-ignore
const ZERO_WIDTH = new Set([0x00ad, 0x034f, 0x180e, 0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff]);

/**
 * Latin letters that NFKD leaves alone. Look-alikes from other scripts are
 * folded before this, towards the script of their word (`moderation/text`):
 * a Cyrillic or Greek word is never read as Latin here.
 */
// prettier-ignore
const LOOKALIKES: Readonly<Record<string, string>> = {
  ɡ: 'g', ɑ: 'a', ı: 'i', ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th',
};

/** Leet digits: only read as letters inside a token that also has a real letter. */
// prettier-ignore
const LEET_DIGITS: Readonly<Record<string, string>> = {
  '0': 'o', '1': 'il', '3': 'e', '4': 'a', '5': 's', '7': 't', '9': 'g',
};

/** Leet symbols; when they count as letters is up to `resolveSymbols`. */
const LEET_SYMBOLS: Readonly<Record<string, string>> = {
  '@': 'a',
  $: 's',
  '+': 't',
  '!': 'il',
  '|': 'il',
  '€': 'e',
  '£': 'l',
};

const LETTER = 1;
const DIGIT = 2;
const SYMBOL = 3;
const STAR = 4;
const GAP = 5;
const IGNORE = 6;
/** A gap that `dropJoinableGaps` removed (`f.u.c.k`). */
const DROPPED = 7;
/**
 * A digit no letter looks like (2, 6, 8): a token holding one is a code or a
 * number (`f392` of a UUID, `4a55b2`), so none of its digits reads as leet.
 * It becomes a gap once `resolveDigits` has read its token.
 */
const CODE = 8;

const IS_UPPER = 1;
/** `!` and `|`: letters only between two word characters. */
const IS_BETWEEN_ONLY = 2;
/** A ligature (`æ`, `ß`) spells several letters: all but its last entry carry this flag. */
const IS_LIGATURE_NEXT = 4;

const CODE_A = 0x61;

/**
 * The text read one code point at a time into parallel typed arrays (ligatures
 * take one entry per letter they spell). Module-level buffers, grown on demand
 * and reused by every call: normalising 100 kB must stay cheap, and so must
 * normalising the 100,000th short comment.
 */
let capacity = 0;
let rawKind = new Uint8Array(0);
let rawFlags = new Uint8Array(0);
let rawPrimary = new Uint8Array(0);
let rawAlt = new Uint8Array(0);
let rawStart = new Int32Array(0);
let rawEnd = new Int32Array(0);
/** Pairs of raw indices [from, to) of the gaps inside a run of spelled-out letters. */
let runGaps = new Int32Array(0);

const stream: SlotStream = {
  length: 0,
  primary: new Uint8Array(0),
  alt: new Uint8Array(0),
  count: new Int32Array(0),
  start: new Int32Array(0),
  end: new Int32Array(0),
  upper: new Uint8Array(0),
  candidateCount: -1,
  candidates: new Int32Array(0),
};

function grown<T extends Uint8Array | Int32Array>(old: T, size: number, used: number): T {
  const next = (old instanceof Uint8Array ? new Uint8Array(size) : new Int32Array(size)) as T;
  next.set(old.subarray(0, used));
  return next;
}

/** A hostile 1 MB comment must not pin its buffers: past this, the next short text shrinks them. */
const MAX_RETAINED_CAPACITY = 1 << 16;

/** Makes room for `needed` raw entries, keeping the first `used`. */
function ensureCapacity(needed: number, used: number): void {
  const isOversized = used === 0 && capacity > MAX_RETAINED_CAPACITY && needed <= MAX_RETAINED_CAPACITY;
  if (needed <= capacity && !isOversized) return;
  const size = isOversized ? Math.max(needed, 256) : Math.max(needed, capacity * 2, 256);
  rawKind = grown(rawKind, size, used);
  rawFlags = grown(rawFlags, size, used);
  rawPrimary = grown(rawPrimary, size, used);
  rawAlt = grown(rawAlt, size, used);
  rawStart = grown(rawStart, size, used);
  rawEnd = grown(rawEnd, size, used);
  runGaps = new Int32Array(size * 2);
  stream.primary = new Uint8Array(size);
  stream.alt = new Uint8Array(size);
  stream.count = new Int32Array(size);
  stream.start = new Int32Array(size);
  stream.end = new Int32Array(size);
  stream.upper = new Uint8Array(size);
  stream.candidates = new Int32Array(size);
  capacity = size;
}

function isCombiningMark(code: number): boolean {
  return (
    (code >= 0x0300 && code <= 0x036f) ||
    (code >= 0x1ab0 && code <= 0x1aff) ||
    (code >= 0x1dc0 && code <= 0x1dff) ||
    (code >= 0x20d0 && code <= 0x20ff) ||
    (code >= 0xfe20 && code <= 0xfe2f)
  );
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

/** Folds one non-ASCII code point to lower-case ASCII letters ('' when it is not a letter). */
function foldNonAscii(char: string): string {
  let out = '';
  for (const part of char.normalize('NFKD')) {
    const code = part.codePointAt(0) ?? 0;
    if (isCombiningMark(code)) continue;
    const lower = part.toLowerCase();
    const lowerCode = lower.codePointAt(0) ?? 0;
    if (lower.length === 1 && lowerCode >= 0x61 && lowerCode <= 0x7a) {
      out += lower;
      continue;
    }
    const lookalike = LOOKALIKES[lower];
    if (lookalike !== undefined) out += lookalike;
    else if (lower.length === 1 && lowerCode < 0x80) out += lower;
  }
  return out;
}

/** How one character reads: its kind, flags and letters (as codes 0–25, ANY_CODE for `*`). */
interface CharClass {
  kind: number;
  flags: number;
  /** For LETTER: the letters it spells (several for a ligature). Otherwise the alternatives. */
  letters: readonly number[];
  /** Letters are alternatives for one letter (leet, `v`/`u`), not a ligature's letters. */
  isChoice: boolean;
}

function letterCodes(letters: string): number[] {
  return Array.from(letters, (letter) => (letter === ANY_LETTER ? ANY_CODE : letter.charCodeAt(0) - CODE_A));
}

function classifyAscii(code: number): CharClass {
  const char = String.fromCharCode(code);
  if (isAsciiLetter(code)) {
    // `v` often stands in for `u` (`fvck`, `cvnt`); the trie walk tries both.
    const lower = char.toLowerCase();
    return {
      kind: LETTER,
      flags: code <= 0x5a ? IS_UPPER : 0,
      letters: letterCodes(lower === 'v' ? 'vu' : lower),
      isChoice: true,
    };
  }
  const digit = LEET_DIGITS[char];
  if (digit !== undefined) return { kind: DIGIT, flags: 0, letters: letterCodes(digit), isChoice: true };
  if (code >= 0x30 && code <= 0x39) return { kind: CODE, flags: 0, letters: [], isChoice: false };
  const symbol = LEET_SYMBOLS[char];
  if (symbol !== undefined) {
    const flags = char === '!' || char === '|' ? IS_BETWEEN_ONLY : 0;
    return { kind: SYMBOL, flags, letters: letterCodes(symbol), isChoice: true };
  }
  if (char === '*') return { kind: STAR, flags: 0, letters: [ANY_CODE], isChoice: true };
  return { kind: GAP, flags: 0, letters: [], isChoice: false };
}

function classifyNonAscii(code: number): CharClass {
  if (ZERO_WIDTH.has(code) || isCombiningMark(code))
    return { kind: IGNORE, flags: 0, letters: [], isChoice: false };
  const source = String.fromCodePoint(code);
  const symbol = LEET_SYMBOLS[source];
  if (symbol !== undefined) return { kind: SYMBOL, flags: 0, letters: letterCodes(symbol), isChoice: true };
  const folded = foldNonAscii(source);
  let isLetters = folded.length > 0;
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if (c < 0x61 || c > 0x7a) isLetters = false;
  }
  if (isLetters) {
    const flags = source !== source.toLowerCase() ? IS_UPPER : 0;
    return { kind: LETTER, flags, letters: letterCodes(folded), isChoice: false };
  }
  const digit = folded.length === 1 ? LEET_DIGITS[folded] : undefined;
  // Fullwidth or mathematical digits fold to ASCII digits.
  if (digit !== undefined) return { kind: DIGIT, flags: 0, letters: letterCodes(digit), isChoice: true };
  if (folded.length === 1 && folded >= '0' && folded <= '9') return { kind: CODE, flags: 0, letters: [], isChoice: false };
  return { kind: GAP, flags: 0, letters: [], isChoice: false };
}

const HAS_DIGIT = 1;
const HAS_SYMBOL = 2;
const HAS_STAR = 4;

function contextOf(kind: number): number {
  if (kind === DIGIT || kind === CODE) return HAS_DIGIT;
  if (kind === SYMBOL) return HAS_SYMBOL;
  return kind === STAR ? HAS_STAR : 0;
}

/** Precomputed classes of the 128 ASCII characters: the hot path does one look-up per character. */
const ASCII_KIND = new Uint8Array(128);
const ASCII_FLAGS = new Uint8Array(128);
const ASCII_PRIMARY = new Uint8Array(128);
const ASCII_ALT = new Uint8Array(128);
/** Which context rules a character needs (HAS_DIGIT, HAS_SYMBOL, HAS_STAR); most text needs none. */
const ASCII_CONTEXT = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const charClass = classifyAscii(code);
  ASCII_KIND[code] = charClass.kind;
  ASCII_FLAGS[code] = charClass.flags;
  ASCII_PRIMARY[code] = charClass.letters[0] ?? GAP_CODE;
  ASCII_ALT[code] = charClass.letters[1] ?? NO_ALT;
  ASCII_CONTEXT[code] = contextOf(charClass.kind);
}

/** Non-ASCII classes by code point, computed on first sight (NFKD is slow). Bounded: cleared when full. */
const nonAsciiClasses = new Map<number, CharClass>();
const MAX_CACHED_CLASSES = 8192;

function nonAsciiClass(code: number): CharClass {
  let charClass = nonAsciiClasses.get(code);
  if (charClass === undefined) {
    charClass = classifyNonAscii(code);
    if (nonAsciiClasses.size >= MAX_CACHED_CLASSES) nonAsciiClasses.clear();
    nonAsciiClasses.set(code, charClass);
  }
  return charClass;
}

/** Which context rules the last text read needs (HAS_DIGIT | HAS_SYMBOL | HAS_STAR). */
let rawContext = 0;

/** Reads the text into the raw buffers; returns the entry count (and sets `rawContext`). */
function readRawStream(text: string): number {
  const length = text.length;
  ensureCapacity(length + 1, 0);
  // Locals, not the module's buffers: the loop runs once per character of every comment.
  let kinds = rawKind;
  let flags = rawFlags;
  let primaries = rawPrimary;
  let alts = rawAlt;
  let starts = rawStart;
  let ends = rawEnd;
  let count = 0;
  let context = 0;
  let index = 0;
  while (index < length) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) {
      kinds[count] = ASCII_KIND[unit] ?? GAP;
      flags[count] = ASCII_FLAGS[unit] ?? 0;
      primaries[count] = ASCII_PRIMARY[unit] ?? GAP_CODE;
      alts[count] = ASCII_ALT[unit] ?? NO_ALT;
      starts[count] = index;
      ends[count] = index + 1;
      context |= ASCII_CONTEXT[unit] ?? 0;
      count++;
      index++;
      continue;
    }
    const code = text.codePointAt(index) ?? unit;
    const start = index;
    const end = index + (code > 0xffff ? 2 : 1);
    index = end;
    const charClass = nonAsciiClass(code);
    const kind = charClass.kind;
    context |= contextOf(kind);
    const letters = charClass.letters;
    const isLigature = !charClass.isChoice && letters.length > 1;
    const entries = isLigature ? letters.length : 1;
    if (count + entries + (length - index) + 1 > capacity) {
      ensureCapacity(count + entries + (length - index) + 1, count);
      kinds = rawKind;
      flags = rawFlags;
      primaries = rawPrimary;
      alts = rawAlt;
      starts = rawStart;
      ends = rawEnd;
    }
    for (let n = 0; n < entries; n++) {
      kinds[count] = kind;
      flags[count] = charClass.flags | (n < entries - 1 ? IS_LIGATURE_NEXT : 0);
      primaries[count] = (isLigature ? letters[n] : letters[0]) ?? GAP_CODE;
      alts[count] = (isLigature ? undefined : letters[1]) ?? NO_ALT;
      starts[count] = start;
      ends[count] = end;
      count++;
    }
  }
  rawContext = context;
  return count;
}

function isWordKind(kind: number): boolean {
  return kind === LETTER || kind === DIGIT || kind === SYMBOL;
}

/** The kind of the nearest neighbour that is not an ignorable character (0 past either end). */
function neighbourKind(length: number, from: number, step: 1 | -1): number {
  let index = from + step;
  while (index >= 0 && index < length && rawKind[index] === IGNORE) index += step;
  return index >= 0 && index < length ? (rawKind[index] ?? 0) : 0;
}

/**
 * Decides which symbols and stars read as letters. `!` and `|` only between two
 * word characters (`b!tch`, not `shit!`); `@`, `$`, `+`, `€`, `£` next to one
 * (`@ss`, `a$$`, `sh!+`); `*` only inside a word (`f**k`), never `*bold*`.
 */
function resolveSymbols(length: number): void {
  for (let i = 0; i < length; i++) {
    if (rawKind[i] !== SYMBOL) continue;
    const before = isWordKind(neighbourKind(length, i, -1));
    const after = isWordKind(neighbourKind(length, i, 1));
    const isBetweenOnly = ((rawFlags[i] ?? 0) & IS_BETWEEN_ONLY) !== 0;
    const isLetter = isBetweenOnly ? before && after : before || after;
    if (!isLetter) rawKind[i] = GAP;
  }
  if ((rawContext & HAS_STAR) === 0) return;
  markStarSeparators(length);
  for (let i = 0; i < length; i++) {
    if (rawKind[i] !== STAR) continue;
    let runEnd = i;
    while (runEnd + 1 < length && rawKind[runEnd + 1] === STAR) runEnd++;
    const isInside = isWordKind(neighbourKind(length, i, -1)) && isWordKind(neighbourKind(length, runEnd, 1));
    // More than three masking stars in a row is decoration, not a hidden word.
    if (!isInside || runEnd - i >= 3) for (let j = i; j <= runEnd; j++) rawKind[j] = GAP;
    i = runEnd;
  }
}

/**
 * Stars between single letters are separators, not masks: `p*u*s*s*y` spells
 * a word with three or more one-letter pieces, while `f**k` hides letters.
 * A ligature counts as one piece.
 */
function markStarSeparators(length: number): void {
  let index = 0;
  while (index < length) {
    if (!isWordKind(rawKind[index] ?? 0)) {
      index++;
      continue;
    }
    const starts = index;
    let pieces = 0;
    let isSpelledOut = true;
    while (index < length && (isWordKind(rawKind[index] ?? 0) || rawKind[index] === STAR)) {
      if (rawKind[index] === STAR) {
        if (index + 1 < length && rawKind[index + 1] === STAR) isSpelledOut = false;
      } else if (((rawFlags[index] ?? 0) & IS_LIGATURE_NEXT) === 0) {
        pieces++;
        if (index + 1 < length && isWordKind(rawKind[index + 1] ?? 0)) isSpelledOut = false;
      }
      index++;
    }
    if (isSpelledOut && pieces >= 3) {
      for (let j = starts; j < index; j++) if (rawKind[j] === STAR) rawKind[j] = GAP;
    }
  }
}

/**
 * Digits read as letters only in a token with at least one real letter (so
 * `455` stays a number) and no digit that no letter looks like (so `f392`
 * stays a code); those digits are gaps.
 */
function resolveDigits(length: number): void {
  let tokenStart = 0;
  let hasLetter = false;
  let hasCode = false;
  for (let i = 0; i <= length; i++) {
    const kind = i < length ? rawKind[i] : GAP;
    if (kind !== GAP) {
      if (kind === LETTER || kind === SYMBOL) hasLetter = true;
      else if (kind === CODE) hasCode = true;
      continue;
    }
    if (!hasLetter || hasCode) {
      for (let j = tokenStart; j < i; j++) if (rawKind[j] === DIGIT || rawKind[j] === CODE) rawKind[j] = GAP;
    }
    tokenStart = i + 1;
    hasLetter = false;
    hasCode = false;
  }
}

/** True when the two ranges of `text` hold the same characters. */
function isSameText(text: string, start: number, end: number, otherStart: number, otherEnd: number): boolean {
  if (end - start !== otherEnd - otherStart) return false;
  for (let i = 0; i < end - start; i++) {
    if (text.charCodeAt(start + i) !== text.charCodeAt(otherStart + i)) return false;
  }
  return true;
}

/** The run of spelled-out letters `dropJoinableGaps` is reading: its gaps and separator. */
let runLength = 0; // entries used in runGaps: [from, to) raw index pairs of the gaps inside the run
let separatorStart = -1; // the run's separator, as a range of the text (-1: none yet)
let separatorEnd = -1;

/** Ends the current run; a run of at least three letters (two gaps) joins into one word. */
function closeRun(): void {
  if (runLength >= 4) {
    for (let g = 0; g < runLength; g += 2) {
      for (let j = runGaps[g] ?? 0; j < (runGaps[g + 1] ?? 0); j++) {
        // Ignorable characters inside the gap still widen the letter before them.
        if (rawKind[j] === GAP) rawKind[j] = DROPPED;
      }
    }
  }
  runLength = 0;
  separatorStart = -1;
}

/**
 * Drops the gaps (marks them DROPPED) that make runs of three or more
 * one-letter words with the same short separator join into one word (`f u c k`,
 * `f.u.c.k`). Requiring single letters keeps `is hit` from reading as `ishit`;
 * requiring the same separator keeps `a f.u.c.k` from reading as `afuck`.
 */
function dropJoinableGaps(length: number, text: string): void {
  runLength = 0;
  separatorStart = -1;
  let index = 0;
  let pendingFrom = -1; // the gap after the last single-letter word (-1: none)
  let pendingTo = -1;
  const kinds = rawKind;
  while (index < length) {
    const kind = kinds[index];
    if (kind === GAP || kind === IGNORE) {
      index++;
      continue;
    }
    // Every entry that is not ignorable spells one letter (ligatures have one entry per letter).
    let letters = 0;
    while (index < length && kinds[index] !== GAP) {
      if (kinds[index] !== IGNORE) letters++;
      index++;
    }
    if (letters !== 1) {
      if (runLength > 0 || separatorStart >= 0) closeRun();
      pendingFrom = -1;
      continue;
    }
    if (pendingFrom >= 0) {
      const gapStart = rawStart[pendingFrom] ?? 0;
      const gapEnd = rawEnd[pendingTo - 1] ?? 0;
      // Only short separators ("f . u"), never a paragraph break.
      const isShort = gapEnd - gapStart <= 3;
      if (
        !isShort ||
        (separatorStart >= 0 && !isSameText(text, gapStart, gapEnd, separatorStart, separatorEnd))
      )
        closeRun();
      if (isShort) {
        separatorStart = gapStart;
        separatorEnd = gapEnd;
        runGaps[runLength++] = pendingFrom;
        runGaps[runLength++] = pendingTo;
      }
    }
    const gapFrom = index;
    while (index < length && (kinds[index] === GAP || kinds[index] === IGNORE)) index++;
    if (index < length && index > gapFrom) {
      pendingFrom = gapFrom;
      pendingTo = index;
    } else {
      pendingFrom = -1;
      closeRun();
    }
  }
  closeRun();
}

/**
 * Builds the slot stream: dropped gaps skipped, ignorable characters folded
 * into their neighbour's span, and (when `isCollapsing`) runs of one letter
 * merged into a slot with a count (`fuuuck` → f u×3 c k).
 */
function buildSlots(length: number, isCollapsing: boolean): SlotStream {
  const {
    primary: slotPrimary,
    alt: slotAlt,
    count: slotCount,
    start: slotStart,
    end: slotEnd,
    upper,
  } = stream;
  const kinds = rawKind;
  const flags = rawFlags;
  const primaries = rawPrimary;
  const alts = rawAlt;
  const starts = rawStart;
  const ends = rawEnd;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const kind = kinds[i];
    if (kind === DROPPED) continue;
    const end = ends[i] ?? 0;
    if (kind === IGNORE) {
      if (n > 0) slotEnd[n - 1] = end;
      continue;
    }
    if (kind === GAP) {
      if (n > 0 && slotPrimary[n - 1] === GAP_CODE) slotEnd[n - 1] = end;
      else {
        slotPrimary[n] = GAP_CODE;
        slotAlt[n] = NO_ALT;
        slotCount[n] = 1;
        slotStart[n] = starts[i] ?? 0;
        slotEnd[n] = end;
        upper[n] = 0;
        n++;
      }
      continue;
    }
    const letter = primaries[i] ?? ANY_CODE;
    const alt = alts[i] ?? NO_ALT;
    if (
      isCollapsing &&
      n > 0 &&
      slotPrimary[n - 1] === letter &&
      slotAlt[n - 1] === alt &&
      letter !== ANY_CODE
    ) {
      slotCount[n - 1] = (slotCount[n - 1] ?? 0) + 1;
      slotEnd[n - 1] = end;
      continue;
    }
    slotPrimary[n] = letter;
    slotAlt[n] = alt;
    slotCount[n] = 1;
    slotStart[n] = starts[i] ?? 0;
    slotEnd[n] = end;
    upper[n] = (flags[i] ?? 0) & IS_UPPER;
    n++;
  }
  stream.length = n;
  stream.candidateCount = -1;
  return stream;
}

function readResolved(text: string): number {
  const length = readRawStream(text);
  // Each rule only changes the kinds it is about: skip those the text gives no work.
  if ((rawContext & (HAS_SYMBOL | HAS_STAR)) !== 0) resolveSymbols(length);
  if ((rawContext & HAS_DIGIT) !== 0) resolveDigits(length);
  dropJoinableGaps(length, text);
  return length;
}

/**
 * The full normalisation: original text → collapsed slot stream. The stream's
 * buffers are reused: read it before normalising another text.
 */
export function readSlotStream(text: string, filter?: StartFilter): SlotStream {
  if (readPlainAsciiSlots(text, filter)) return stream;
  return buildSlots(readResolved(text), true);
}

/** A slot's letter and alternative as one number (`primary | alt << 8`), for the fast reading. */
const GAP_KEY = GAP_CODE | (NO_ALT << 8);
const END_KEY = END_CODE | (NO_ALT << 8);
/** A start table that allows nothing (reading without a filter). */
const NO_STARTS = new Uint8Array(ANY_CODE * START_STRIDE * START_STRIDE);

/**
 * Whether a walk from the slot with `key` may find something, given the slot
 * before it and the two after it. Slots with alternatives always may (the
 * trie walk decides).
 */
function isCandidate(
  wordStart: Uint8Array,
  inside: Uint8Array | undefined,
  before: number,
  key: number,
  second: number,
  third: number,
): boolean {
  if (key === GAP_KEY) return false;
  const table = before === GAP_KEY ? wordStart : inside;
  if (table === undefined) return false;
  if ((key & second & third) >>> 8 !== NO_ALT) return true;
  return table[((key & 0xff) * START_STRIDE + (second & 0xff)) * START_STRIDE + (third & 0xff)] === 1;
}

/**
 * The ASCII classes packed into one integer for the fast path: primary letter
 * (bits 0–7), alternative (8–15), kind (16–23), upper case (24).
 */
const ASCII_INFO = Int32Array.from(
  ASCII_KIND,
  (kind, code) =>
    (ASCII_PRIMARY[code] ?? GAP_CODE) |
    ((ASCII_ALT[code] ?? NO_ALT) << 8) |
    (kind << 16) |
    (((ASCII_FLAGS[code] ?? 0) & IS_UPPER) << 24),
);

/**
 * The fast path for most comments, in one pass straight to slots: ASCII text
 * with no leet symbols or stars, where no two one-letter words follow each
 * other (so no spelled-out word can join). Digits are letters inside a token
 * with a letter and a gap otherwise, as `resolveDigits` decides. Returns false,
 * having written nothing useful, when the text needs the full reading.
 */
function readPlainAsciiSlots(text: string, filter: StartFilter | undefined): boolean {
  const length = text.length;
  ensureCapacity(length + 1, 0);
  const { primary, alt, count, start, end, upper, candidates } = stream;
  // Without a filter, every slot is judged against an empty table (and the list is ignored).
  const wordStart = filter?.wordStart ?? NO_STARTS;
  const inside = filter?.inside;
  // Most slots have no alternative, a count of 1 and a lower-case letter: write
  // those defaults in bulk, and per slot only what differs.
  alt.fill(NO_ALT, 0, length + 1);
  count.fill(1, 0, length + 1);
  upper.fill(0, 0, length + 1);
  let n = 0;
  let isAfterOneLetterWord = false;
  // The keys of the last three slots written (a gap before the first) and the
  // candidates found so far: when slot k is written, slot k - 2 is judged.
  let key2 = GAP_KEY;
  let key1 = GAP_KEY;
  let key0 = GAP_KEY;
  let found = 0;
  let index = 0;
  while (index < length) {
    let unit = text.charCodeAt(index);
    if (unit >= 0x80) return false;
    let info = ASCII_INFO[unit] ?? 0;
    let kind = (info >>> 16) & 0xff;
    const gapStart = index;
    if (kind !== GAP) {
      // A token: letters and digits up to the next gap character.
      const tokenSlot = n;
      const tokenKey2 = key2;
      const tokenKey1 = key1;
      const tokenKey0 = key0;
      const tokenFound = found;
      let hasLetter = false;
      let hasCode = false;
      for (;;) {
        if (kind === LETTER) hasLetter = true;
        else if (kind === CODE) hasCode = true;
        else if (kind !== DIGIT) return false;
        const key = info & 0xffff;
        if (kind === CODE) {
          // No slot: the token is a number (a gap) or, with letters, read in full below.
        } else if (key === key0) {
          count[n - 1] = (count[n - 1] ?? 0) + 1;
          end[n - 1] = index + 1;
        } else {
          primary[n] = key & 0xff;
          if (key >>> 8 !== NO_ALT) alt[n] = key >>> 8;
          start[n] = index;
          end[n] = index + 1;
          if (info >>> 24 !== 0) upper[n] = 1;
          if (isCandidate(wordStart, inside, key2, key1, key0, key)) candidates[found++] = n - 2;
          key2 = key1;
          key1 = key0;
          key0 = key;
          n++;
        }
        index++;
        if (index >= length) break;
        unit = text.charCodeAt(index);
        if (unit >= 0x80) return false;
        info = ASCII_INFO[unit] ?? 0;
        kind = (info >>> 16) & 0xff;
        if (kind === GAP) break;
      }
      // Letters with a digit no letter looks like (`f392`): a code, which the full reading leaves unread.
      if (hasLetter && hasCode) return false;
      if (hasLetter) {
        if (index - gapStart === 1) {
          if (isAfterOneLetterWord) return false; // maybe `f u c k`: let the full reading decide
          isAfterOneLetterWord = true;
        } else isAfterOneLetterWord = false;
        continue;
      }
      // A number: digits without a letter are not leet, the token is part of the gap.
      alt.fill(NO_ALT, tokenSlot, n);
      count.fill(1, tokenSlot, n);
      n = tokenSlot;
      key2 = tokenKey2;
      key1 = tokenKey1;
      key0 = tokenKey0;
      found = tokenFound;
    } else {
      // A run of gap characters.
      do index++;
      while (index < length && (unit = text.charCodeAt(index)) < 0x80 && ASCII_KIND[unit] === GAP);
    }
    if (n > 0 && primary[n - 1] === GAP_CODE) end[n - 1] = index;
    else {
      primary[n] = GAP_CODE;
      start[n] = gapStart;
      end[n] = index;
      if (isCandidate(wordStart, inside, key2, key1, key0, GAP_KEY)) candidates[found++] = n - 2;
      key2 = key1;
      key1 = key0;
      key0 = GAP_KEY;
      n++;
    }
  }
  // The last two slots, with nothing after them.
  if (isCandidate(wordStart, inside, key2, key1, key0, END_KEY)) candidates[found++] = n - 2;
  if (isCandidate(wordStart, inside, key1, key0, END_KEY, END_KEY)) candidates[found++] = n - 1;
  stream.length = n;
  stream.candidateCount = filter === undefined ? -1 : found;
  return true;
}

/** The letters a slot reads as, as a string (`'*'` for any letter). */
export function slotLetters(slots: SlotStream, index: number): string {
  const primary = slots.primary[index] ?? GAP_CODE;
  if (primary === ANY_CODE) return ANY_LETTER;
  const alt = slots.alt[index] ?? NO_ALT;
  const first = String.fromCharCode(CODE_A + primary);
  return alt === NO_ALT ? first : first + String.fromCharCode(CODE_A + alt);
}

function toSlotObjects(slots: SlotStream): Slot[] {
  const out: Slot[] = [];
  for (let i = 0; i < slots.length; i++) {
    const start = slots.start[i] ?? 0;
    const end = slots.end[i] ?? 0;
    if (slots.primary[i] === GAP_CODE) out.push({ kind: 'gap', start, end });
    else {
      const letters = slotLetters(slots, i);
      out.push({
        kind: 'letter',
        letters,
        count: slots.count[i] ?? 1,
        start,
        end,
        isUpper: slots.upper[i] === 1,
      });
    }
  }
  return out;
}

/** The full normalisation as slot objects (for building lists and for tests; scanning uses the stream). */
export function toSlots(text: string): Slot[] {
  return toSlotObjects(readSlotStream(text));
}

/**
 * A readable view of what the filter sees: one character per unit (first leet
 * alternative, `*` for a masked letter, a space for a word gap), and for each
 * character the UTF-16 offset in the original text where it starts. Repeats are
 * not collapsed here so that the view stays easy to read.
 */
export function normalizeForMatching(text: string): { chars: string; map: number[] } {
  const slots = buildSlots(readResolved(text), false);
  let chars = '';
  const map: number[] = [];
  for (let i = 0; i < slots.length; i++) {
    chars += slots.primary[i] === GAP_CODE ? ' ' : (slotLetters(slots, i)[0] ?? '');
    map.push(slots.start[i] ?? 0);
  }
  return { chars, map };
}
