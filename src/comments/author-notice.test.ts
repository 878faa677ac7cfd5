import { authorNoticeOf, readerReasons } from './author-notice';

describe('author notices', () => {
  it('when a link to an unknown site holds a comment, then its author reads that, not the moderator detail', () => {
    const reasons = readerReasons('hold', [{ rule: 'spam.link', category: 'spam', detail: 'link to unknown domain "spam.example"', action: 'hold' }]);
    expect(reasons).toEqual(['it contains a link to an unknown site']);
    expect(reasons.join(' ')).not.toContain('spam.example');
  });

  it('when banned words reject a comment, then the words and list are never named', () => {
    const reasons = readerReasons('reject', [
      { rule: 'words.banned', category: 'site-words', detail: 'banned word "shit" (site list)', span: [0, 4], action: 'reject' },
      { rule: 'spam.shouting', category: 'spam', detail: 'mostly capitals', action: 'hold' },
    ]);
    expect(reasons).toEqual(["it contains language this site doesn't allow"]);
  });

  it('when a finding has a category, then the category decides the sentence', () => {
    expect(readerReasons('reject', [{ rule: 'x.y', detail: 'z', category: 'threat' }])).toEqual(['it reads as a threat']);
  });

  it('when no rule is known, then a calm general sentence is given', () => {
    expect(readerReasons('hold', [{ rule: 'brand-new.rule', category: 'policy', detail: 'secret internals' }])).toEqual([
      'a moderator looks at some comments before they appear',
    ]);
  });

  it('when a moderator rejected a comment, then the notice says so with the reason code phrased', () => {
    expect(authorNoticeOf({ status: 'rejected', verdict: null, statusChangedBy: { kind: 'moderator', id: 'm', reason: 'off-topic' } })).toEqual({
      kind: 'removed',
      reasons: ['off-topic'],
      reasonCodes: ['moderator.off-topic'],
    });
    expect(authorNoticeOf({ status: 'published', verdict: null, statusChangedBy: null })).toBeUndefined();
  });

  it('when a comment is held for an insult, then each reason carries its stable code beside the English sentence', () => {
    const notice = authorNoticeOf({
      status: 'pending',
      verdict: { action: 'hold', findings: [{ rule: 'lexicon.ru.insult.you-are', category: 'insult', detail: 'x', action: 'hold' }], revision: 1, at: new Date(0) },
      statusChangedBy: { kind: 'system' },
    });
    expect(notice).toEqual({ kind: 'held', reasons: ['it reads as a personal attack'], reasonCodes: ['category.insult'] });
  });
});
