import { BAD_WORDS_LIST } from './bad-words-list';
import { spellEntry, spellingKey } from './word-trie';

/**
 * Entries of `bad-words`' list that are ordinary words in news comments (or
 * names, places, currencies, medical terms), compared after normalisation.
 * Flagging them would reject "what the hell", "Nazi Germany", "tit-for-tat
 * sanctions", "sex-abuse inquiry", "Jo Cox", "per se" or "SPAC listings".
 * A site that wants any of them back adds it to its own banned or suspect list.
 */
// prettier-ignore
const NOT_ABUSIVE_IN_NEWS = [
  // everyday words and idioms
  'god', 'hell', 'hells', 'damn', 'd4mn', 'bloody', 'butt', 'bum', 'poop', 'screw', 'screwing', 'pawn', 'lust',
  'lusting', 'balls', 'tit', 'snatch', 'muff', 'willy', 'willies', 'knob', 'knobs', 'nob', 'hoar', 'flange',
  'dogging', 'doggin', 'dink', 'dinks', 'sob', 'flipping the bird', 'spac', 'smut', 'xxx', 'xrated', 'horny',
  'horniest', 'slag', 'pron', 'porn', 'porno', 'pornos', 'pornography', 'sex', 'sexy',
  // history, medicine, psychology
  'nazi', 'nazis', 'bestial', 'bestiality', 'beastial', 'beastiality', 'breasts', 'feces', 'enema', 'rectum',
  'orifice', 'oriface', 'orafis', 'orifiss', 'semen', 'vulva', 'labia', 'foreskin', 'sadist', 'masochist',
  'dominatrix', 'dominatricks', 'dominatrics', 'preteen',
  // names, places, currencies and words of other languages that are innocent there
  'cox', 'wang', 'hoare', 'fanny', 'phuc', 'polak', 'polac', 'kum', 'kuk', 'hui', 'yed', 'pula', 'pule', 'perse',
  'paska', 'ekrem', 'ekto', 'schaffer', 'rautenberg', 'monkleigh', 'fitt', 'lipshits', 'lipshitz', 'leitch',
  'haxor', 'mutha', 'muther', 'dike',
  // spelled-out entries that read as two real words ("the US's hit")
  's hit',
];

/**
 * `bad-words`' list cleaned for matching: lower-cased, wildcard and stray
 * punctuation removed (`*fuck*`, `nigger;`), de-duplicated by spelling after
 * normalisation (`sh1t` = `shit`), entries that are not letters dropped
 * (`Fu(*`, `ma5terb8`), and the `NOT_ABUSIVE_IN_NEWS` entries left out.
 */
export const DEFAULT_BANNED_WORDS: readonly string[] = Object.freeze(cleanWordList(BAD_WORDS_LIST));

function cleanWordList(list: readonly string[]): string[] {
  const excluded = new Set(
    NOT_ABUSIVE_IN_NEWS.map((word) => {
      const steps = spellEntry(word);
      return steps === undefined ? word : spellingKey(steps);
    }),
  );
  // One entry per spelling; the plain-letter variant names the group (`fuck`, not `f u c k`).
  const bySpelling = new Map<string, string>();
  for (const original of list) {
    const word = stripListPunctuation(original.toLowerCase());
    if (word === undefined) continue;
    const steps = spellEntry(word);
    if (steps === undefined) continue;
    const key = spellingKey(steps);
    if (key.replaceAll(' ', '').length < 3 || excluded.has(key)) continue;
    const current = bySpelling.get(key);
    if (current === undefined || (!isPlainLetters(current) && isPlainLetters(word)))
      bySpelling.set(key, word);
  }
  return [...bySpelling.values()];
}

function isPlainLetters(word: string): boolean {
  for (const char of word) if (char < 'a' || char > 'z') return false;
  return true;
}

/** Removes list syntax (`*` wildcards, `;`); undefined for entries with other symbols. */
function stripListPunctuation(entry: string): string | undefined {
  let word = '';
  for (const char of entry) {
    if (char === '*' || char === ';') continue;
    if (char === '(' || char === ')') return undefined;
    word += char;
  }
  for (const char of word) if (char === '8') return undefined;
  return word.trim();
}
