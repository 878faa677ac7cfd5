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
}

// prettier-ignore
const KEY_FOLDS: Readonly<Record<string, string>> = {
  ё: 'е', є: 'е', э: 'е', ы: 'и', і: 'и', ї: 'и', й: 'и', ґ: 'г', ъ: 'ь',
};

const QUOTES = new Set(['"', '«', '»', '“', '”', '„', '‘', "'", '`', '‹', '›']);
const SENTENCE_ENDS = new Set(['.', '!', '?', ';', '\n', '…']);
const APOSTROPHES = new Set(["'", '’', 'ʼ']);

/** The matching key of one word (also used to compile lexicon entries). */
export function keyOf(word: string): string {
  let out = '';
  let run = 0;
  for (const raw of word.toLowerCase()) {
    if (APOSTROPHES.has(raw) || raw === '\u0301' || raw === '\u00ad') continue;
    const char = KEY_FOLDS[raw] ?? raw;
    const last = out[out.length - 1];
    if (char === last) {
      run++;
      // Keep doubles (Россия, ссылка) but collapse stretched letters (сууука).
      if (run >= 2) {
        if (run === 2) out = out.slice(0, -1);
        continue;
      }
    } else run = 0;
    out += char;
  }
  return out;
}

function isLetter(char: string): boolean {
  return char.toLowerCase() !== char.toUpperCase() || /\p{L}/u.test(char);
}

function isWordChar(char: string): boolean {
  return isLetter(char) || (char >= '0' && char <= '9');
}

/** Reads the tokens of `folded` (same length as `original`). Linear in the text. */
export function readTokens(original: string, folded: string): Token[] {
  const tokens: Token[] = [];
  let sentence = 0;
  let index = 0;
  const length = folded.length;
  while (index < length) {
    const char = folded[index] ?? '';
    if (!isWordChar(char) && !(char === '*' && isLetter(folded[index + 1] ?? '') && index > 0)) {
      if (SENTENCE_ENDS.has(char)) sentence++;
      index++;
      continue;
    }
    const start = index;
    let end = index;
    let hasLetter = false;
    while (end < length) {
      const current = folded[end] ?? '';
      if (isLetter(current)) {
        hasLetter = true;
        end++;
      } else if (current >= '0' && current <= '9') end++;
      else if ((current === '*' || current === '@' || APOSTROPHES.has(current)) && isInside(folded, end))
        end++;
      else break;
    }
    if (!hasLetter) {
      index = end;
      continue;
    }
    const text = folded.slice(start, end);
    const before = original[start - 1] ?? ' ';
    const after = original[end] ?? ' ';
    tokens.push({
      start,
      end,
      key: keyOf(text).replaceAll('@', 'а'),
      isCapitalized: (original[start] ?? '') !== (original[start] ?? '').toLowerCase(),
      isMasked: text.includes('*'),
      sentence,
      isQuoted: QUOTES.has(before) || QUOTES.has(after),
    });
    index = end;
  }
  return joinSpelledOut(tokens, original);
}

/** A masking or apostrophe character between two word characters (or stars). */
function isInside(text: string, index: number): boolean {
  let next = index + 1;
  while (text[next] === '*') next++;
  return isWordChar(text[index - 1] ?? ' ') || text[index - 1] === '*'
    ? isWordChar(text[next] ?? ' ')
    : false;
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
      out.push({ ...first, end: final.end, key: keyOf(group.map((token) => token.key).join('')) });
      index = last + 1;
    } else {
      out.push(first);
      index++;
    }
  }
  return out;
}
