import { makeContext, NOW, secondsBefore } from '../../../tests/fixtures/moderation/screening-context';
import type { Phase } from '../pipeline-types';
import { createDefaultPhases, runPipeline, screenComment } from './index';

describe('runPipeline', () => {
  const holds: Phase = () => ({
    action: 'hold',
    findings: [{ rule: 'test.hold', category: 'policy', detail: 'held' }],
  });
  const rejects: Phase = () => ({
    action: 'reject',
    findings: [{ rule: 'test.reject', category: 'policy', detail: 'rejected' }],
  });
  const notes: Phase = () => ({ findings: [{ rule: 'test.note', category: 'policy', detail: 'noted' }] });
  const refuses: Phase = () => ({
    action: 'reject',
    findings: [{ rule: 'test.refuse', category: 'policy', detail: 'refused' }],
    refusal: { code: 'POST_CLOSED', message: 'closed' },
  });

  it('when no phase decides, then the comment is published with every finding recorded', () => {
    expect(runPipeline([notes, () => undefined], makeContext())).toEqual({
      action: 'publish',
      findings: [expect.objectContaining({ rule: 'test.note' })],
      languages: [],
    });
  });

  it('when a hold comes before a reject, then the first decisive phase wins and later findings are kept', () => {
    const outcome = runPipeline([notes, holds, rejects], makeContext());
    expect(outcome.action).toBe('hold');
    expect(outcome.findings.map((f) => f.rule)).toEqual(['test.note', 'test.hold', 'test.reject']);
  });

  it('when a refusal happens, then later phases do not run', () => {
    const later = jest.fn<ReturnType<Phase>, Parameters<Phase>>(() => undefined);
    const outcome = runPipeline([notes, refuses, later], makeContext());
    expect(outcome).toMatchObject({ action: 'reject', refusal: { code: 'POST_CLOSED' } });
    expect(outcome.findings.map((f) => f.rule)).toEqual(['test.note', 'test.refuse']);
    expect(later).not.toHaveBeenCalled();
  });
});

describe('default pipeline', () => {
  it('when a clean comment from an established author arrives, then it is published with no findings', () => {
    expect(screenComment(makeContext())).toEqual({ action: 'publish', findings: [], languages: ['en'] });
  });

  it('when a comment has a banned word, then it is rejected (stored, not refused) with the span', () => {
    const text = 'Negotiators are f.u.c.k.i.n.g useless.';
    const outcome = screenComment(makeContext({ text }));
    expect(outcome.action).toBe('reject');
    expect(outcome.refusal).toBeUndefined();
    expect(outcome.findings[0]).toMatchObject({ rule: 'words.banned', span: [16, 29] });
    expect(text.slice(16, 29)).toBe('f.u.c.k.i.n.g');
  });

  it('when a premoderated author uses a banned word and shouts, then the author phase decides hold and all findings are kept', () => {
    const outcome = screenComment(
      makeContext({
        text: 'THESE NEGOTIATORS ARE ALL SHIT AND EVERYONE KNOWS IT',
        author: { standing: 'premoderated' },
      }),
    );
    expect(outcome.action).toBe('hold');
    expect(outcome.findings.map((f) => f.rule)).toEqual([
      'author.premoderated',
      'words.banned',
      'spam.shouting',
    ]);
  });

  it('when the post is closed and the author banned, then the closed post is the refusal', () => {
    const outcome = screenComment(makeContext({ post: { closed: true }, author: { standing: 'banned' } }));
    expect(outcome.refusal?.code).toBe('POST_CLOSED');
  });

  it('when slow mode refuses, then word and spam phases are not consulted', () => {
    const outcome = runPipeline(
      createDefaultPhases(),
      makeContext({
        text: 'shit',
        settings: { slowModeSeconds: 30 },
        recent: { lastPostedAt: secondsBefore(NOW, 1), recentBodies: [] },
      }),
    );
    expect(outcome.refusal?.code).toBe('SLOW_MODE');
    expect(outcome.findings.map((f) => f.rule)).toEqual(['flood.slow-mode']);
  });

  it('when a new author comments on a heated post with a foreign link, then it is held with both reasons', () => {
    const outcome = screenComment(
      makeContext({
        text: 'Details at https://truth-news.example.ru/x',
        post: { heat: 'heated' },
        author: { approvedCount: 0 },
      }),
    );
    expect(outcome.action).toBe('hold');
    expect(outcome.findings.map((f) => f.rule)).toEqual(['spam.link', 'policy.heated']);
  });
});
