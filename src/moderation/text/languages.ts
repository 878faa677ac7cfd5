/**
 * Language detection for short comments: script statistics plus letters and
 * common words that tell languages of one script apart. Trigram models are
 * unreliable on a sentence or two; the letters і ї є ґ are Ukrainian and
 * ы э ъ ё Russian in any length of text.
 */
import { readScriptWords, type Script, type ScriptWord } from './scripts';

/** Scripts written by one language for our purposes. */
const SCRIPT_LANGUAGE: Partial<Record<Script, string>> = {
  greek: 'el',
  armenian: 'hy',
  georgian: 'ka',
  hebrew: 'he',
  arabic: 'ar',
  devanagari: 'hi',
  thai: 'th',
  hangul: 'ko',
  kana: 'ja',
};

/** Letters that occur in one Cyrillic language only (of those we tell apart). */
const CYRILLIC_MARKERS: Readonly<Record<string, string>> = {
  і: 'uk',
  ї: 'uk',
  є: 'uk',
  ґ: 'uk',
  ы: 'ru',
  э: 'ru',
  ъ: 'ru',
  ё: 'ru',
  ў: 'be',
  ђ: 'sr',
  ћ: 'sr',
  џ: 'sr',
  љ: 'sr',
  њ: 'sr',
  ј: 'sr',
  ѓ: 'mk',
  ќ: 'mk',
  ә: 'kk',
  ғ: 'kk',
  қ: 'kk',
  ң: 'kk',
  ө: 'kk',
  ұ: 'kk',
};

// prettier-ignore
const COMMON_WORDS: Readonly<Record<string, readonly string[]>> = {
  uk: ['що', 'це', 'як', 'та', 'але', 'він', 'вона', 'вони', 'ми', 'ви', 'чи', 'бо', 'теж', 'дуже', 'від', 'для',
    'про', 'після', 'щоб', 'коли', 'тому', 'цей', 'ця', 'ці', 'вже', 'ще', 'лише', 'тільки', 'його', 'був', 'була',
    'було', 'були', 'буде', 'може', 'треба', 'можна', 'ніж', 'де', 'хто', 'який', 'яка', 'яке', 'ні', 'так', 'мене',
    'тебе', 'нас', 'вас', 'їх', 'усі', 'всі', 'свою', 'свої', 'якщо', 'навіть', 'зараз', 'тут', 'там', 'ну', 'ось'],
  ru: ['что', 'это', 'как', 'но', 'он', 'она', 'они', 'мы', 'вы', 'ли', 'или', 'тоже', 'очень', 'от', 'для', 'про',
    'после', 'чтобы', 'когда', 'потому', 'этот', 'эта', 'эти', 'уже', 'еще', 'лишь', 'только', 'его', 'был', 'была',
    'было', 'были', 'будет', 'может', 'надо', 'нужно', 'можно', 'чем', 'где', 'кто', 'какой', 'который', 'нет', 'да',
    'так', 'меня', 'тебя', 'нас', 'вас', 'их', 'все', 'всех', 'свою', 'если', 'даже', 'сейчас', 'тут', 'там', 'ну', 'вот'],
  en: ['the', 'and', 'is', 'are', 'to', 'of', 'in', 'that', 'it', 'you', 'for', 'on', 'with', 'this', 'be', 'not',
    'was', 'they', 'have', 'will', 'what', 'but', 'from', 'by', 'at', 'who', 'all', 'should', 'we', 'i', 'he',
    'she', 'there', 'their', 'just', 'about', 'would', 'can', 'no', 'do', 'if', 'so', 'my', 'your'],
  de: ['der', 'die', 'das', 'und', 'ist', 'nicht', 'ich', 'sie', 'es', 'ein', 'eine', 'mit', 'auf', 'für', 'den',
    'dem', 'auch', 'sich', 'wir', 'aber', 'noch', 'wie', 'nur'],
  fr: ['le', 'la', 'les', 'et', 'est', 'une', 'des', 'pas', 'que', 'qui', 'dans', 'pour', 'sur', 'au', 'avec',
    'il', 'elle', 'nous', 'vous', 'mais', 'sont', 'du', 'ce'],
  es: ['el', 'los', 'las', 'que', 'y', 'es', 'por', 'una', 'del', 'con', 'para', 'pero', 'como', 'más', 'muy',
    'está', 'son', 'su', 'se', 'lo'],
  pl: ['nie', 'się', 'jest', 'że', 'na', 'jak', 'ale', 'czy', 'tak', 'już', 'tylko', 'jego', 'przez', 'dla', 'są',
    'być', 'może', 'tego', 'oraz'],
  it: ['il', 'che', 'di', 'è', 'non', 'per', 'una', 'sono', 'gli', 'della', 'con', 'anche', 'ma', 'come', 'più'],
};

const CYRILLIC_LANGUAGES = ['uk', 'ru'];
const OTHER_CYRILLIC_LANGUAGES = ['be', 'sr', 'mk', 'kk'];
const LATIN_LANGUAGES = ['en', 'de', 'fr', 'es', 'pl', 'it'];

const wordLanguages = new Map<string, string[]>();
for (const [language, words] of Object.entries(COMMON_WORDS)) {
  for (const word of words) wordLanguages.set(word, [...(wordLanguages.get(word) ?? []), language]);
}
/** Longer words are none of the common ones: they are not lower-cased and looked up. */
const LONGEST_COMMON_WORD = Math.max(...[...wordLanguages.keys()].map((word) => word.length));

/** The marker letters in both cases, as code units (the scan compares numbers). */
const MARKER_CODES = new Map<number, string>(
  Object.entries(CYRILLIC_MARKERS).flatMap(([char, language]) => [
    [char.charCodeAt(0), language] as const,
    [char.toUpperCase().charCodeAt(0), language] as const,
  ]),
);
const codesOf = (chars: string): ReadonlySet<number> =>
  new Set([...chars, ...chars.toUpperCase()].map((char) => char.charCodeAt(0)));
const POLISH_CODES = codesOf('ąęłńśźżó');
const GERMAN_CODES = codesOf('äöüß');

const NO_LANGUAGES: readonly string[] = [];

/** Every code `detectLanguages` can answer: what a filter by language may ask for. */
export const DETECTABLE_LANGUAGES: readonly string[] = [
  ...new Set([
    ...CYRILLIC_LANGUAGES,
    ...OTHER_CYRILLIC_LANGUAGES,
    ...LATIN_LANGUAGES,
    ...Object.values(SCRIPT_LANGUAGE).filter((code): code is string => code !== undefined),
    'zh',
  ]),
].sort();

/** A language must have at least this share of the words to be listed beside the main one. */
const SECONDARY_SHARE = 0.2;

/**
 * Adds what one word says about its language (marker letters, a common word)
 * to `evidence`, as `detectLanguages` counts it. `lower` is the word in lower
 * case when the caller has it.
 */
export function addWordEvidence(
  evidence: Map<string, number>,
  text: string,
  word: Pick<ScriptWord, 'start' | 'end' | 'script'>,
  lower?: string,
): void {
  if (word.script !== 'cyrillic' && word.script !== 'latin') return;
  if (word.script === 'cyrillic') {
    for (let index = word.start; index < word.end; index++) {
      const marker = MARKER_CODES.get(text.charCodeAt(index));
      if (marker !== undefined) evidence.set(marker, (evidence.get(marker) ?? 0) + 2);
    }
  } else {
    let hasPolish = false;
    let hasGerman = false;
    for (let index = word.start; index < word.end; index++) {
      const code = text.charCodeAt(index);
      if (code < 0x80) continue;
      hasPolish ||= POLISH_CODES.has(code);
      hasGerman ||= GERMAN_CODES.has(code);
    }
    if (hasPolish) evidence.set('pl', (evidence.get('pl') ?? 0) + 2);
    else if (hasGerman) evidence.set('de', (evidence.get('de') ?? 0) + 2);
  }
  // Lower-casing never shortens a word by much: one far longer than any common word is none of them.
  if (word.end - word.start > LONGEST_COMMON_WORD * 2) return;
  for (const language of wordLanguages.get(lower ?? text.slice(word.start, word.end).toLowerCase()) ?? NO_LANGUAGES)
    evidence.set(language, (evidence.get(language) ?? 0) + 1);
}

/**
 * The comment's languages as BCP 47 codes, the most used first; empty when the
 * text has no words. Latin text without a telling word counts as English and
 * Cyrillic text without one as Russian (the most likely readings on a site
 * whose widget speaks them).
 */
export function detectLanguages(
  text: string,
  words: readonly ScriptWord[] = readScriptWords(text),
): string[] {
  // Words per script, with the evidence for each language of that script.
  const scriptWords = new Map<Script, number>();
  const evidence = new Map<string, number>();
  // Lower-cased once; its offsets are the text's unless a letter grew (İ → i̇).
  const lowerText = text.toLowerCase();
  const isAligned = lowerText.length === text.length;
  for (const word of words) {
    const count = scriptWords.get(word.script) ?? 0;
    scriptWords.set(word.script, count + 1);
    addWordEvidence(evidence, text, word, isAligned ? lowerText.slice(word.start, word.end) : undefined);
  }
  return rankLanguages(scriptWords, evidence, words.length);
}

/**
 * The languages from the words per script and the evidence of their letters
 * and common words (see `addWordEvidence`); `total` is the number of words.
 */
export function rankLanguages(
  scriptWords: ReadonlyMap<Script, number>,
  evidence: LanguageEvidence,
  total: number,
): string[] {
  if (total === 0) return [];
  const shares: { language: string; words: number }[] = [];
  for (const [script, count] of scriptWords) {
    if (script === 'cyrillic') {
      const languages = pickLanguages(evidence, [...CYRILLIC_LANGUAGES, ...OTHER_CYRILLIC_LANGUAGES], 'ru');
      for (const language of languages) shares.push({ language, words: count / languages.length });
    } else if (script === 'latin') {
      const languages = pickLanguages(evidence, LATIN_LANGUAGES, 'en');
      for (const language of languages) shares.push({ language, words: count / languages.length });
    } else if (script === 'han') {
      shares.push({ language: scriptWords.has('kana') ? 'ja' : 'zh', words: count });
    } else {
      const language = SCRIPT_LANGUAGE[script];
      if (language !== undefined) shares.push({ language, words: count });
    }
  }
  const merged = new Map<string, number>();
  for (const share of shares) merged.set(share.language, (merged.get(share.language) ?? 0) + share.words);
  const ranked = [...merged].sort((a, b) => b[1] - a[1]);
  const first = ranked[0];
  if (first === undefined) return [];
  return ranked
    .filter(([, count], index) => index === 0 || count / total >= SECONDARY_SHARE)
    .map(([language]) => language);
}

/** Evidence per language (a `Map` of them, or any look-up by code). */
export interface LanguageEvidence {
  get(language: string): number | undefined;
}

const CYRILLIC_CANDIDATES = [...CYRILLIC_LANGUAGES, ...OTHER_CYRILLIC_LANGUAGES];

/**
 * `rankLanguages` for words all in one script, Latin or Cyrillic (the
 * languages of one script share its words evenly, so the ranking is the
 * evidence's).
 */
export function rankLanguagesOfScript(script: 'latin' | 'cyrillic', evidence: LanguageEvidence): string[] {
  return script === 'cyrillic'
    ? pickLanguages(evidence, CYRILLIC_CANDIDATES, 'ru')
    : pickLanguages(evidence, LATIN_LANGUAGES, 'en');
}

/**
 * The language with the most evidence among `candidates` (the first of
 * them on a tie); two when both have strong evidence (a comment quoting one
 * language in another).
 */
function pickLanguages(evidence: LanguageEvidence, candidates: readonly string[], fallback: string): string[] {
  let best: string | undefined;
  let bestScore = 0;
  let second: string | undefined;
  let secondScore = 0;
  for (const language of candidates) {
    const score = evidence.get(language) ?? 0;
    if (score <= 0) continue;
    if (score > bestScore) {
      second = best;
      secondScore = bestScore;
      best = language;
      bestScore = score;
    } else if (score > secondScore) {
      second = language;
      secondScore = score;
    }
  }
  if (best === undefined) return [fallback];
  return second !== undefined && secondScore >= 3 && secondScore >= bestScore / 2 ? [best, second] : [best];
}
