/**
 * Turns a comment into a stream of matching slots: letters (with leet
 * alternatives, repeats collapsed into counts) and word gaps, each slot
 * remembering which UTF-16 range of the original text it came from.
 *
 * Everything here is a single left-to-right scan with table look-ups; there is
 * no regular expression, so hostile input costs linear time.
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

// prettier-ignore
const ZERO_WIDTH = new Set([0x00ad, 0x034f, 0x180e, 0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff]);

/** Look-alike letters that NFKD leaves alone: Cyrillic and Greek homoglyphs, a few Latin oddities. */
// prettier-ignore
const LOOKALIKES: Readonly<Record<string, string>> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', з: '3', і: 'i', ї: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p',
  с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ү: 'y', һ: 'h', ɡ: 'g', ɑ: 'a',
  α: 'a', β: 'b', γ: 'y', ε: 'e', ζ: 'z', η: 'n', ι: 'i', κ: 'k', μ: 'u', ν: 'v', ο: 'o', ρ: 'p',
  σ: 'o', ς: 's', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  ı: 'i', ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th',
};

/** Leet digits: only read as letters inside a token that also has a real letter. */
// prettier-ignore
const LEET_DIGITS: Readonly<Record<string, string>> = {
  '0': 'o', '1': 'il', '3': 'e', '4': 'a', '5': 's', '7': 't', '9': 'g',
};

/** Leet symbols and when they count as letters (see `classifySymbol`). */
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

const IS_UPPER = 1;
/** `letters` lists alternatives for one letter (leet, `v`/`u`), not a ligature's letters. */
const IS_CHOICE = 2;
/** `!` and `|`: letters only between two word characters. */
const IS_BETWEEN_ONLY = 4;

/**
 * The text read one code point at a time into parallel arrays (no object per
 * character: normalising 100 kB must stay cheap). For letters, `letters` is
 * what they spell (several for ligatures like `æ`) or, with IS_CHOICE, the
 * alternatives for one letter.
 */
interface RawStream {
  length: number;
  /** Has digits, leet symbols or stars: only then do the context rules need to run. */
  hasLeet: boolean;
  kind: number[];
  flags: number[];
  letters: string[];
  start: number[];
  end: number[];
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

interface AsciiClass {
  kind: number;
  letters: string;
  flags: number;
}

/** Precomputed classes of the 128 ASCII characters: the hot path does one look-up per character. */
const ASCII_CLASSES: readonly AsciiClass[] = Array.from({ length: 128 }, (_, code): AsciiClass => {
  const char = String.fromCharCode(code);
  if (isAsciiLetter(code)) {
    const lower = char.toLowerCase();
    // `v` often stands in for `u` (`fvck`, `cvnt`); the trie walk tries both.
    const letters = lower === 'v' ? 'vu' : lower;
    return {
      kind: LETTER,
      letters,
      flags: (code <= 0x5a ? IS_UPPER : 0) | (letters.length > 1 ? IS_CHOICE : 0),
    };
  }
  const digit = LEET_DIGITS[char];
  if (digit !== undefined) return { kind: DIGIT, letters: digit, flags: IS_CHOICE };
  const symbol = LEET_SYMBOLS[char];
  if (symbol !== undefined)
    return {
      kind: SYMBOL,
      letters: symbol,
      flags: IS_CHOICE | (char === '!' || char === '|' ? IS_BETWEEN_ONLY : 0),
    };
  if (char === '*') return { kind: STAR, letters: ANY_LETTER, flags: IS_CHOICE };
  return { kind: GAP, letters: '', flags: 0 };
});

function readRawStream(text: string): RawStream {
  // Plain packed arrays: cheaper than typed arrays for the many short strings (list entries).
  const raw: RawStream = { length: 0, hasLeet: false, kind: [], flags: [], letters: [], start: [], end: [] };
  let index = 0;
  let count = 0;
  const push = (kind: number, letters: string, flags: number, start: number, end: number): void => {
    if (kind === DIGIT || kind === SYMBOL || kind === STAR) raw.hasLeet = true;
    raw.kind.push(kind);
    raw.letters.push(letters);
    raw.flags.push(flags);
    raw.start.push(start);
    raw.end.push(end);
    count++;
  };
  while (index < text.length) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) {
      const ascii = ASCII_CLASSES[unit];
      if (ascii !== undefined) push(ascii.kind, ascii.letters, ascii.flags, index, index + 1);
      index++;
      continue;
    }
    const code = text.codePointAt(index) ?? unit;
    const start = index;
    const end = index + (code > 0xffff ? 2 : 1);
    index = end;
    if (ZERO_WIDTH.has(code) || isCombiningMark(code)) {
      push(IGNORE, '', 0, start, end);
      continue;
    }
    const source = text.slice(start, end);
    const symbol = LEET_SYMBOLS[source];
    if (symbol !== undefined) {
      push(SYMBOL, symbol, IS_CHOICE, start, end);
      continue;
    }
    const folded = foldNonAscii(source);
    let isLetters = folded.length > 0;
    for (let i = 0; i < folded.length; i++) {
      const c = folded.charCodeAt(i);
      if (c < 0x61 || c > 0x7a) isLetters = false;
    }
    if (isLetters) push(LETTER, folded, source !== source.toLowerCase() ? IS_UPPER : 0, start, end);
    else if (folded.length === 1 && LEET_DIGITS[folded] !== undefined) {
      // Fullwidth or mathematical digits fold to ASCII digits.
      push(DIGIT, LEET_DIGITS[folded] ?? '', IS_CHOICE, start, end);
    } else push(GAP, '', 0, start, end);
  }
  raw.length = count;
  return raw;
}

function isWordKind(kind: number | undefined): boolean {
  return kind === LETTER || kind === DIGIT || kind === SYMBOL;
}

/** The kind of the nearest neighbour that is not an ignorable character. */
function neighbourKind(raw: RawStream, from: number, step: 1 | -1): number | undefined {
  let index = from + step;
  while (index >= 0 && index < raw.length && raw.kind[index] === IGNORE) index += step;
  return index >= 0 && index < raw.length ? raw.kind[index] : undefined;
}

/**
 * Decides which symbols and stars read as letters. `!` and `|` only between two
 * word characters (`b!tch`, not `shit!`); `@`, `$`, `+`, `€`, `£` next to one
 * (`@ss`, `a$$`, `sh!+`); `*` only inside a word (`f**k`), never `*bold*`.
 */
function resolveSymbols(raw: RawStream): void {
  for (let i = 0; i < raw.length; i++) {
    if (raw.kind[i] !== SYMBOL) continue;
    const before = isWordKind(neighbourKind(raw, i, -1));
    const after = isWordKind(neighbourKind(raw, i, 1));
    const isBetweenOnly = ((raw.flags[i] ?? 0) & IS_BETWEEN_ONLY) !== 0;
    const isLetter = isBetweenOnly ? before && after : before || after;
    if (!isLetter) raw.kind[i] = GAP;
  }
  markStarSeparators(raw);
  for (let i = 0; i < raw.length; i++) {
    if (raw.kind[i] !== STAR) continue;
    let runEnd = i;
    while (raw.kind[runEnd + 1] === STAR && runEnd + 1 < raw.length) runEnd++;
    const isInside = isWordKind(neighbourKind(raw, i, -1)) && isWordKind(neighbourKind(raw, runEnd, 1));
    // More than three masking stars in a row is decoration, not a hidden word.
    if (!isInside || runEnd - i >= 3) for (let j = i; j <= runEnd; j++) raw.kind[j] = GAP;
    i = runEnd;
  }
}

/**
 * Stars between single letters are separators, not masks: `p*u*s*s*y` spells
 * a word with three or more one-letter pieces, while `f**k` hides letters.
 */
function markStarSeparators(raw: RawStream): void {
  let index = 0;
  while (index < raw.length) {
    if (!isWordKind(raw.kind[index])) {
      index++;
      continue;
    }
    const starts = index;
    let pieces = 0;
    let isSpelledOut = true;
    while (index < raw.length && (isWordKind(raw.kind[index]) || raw.kind[index] === STAR)) {
      const isNextWord = index + 1 < raw.length && isWordKind(raw.kind[index + 1]);
      if (raw.kind[index] === STAR) {
        if (index + 1 < raw.length && raw.kind[index + 1] === STAR) isSpelledOut = false;
      } else {
        pieces++;
        if (isNextWord) isSpelledOut = false;
      }
      index++;
    }
    if (isSpelledOut && pieces >= 3) {
      for (let j = starts; j < index; j++) if (raw.kind[j] === STAR) raw.kind[j] = GAP;
    }
  }
}

/** Digits read as letters only in a token with at least one real letter (so `455` stays a number). */
function resolveDigits(raw: RawStream): void {
  let tokenStart = 0;
  let hasLetter = false;
  for (let i = 0; i <= raw.length; i++) {
    const kind = i < raw.length ? raw.kind[i] : GAP;
    if (kind !== GAP) {
      if (kind === LETTER || kind === SYMBOL) hasLetter = true;
      continue;
    }
    if (!hasLetter) for (let j = tokenStart; j < i; j++) if (raw.kind[j] === DIGIT) raw.kind[j] = GAP;
    tokenStart = i + 1;
    hasLetter = false;
  }
}

function letterCount(raw: RawStream, index: number): number {
  const isChoice = ((raw.flags[index] ?? 0) & IS_CHOICE) !== 0;
  return raw.kind[index] === LETTER && !isChoice ? (raw.letters[index] ?? '').length : 1;
}

/**
 * Marks the gaps to drop so that runs of three or more one-letter words with
 * the same short separator join into one word (`f u c k`, `f.u.c.k`). Requiring
 * single letters keeps `is hit` from reading as `ishit`; requiring the same
 * separator keeps `a f.u.c.k` from reading as `afuck`.
 */
function findJoinableGaps(raw: RawStream, text: string): Uint8Array {
  const dropped = new Uint8Array(raw.length);
  let runGaps: number[] = []; // [from, to) raw index pairs of the gaps inside the current run
  let runSeparator: string | undefined;
  const closeRun = (): void => {
    if (runGaps.length >= 4) {
      for (let g = 0; g < runGaps.length; g += 2) {
        for (let j = runGaps[g] ?? 0; j < (runGaps[g + 1] ?? 0); j++) dropped[j] = 1;
      }
    }
    runGaps = [];
    runSeparator = undefined;
  };
  let index = 0;
  let pendingGap: [number, number] | undefined; // the gap after the last single-letter word
  while (index < raw.length) {
    const kind = raw.kind[index];
    if (kind === GAP || kind === IGNORE) {
      index++;
      continue;
    }
    let letters = 0;
    while (index < raw.length && raw.kind[index] !== GAP) {
      if (raw.kind[index] !== IGNORE) letters += letterCount(raw, index);
      index++;
    }
    if (letters !== 1) {
      closeRun();
      pendingGap = undefined;
      continue;
    }
    if (pendingGap !== undefined) {
      const gapStart = raw.start[pendingGap[0]] ?? 0;
      const gapEnd = raw.end[pendingGap[1] - 1] ?? 0;
      // Only short separators ("f . u"), never a paragraph break.
      const separator = gapEnd - gapStart <= 3 ? text.slice(gapStart, gapEnd) : undefined;
      if (separator === undefined || (runSeparator !== undefined && separator !== runSeparator)) closeRun();
      if (separator !== undefined) {
        runSeparator = separator;
        runGaps.push(pendingGap[0], pendingGap[1]);
      }
    }
    const gapFrom = index;
    while (index < raw.length && (raw.kind[index] === GAP || raw.kind[index] === IGNORE)) index++;
    pendingGap = index < raw.length && index > gapFrom ? [gapFrom, index] : undefined;
    if (pendingGap === undefined) closeRun();
  }
  closeRun();
  return dropped;
}

/**
 * Builds the slot stream: joined gaps dropped, ignorable characters folded into
 * their neighbour's span, and (when `isCollapsing`) runs of one letter merged
 * into a slot with a count (`fuuuck` → f u×3 c k).
 */
function buildSlots(raw: RawStream, dropped: Uint8Array, isCollapsing: boolean): Slot[] {
  const slots: Slot[] = [];
  let last: Slot | undefined;
  for (let i = 0; i < raw.length; i++) {
    const kind = raw.kind[i];
    const start = raw.start[i] ?? 0;
    const end = raw.end[i] ?? start;
    if (kind === IGNORE) {
      if (last !== undefined) last.end = end;
      continue;
    }
    if (kind === GAP) {
      if (dropped[i] === 1) continue;
      if (last?.kind === 'gap') last.end = end;
      else {
        last = { kind: 'gap', start, end };
        slots.push(last);
      }
      continue;
    }
    const flags = raw.flags[i] ?? 0;
    const letters = raw.letters[i] ?? '';
    const isUpper = (flags & IS_UPPER) !== 0;
    const isLigature = kind === LETTER && (flags & IS_CHOICE) === 0 && letters.length > 1;
    const count = isLigature ? letters.length : 1;
    for (let n = 0; n < count; n++) {
      const unit = isLigature ? (letters[n] ?? '') : letters;
      if (isCollapsing && last?.kind === 'letter' && last.letters === unit && unit !== ANY_LETTER) {
        last.count++;
        last.end = end;
        continue;
      }
      last = { kind: 'letter', letters: unit, count: 1, start, end, isUpper };
      slots.push(last);
    }
  }
  return slots;
}

function readResolved(text: string): { raw: RawStream; dropped: Uint8Array } {
  const raw = readRawStream(text);
  if (raw.hasLeet) {
    resolveSymbols(raw);
    resolveDigits(raw);
  }
  return { raw, dropped: findJoinableGaps(raw, text) };
}

/** The full normalisation: original text → collapsed slot stream. */
export function toSlots(text: string): Slot[] {
  const { raw, dropped } = readResolved(text);
  return buildSlots(raw, dropped, true);
}

/**
 * A readable view of what the filter sees: one character per unit (first leet
 * alternative, `*` for a masked letter, a space for a word gap), and for each
 * character the UTF-16 offset in the original text where it starts. Repeats are
 * not collapsed here so that the view stays easy to read.
 */
export function normalizeForMatching(text: string): { chars: string; map: number[] } {
  const { raw, dropped } = readResolved(text);
  let chars = '';
  const map: number[] = [];
  for (const slot of buildSlots(raw, dropped, false)) {
    chars += slot.kind === 'gap' ? ' ' : (slot.letters[0] ?? '');
    map.push(slot.start);
  }
  return { chars, map };
}
