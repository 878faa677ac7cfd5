import { makeContext, NOW } from '../../../../tests/fixtures/moderation/screening-context';
import { authorPhase } from './author.phase';

describe('author phase', () => {
  it('when the author is banned, then it refuses with AUTHOR_BANNED', () => {
    const result = authorPhase(makeContext({ author: { standing: 'banned' } }));
    expect(result?.refusal?.code).toBe('AUTHOR_BANNED');
    expect(result?.findings[0]?.rule).toBe('author.banned');
  });

  it('when the author is suspended until a later time, then it refuses with the time in ISO form', () => {
    const until = new Date(NOW.getTime() + 3_600_000);
    const result = authorPhase(makeContext({ author: { standing: 'suspended', suspendedUntil: until } }));
    expect(result?.refusal).toMatchObject({
      code: 'AUTHOR_SUSPENDED',
      context: { until: until.toISOString() },
    });
    expect(result?.refusal?.message).toContain(until.toISOString());
  });

  it('when the suspension has expired, then the author may comment', () => {
    const until = new Date(NOW.getTime() - 1000);
    expect(
      authorPhase(makeContext({ author: { standing: 'suspended', suspendedUntil: until } })),
    ).toBeUndefined();
  });

  it('when the suspension has no end date, then it refuses without a time', () => {
    const result = authorPhase(makeContext({ author: { standing: 'suspended' } }));
    expect(result?.refusal?.code).toBe('AUTHOR_SUSPENDED');
    expect(result?.refusal?.context).toBeUndefined();
  });

  it('when the author is premoderated, then it holds with a finding and no refusal', () => {
    const result = authorPhase(makeContext({ author: { standing: 'premoderated' } }));
    expect(result).toEqual({
      action: 'hold',
      findings: [expect.objectContaining({ rule: 'author.premoderated' })],
    });
  });

  it('when the author is in good standing, then the phase says nothing', () => {
    expect(authorPhase(makeContext())).toBeUndefined();
  });
});
