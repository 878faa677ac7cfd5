/**
 * Linear scanners for spam signals: links, e-mail addresses, phone numbers,
 * shouting and runs of one character. Written as plain loops rather than
 * regular expressions so that no input can make them backtrack.
 */

export interface TextSignal {
  span: [number, number];
  value: string;
}

export interface LinkSignal extends TextSignal {
  /** Lower-cased host name without a leading `www.`. */
  host: string;
}

/** Top-level domains that make a bare `name.tld` read as a link. */
// prettier-ignore
const LINK_TLDS = new Set([
  'com', 'net', 'org', 'info', 'biz', 'io', 'co', 'me', 'ru', 'ua', 'su', 'uk', 'de', 'fr', 'us', 'xyz', 'top',
  'site', 'online', 'shop', 'club', 'app', 'dev', 'ly', 'tk', 'cc', 'tv', 'news', 'link', 'click', 'eu', 'pl',
]);

const LEADING_PUNCTUATION = new Set(['(', '[', '<', '"', "'", '«', '“']);
const TRAILING_PUNCTUATION = new Set([')', ']', '>', '"', "'", '»', '”', '.', ',', ';', ':', '!', '?']);

function isWhitespace(char: string): boolean {
  return char === ' ' || char === '\n' || char === '\t' || char === '\r' || char === '\u00a0';
}

/** `isWhitespace` for one UTF-16 unit (no one-character string to make). */
function isWhitespaceCode(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d || code === 0xa0;
}

function isAsciiAlnum(char: string): boolean {
  return (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z') || (char >= '0' && char <= '9');
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

/** Splits on whitespace and trims surrounding punctuation, keeping UTF-16 offsets. */
function words(text: string): TextSignal[] {
  const found: TextSignal[] = [];
  let index = 0;
  while (index < text.length) {
    while (index < text.length && isWhitespace(text[index] ?? '')) index++;
    let start = index;
    while (index < text.length && !isWhitespace(text[index] ?? '')) index++;
    let end = index;
    while (start < end && LEADING_PUNCTUATION.has(text[start] ?? '')) start++;
    while (end > start && TRAILING_PUNCTUATION.has(text[end - 1] ?? '')) end--;
    if (end > start) found.push({ span: [start, end], value: text.slice(start, end) });
  }
  return found;
}

/** The words of `words(text)` that hold a dot, without a string or an object for the others. */
function wordsWithDot(text: string): TextSignal[] {
  const found: TextSignal[] = [];
  let index = 0;
  while (index < text.length) {
    while (index < text.length && isWhitespaceCode(text.charCodeAt(index))) index++;
    let start = index;
    let hasDot = false;
    while (index < text.length) {
      const code = text.charCodeAt(index);
      if (isWhitespaceCode(code)) break;
      if (code === 0x2e) hasDot = true;
      index++;
    }
    if (!hasDot) continue;
    let end = index;
    while (start < end && LEADING_PUNCTUATION.has(text[start] ?? '')) start++;
    while (end > start && TRAILING_PUNCTUATION.has(text[end - 1] ?? '')) end--;
    if (end > start && text.slice(start, end).includes('.'))
      found.push({ span: [start, end], value: text.slice(start, end) });
  }
  return found;
}

function isHostName(host: string): boolean {
  const labels = host.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) {
    if (label.length === 0 || label.startsWith('-') || label.endsWith('-')) return false;
    for (const char of label) if (!isAsciiAlnum(char) && char !== '-') return false;
  }
  return true;
}

function hostOf(rest: string): string {
  let end = 0;
  while (end < rest.length) {
    const code = rest.charCodeAt(end);
    // `/`, `?`, `#` and `:` end a host name.
    if (code === 0x2f || code === 0x3f || code === 0x23 || code === 0x3a) break;
    end++;
  }
  return rest.slice(0, end).toLowerCase();
}

/** The links of the last text read: the shape and spam phases both ask for one comment's links. */
let lastLinks: { text: string; links: LinkSignal[] } | undefined;

/**
 * Every host name has a dot between two letters or digits: text without one
 * (most comments: dots end sentences) has no link to look for.
 */
const DOT_INSIDE_WORD = /[A-Za-z0-9]\.[A-Za-z0-9]/;

/** Links: `http(s)://…`, `www.…` and bare `name.tld/…` for common TLDs. */
export function findLinks(text: string): LinkSignal[] {
  if (lastLinks?.text === text) return [...lastLinks.links];
  const links = readLinks(text);
  lastLinks = { text, links };
  return [...links];
}

function readLinks(text: string): LinkSignal[] {
  const links: LinkSignal[] = [];
  if (!DOT_INSIDE_WORD.test(text)) return links;
  for (const word of wordsWithDot(text)) {
    const lower = word.value.toLowerCase();
    if (lower.includes('@')) continue;
    let rest: string | undefined;
    if (lower.startsWith('https://')) rest = lower.slice(8);
    else if (lower.startsWith('http://')) rest = lower.slice(7);
    else if (lower.startsWith('www.')) rest = lower;
    let host = rest === undefined ? hostOf(lower) : hostOf(rest);
    if (rest === undefined) {
      const tld = host.slice(host.lastIndexOf('.') + 1);
      if (!isHostName(host) || !LINK_TLDS.has(tld)) continue;
    } else if (!isHostName(host)) {
      continue;
    }
    if (host.startsWith('www.')) host = host.slice(4);
    links.push({ ...word, host });
  }
  return links;
}

/** E-mail addresses: `local@host.tld` with a letters-only TLD of two or more characters. */
export function findEmails(text: string): TextSignal[] {
  const emails: TextSignal[] = [];
  if (!text.includes('@') || !DOT_INSIDE_WORD.test(text)) return emails;
  for (const word of words(text)) {
    const at = word.value.indexOf('@');
    if (at <= 0 || at !== word.value.lastIndexOf('@')) continue;
    const local = word.value.slice(0, at);
    const host = word.value.slice(at + 1);
    const isLocalValid = [...local].every((char) => isAsciiAlnum(char) || '._%+-'.includes(char));
    const tld = host.slice(host.lastIndexOf('.') + 1);
    const isTldValid =
      tld.length >= 2 &&
      [...tld].every((char) => (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z'));
    if (isLocalValid && isHostName(host) && isTldValid) emails.push(word);
  }
  return emails;
}

const PHONE_SEPARATORS = new Set([' ', '-', '.', '(', ')']);

/**
 * Phone numbers: 9 to 15 digits in one sequence of digits and separators that
 * looks dialled rather than counted: starting with `+` or `0`, or grouped with
 * `-` or parentheses, or dotted groups other than thousands (`555.123.4567`,
 * not `100.000.000`). Lists of years (`2022 2023 2024`) do not count.
 */
export function findPhones(text: string): TextSignal[] {
  const phones: TextSignal[] = [];
  if (countDigits(text) < 9) return phones;
  let index = 0;
  while (index < text.length) {
    // Only `+`, `(` and digits start one (no one-character string for the rest).
    const code = text.charCodeAt(index);
    if (code !== 0x2b && code !== 0x28 && (code < 0x30 || code > 0x39)) {
      index++;
      continue;
    }
    const char = text[index] ?? '';
    const startsHere =
      (char === '+' || char === '(' || isDigit(char)) &&
      !isDigit(text[index - 1]) &&
      !isAsciiAlnum(text[index - 1] ?? ' ') &&
      // Digits hyphenated to a word or code before them (`a4a7-488649600497` of a UUID, `SKU-123456789`) are part of that code.
      !(isDigit(char) && text[index - 1] === '-' && isAsciiAlnum(text[index - 2] ?? ' '));
    if (!startsHere) {
      index++;
      continue;
    }
    const start = index;
    let end = index + (char === '+' ? 1 : 0);
    let digits = 0;
    let separatorRun = 0;
    const groups: number[] = [];
    let group = 0;
    let hasDash = false;
    let hasParen = char === '(';
    let hasDot = false;
    while (end < text.length) {
      const current = text[end] ?? '';
      if (isDigit(current)) {
        digits++;
        group++;
        separatorRun = 0;
      } else if (PHONE_SEPARATORS.has(current) && separatorRun < 2) {
        if (group > 0) groups.push(group);
        group = 0;
        separatorRun++;
        hasDash ||= current === '-';
        hasParen ||= current === '(' || current === ')';
        hasDot ||= current === '.';
      } else {
        break;
      }
      end++;
    }
    if (group > 0) groups.push(group);
    while (end > start && !isDigit(text[end - 1]) && text[end - 1] !== ')') end--;
    const firstDigit = [...text.slice(start, end)].find((c) => isDigit(c));
    const isThousands = hasDot && groups.slice(1).every((size) => size === 3);
    const looksDialled =
      char === '+' ||
      firstDigit === '0' ||
      hasDash ||
      hasParen ||
      (hasDot && !isThousands) ||
      groups.length === 1;
    const followedByLetter = isAsciiAlnum(text[end] ?? ' ') && !isDigit(text[end]);
    // 13+ digits in one undivided run without `+` or `00` is an id or a millisecond timestamp, not a number to dial.
    const isLongRun = groups.length === 1 && digits >= 13 && char !== '+' && !text.startsWith('00', start);
    if (digits >= 9 && digits <= 15 && looksDialled && !followedByLetter && !isLongRun) {
      phones.push({ span: [start, end], value: text.slice(start, end) });
    }
    index = Math.max(end, index + 1);
  }
  return phones;
}

const UPPER = 1;
const LOWER = 2;
const CASELESS = 3;
/** Per UTF-16 unit outside surrogates: 0 not read yet, else UPPER, LOWER or CASELESS (filled as texts are read). */
const CASES = new Uint8Array(0x10000);

/** Whether one BMP character is an upper-case letter, a lower-case one, or has no case (as `measureCapitals` counts). */
function caseOf(code: number): number {
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? UPPER : code >= 0x61 && code <= 0x7a ? LOWER : CASELESS;
  let kind = CASES[code] ?? 0;
  if (kind === 0) {
    const char = String.fromCharCode(code);
    const lower = char.toLowerCase();
    const upperForm = char.toUpperCase();
    kind = lower === upperForm ? CASELESS : char === upperForm ? UPPER : LOWER;
    CASES[code] = kind;
  }
  return kind;
}

function countDigits(text: string): number {
  let digits = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0x30 && code <= 0x39) digits++;
  }
  return digits;
}

/** Upper-case share of the letters, for the shouting signal. */
export function measureCapitals(text: string): { letters: number; upper: number } {
  let letters = 0;
  let upper = 0;
  let isBasic = true;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdfff) {
      isBasic = false;
      break;
    }
    const kind = caseOf(code);
    if (kind === CASELESS) continue;
    letters++;
    if (kind === UPPER) upper++;
  }
  if (isBasic) return { letters, upper };
  letters = 0;
  upper = 0;
  for (const char of text) {
    const lower = char.toLowerCase();
    const upperForm = char.toUpperCase();
    if (lower === upperForm) continue;
    letters++;
    if (char === upperForm) upper++;
  }
  return { letters, upper };
}

/** Runs of one non-space character at least `minimum` long (`!!!!!!!!!!`, `aaaaaaaaaa`). */
export function findRepeatedRuns(text: string, minimum: number): TextSignal[] {
  const runs: TextSignal[] = [];
  if (!hasRunOrSurrogate(text, minimum)) return runs;
  // By code points (a surrogate pair is one character), without an array of them.
  let offset = 0;
  while (offset < text.length) {
    const code = text.codePointAt(offset) ?? 0;
    const width = code > 0xffff ? 2 : 1;
    let end = offset + width;
    let length = 1;
    while (end < text.length && text.codePointAt(end) === code) {
      end += width;
      length++;
    }
    if (length >= minimum && !isWhitespace(String.fromCodePoint(code)))
      runs.push({ span: [offset, end], value: text.slice(offset, end) });
    offset = end;
  }
  return runs;
}

/**
 * Whether one UTF-16 unit repeats `minimum` times in a row, or the text has
 * surrogate pairs (whose runs the code-unit scan cannot see): without either,
 * there is no run to report.
 */
function hasRunOrSurrogate(text: string, minimum: number): boolean {
  let previous = -1;
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdfff) return true;
    length = code === previous ? length + 1 : 1;
    if (length >= minimum) return true;
    previous = code;
  }
  return false;
}
