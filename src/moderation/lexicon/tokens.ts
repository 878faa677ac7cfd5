/**
 * Words of a comment for the lexicon rules: each with its span in the original
 * text, a matching key (lower case; ё/е, і/ї/и, ы/и, є/е, ґ/г, ъ/ь folded;
 * apostrophes dropped; runs of three or more equal letters collapsed) and the
 * sentence it belongs to. Spaced-out letters (`с у к а`, `b l y a t`) join into
 * one word. Reads the text folded towards each word's script, so a Latin `c`
 * in `cука` is already a Cyrillic `с` here.
 */

export interface Token {
  /** Offsets into the original text. */
  start: number;
  end: number;
  key: string;
  /** The first letter was upper case in the original. */
  isCapitalized: boolean;
  /** Masked letters (`х*й`): `key` holds `*` for each. */
  isMasked: boolean;
  sentence: number;
  /** Quoted in the original: the character before or after is a quotation mark. */
  isQuoted: boolean;
  /** What a lexicon's classes said of `key`, kept by the lexicon that asked (undefined until one does). */
  classes: TokenClasses | undefined;
}

/** Class memberships of one key in one lexicon: per class, 0 not asked yet, 1 a member, 2 not. */
export interface TokenClasses {
  /** The lexicon these are of. */
  owner: object;
  row: Uint8Array;
}

// prettier-ignore
const KEY_FOLDS: Readonly<Record<string, string>> = {
  ё: 'е', є: 'е', э: 'е', ы: 'и', і: 'и', ї: 'и', й: 'и', ґ: 'г', ъ: 'ь',
};

const QUOTES = new Set(['"', '«', '»', '“', '”', '„', '‘', "'", '`', '‹', '›']);
const SENTENCE_ENDS = new Set(['.', '!', '?', ';', '\n', '…']);
const APOSTROPHES = new Set(["'", '’', 'ʼ']);
// The same as code units: the token reader compares numbers, not one-letter strings.
const codesOf = (chars: ReadonlySet<string>): ReadonlySet<number> => new Set([...chars].map((char) => char.charCodeAt(0)));
/** A flag per UTF-16 unit (one typed read per character of a text). */
function tableOf(codes: ReadonlySet<number>): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (const code of codes) table[code] = 1;
  return table;
}
const QUOTE_CODES = tableOf(codesOf(QUOTES));
const SENTENCE_END_CODES = tableOf(codesOf(SENTENCE_ENDS));
const APOSTROPHE_CODES = codesOf(APOSTROPHES);
const IS_APOSTROPHE = tableOf(APOSTROPHE_CODES);

/** Whether `code` (NaN past either end of a text) is flagged in `table`. */
function isIn(table: Uint8Array, code: number): boolean {
  return code >= 0 && table[code] === 1;
}

/** Whether the first character at `index` is a capital (an ASCII letter without a string per token). */
function isCapitalAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 0x80) return code >= 0x41 && code <= 0x5a;
  const first = text[index] ?? '';
  return first !== first.toLowerCase();
}
const STAR = 0x2a;
const AT = 0x40;
const KEY_FOLD_CODES = new Map(Object.entries(KEY_FOLDS).map(([from, to]) => [from.charCodeAt(0), to.charCodeAt(0)]));
const SKIPPED_IN_KEYS = new Set([...APOSTROPHE_CODES, 0x0301, 0x00ad]);

const KEY_MEMO_LIMIT = 50_000;
const keyMemo = new Map<string, string>();

/** `keyOf` remembered for the words comments keep using (bounded). */
function memoKeyOf(word: string): string {
  let key = keyMemo.get(word);
  if (key === undefined) {
    key = keyOf(word).replaceAll('@', 'а');
    if (keyMemo.size >= KEY_MEMO_LIMIT) keyMemo.clear();
    keyMemo.set(word, key);
  }
  return key;
}

/** The matching key of one word (also used to compile lexicon entries). */
export function keyOf(word: string): string {
  const lower = word.toLowerCase();
  const out: number[] = [];
  let run = 0;
  for (let index = 0; index < lower.length; index++) {
    const raw = lower.charCodeAt(index);
    if (SKIPPED_IN_KEYS.has(raw)) continue;
    const char = KEY_FOLD_CODES.get(raw) ?? raw;
    if (out.length > 0 && char === out[out.length - 1]) {
      run++;
      // Keep doubles (Россия, ссылка) but collapse stretched letters (сууука).
      if (run >= 2) {
        if (run === 2) out.pop();
        continue;
      }
    } else run = 0;
    out.push(char);
  }
  return fromCodes(out);
}

/** A string of code units; in chunks, since a call takes only so many arguments (one long hostile word). */
function fromCodes(codes: readonly number[]): string {
  if (codes.length <= 4096) return String.fromCharCode(...codes);
  let out = '';
  for (let index = 0; index < codes.length; index += 4096) out += String.fromCharCode(...codes.slice(index, index + 4096));
  return out;
}

/** Per UTF-16 unit: 0 not read yet, 1 a letter, 2 not a letter (filled as texts are read). */
const LETTERS = new Uint8Array(0x10000);

/** Whether one UTF-16 unit is a letter; NaN (past the end of a text) is not. */
function isLetter(code: number): boolean {
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
  if (Number.isNaN(code)) return false;
  let known = LETTERS[code] ?? 0;
  if (known === 0) {
    const char = String.fromCharCode(code);
    known = char.toLowerCase() !== char.toUpperCase() || /\p{L}/u.test(char) ? 1 : 2;
    LETTERS[code] = known;
  }
  return known === 1;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isWordChar(code: number): boolean {
  return isLetter(code) || isDigit(code);
}

/** Reads the tokens of `folded` (same length as `original`). Linear in the text. */
export function readTokens(original: string, folded: string): Token[] {
  const tokens: Token[] = [];
  let sentence = 0;
  let index = 0;
  const length = folded.length;
  while (index < length) {
    const code = folded.charCodeAt(index);
    if (!isWordChar(code) && !(code === STAR && isLetter(folded.charCodeAt(index + 1)) && index > 0)) {
      if (isIn(SENTENCE_END_CODES, code)) sentence++;
      index++;
      continue;
    }
    const start = index;
    let end = index;
    let hasLetter = false;
    while (end < length) {
      const current = folded.charCodeAt(end);
      if (isLetter(current)) {
        hasLetter = true;
        end++;
      } else if (isDigit(current)) end++;
      else if ((current === STAR || current === AT || isIn(IS_APOSTROPHE, current)) && isInside(folded, end))
        end++;
      else break;
    }
    if (!hasLetter) {
      // A star that starts no word (`_*a`) still moves the scan on.
      index = Math.max(end, start + 1);
      continue;
    }
    const text = folded.slice(start, end);
    tokens.push({
      start,
      end,
      key: memoKeyOf(text),
      isCapitalized: isCapitalAt(original, start),
      isMasked: text.includes('*'),
      sentence,
      isQuoted: isIn(QUOTE_CODES, original.charCodeAt(start - 1)) || isIn(QUOTE_CODES, original.charCodeAt(end)),
      classes: undefined,
    });
    index = end;
  }
  return joinSpelledOut(tokens, original);
}

/** A masking or apostrophe character between two word characters (or stars). */
function isInside(text: string, index: number): boolean {
  let next = index + 1;
  while (text.charCodeAt(next) === STAR) next++;
  const previous = text.charCodeAt(index - 1);
  return isWordChar(previous) || previous === STAR ? isWordChar(text.charCodeAt(next)) : false;
}

/** Three or more one-letter tokens separated by one character each read as one word. */
function joinSpelledOut(tokens: Token[], original: string): Token[] {
  const out: Token[] = [];
  let index = 0;
  while (index < tokens.length) {
    const first = tokens[index];
    if (first === undefined) break;
    let last = index;
    while (last + 1 < tokens.length) {
      const current = tokens[last];
      const next = tokens[last + 1];
      if (current === undefined || next === undefined) break;
      if (current.key.length !== 1 || next.key.length !== 1 || next.start - current.end !== 1) break;
      if (!' .-_'.includes(original[current.end] ?? '')) break;
      last++;
    }
    if (last - index >= 2 && first.key.length === 1) {
      const group = tokens.slice(index, last + 1);
      const final = group[group.length - 1] ?? first;
      out.push({ ...first, end: final.end, key: keyOf(group.map((token) => token.key).join('')), classes: undefined });
      index = last + 1;
    } else {
      out.push(first);
      index++;
    }
  }
  return out;
}
