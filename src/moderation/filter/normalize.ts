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

const ZERO_WIDTH = new Set([0x00ad, 0x034f, 0x180e, 0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff]);

/** Look-alike letters that NFKD leaves alone: Cyrillic and Greek homoglyphs, a few Latin oddities. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', з: '3', і: 'i', ї: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p',
  с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ү: 'y', һ: 'h', ɡ: 'g', ɑ: 'a',
  α: 'a', β: 'b', γ: 'y', ε: 'e', ζ: 'z', η: 'n', ι: 'i', κ: 'k', μ: 'u', ν: 'v', ο: 'o', ρ: 'p',
  σ: 'o', ς: 's', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  ı: 'i', ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th',
};

/** Leet digits: only read as letters inside a token that also has a real letter. */
const LEET_DIGITS: Readonly<Record<string, string>> = {
  '0': 'o', '1': 'il', '3': 'e', '4': 'a', '5': 's', '7': 't', '9': 'g',
};

/** Leet symbols and when they count as letters (see `classifySymbol`). */
const LEET_SYMBOLS: Readonly<Record<string, string>> = {
  '@': 'a', $: 's', '+': 't', '!': 'il', '|': 'il', '€': 'e', '£': 'l',
};

type RawKind = 'letter' | 'digit' | 'symbol' | 'star' | 'gap' | 'ignore';

interface RawChar {
  kind: RawKind;
  /**
   * For digits, symbols and `isChoice` letters: alternatives for one letter.
   * For other letters: the letters it spells (several for ligatures like `æ`).
   */
  letters: string;
  isChoice?: boolean;
  source: string;
  start: number;
  end: number;
  isUpper: boolean;
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

function readRawChars(text: string): RawChar[] {
  const raw: RawChar[] = [];
  let index = 0;
  while (index < text.length) {
    const code = text.codePointAt(index) ?? 0;
    const width = code > 0xffff ? 2 : 1;
    const source = text.slice(index, index + width);
    const start = index;
    const end = index + width;
    index = end;
    if (code < 0x80) {
      if (isAsciiLetter(code)) {
        const lower = source.toLowerCase();
        // `v` often stands in for `u` (`fvck`, `cvnt`); the trie walk tries both.
        const letters = lower === 'v' ? 'vu' : lower;
        raw.push({ kind: 'letter', letters, isChoice: letters.length > 1, source, start, end, isUpper: code <= 0x5a });
      } else if (LEET_DIGITS[source] !== undefined) {
        raw.push({ kind: 'digit', letters: LEET_DIGITS[source] ?? '', source, start, end, isUpper: false });
      } else if (LEET_SYMBOLS[source] !== undefined) {
        raw.push({ kind: 'symbol', letters: LEET_SYMBOLS[source] ?? '', source, start, end, isUpper: false });
      } else if (source === '*') {
        raw.push({ kind: 'star', letters: ANY_LETTER, source, start, end, isUpper: false });
      } else {
        raw.push({ kind: 'gap', letters: '', source, start, end, isUpper: false });
      }
      continue;
    }
    if (ZERO_WIDTH.has(code) || isCombiningMark(code)) {
      raw.push({ kind: 'ignore', letters: '', source, start, end, isUpper: false });
      continue;
    }
    if (LEET_SYMBOLS[source] !== undefined) {
      raw.push({ kind: 'symbol', letters: LEET_SYMBOLS[source] ?? '', source, start, end, isUpper: false });
      continue;
    }
    const folded = foldNonAscii(source);
    const isLetters = folded.length > 0 && [...folded].every((c) => c >= 'a' && c <= 'z');
    if (isLetters) {
      const isUpper = source !== source.toLowerCase();
      raw.push({ kind: 'letter', letters: folded, source, start, end, isUpper });
    } else if (folded.length === 1 && LEET_DIGITS[folded] !== undefined) {
      // Fullwidth or mathematical digits fold to ASCII digits.
      raw.push({ kind: 'digit', letters: LEET_DIGITS[folded] ?? '', source, start, end, isUpper: false });
    } else {
      raw.push({ kind: 'gap', letters: '', source, start, end, isUpper: false });
    }
  }
  return raw;
}

function isWordish(char: RawChar | undefined): boolean {
  return char !== undefined && (char.kind === 'letter' || char.kind === 'digit' || char.kind === 'symbol');
}

/** The nearest neighbour that is not an ignorable character. */
function neighbour(raw: readonly RawChar[], from: number, step: 1 | -1): RawChar | undefined {
  let index = from + step;
  while (index >= 0 && index < raw.length && raw[index]?.kind === 'ignore') index += step;
  return raw[index];
}

/**
 * Decides which symbols and stars read as letters. `!` and `|` only between two
 * word characters (`b!tch`, not `shit!`); `@`, `$`, `+`, `€`, `£` next to one
 * (`@ss`, `a$$`, `sh!+`); `*` only inside a word (`f**k`), never `*bold*`.
 */
function resolveSymbols(raw: RawChar[]): void {
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i];
    if (char === undefined || char.kind !== 'symbol') continue;
    const before = isWordish(neighbour(raw, i, -1));
    const after = isWordish(neighbour(raw, i, 1));
    const isBetweenOnly = char.source === '!' || char.source === '|';
    const isLetter = isBetweenOnly ? before && after : before || after;
    if (!isLetter) char.kind = 'gap';
  }
  markStarSeparators(raw);
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i];
    if (char === undefined || char.kind !== 'star') continue;
    let runEnd = i;
    while (raw[runEnd + 1]?.kind === 'star') runEnd++;
    const isInside = isWordish(neighbour(raw, i, -1)) && isWordish(neighbour(raw, runEnd, 1));
    // More than three masking stars in a row is decoration, not a hidden word.
    const keep = isInside && runEnd - i < 3;
    for (let j = i; j <= runEnd; j++) {
      const star = raw[j];
      if (star !== undefined && !keep) star.kind = 'gap';
    }
    i = runEnd;
  }
}

/**
 * Stars between single letters are separators, not masks: `p*u*s*s*y` spells
 * a word with three or more one-letter pieces, while `f**k` hides letters.
 */
function markStarSeparators(raw: RawChar[]): void {
  let index = 0;
  while (index < raw.length) {
    if (!isWordish(raw[index])) {
      index++;
      continue;
    }
    const starts = index;
    let pieces = 0;
    let isSpelledOut = true;
    while (index < raw.length && (isWordish(raw[index]) || raw[index]?.kind === 'star')) {
      if (raw[index]?.kind === 'star') {
        if (raw[index + 1]?.kind === 'star') isSpelledOut = false;
      } else {
        pieces++;
        if (isWordish(raw[index + 1])) isSpelledOut = false;
      }
      index++;
    }
    if (isSpelledOut && pieces >= 3) {
      for (let j = starts; j < index; j++) {
        const char = raw[j];
        if (char?.kind === 'star') char.kind = 'gap';
      }
    }
  }
}

/** Digits read as letters only in a token with at least one real letter (so `455` stays a number). */
function resolveDigits(raw: RawChar[]): void {
  let tokenStart = 0;
  for (let i = 0; i <= raw.length; i++) {
    const char = raw[i];
    const isInToken = char !== undefined && (char.kind !== 'gap');
    if (isInToken) continue;
    let hasLetter = false;
    for (let j = tokenStart; j < i; j++) {
      const kind = raw[j]?.kind;
      if (kind === 'letter' || kind === 'symbol') hasLetter = true;
    }
    if (!hasLetter) {
      for (let j = tokenStart; j < i; j++) {
        const inner = raw[j];
        if (inner !== undefined && inner.kind === 'digit') inner.kind = 'gap';
      }
    }
    tokenStart = i + 1;
  }
}

interface Token {
  first: number;
  last: number;
  letterCount: number;
}

/**
 * Expands raw characters into single-letter slots and gaps, then joins runs of
 * three or more one-letter words (`f u c k`, `f.u.c.k`) into one word. Requiring
 * single letters keeps `is hit` from reading as `ishit`.
 */
function toUnitSlots(raw: readonly RawChar[], text: string): Slot[] {
  const units: Slot[] = [];
  for (const char of raw) {
    if (char.kind === 'ignore') {
      const previous = units[units.length - 1];
      if (previous !== undefined) previous.end = char.end;
      continue;
    }
    if (char.kind === 'gap') {
      const previous = units[units.length - 1];
      if (previous?.kind === 'gap') previous.end = char.end;
      else units.push({ kind: 'gap', start: char.start, end: char.end });
      continue;
    }
    const isLigature = char.kind === 'letter' && char.letters.length > 1 && char.isChoice !== true;
    if (isLigature) {
      for (const letter of char.letters) {
        units.push({ kind: 'letter', letters: letter, count: 1, start: char.start, end: char.end, isUpper: char.isUpper });
      }
    } else {
      units.push({ kind: 'letter', letters: char.letters, count: 1, start: char.start, end: char.end, isUpper: char.isUpper });
    }
  }
  return joinSpelledOutWords(units, text);
}

function joinSpelledOutWords(units: Slot[], text: string): Slot[] {
  const tokens: Token[] = [];
  let current: Token | undefined;
  units.forEach((slot, index) => {
    if (slot.kind === 'letter') {
      if (current === undefined) current = { first: index, last: index, letterCount: 0 };
      current.last = index;
      current.letterCount++;
    } else if (current !== undefined) {
      tokens.push(current);
      current = undefined;
    }
  });
  if (current !== undefined) tokens.push(current);

  // The separator between token t and t + 1, as written; undefined when it can't join.
  const separatorAfter = (t: number): string | undefined => {
    const token = tokens[t];
    const next = tokens[t + 1];
    if (token === undefined || next === undefined || token.letterCount !== 1 || next.letterCount !== 1) return undefined;
    const gapStart = units[token.last + 1]?.start ?? 0;
    const gapEnd = units[next.first]?.start ?? 0;
    // Only short separators ("f . u"), never a paragraph break.
    return gapEnd - gapStart <= 3 ? text.slice(gapStart, gapEnd) : undefined;
  };

  const droppedGaps = new Set<number>();
  let runStart = 0;
  while (runStart < tokens.length) {
    const separator = separatorAfter(runStart);
    let runEnd = runStart;
    // A run uses one separator throughout, so "a f.u.c.k" joins only "f.u.c.k".
    while (separator !== undefined && separatorAfter(runEnd) === separator) runEnd++;
    if (runEnd - runStart >= 2) {
      for (let t = runStart; t < runEnd; t++) {
        const token = tokens[t];
        if (token !== undefined) droppedGaps.add(token.last + 1);
      }
    }
    runStart = Math.max(runEnd, runStart + 1);
  }
  if (droppedGaps.size === 0) return units;
  return units.filter((_, index) => !droppedGaps.has(index));
}

/** Collapses runs of the same letter into one slot with a count (`fuuuck` → f u×3 c k). */
function collapseRepeats(units: readonly Slot[]): Slot[] {
  const slots: Slot[] = [];
  for (const unit of units) {
    const previous = slots[slots.length - 1];
    if (
      unit.kind === 'letter' &&
      previous?.kind === 'letter' &&
      previous.letters === unit.letters &&
      unit.letters !== ANY_LETTER
    ) {
      previous.count++;
      previous.end = unit.end;
      continue;
    }
    slots.push({ ...unit });
  }
  return slots;
}

/** The full normalisation: original text → collapsed slot stream. */
export function toSlots(text: string): Slot[] {
  const raw = readRawChars(text);
  resolveSymbols(raw);
  resolveDigits(raw);
  return collapseRepeats(toUnitSlots(raw, text));
}

/**
 * A readable view of what the filter sees: one character per unit (first leet
 * alternative, `*` for a masked letter, a space for a word gap), and for each
 * character the UTF-16 offset in the original text where it starts. Repeats are
 * not collapsed here so that the view stays easy to read.
 */
export function normalizeForMatching(text: string): { chars: string; map: number[] } {
  const raw = readRawChars(text);
  resolveSymbols(raw);
  resolveDigits(raw);
  let chars = '';
  const map: number[] = [];
  for (const slot of toUnitSlots(raw, text)) {
    if (slot.kind === 'gap') {
      chars += ' ';
      map.push(slot.start);
    } else {
      chars += slot.letters[0] ?? '';
      map.push(slot.start);
    }
  }
  return { chars, map };
}
