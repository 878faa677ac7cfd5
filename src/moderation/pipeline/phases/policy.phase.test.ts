import { makeContext } from '../../../../tests/fixtures/moderation/screening-context';
import { policyPhase } from './policy.phase';

const rules = (result: ReturnType<typeof policyPhase>): string[] =>
  (result?.findings ?? []).map((f) => f.rule);

describe('policy phase', () => {
  it('when the site pre-moderates everything, then it holds with policy.premoderation', () => {
    const result = policyPhase(makeContext({ settings: { premoderation: 'all' } }));
    expect(result?.action).toBe('hold');
    expect(rules(result)).toEqual(['policy.premoderation']);
  });

  it("when the post overrides the site's pre-moderation, then the post's setting wins", () => {
    expect(
      policyPhase(makeContext({ settings: { premoderation: 'all' }, post: { premoderation: 'none' } })),
    ).toBeUndefined();
    expect(rules(policyPhase(makeContext({ post: { premoderation: 'all' } })))).toEqual([
      'policy.premoderation',
    ]);
  });

  it('when new authors are pre-moderated, then only authors under the threshold are held', () => {
    const settings = { premoderation: 'new-authors' as const, newAuthorThreshold: 3 };
    expect(rules(policyPhase(makeContext({ settings, author: { approvedCount: 2 } })))).toEqual([
      'policy.new-author',
    ]);
    expect(policyPhase(makeContext({ settings, author: { approvedCount: 3 } }))).toBeUndefined();
  });

  it('when the post is in lockdown, then even an established author is held', () => {
    expect(rules(policyPhase(makeContext({ post: { heat: 'lockdown' } })))).toEqual(['policy.lockdown']);
  });

  it('when the post is heated, then new authors are held and established ones are not', () => {
    expect(
      rules(policyPhase(makeContext({ post: { heat: 'heated' }, author: { approvedCount: 0 } }))),
    ).toEqual(['policy.heated']);
    expect(
      policyPhase(makeContext({ post: { heat: 'heated' }, author: { approvedCount: 10 } })),
    ).toBeUndefined();
  });

  it('when a new author is verified by SSO, then the heated rule still holds the comment', () => {
    const result = policyPhase(
      makeContext({ post: { heat: 'heated' }, author: { approvedCount: 0, isVerified: true } }),
    );
    expect(result?.action).toBe('hold');
  });
});
