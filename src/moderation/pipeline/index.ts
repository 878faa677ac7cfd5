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
import { createLexiconPhase, findAddresses } from './phases/lexicon.phase';
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
 * The phases for a plain text whose quick reading found nothing for the
 * content phases to find (see `plain-text.ts`): the same order, without the
 * phases that would return nothing, the language phase reading the quick
 * reading and the spam and address checks only where a signal may be.
 */
function createPlainTextPhases(): Phase[] {
  const plainLanguagePhase: Phase = ({ plain }) =>
    plain === undefined ? undefined : { findings: [], languages: plain.languages };
  const addressPhase: Phase = ({ site, plain }) => {
    if (plain?.hasDigits !== true) return undefined;
    const findings = findAddresses(plain.text, site.settings);
    if (findings.length === 0) return undefined;
    return { action: findings.some((finding) => finding.action === 'reject') ? 'reject' : 'hold', findings };
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
    addressPhase,
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
    if (plain !== undefined) return runPipeline(plainPhases, { ...context, plain });
    return runPipeline(phases, context.reader ? context : { ...context, reader: readerTextOf(context.text) });
  };
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
