import { DEFAULT_MODERATION_SETTINGS } from '../../../contracts/moderation';
import type { ExternalOpinion, ScreeningContext } from '../../pipeline-types';
import { externalPhase } from './external.phase';

function contextWith(external: ExternalOpinion[] | undefined): ScreeningContext {
  return {
    text: 'You are an idiot and I will find you',
    isEdit: false,
    now: new Date('2026-12-01T12:00:00Z'),
    site: { id: 'news', settings: DEFAULT_MODERATION_SETTINGS },
    post: { closed: false, heat: 'normal' },
    author: { standing: 'active', approvedCount: 10, isVerified: false },
    recent: { recentBodies: [] },
    external,
  };
}

describe('external phase', () => {
  it('when no classifier was asked, then it says nothing', () => {
    expect(externalPhase(contextWith(undefined))).toBeUndefined();
    expect(externalPhase(contextWith([{ source: 'tox', kind: 'no-opinion' }]))).toBeUndefined();
  });

  it('when a classifier answers hold with findings, then each finding keeps its rule, category, span and reason', () => {
    const result = externalPhase(
      contextWith([
        {
          source: 'tox',
          kind: 'classifier',
          answer: {
            action: 'hold',
            findings: [{ rule: 'insult', detail: 'Calls another reader an idiot.', category: 'insult', span: [11, 16], score: 0.91 }],
          },
        },
      ]),
    );
    expect(result).toEqual({
      action: 'hold',
      findings: [
        {
          rule: 'external.tox.insult',
          category: 'insult',
          detail: 'tox: Calls another reader an idiot. (score 0.91)',
          span: [11, 16],
          action: 'hold',
        },
      ],
    });
  });

  it('when two classifiers disagree, then the strongest decision counts and both are recorded', () => {
    const result = externalPhase(
      contextWith([
        { source: 'a', kind: 'classifier', answer: { action: 'hold', findings: [{ rule: 'x', detail: 'held' }] } },
        { source: 'b', kind: 'classifier', answer: { action: 'reject', findings: [{ rule: 'y', detail: 'rejected' }] } },
      ]),
    );
    expect(result?.action).toBe('reject');
    expect(result?.findings.map((f) => f.rule)).toEqual(['external.a.x', 'external.b.y']);
    expect(result?.findings[0]?.category).toBe('external');
  });

  it('when a classifier answers publish, then its findings are recorded without a decision', () => {
    const result = externalPhase(
      contextWith([{ source: 'a', kind: 'classifier', answer: { action: 'publish', findings: [{ rule: 'ok', detail: 'fine' }] } }]),
    );
    expect(result).toEqual({ findings: [{ rule: 'external.a.ok', category: 'external', detail: 'a: fine' }] });
  });

  it('when a fail-open classifier failed, then a finding says so and the comment is not held', () => {
    const result = externalPhase(contextWith([{ source: 'tox', kind: 'failed', failMode: 'open', reason: 'no answer within 200 ms' }]));
    expect(result?.action).toBeUndefined();
    expect(result?.findings).toEqual([
      {
        rule: 'external.unavailable',
        category: 'external',
        detail: 'Classifier "tox" gave no opinion: no answer within 200 ms. Judged without it (fail-open).',
      },
    ]);
  });

  it('when a fail-closed classifier failed, then the comment is held', () => {
    const result = externalPhase(contextWith([{ source: 'tox', kind: 'failed', failMode: 'closed', reason: 'HTTP 500' }]));
    expect(result?.action).toBe('hold');
    expect(result?.findings[0]?.detail).toContain('Held for review (fail-closed)');
  });

  it('when Perspective scores at or above the threshold, then it holds with the attribute category and the worst span', () => {
    const result = externalPhase(
      contextWith([
        {
          source: 'perspective',
          kind: 'perspective',
          attribute: 'INSULT',
          score: 0.93,
          threshold: 0.8,
          spans: [
            { span: [0, 20], score: 0.95 },
            { span: [21, 36], score: 0.4 },
          ],
        },
      ]),
    );
    expect(result).toEqual({
      action: 'hold',
      findings: [
        {
          rule: 'external.perspective.insult',
          category: 'insult',
          detail: 'Perspective rates INSULT at 0.93 (the site holds from 0.80).',
          span: [0, 20],
          action: 'hold',
        },
      ],
    });
  });

  it('when Perspective scores below the threshold, then it says nothing', () => {
    expect(
      externalPhase(contextWith([{ source: 'perspective', kind: 'perspective', attribute: 'TOXICITY', score: 0.2, threshold: 0.8, spans: [] }])),
    ).toBeUndefined();
  });
});
