/**
 * The moderation pipeline: ordered pure phases, the first decisive one wins,
 * every finding is kept. See PRODUCT.md, "Moderation pipeline".
 */
import type { Phase, ScreeningContext, ScreeningOutcome } from '../pipeline-types';
import { authorPhase } from './phases/author.phase';
import { externalPhase } from './phases/external.phase';
import { historyPhase } from './phases/history.phase';
import { brigadingPhase } from './phases/brigading.phase';
import { floodPhase } from './phases/flood.phase';
import { evasionPhase } from './phases/evasion.phase';
import { languagePhase } from './phases/language.phase';
import { createLexiconPhase, lexiconFindings } from './phases/lexicon.phase';
import { DEFAULT_LEXICON } from '../lexicon';
import { createPlainTextReader } from './plain-text';
import { policyPhase } from './phases/policy.phase';
import { shapePhase } from './phases/shape.phase';
import { spamPhase } from './phases/spam.phase';
import { createSiteFilterCache, createWordsPhase, type WordsPhaseOptions } from './phases/words.phase';
import { runPipeline } from './run-pipeline';
import { readerTextOf, toSourceSpan } from '../../formatting';

export { runPipeline } from './run-pipeline';
export { shouldAutoHeat } from './auto-heat';
export type { PostActivity } from './auto-heat';
export { createSiteFilterCache, createWordsPhase, hashWordLists } from './phases/words.phase';
export type { SiteRef, WordsPhaseOptions } from './phases/words.phase';
export { shapePhase } from './phases/shape.phase';
export { authorPhase } from './phases/author.phase';
export { floodPhase } from './phases/flood.phase';
export { spamPhase } from './phases/spam.phase';
export { policyPhase } from './phases/policy.phase';
export { externalPhase } from './phases/external.phase';
export { historyPhase } from './phases/history.phase';
export { languagePhase } from './phases/language.phase';
export { brigadingPhase } from './phases/brigading.phase';
export { createLexiconPhase } from './phases/lexicon.phase';
export { evasionPhase } from './phases/evasion.phase';

/**
 * Runs a phase on what readers will see: the rendered text and the link
 * targets, so `**f**u**ck**` reads as one word and `[nice](http://spam.example)`
 * as its target. The phase's spans come back as offsets of the body.
 */
export function onReaderText(phase: Phase): Phase {
  return (context) => {
    const { reader } = context;
    if (reader === undefined) return phase(context);
    const result = phase({ ...context, text: reader.text });
    if (result === undefined) return undefined;
    return {
      ...result,
      findings: result.findings.map((finding) => (finding.span ? { ...finding, span: toSourceSpan(reader, finding.span) } : finding)),
    };
  };
}

/** The seven PRODUCT.md phases in order; pass `filterFor` to share a filter cache. */
export function createDefaultPhases(options: Partial<WordsPhaseOptions> = {}): Phase[] {
  const filterFor = options.filterFor ?? createSiteFilterCache();
  return [
    onReaderText(languagePhase),
    shapePhase,
    authorPhase,
    historyPhase,
    floodPhase,
    brigadingPhase,
    onReaderText(createWordsPhase({ filterFor })),
    onReaderText(createLexiconPhase()),
    onReaderText(evasionPhase),
    onReaderText(spamPhase),
    externalPhase,
    policyPhase,
  ];
}

/**
 * The phases for a plain text read by the quick reading (see `plain-text.ts`):
 * the same order, the language, words and lexicon phases giving what the
 * quick reading found, the address and spam checks only where a signal may
 * be, without the phases that would return nothing.
 */
function createPlainTextPhases(): Phase[] {
  const plainLanguagePhase: Phase = ({ plain }) =>
    plain === undefined ? undefined : { findings: [], languages: plain.languages };
  const plainWordsPhase: Phase = ({ plain }) => plain?.words;
  const plainLexiconPhase: Phase = ({ site, plain }) => {
    if (plain === undefined) return undefined;
    if (plain.lexicon !== undefined) return plain.lexicon ?? undefined;
    // No lexicon word: only an address may be found, and only with digits and a word for a flat.
    if (!plain.mayHoldAddress) return undefined;
    return lexiconFindings(plain.text, site.settings, DEFAULT_LEXICON, [], [], false);
  };
  // The spam phase reads what readers see, as it does on the full path.
  const signalledSpamPhase: Phase = (context) =>
    context.plain?.mayBeSpam !== true ? undefined : spamPhase({ ...context, text: context.plain.text });
  return [
    plainLanguagePhase,
    shapePhase,
    authorPhase,
    historyPhase,
    floodPhase,
    brigadingPhase,
    plainWordsPhase,
    plainLexiconPhase,
    signalledSpamPhase,
    externalPhase,
    policyPhase,
  ];
}

/** A screening function with its own filter cache (one per composition root). */
export function createScreener(
  options: Partial<WordsPhaseOptions> = {},
): (context: ScreeningContext) => ScreeningOutcome {
  const filterFor = options.filterFor ?? createSiteFilterCache();
  const phases = createDefaultPhases({ filterFor });
  const plainPhases = createPlainTextPhases();
  const readPlainText = createPlainTextReader(filterFor);
  return (context) => {
    const plain = readPlainText(context.text, context.site);
    if (plain !== undefined) return runPipeline(plainPhases, contextWith(context, context.reader, plain));
    return runPipeline(phases, contextWith(context, context.reader ?? readerTextOf(context.text), undefined));
  };
}

/**
 * The context the phases read, always of one shape (every field, in one
 * order), whatever shape the caller's object has: each phase's property
 * reads then stay monomorphic.
 */
function contextWith(
  context: ScreeningContext,
  reader: ScreeningContext['reader'],
  plain: ScreeningContext['plain'],
): ScreeningContext {
  return {
    text: context.text,
    reader,
    isEdit: context.isEdit,
    now: context.now,
    site: context.site,
    post: context.post,
    author: context.author,
    recent: context.recent,
    plain,
    external: context.external,
    history: context.history,
    brigading: context.brigading,
  } satisfies Record<keyof ScreeningContext, unknown>;
}

let defaultScreener: ((context: ScreeningContext) => ScreeningOutcome) | undefined;

/**
 * Screens one comment with the default phases. The filter cache behind it is
 * keyed by site id and list hash, so sites never see each other's words.
 */
export function screenComment(context: ScreeningContext): ScreeningOutcome {
  defaultScreener ??= createScreener();
  return defaultScreener(context);
}
