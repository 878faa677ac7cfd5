import type { Finding, VerdictAction } from '../../contracts/moderation';
import type { Phase, ScreeningContext, ScreeningOutcome } from '../pipeline-types';

/**
 * Runs the phases in order. A refusal stops at once. Otherwise every phase
 * runs and its findings are recorded, and the first phase that holds or
 * rejects decides the action.
 */
export function runPipeline(phases: readonly Phase[], context: ScreeningContext): ScreeningOutcome {
  const findings: Finding[] = [];
  let decided: VerdictAction | undefined;
  let languages: string[] | undefined;
  for (const phase of phases) {
    const result = phase(context);
    if (result === undefined) continue;
    for (const finding of result.findings) findings.push(finding);
    languages ??= result.languages;
    if (result.refusal !== undefined)
      return { action: 'reject', findings, languages: languages ?? [], refusal: result.refusal };
    if (decided === undefined && result.action !== undefined) decided = result.action;
  }
  return { action: decided ?? 'publish', findings, languages: languages ?? [] };
}
