/**
 * Curated lexicons: data files per language and category (`data/<lang>/<category>.json`),
 * compiled once into a matcher over a comment's tokens.
 *
 * A word pattern is `word` (the whole word), `stem~` (the stem and an ending
 * of up to four letters: хохол/хохлы/хохлов/хохлам), `stem*` (any ending) or
 * `*stem*` (anywhere inside a word, for мат roots: нахуй, распиздяй). A phrase
 * is slots separated by spaces: each slot lists alternatives with `|`, an
 * alternative is a word pattern or a class (`{group}`, `{you}`, `{person}`,
 * `{modal}` …, defined in `data/<lang>/classes.json`); a slot ending in `?`
 * may be left out and `…` skips up to two words. Latin word entries go to the
 * word filter instead (it reads leet and separators: bl@t, b l y a t).
 */
import type { FindingCategory } from '../../contracts/moderation';
import { keyOf, type Token, type TokenClasses } from './tokens';

export interface LexiconEntry {
  id: string;
  /** Word patterns (see the module comment). */
  match?: string[];
  /** Phrase patterns. */
  phrases?: string[];
  /** Why this entry is here, for the moderator reading the finding. */
  note: string;
  /** Innocent words that contain a match and must be spared (also checked by tests). */
  spares?: string[];
  /** Texts the entry must find (checked by tests). */
  examples?: string[];
  /** The reading depends on context: hold at most, even when the category rejects. */
  unsure?: boolean;
}

export interface LexiconFile {
  language: string;
  category: FindingCategory;
  entries: LexiconEntry[];
}

export interface ClassFile {
  language: string;
  /** Class name → word patterns. */
  classes: Record<string, string[]>;
}

interface WordPattern {
  kind: 'exact' | 'inflected' | 'prefix' | 'inside';
  stem: string;
}

/** A class alternative keeps what it resolved to (set on first use). */
type Alternative = { pattern: WordPattern } | { className: string; ref: ClassRef | undefined };

/** A class as phrases ask for it: its indexes, the keys already looked up, whether it is `{person}`. */
interface ClassRef {
  /** Position among the classes (for the per-scan membership table). */
  id: number;
  isPerson: boolean;
  indexes: WordIndex<true>[];
}

interface Slot {
  alternatives: Alternative[];
  isOptional: boolean;
  isGap: boolean;
  /** `$`: the end of the sentence. */
  isEnd: boolean;
}

export interface CompiledEntry {
  id: string;
  language: string;
  category: FindingCategory;
  note: string;
  isUnsure: boolean;
  spares: string[];
  /** Whole forms (exact patterns, stems and examples) a masked word is compared with. */
  forms: string[];
}

/**
 * What a key tells of phrases, by phrase index: those it may start that have a
 * second required slot (`starts`), whether it may start one without
 * (`startsAlways`), and those whose second slot it fills (`fills`). A phrase
 * with a second slot cannot match tokens of which none fills it.
 */
export interface PhraseGates {
  starts: readonly number[];
  startsAlways: boolean;
  fills: readonly number[];
}

/** For `scanAt`: the phrases whose second slot some token fills, as `stamps[index] === stamp`. */
export interface PhrasesFilled {
  stamps: Int32Array;
  stamp: number;
}

export interface LexiconMatch {
  entry: CompiledEntry;
  /** Token indices `[first, last]`. */
  first: number;
  last: number;
}

const INFLECTION_LETTERS = 4;

function parseWordPattern(raw: string): WordPattern {
  if (raw.startsWith('*') && raw.endsWith('*') && raw.length > 2)
    return { kind: 'inside', stem: keyOf(raw.slice(1, -1)) };
  if (raw.endsWith('*')) return { kind: 'prefix', stem: keyOf(raw.slice(0, -1)) };
  if (raw.endsWith('~')) return { kind: 'inflected', stem: keyOf(raw.slice(0, -1)) };
  return { kind: 'exact', stem: keyOf(raw) };
}

function matchesPattern(pattern: WordPattern, key: string): boolean {
  switch (pattern.kind) {
    case 'exact':
      return key === pattern.stem;
    case 'inflected':
      return key.startsWith(pattern.stem) && key.length - pattern.stem.length <= INFLECTION_LETTERS;
    case 'prefix':
      return key.startsWith(pattern.stem);
    case 'inside':
      return key.includes(pattern.stem);
  }
}

interface StemNode<T> {
  children: Map<number, StemNode<T>>;
  /** Patterns whose stem ends at this node, in the order they were added. */
  patterns: { pattern: WordPattern; value: T }[];
}

interface InsideStem<T> {
  pattern: WordPattern;
  value: T;
  /** Insertion order: matches are reported in it. */
  order: number;
}

const NONE: readonly never[] = [];

/**
 * Word patterns indexed so that one token costs one walk over its letters: a
 * map look-up for exact words, a trie of stems walked along the key, and the
 * `inside` stems found by the pair of letters they start with.
 */
class WordIndex<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly stems: StemNode<T> = { children: new Map(), patterns: [] };
  private readonly insideByPair = new Map<number, InsideStem<T>[]>();
  /** Inside stems of one letter (rare): checked with `includes`. */
  private readonly insideSingle: InsideStem<T>[] = [];
  private insideCount = 0;

  add(pattern: WordPattern, value: T): void {
    if (pattern.kind === 'exact') {
      this.exact.set(pattern.stem, [...(this.exact.get(pattern.stem) ?? []), value]);
    } else if (pattern.kind === 'inside') {
      const inside = { pattern, value, order: this.insideCount++ };
      if (pattern.stem.length < 2) this.insideSingle.push(inside);
      else {
        const pair = pairAt(pattern.stem, 0);
        this.insideByPair.set(pair, [...(this.insideByPair.get(pair) ?? []), inside]);
      }
    } else {
      let node = this.stems;
      for (let index = 0; index < pattern.stem.length; index++) {
        const code = pattern.stem.charCodeAt(index);
        let child = node.children.get(code);
        if (child === undefined) {
          child = { children: new Map(), patterns: [] };
          node.children.set(code, child);
        }
        node = child;
      }
      node.patterns.push({ pattern, value });
    }
  }

  find(key: string, found: (value: T) => void): void {
    for (const value of this.exact.get(key) ?? NONE) found(value);
    // Stems from the shortest to the longest, as they prefix the key.
    let node: StemNode<T> | undefined = this.stems;
    for (let index = 0; index < key.length && node !== undefined; index++) {
      node = node.children.get(key.charCodeAt(index));
      if (node === undefined) break;
      for (const candidate of node.patterns) if (matchesPattern(candidate.pattern, key)) found(candidate.value);
    }
    if (this.insideCount === 0) return;
    let hits: InsideStem<T>[] | undefined;
    for (const candidate of this.insideSingle) if (key.includes(candidate.pattern.stem)) (hits ??= []).push(candidate);
    for (let index = 0; index + 1 < key.length; index++) {
      const candidates = this.insideByPair.get(pairAt(key, index));
      if (candidates === undefined) continue;
      for (const candidate of candidates) {
        if (!key.startsWith(candidate.pattern.stem, index)) continue;
        hits ??= [];
        if (!hits.includes(candidate)) hits.push(candidate);
      }
    }
    if (hits === undefined) return;
    hits.sort((a, b) => a.order - b.order);
    for (const hit of hits) found(hit.value);
  }

  /** Whether any pattern matches the key (the same walk as `find`, stopping at the first). */
  has(key: string): boolean {
    if (this.exact.has(key)) return true;
    let node: StemNode<T> | undefined = this.stems;
    for (let index = 0; index < key.length && node !== undefined; index++) {
      node = node.children.get(key.charCodeAt(index));
      if (node === undefined) break;
      for (const candidate of node.patterns) if (matchesPattern(candidate.pattern, key)) return true;
    }
    if (this.insideCount === 0) return false;
    for (const candidate of this.insideSingle) if (key.includes(candidate.pattern.stem)) return true;
    for (let index = 0; index + 1 < key.length; index++) {
      const candidates = this.insideByPair.get(pairAt(key, index));
      if (candidates?.some((candidate) => key.startsWith(candidate.pattern.stem, index)) === true) return true;
    }
    return false;
  }
}

/** Memo tables stay bounded: a hostile stream of new words empties one rather than growing it. */
const MEMO_LIMIT = 50_000;
/** Room in a key's row for classes first asked about later (`isInClass` with a name no phrase uses). */
const SPARE_CLASSES = 8;

/**
 * What an index finds for a key, remembered: comments reuse the same few
 * thousand words, so most tokens cost one map look-up.
 */
function memoFind<T>(index: WordIndex<T>): (key: string) => readonly T[] {
  const memo = new Map<string, readonly T[]>();
  return (key) => {
    let values = memo.get(key);
    if (values === undefined) {
      const found: T[] = [];
      index.find(key, (value) => found.push(value));
      values = found.length > 0 ? found : NONE;
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(key, values);
    }
    return values;
  };
}

/** Two UTF-16 units of `text` at `index` as one number. */
function pairAt(text: string, index: number): number {
  return text.charCodeAt(index) * 0x10000 + text.charCodeAt(index + 1);
}

interface CompiledPhrase {
  /** Position among all phrases: tells apart phrases of one entry. */
  index: number;
  /** The scan that last tried this phrase, and the last start it tried from (see `scanTokens`). */
  triedScan: number;
  triedUpTo: number;
  /** It has a second required slot of words (besides its trigger), indexed in `secondGates`. */
  hasSecond: boolean;
  entry: CompiledEntry;
  slots: Slot[];
}

export interface Lexicon {
  /** Every match in the tokens, each entry at most once per span. */
  scan(tokens: readonly Token[]): LexiconMatch[];
  /**
   * `scan` reading only the tokens at `indices[0 … count - 1]` (ascending):
   * the same matches as `scan` when every other token's role is `none`.
   */
  scanAt(tokens: readonly Token[], indices: ArrayLike<number>, count: number, filled?: PhrasesFilled): LexiconMatch[];
  /** The phrases a key may start and whose second slot it fills (for a reader that knows its words ahead). */
  phraseGatesOf(key: string): PhraseGates;
  /** How many phrases there are (phrase indices are below it). */
  phraseCount: number;
  /**
   * Where a phrase's second required slot is, from the token of its trigger:
   * -1 the token just before, 1 just after (in one sentence), 0 anywhere.
   */
  secondOffsetOf(phrase: number): number;
  /** Whether a token belongs to a class of `classes.json` (`meta`, `group`, …). */
  isInClass(name: string, tokens: readonly Token[], index: number): boolean;
  /**
   * What `scan` does with an (unmasked) token of this key: `word` when a word
   * entry matches it, `phrase` when it may start a phrase (which still has to
   * match around it), `none` when nothing. Tokens that are all `none` have no
   * match.
   */
  roleOfKey(key: string): 'word' | 'phrase' | 'none';
  /** What the lexicon's classes say of a key, for `Token.classes` (a reader may fill it in ahead). */
  classesOf(key: string): TokenClasses;
  entries: readonly CompiledEntry[];
}

function isLatinPattern(raw: string): boolean {
  return /^[a-z*~' -]+$/i.test(raw);
}

/**
 * Compiles lexicon files. `latinWords` receives every Latin word entry (for
 * the word filter); everything else is matched here.
 */
export function compileLexicon(
  files: readonly LexiconFile[],
  classFiles: readonly ClassFile[],
  latinWords?: (word: string, entry: CompiledEntry) => void,
): Lexicon {
  // Classes are per language (`ru:group`): a phrase reads the classes of its own file's language.
  const classes = new Map<string, WordPattern[]>();
  const classLanguages = new Set<string>();
  for (const file of classFiles) {
    classLanguages.add(file.language);
    for (const [name, patterns] of Object.entries(file.classes)) {
      const key = `${file.language}:${name}`;
      classes.set(key, [...(classes.get(key) ?? []), ...patterns.map(parseWordPattern)]);
    }
  }
  // Function words (the, в, на, are) are in most sentences: a phrase gated on one would be tried all the time.
  const functionWords = new Set(
    [...classes].flatMap(([name, patterns]) => (name.endsWith(':function-words') ? patterns.map((pattern) => pattern.stem) : [])),
  );
  const isCommonWord = (pattern: WordPattern): boolean =>
    pattern.kind === 'exact' && (pattern.stem.length <= 2 || functionWords.has(pattern.stem));
  // Each common word costs as much as a thousand rare ones: `dm|message|…` (one two-letter word) gates better than `me|us`.
  const gateCost = (patterns: readonly WordPattern[]): number =>
    patterns.reduce((cost, pattern) => cost + (isCommonWord(pattern) ? 1000 : 1), 0);
  const words = new WordIndex<CompiledEntry>();
  /** Phrases by the literal word patterns of their slots: a phrase is tried only where one of them is. */
  const triggers = new WordIndex<CompiledPhrase>();
  /** Phrases by the patterns of a second required slot (see `phraseGatesOf`). */
  const secondGates = new WordIndex<CompiledPhrase>();
  const entries: CompiledEntry[] = [];
  let phraseCount = 0;
  /** Per phrase index: -1 or 1 when its second required slot is just before or after its trigger, else 0. */
  const secondOffsets: number[] = [];
  const phrases: CompiledPhrase[] = [];
  for (const file of files) {
    for (const raw of file.entries) {
      const entry: CompiledEntry = {
        id: raw.id,
        language: file.language,
        category: file.category,
        note: raw.note,
        isUnsure: raw.unsure === true,
        spares: (raw.spares ?? []).map(keyOf),
        forms: [],
      };
      entries.push(entry);
      for (const pattern of raw.match ?? []) {
        if (isLatinPattern(pattern) && !/[*~]/.test(pattern) && latinWords !== undefined) {
          latinWords(pattern.toLowerCase(), entry);
          continue;
        }
        const parsed = parseWordPattern(pattern);
        words.add(parsed, entry);
        entry.forms.push(parsed.stem);
      }
      for (const example of raw.examples ?? []) {
        if (!example.includes(' ')) entry.forms.push(keyOf(example));
      }
      for (const phrase of raw.phrases ?? []) {
        const compiled: CompiledPhrase = {
          index: phraseCount++,
          triedScan: -1,
          triedUpTo: -1,
          hasSecond: false,
          entry,
          slots: parsePhrase(phrase, file.language),
        };
        phrases.push(compiled);
        // The trigger: the required slot with the fewest word patterns (classes expanded; rarer words gate better).
        const expand = (slot: Slot): WordPattern[] | undefined => {
          const patterns: WordPattern[] = [];
          for (const alternative of slot.alternatives) {
            if ('pattern' in alternative) patterns.push(alternative.pattern);
            else {
              if (alternative.className.endsWith(':person')) return undefined;
              const members = classes.get(alternative.className);
              if (members === undefined)
                throw new Error(`unknown lexicon class {${alternative.className}} in ${raw.id}`);
              patterns.push(...members);
            }
          }
          return patterns;
        };
        const gates = compiled.slots
          .flatMap((slot, at) => {
            if (slot.isOptional || slot.isGap || slot.isEnd) return [];
            const patterns = expand(slot);
            return patterns === undefined ? [] : [{ at, patterns }];
          })
          .sort((a, b) => gateCost(a.patterns) - gateCost(b.patterns));
        const gate = gates[0];
        if (gate === undefined)
          throw new Error(`lexicon phrase "${phrase}" (${raw.id}) needs a slot of words`);
        for (const pattern of gate.patterns) triggers.add(pattern, compiled);
        // A second required slot, rare words first: no match where no token fills it.
        const second = gates.slice(1).find(({ patterns }) => !patterns.some(isCommonWord)) ?? gates[1];
        if (second !== undefined) {
          compiled.hasSecond = true;
          // Required slots side by side match tokens side by side (`не люди`).
          if (Math.abs(second.at - gate.at) === 1) secondOffsets[compiled.index] = second.at - gate.at;
          for (const pattern of second.patterns) secondGates.add(pattern, compiled);
        }
      }
    }
  }

  // Each class as an index of its own: membership is one walk over the token's key.
  const classIndexes = new Map<string, WordIndex<true>>();
  for (const [name, patterns] of classes) {
    const index = new WordIndex<true>();
    for (const pattern of patterns) index.add(pattern, true);
    classIndexes.set(name, index);
  }
  // Per class name, its indexes; per key, what each class said of it (0 not asked yet, 1 a member, 2 not).
  const classRefs = new Map<string, ClassRef>();
  const classRefOf = (name: string): ClassRef => {
    let ref = classRefs.get(name);
    if (ref === undefined) {
      // `ru:group` names one language's class; a bare name asks every language.
      const keys = name.includes(':') ? [name] : [...classLanguages].map((language) => `${language}:${name}`);
      const indexes = keys.flatMap((key) => {
        const index = classIndexes.get(key);
        return index === undefined ? [] : [index];
      });
      ref = { id: classRefs.size, isPerson: name.endsWith('person'), indexes };
      classRefs.set(name, ref);
    }
    return ref;
  };
  /** Marks the rows of this lexicon (a token may be read by several). */
  const owner = {};
  const keyRows = new Map<string, TokenClasses>();
  const classesOfKey = (key: string): TokenClasses => {
    let classes = keyRows.get(key);
    if (classes === undefined) {
      if (keyRows.size >= MEMO_LIMIT) keyRows.clear();
      classes = { owner, row: new Uint8Array(classRefs.size + SPARE_CLASSES) };
      keyRows.set(key, classes);
    }
    return classes;
  };
  const lookUp = (ref: ClassRef, key: string): boolean => {
    for (const index of ref.indexes) if (index.has(key)) return true;
    return false;
  };
  const hasPattern = (ref: ClassRef, key: string, row: Uint8Array): boolean => {
    // A class first asked about after this key's row was made is looked up each time (rare).
    if (ref.id >= row.length) return lookUp(ref, key);
    const known = row[ref.id] ?? 0;
    if (known !== 0) return known === 1;
    const isMember = lookUp(ref, key);
    row[ref.id] = isMember ? 1 : 2;
    return isMember;
  };
  const functionWordsRef = classRefOf('function-words');
  for (const phrase of phrases) {
    for (const slot of phrase.slots) {
      for (const alternative of slot.alternatives) {
        if ('className' in alternative) alternative.ref = classRefOf(alternative.className);
      }
    }
  }
  // Each token keeps its key's row: phrases tried from nearby starts ask about the same tokens again and again.
  const isMember = (ref: ClassRef, token: Token): boolean => {
    let classes = token.classes;
    if (classes?.owner !== owner) {
      classes = classesOfKey(token.key);
      token.classes = classes;
    }
    return hasPattern(ref, token.key, classes.row);
  };
  /** A name: capitalised inside a sentence (its first word is capitalised anyway), not a function word. */
  const isInClassRef = (ref: ClassRef, tokens: readonly Token[], index: number): boolean => {
    const token = tokens[index];
    if (token === undefined) return false;
    if (ref.isPerson) {
      const isSentenceStart = index === 0 || tokens[index - 1]?.sentence !== token.sentence;
      return (
        token.isCapitalized &&
        token.key.length > 1 &&
        !isSentenceStart &&
        !isMember(functionWordsRef, token)
      );
    }
    return isMember(ref, token);
  };
  const isInClass = (name: string, tokens: readonly Token[], index: number): boolean =>
    isInClassRef(classRefOf(name), tokens, index);

  const slotMatches = (slot: Slot, tokens: readonly Token[], index: number): boolean => {
    const token = tokens[index];
    if (token === undefined) return false;
    for (const alternative of slot.alternatives) {
      if ('pattern' in alternative) {
        if (matchesPattern(alternative.pattern, token.key)) return true;
      } else {
        alternative.ref ??= classRefOf(alternative.className);
        if (isInClassRef(alternative.ref, tokens, index)) return true;
      }
    }
    return false;
  };

  /** Matches `slots` from token `at`; the index of the last token used, or -1. */
  const matchFrom = (
    slots: readonly Slot[],
    tokens: readonly Token[],
    at: number,
    slotIndex: number,
  ): number => {
    if (slotIndex === slots.length) return at - 1;
    const slot = slots[slotIndex];
    const token = tokens[at];
    if (slot === undefined) return -1;
    // (Never index tokens with -1: a negative index is a slow property look-up.)
    const previous = at > 0 ? tokens[at - 1] : undefined;
    if (slot.isEnd) {
      return token === undefined || previous === undefined || token.sentence !== previous.sentence
        ? at - 1
        : -1;
    }
    if (slot.isGap) {
      for (let skip = 0; skip <= 2; skip++) {
        const next = tokens[at + skip];
        if (skip > 0 && (next === undefined || next.sentence !== previous?.sentence)) break;
        const end = matchFrom(slots, tokens, at + skip, slotIndex + 1);
        if (end >= 0) return end;
      }
      return -1;
    }
    const isSameSentence =
      token !== undefined &&
      (slotIndex === 0 || previous === undefined || previous.sentence === token.sentence);
    if (token !== undefined && isSameSentence && slotMatches(slot, tokens, at)) {
      const end = matchFrom(slots, tokens, at + 1, slotIndex + 1);
      if (end >= 0) return end;
    }
    return slot.isOptional ? matchFrom(slots, tokens, at, slotIndex + 1) : -1;
  };

  const entriesFor = memoFind(words);
  const phrasesFor = memoFind(triggers);
  const fillsFor = memoFind(secondGates);
  const phraseGatesOf = (key: string): PhraseGates => {
    const starts: number[] = [];
    let startsAlways = false;
    for (const phrase of phrasesFor(key)) {
      if (phrase.hasSecond) starts.push(phrase.index);
      else startsAlways = true;
    }
    return { starts, startsAlways, fills: fillsFor(key).map((phrase) => phrase.index) };
  };
  // Reused by every scan (scans never overlap).
  const seen = new Set<string>();
  let scans = 0;
  const scanTokens = (
    tokens: readonly Token[],
    indices: ArrayLike<number> | undefined,
    count: number,
    filled?: PhrasesFilled,
  ): LexiconMatch[] => {
    const matches: LexiconMatch[] = [];
    if (seen.size > 0) seen.clear();
    scans++;
    const push = (entry: CompiledEntry, first: number, last: number): void => {
      const key = `${entry.id}:${first}:${last}`;
      if (seen.has(key)) return;
      seen.add(key);
      matches.push({ entry, first, last });
    };
    for (let at = 0; at < count; at++) {
      const index = indices === undefined ? at : (indices[at] ?? 0);
      const token = tokens[index];
      if (token === undefined) continue;
      if (token.isMasked) {
        const masked = maskedPattern(token.key);
        if (masked !== undefined) {
          // Masked letters are read for мат only: a mask fits too many words to name a slur by it.
          for (const entry of entries) {
            if (entry.category === 'profanity' && entry.forms.some((form) => masked.test(form)))
              push(entry, index, index);
          }
        }
        continue;
      }
      for (const entry of entriesFor(token.key)) {
        if (entry.spares.some((spare) => token.key.includes(spare))) continue;
        push(entry, index, index);
      }
      for (const phrase of phrasesFor(token.key)) {
        // Try every start that can reach this token: a phrase has a handful of slots. Tokens are read
        // in order, so the starts this scan already tried for the phrase are the ones up to `triedUpTo`.
        if (phrase.triedScan !== scans) {
          phrase.triedScan = scans;
          phrase.triedUpTo = -1;
        }
        // Its second slot filled by no token: no start can match (and none needs trying again).
        if (phrase.hasSecond && filled !== undefined && filled.stamps[phrase.index] !== filled.stamp) {
          phrase.triedUpTo = index;
          continue;
        }
        const from = Math.max(0, index - phrase.slots.length * 3, phrase.triedUpTo + 1);
        for (let start = from; start <= index; start++) {
          phrase.triedUpTo = start;
          const end = matchFrom(phrase.slots, tokens, start, 0);
          if (end >= index) {
            push(phrase.entry, start, end);
            break;
          }
        }
      }
    }
    return matches;
  };

  return {
    entries,
    isInClass,
    roleOfKey: (key) => (entriesFor(key).length > 0 ? 'word' : phrasesFor(key).length > 0 ? 'phrase' : 'none'),
    classesOf: classesOfKey,
    phraseGatesOf,
    phraseCount,
    secondOffsetOf: (phrase) => secondOffsets[phrase] ?? 0,
    scan: (tokens) => scanTokens(tokens, undefined, tokens.length),
    scanAt: scanTokens,
  };
}

function parsePhrase(phrase: string, language: string): Slot[] {
  return phrase
    .trim()
    .split(/\s+/)
    .map((raw): Slot => {
      if (raw === '…') return { alternatives: [], isOptional: true, isGap: true, isEnd: false };
      if (raw === '$') return { alternatives: [], isOptional: false, isGap: false, isEnd: true };
      const isOptional = raw.endsWith('?');
      const body = isOptional ? raw.slice(0, -1) : raw;
      const alternatives = body.split('|').map((alternative): Alternative => {
        const className = /^\{([a-z-]+)\}$/.exec(alternative)?.[1];
        return className !== undefined
          ? { className: `${language}:${className}`, ref: undefined }
          : { pattern: parseWordPattern(alternative) };
      });
      return { alternatives, isOptional, isGap: false, isEnd: false };
    });
}

/** `х*й` → /^х.{1,2}й$/; undefined when too little is left to read (`***`, `х**`). */
function maskedPattern(key: string): RegExp | undefined {
  const letters = key.replaceAll('*', '').length;
  if (letters < 2 || letters < key.length / 2) return undefined;
  let source = '^';
  let stars = 0;
  const flush = (): void => {
    if (stars > 0) source += `.{1,${stars + 1}}`;
    stars = 0;
  };
  for (const char of key) {
    if (char === '*') stars++;
    else {
      flush();
      source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  flush();
  return new RegExp(`${source}$`, 'u');
}
