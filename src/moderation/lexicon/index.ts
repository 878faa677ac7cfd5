/**
 * The default lexicons (en, ru, uk; one data file per language and category),
 * validated and compiled once at start-up.
 */
import { z } from 'zod';
import { FINDING_CATEGORIES } from '../../contracts/moderation';
import {
  compileLexicon,
  type ClassFile,
  type CompiledEntry,
  type Lexicon,
  type LexiconFile,
} from './lexicon';
import enClasses from './data/en/classes.json';
import enDehumanising from './data/en/dehumanising.json';
import enInsult from './data/en/insult.json';
import enPromotion from './data/en/promotion.json';
import enSelfHarm from './data/en/self-harm.json';
import enSlur from './data/en/slur.json';
import enThreat from './data/en/threat.json';
import enViolence from './data/en/violence.json';
import ruClasses from './data/ru/classes.json';
import ruDehumanising from './data/ru/dehumanising.json';
import ruInsult from './data/ru/insult.json';
import ruProfanity from './data/ru/profanity.json';
import ruPromotion from './data/ru/promotion.json';
import ruSelfHarm from './data/ru/self-harm.json';
import ruSlur from './data/ru/slur.json';
import ruThreat from './data/ru/threat.json';
import ruViolence from './data/ru/violence.json';
import ukClasses from './data/uk/classes.json';
import ukDehumanising from './data/uk/dehumanising.json';
import ukInsult from './data/uk/insult.json';
import ukProfanity from './data/uk/profanity.json';
import ukPromotion from './data/uk/promotion.json';
import ukSelfHarm from './data/uk/self-harm.json';
import ukSlur from './data/uk/slur.json';
import ukThreat from './data/uk/threat.json';
import ukViolence from './data/uk/violence.json';

export { compileLexicon } from './lexicon';
export type { CompiledEntry, Lexicon, LexiconEntry, LexiconFile, LexiconMatch, ClassFile, PhraseGates, PhrasesFilled } from './lexicon';
export { keyOf, readTokens } from './tokens';
export type { Token, TokenClasses } from './tokens';

const entrySchema = z
  .object({
    id: z.string().regex(/^[a-z]{2}\.[a-z-]+\.[a-z0-9-]+$/),
    match: z.array(z.string().min(1)).optional(),
    phrases: z.array(z.string().min(1)).optional(),
    note: z.string().min(10),
    spares: z.array(z.string().min(1)).optional(),
    examples: z.array(z.string().min(1)).optional(),
    unsure: z.boolean().optional(),
  })
  .strict();
const lexiconFileSchema = z
  .object({
    language: z.string().min(2),
    category: z.enum(FINDING_CATEGORIES),
    entries: z.array(entrySchema),
  })
  .strict();
const classFileSchema = z
  .object({ language: z.string().min(2), classes: z.record(z.string(), z.array(z.string().min(1))) })
  .strict();

/** Every default lexicon file, validated (a broken data file fails at start-up, not on a comment). */
export const DEFAULT_LEXICON_FILES: readonly LexiconFile[] = [
  enSlur,
  enDehumanising,
  enViolence,
  enThreat,
  enInsult,
  enSelfHarm,
  enPromotion,
  ruProfanity,
  ruSlur,
  ruDehumanising,
  ruViolence,
  ruThreat,
  ruInsult,
  ruSelfHarm,
  ruPromotion,
  ukProfanity,
  ukSlur,
  ukDehumanising,
  ukViolence,
  ukThreat,
  ukInsult,
  ukSelfHarm,
  ukPromotion,
].map((file) => lexiconFileSchema.parse(file) as LexiconFile);

export const DEFAULT_CLASS_FILES: readonly ClassFile[] = [enClasses, ruClasses, ukClasses].map((file) =>
  classFileSchema.parse(file),
);

const latinWords = new Map<string, CompiledEntry>();

/** The compiled default lexicon (its Latin words are in `DEFAULT_LATIN_LEXICON_WORDS`, for the word filter). */
export const DEFAULT_LEXICON: Lexicon = compileLexicon(
  DEFAULT_LEXICON_FILES,
  DEFAULT_CLASS_FILES,
  (word, entry) => {
    latinWords.set(word, entry);
  },
);

/** Latin word entries of the default lexicons (slurs and transliterated мат), by word. */
export const DEFAULT_LATIN_LEXICON_WORDS: ReadonlyMap<string, CompiledEntry> = latinWords;
