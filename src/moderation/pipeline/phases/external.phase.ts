import { isFindingCategory, type Finding, type FindingCategory, type VerdictAction } from '../../../contracts/moderation';
import type { ExternalOpinion, Phase, PhaseResult } from '../../pipeline-types';

/** The category a Perspective attribute speaks for. */
const PERSPECTIVE_CATEGORIES: Readonly<Record<string, FindingCategory>> = {
  TOXICITY: 'insult',
  SEVERE_TOXICITY: 'insult',
  INSULT: 'insult',
  IDENTITY_ATTACK: 'dehumanising',
  THREAT: 'threat',
  PROFANITY: 'profanity',
  SEXUALLY_EXPLICIT: 'sexual',
  FLIRTATION: 'sexual',
};

const STRENGTH: Record<VerdictAction, number> = { publish: 0, hold: 1, reject: 2 };

function findingsOf(opinion: ExternalOpinion): { findings: Finding[]; action?: Exclude<VerdictAction, 'publish'> } {
  switch (opinion.kind) {
    case 'no-opinion':
      return { findings: [] };
    case 'failed': {
      const isClosed = opinion.failMode === 'closed';
      return {
        findings: [
          {
            rule: 'external.unavailable',
            category: 'external',
            detail: `Classifier "${opinion.source}" gave no opinion: ${opinion.reason}. ${
              isClosed ? 'Held for review (fail-closed).' : 'Judged without it (fail-open).'
            }`,
            ...(isClosed ? { action: 'hold' as const } : {}),
          },
        ],
        ...(isClosed ? { action: 'hold' as const } : {}),
      };
    }
    case 'perspective': {
      if (opinion.score < opinion.threshold) return { findings: [] };
      const worst = [...opinion.spans].sort((a, b) => b.score - a.score)[0];
      return {
        findings: [
          {
            rule: `external.perspective.${opinion.attribute.toLowerCase()}`,
            category: PERSPECTIVE_CATEGORIES[opinion.attribute] ?? 'external',
            detail: `Perspective rates ${opinion.attribute} at ${opinion.score.toFixed(2)} (the site holds from ${opinion.threshold.toFixed(2)}).`,
            ...(worst && worst.score >= opinion.threshold ? { span: worst.span } : {}),
            action: 'hold',
          },
        ],
        action: 'hold',
      };
    }
    case 'classifier': {
      const action = opinion.answer.action === 'hold' || opinion.answer.action === 'reject' ? opinion.answer.action : undefined;
      return {
        findings: opinion.answer.findings.map((finding) => ({
          rule: `external.${opinion.source}.${finding.rule}`,
          category: finding.category !== undefined && isFindingCategory(finding.category) ? finding.category : 'external',
          detail: `${opinion.source}: ${finding.detail}${finding.score !== undefined ? ` (score ${finding.score.toFixed(2)})` : ''}`,
          ...(finding.span ? { span: finding.span } : {}),
          ...(action ? { action } : {}),
        })),
        ...(action ? { action } : {}),
      };
    }
  }
}

/**
 * The `external` phase: turns what the site's classifiers and Perspective
 * said (gathered before the pipeline) into findings. The strongest decision
 * among them counts; a classifier that failed holds only when fail-closed.
 */
export const externalPhase: Phase = (context): PhaseResult | undefined => {
  if (!context.external || context.external.length === 0) return undefined;
  const findings: Finding[] = [];
  let action: Exclude<VerdictAction, 'publish'> | undefined;
  for (const opinion of context.external) {
    const result = findingsOf(opinion);
    findings.push(...result.findings);
    if (result.action && (!action || STRENGTH[result.action] > STRENGTH[action])) action = result.action;
  }
  if (findings.length === 0) return undefined;
  return action ? { action, findings } : { findings };
};
