/**
 * Writing systems of letters, and folding of look-alike letters towards the
 * script of the word they stand in. A Cyrillic `а` inside `nаzi` is read as a
 * Latin `a`; a Latin `c` inside `cука` is read as a Cyrillic `с`; a Cyrillic
 * word is never read as Latin (that is what made `пизда` on a site list match
 * the `а` of `шаг`).
 */

export type Script =
  | 'latin'
  | 'cyrillic'
  | 'greek'
  | 'armenian'
  | 'georgian'
  | 'hebrew'
  | 'arabic'
  | 'devanagari'
  | 'thai'
  | 'hangul'
  | 'kana'
  | 'han'
  | 'other';

/** For `scriptOf`'s last question, per UTF-16 unit: 0 not asked yet, 1 a letter, 2 not. */
const OTHER_LETTER = new Uint8Array(0x10000);

/** The script of one code point; undefined for what is not a letter (digits, marks, punctuation). */
export function scriptOf(code: number): Script | undefined {
  if (code < 0x80) {
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) ? 'latin' : undefined;
  }
  if (code >= 0x00c0 && code <= 0x024f && code !== 0xd7 && code !== 0xf7) return 'latin';
  if (code >= 0x1e00 && code <= 0x1eff) return 'latin';
  if (code >= 0x0370 && code <= 0x03ff) return code >= 0x0386 ? 'greek' : undefined;
  if (code >= 0x1f00 && code <= 0x1fff) return 'greek';
  if (code >= 0x0400 && code <= 0x052f) return code >= 0x0483 && code <= 0x0489 ? undefined : 'cyrillic';
  if (code >= 0x0531 && code <= 0x058a) return code >= 0x0559 && code <= 0x055f ? undefined : 'armenian';
  if (code >= 0x05d0 && code <= 0x05ea) return 'hebrew';
  if (code >= 0x0620 && code <= 0x064a) return 'arabic';
  if (code >= 0x0904 && code <= 0x0939) return 'devanagari';
  if (code >= 0x0e01 && code <= 0x0e30) return 'thai';
  if (code >= 0x10a0 && code <= 0x10ff) return 'georgian';
  if (code >= 0xac00 && code <= 0xd7a3) return 'hangul';
  if ((code >= 0x3041 && code <= 0x3096) || (code >= 0x30a1 && code <= 0x30fa)) return 'kana';
  if (code >= 0x4e00 && code <= 0x9fff) return 'han';
  if (code >= 0xff21 && code <= 0xff5a) return 'latin';
  // Other letters and the rest (marks, joiners, punctuation): asked once per UTF-16 unit.
  const known = code < 0x10000 ? (OTHER_LETTER[code] ?? 0) : 0;
  if (known !== 0) return known === 1 ? 'other' : undefined;
  const char = String.fromCodePoint(code);
  const isLetter = char.toLowerCase() !== char.toUpperCase() || /\p{L}/u.test(char);
  if (code < 0x10000) OTHER_LETTER[code] = isLetter ? 1 : 2;
  return isLetter ? 'other' : undefined;
}

export const SCRIPT_NAMES: Readonly<Record<Script, string>> = {
  latin: 'Latin',
  cyrillic: 'Cyrillic',
  greek: 'Greek',
  armenian: 'Armenian',
  georgian: 'Georgian',
  hebrew: 'Hebrew',
  arabic: 'Arabic',
  devanagari: 'Devanagari',
  thai: 'Thai',
  hangul: 'Hangul',
  kana: 'Japanese kana',
  han: 'Han',
  other: 'another script',
};

/** Letters of other scripts that read as one Latin letter inside a Latin word. */
// prettier-ignore
const TO_LATIN: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', з: '3', і: 'i', ї: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', п: 'n',
  р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ү: 'y', һ: 'h', ь: 'b', г: 'r',
  // Greek
  α: 'a', β: 'b', γ: 'y', ε: 'e', ζ: 'z', η: 'n', ι: 'i', κ: 'k', μ: 'u', ν: 'v', ο: 'o', ρ: 'p',
  σ: 'o', ς: 's', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  // Armenian
  ս: 'u', օ: 'o', ո: 'n', հ: 'h', ց: 'g', զ: 'q', ք: 'p', լ: 'l', ի: 'h', ռ: 'n', ա: 'w', ւ: 'i',
};

/** Latin letters (and leet symbols) that read as one Cyrillic letter inside a Cyrillic word. */
// prettier-ignore
const TO_CYRILLIC: Readonly<Record<string, string>> = {
  a: 'а', b: 'ь', c: 'с', e: 'е', ë: 'ё', h: 'н', i: 'і', k: 'к', m: 'м', n: 'п', o: 'о', p: 'р', r: 'г',
  t: 'т', u: 'и', x: 'х', y: 'у', '3': 'з', '6': 'б', '0': 'о', '@': 'а', '4': 'ч',
};

/** Folds one letter to its look-alike in `target`, keeping its case; undefined when it has none. */
function foldLetter(char: string, target: Script): string | undefined {
  const code = char.charCodeAt(0);
  const lower = code < 0x80 ? (code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 0x20) : char) : char.toLowerCase();
  const table = target === 'latin' ? TO_LATIN : target === 'cyrillic' ? TO_CYRILLIC : undefined;
  const folded = table?.[lower];
  if (folded === undefined) return undefined;
  return char !== lower ? folded.toUpperCase() : folded;
}

/** A run of letters (and the digits or symbols that stand in for letters inside it). */
export interface ScriptWord {
  start: number;
  end: number;
  /** The script most of its letters are in (look-alikes decide only when nothing else does). */
  script: Script;
  /** Every script with a letter in the word. */
  scripts: Script[];
  /** Offsets of the letters that are not in `script`. */
  foreign: number[];
}

/** Characters that may sit inside a word as a letter's stand-in (`c@ка`, `x3р`, `х*й`). */
function isStandIn(char: string): boolean {
  return char === '@' || char === '*' || (char >= '0' && char <= '9');
}

/**
 * A character that belongs to no script but joins a word (combining marks,
 * zero-width joiners and the Ukrainian apostrophe of `м'ясо`).
 */
function isJoiner(code: number): boolean {
  return (
    (code >= 0x0300 && code <= 0x036f) ||
    code === 0x200b ||
    code === 0x200c ||
    code === 0x200d ||
    code === 0x2060 ||
    code === 0xfeff ||
    code === 0x00ad
  );
}

/** Letters that look the same in Latin and Cyrillic (or Greek): they cannot tell a word's script. */
function isAmbiguous(char: string, script: Script): boolean {
  const known = char.length === 1 ? AMBIGUOUS[(script === 'latin' ? 0 : 0x10000) + char.charCodeAt(0)] : 0;
  if (known !== undefined && known !== 0) return known === 1;
  const lower = char.toLowerCase();
  const isAmbiguousChar = script === 'latin' ? TO_CYRILLIC[lower] !== undefined : TO_LATIN[lower] !== undefined;
  if (char.length === 1) AMBIGUOUS[(script === 'latin' ? 0 : 0x10000) + char.charCodeAt(0)] = isAmbiguousChar ? 1 : 2;
  return isAmbiguousChar;
}

/** `isAmbiguous` per UTF-16 unit, for Latin words then for the others: 0 not read yet, 1 yes, 2 no. */
const AMBIGUOUS = new Uint8Array(0x20000);

/**
 * Splits a text into words with their scripts. Linear: one pass, a few
 * comparisons per character.
 */
export function readScriptWords(text: string): ScriptWord[] {
  const words: ScriptWord[] = [];
  let index = 0;
  const length = text.length;
  while (index < length) {
    const code = text.codePointAt(index) ?? 0;
    if (scriptOf(code) === undefined) {
      index += code > 0xffff ? 2 : 1;
      continue;
    }
    const start = index;
    let end = index;
    while (end < length) {
      const current = text.codePointAt(end) ?? 0;
      const width = current > 0xffff ? 2 : 1;
      if (scriptOf(current) !== undefined || isJoiner(current)) {
        end += width;
        continue;
      }
      const char = text[end] ?? '';
      const isApostrophe = char === "'" || char === '’' || char === 'ʼ';
      if ((isStandIn(char) || isApostrophe) && scriptOf(text.codePointAt(end + 1) ?? 0) !== undefined) {
        end += 1;
        continue;
      }
      // A run of stand-ins followed by a letter (`x**й`, `f@@k`).
      if (isStandIn(char)) {
        let probe = end;
        while (probe < length && isStandIn(text[probe] ?? '')) probe++;
        if (probe - end <= 4 && scriptOf(text.codePointAt(probe) ?? 0) !== undefined) {
          end = probe;
          continue;
        }
      }
      break;
    }
    words.push(describeWord(text, start, end));
    index = end;
  }
  return readInContext(text, words);
}

/** Letters that no Russian, Ukrainian or Belarusian word uses, though they look Latin. */
const EXOTIC_LOOKALIKES = new Set(['ѕ', 'һ', 'ј', 'ԁ', 'ԛ', 'ԝ', 'ү']);
/** The same letters, both cases, as code units. */
const EXOTIC_CODES = new Set(
  [...EXOTIC_LOOKALIKES].flatMap((char) => [char.charCodeAt(0), char.toUpperCase().charCodeAt(0)]),
);

/** Per UTF-16 unit: 1 for the lower-case letters `TO_LATIN` reads as Latin, and for the exotic look-alikes. */
const LATIN_LOOKALIKE = new Uint8Array(0x10000);
for (const char of Object.keys(TO_LATIN)) if (char.length === 1) LATIN_LOOKALIKE[char.charCodeAt(0)] = 1;
const EXOTIC_LOWER = new Uint8Array(0x10000);
for (const char of EXOTIC_LOOKALIKES) if (char.length === 1) EXOTIC_LOWER[char.charCodeAt(0)] = 1;

/** A Cyrillic-only word with none of the exotic look-alikes keeps its script whatever the text around it. */
function isPlainCyrillic(text: string, word: ScriptWord): boolean {
  if (word.script !== 'cyrillic' || word.scripts.length !== 1) return false;
  for (let index = word.start; index < word.end; index++) if (EXOTIC_CODES.has(text.charCodeAt(index))) return false;
  return true;
}

/**
 * A word made only of Latin look-alikes from other scripts (`ѕһіт`, `Вιтсн`)
 * reads as Latin when it mixes scripts, uses a letter that Russian, Ukrainian
 * and Belarusian never write, or uses Greek letters in a Latin text. A real
 * Cyrillic word quoted in English (`кто`) and a Greek word in Greek text keep
 * their script.
 */
function readInContext(text: string, words: ScriptWord[]): ScriptWord[] {
  let latin = 0;
  let other = 0;
  for (const word of words) {
    if (word.script === 'latin') latin += word.end - word.start;
    else other += word.end - word.start;
  }
  const isLatinText = latin > other;
  return words.map((word) => {
    if (word.script === 'latin' || isPlainCyrillic(text, word)) return word;
    // Lower-cased as a whole (a final sigma reads as ς), then read by code points.
    const letters = text.slice(word.start, word.end).toLowerCase();
    let isExotic = word.scripts.length > 1;
    for (let index = 0; index < letters.length; ) {
      const code = letters.codePointAt(index) ?? 0;
      index += code > 0xffff ? 2 : 1;
      const script = scriptOf(code);
      if (script === 'latin') continue;
      // A letter with no Latin look-alike: the word keeps its script.
      if (code > 0xffff || LATIN_LOOKALIKE[code] !== 1) return word;
      if (EXOTIC_LOWER[code] === 1 || (isLatinText && script === 'greek')) isExotic = true;
    }
    if (!isExotic) return word;
    const foreign: number[] = [];
    for (let index = word.start; index < word.end; index++) {
      if (scriptOf(text.charCodeAt(index)) !== 'latin') foreign.push(index);
    }
    return { ...word, script: 'latin', scripts: [...new Set<Script>(['latin', ...word.scripts])], foreign };
  });
}

const SINGLE_SCRIPT: Partial<Record<Script, Script[]>> = {};
const NO_FOREIGN: number[] = [];

function describeWord(text: string, start: number, end: number): ScriptWord {
  // Most words are in one script: one pass tells, without counting anything.
  let only: Script | undefined;
  let isSingle = true;
  for (let index = start; index < end;) {
    const code = text.codePointAt(index) ?? 0;
    const script = scriptOf(code);
    index += code > 0xffff ? 2 : 1;
    if (script === undefined) continue;
    if (only === undefined) only = script;
    else if (script !== only) {
      isSingle = false;
      break;
    }
  }
  if (isSingle) {
    const script = only ?? 'other';
    const scripts = only === undefined ? [] : (SINGLE_SCRIPT[script] ??= [script]);
    return { start, end, script, scripts, foreign: NO_FOREIGN };
  }
  return describeMixedWord(text, start, end);
}

function describeMixedWord(text: string, start: number, end: number): ScriptWord {
  const strong = new Map<Script, number>();
  const weak = new Map<Script, number>();
  let firstScript: Script | undefined;
  for (let index = start; index < end;) {
    const code = text.codePointAt(index) ?? 0;
    const width = code > 0xffff ? 2 : 1;
    const script = scriptOf(code);
    if (script !== undefined) {
      firstScript ??= script;
      // Known per UTF-16 unit after the first time: no one-character string for it.
      const known = width === 1 ? (AMBIGUOUS[(script === 'latin' ? 0 : 0x10000) + code] ?? 0) : 0;
      const isWeak = known !== 0 ? known === 1 : isAmbiguous(text.slice(index, index + width), script);
      const counts = isWeak ? weak : strong;
      counts.set(script, (counts.get(script) ?? 0) + 1);
    }
    index += width;
  }
  const scripts = [...new Set([...strong.keys(), ...weak.keys()])];
  let script: Script = firstScript ?? 'other';
  if (scripts.length > 1) {
    let best = -1;
    for (const candidate of scripts) {
      const score = (strong.get(candidate) ?? 0) * 4 + (weak.get(candidate) ?? 0);
      if (score > best) {
        best = score;
        script = candidate;
      }
    }
    const tied = scripts.filter(
      (candidate) => (strong.get(candidate) ?? 0) * 4 + (weak.get(candidate) ?? 0) === best,
    );
    // All look-alikes (`сука` as `cyка`): a word with a Cyrillic letter is Cyrillic, as readers see it.
    if (tied.length > 1) script = tied.includes('cyrillic') ? 'cyrillic' : (firstScript ?? script);
  }
  const foreign: number[] = [];
  if (scripts.length > 1) {
    for (let index = start; index < end;) {
      const code = text.codePointAt(index) ?? 0;
      const letterScript = scriptOf(code);
      if (letterScript !== undefined && letterScript !== script) foreign.push(index);
      index += code > 0xffff ? 2 : 1;
    }
  }
  return { start, end, script, scripts, foreign };
}

/**
 * The text with every look-alike letter folded towards the script of its word
 * (and leet digits inside Cyrillic words folded to Cyrillic letters). Same
 * length as the input, so offsets into it are offsets into the original.
 */
export function foldTowardsWordScript(
  text: string,
  words: readonly ScriptWord[] = readScriptWords(text),
): string {
  let out = '';
  let copied = 0;
  for (const word of words) {
    const isMixed = word.foreign.length > 0;
    const hasStandIns = word.script === 'cyrillic' && hasDigitOrAt(text, word.start, word.end);
    if (!isMixed && !hasStandIns) continue;
    if (word.script !== 'latin' && word.script !== 'cyrillic') continue;
    out += text.slice(copied, word.start);
    // The word's units, folded where they need it, then one string (not one string per character).
    const folds = word.script === 'latin' ? FOLDS_TO_LATIN : FOLDS_TO_CYRILLIC;
    const units = foldedUnits;
    units.length = 0;
    for (let index = word.start; index < word.end; index++) {
      const code = text.charCodeAt(index);
      const script = scriptOf(code);
      const needsFold =
        script === undefined ? word.script === 'cyrillic' && isStandIn(text[index] ?? '') : script !== word.script;
      if (!needsFold) {
        units.push(code);
        continue;
      }
      let folded = folds[code] ?? -1;
      if (folded < 0) {
        const char = text[index] ?? '';
        const letter = foldLetter(char, word.script);
        folded = letter !== undefined && letter.length === 1 ? letter.charCodeAt(0) : code;
        folds[code] = folded;
      }
      units.push(folded);
    }
    out += unitsToString(units);
    copied = word.end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The folded word being built (reused from word to word). */
const foldedUnits: number[] = [];

/** `foldLetter` per UTF-16 unit and target script, remembered: the unit it folds to (itself when none), -1 not asked yet. */
const FOLDS_TO_LATIN = new Int32Array(0x10000).fill(-1);
const FOLDS_TO_CYRILLIC = new Int32Array(0x10000).fill(-1);

/** A string of code units; in chunks, since a call takes only so many arguments (one long hostile word). */
function unitsToString(units: readonly number[]): string {
  if (units.length <= 4096) return String.fromCharCode(...units);
  let out = '';
  for (let index = 0; index < units.length; index += 4096) out += String.fromCharCode(...units.slice(index, index + 4096));
  return out;
}

function hasDigitOrAt(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const char = text[index] ?? '';
    if (char === '@' || (char >= '0' && char <= '9')) return true;
  }
  return false;
}

/** True when the text has any code point outside ASCII (most comments in English do not). */
export function hasNonAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) > 0x7f) return true;
  return false;
}
