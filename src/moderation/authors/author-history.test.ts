import type { CommentRecord } from '../../comments';
import { summariseHistory } from './author-history';

function comment(status: CommentRecord['status'], verdict: 'publish' | 'hold' | 'reject'): CommentRecord {
  return { status, verdict: { action: verdict, findings: [], revision: 1, at: new Date() } } as unknown as CommentRecord;
}

describe('author history summary', () => {
  it('when comments were published, held then approved, rejected and deleted, then each is counted once where it belongs', () => {
    const summary = summariseHistory(
      [comment('published', 'publish'), comment('published', 'hold'), comment('pending', 'hold'), comment('rejected', 'reject'), comment('deleted', 'publish')],
      30,
    );
    expect(summary).toEqual({ windowDays: 30, total: 4, published: 2, held: 2, rejected: 1 });
  });
});
