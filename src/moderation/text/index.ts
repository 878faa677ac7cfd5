/**
 * Text reading shared by the content phases: words with their scripts, the
 * text folded towards each word's script, and the comment's languages. Each
 * comment is read once: the phases of one screening share the last reading.
 */
import { detectLanguages } from './languages';
import { foldTowardsWordScript, hasNonAscii, readScriptWords, type ScriptWord } from './scripts';

export { addWordEvidence, DETECTABLE_LANGUAGES, detectLanguages, rankLanguages, rankLanguagesOfScript } from './languages';
export type { LanguageEvidence } from './languages';
export { foldTowardsWordScript, hasNonAscii, readScriptWords, scriptOf, SCRIPT_NAMES } from './scripts';
export type { Script, ScriptWord } from './scripts';

export interface TextReading {
  text: string;
  /** Same length as `text`: look-alikes folded towards their word's script. */
  folded: string;
  words: readonly ScriptWord[];
  /** BCP 47 codes, most used first. */
  languages: string[];
  /** False for plain ASCII text, which needs no script handling at all. */
  hasNonAscii: boolean;
}

let last: TextReading | undefined;

/** Reads a text once; asking again for the same text returns the same reading. */
export function readText(text: string): TextReading {
  if (last?.text === text) return last;
  const words = readScriptWords(text);
  const isNonAscii = hasNonAscii(text);
  last = {
    text,
    folded: isNonAscii ? foldTowardsWordScript(text, words) : text,
    words,
    languages: detectLanguages(text, words),
    hasNonAscii: isNonAscii,
  };
  return last;
}
