import type { ModerationItemDto } from '../../src/contracts/comments';
import type { QueuePageDto } from '../../src/contracts/moderation-api';
import { splitBySpans } from '../../src/panel/highlight-spans';
import { createQueueState, queueReducer, type QueueState } from '../../src/panel/queue-state';

// The panel's pure logic, run in Node: span cutting and the live queue list.

function item(id: string, queuedAt: string): ModerationItemDto {
  return {
    comment: {
      id,
      site: 'demo',
      post: 'talks',
      parentId: null,
      ancestorIds: [],
      depth: 0,
      body: `comment ${id}`,
      html: `<p>comment ${id}</p>`,
      author: { id: `a-${id}`, name: `Author ${id}`, isVerified: false, badges: [] },
      status: 'pending',
      replyCount: 0,
      revision: 1,
      createdAt: queuedAt,
      editedAt: null,
      reactions: 0,
      viewerReacted: false,
      featured: false,
    },
    verdict: null,
    post: { id: 'p1', key: 'talks', title: 'Talks', url: null, heat: 'normal', closed: false },
    parent: null,
    author: {
      id: `a-${id}`,
      name: `Author ${id}`,
      standing: 'active',
      suspendedUntil: null,
      isVerified: false,
      history: { published: 0, rejected: 0, pending: 1 },
    },
    reports: { count: 0, reasons: {} },
    claim: null,
    decision: null,
    queuedAt,
  };
}

function loaded(ids: string[]): QueueState {
  const page: QueuePageDto = {
    queue: 'pending',
    items: ids.map((id, index) => item(id, `2026-01-01T10:0${index}:00.000Z`)),
    nextCursor: null,
    counts: { pending: ids.length, reported: 0, rejected: 0, approved: 0 },
  };
  return queueReducer(createQueueState('pending'), { type: 'loaded', page, append: false });
}

const ids = (state: QueueState) => state.items.map((entry) => entry.comment.id);

describe('splitBySpans', () => {
  it('when spans overlap, then every character is marked once with all of its rules', () => {
    const segments = splitBySpans('you absolute muppet', [
      { rule: 'words.banned', category: 'profanity', detail: '', span: [13, 19] },
      { rule: 'spam.shouting', category: 'profanity', detail: '', span: [4, 16] },
    ]);
    expect(segments).toEqual([
      { text: 'you ', rules: [] },
      { text: 'absolute ', rules: ['spam.shouting'] },
      { text: 'mup', rules: ['words.banned', 'spam.shouting'] },
      { text: 'pet', rules: ['words.banned'] },
    ]);
    expect(segments.map((segment) => segment.text).join('')).toBe('you absolute muppet');
  });

  it('when a span is out of range or empty, then it is clamped or dropped', () => {
    expect(
      splitBySpans('short', [
        { rule: 'r', category: 'profanity', detail: '', span: [3, 99] },
        { rule: 'e', category: 'profanity', detail: '', span: [2, 2] },
      ]),
    ).toEqual([
      { text: 'sho', rules: [] },
      { text: 'rt', rules: ['r'] },
    ]);
  });

  it('when offsets fall on UTF-16 units, then surrogate pairs stay whole if the span covers them', () => {
    const text = 'ok 💩 ok';
    expect(splitBySpans(text, [{ rule: 'r', category: 'profanity', detail: '', span: [3, 5] }])[1]).toEqual({
      text: '💩',
      rules: ['r'],
    });
  });
});

describe('queueReducer', () => {
  it('when a live item arrives above the selected one, then the selection stays on the same comment', () => {
    let state = queueReducer(loaded(['b', 'c']), { type: 'select', id: 'c' });
    state = queueReducer(state, {
      type: 'added',
      queue: 'pending',
      item: item('a', '2026-01-01T09:00:00.000Z'),
      matchesFilters: true,
    });
    expect(ids(state)).toEqual(['a', 'b', 'c']);
    expect(state.selectedId).toBe('c');
    expect(state.counts.pending).toBe(3);
  });

  it('when a live item does not match the filters, then it is neither listed nor counted', () => {
    const state = queueReducer(loaded(['b']), {
      type: 'added',
      queue: 'pending',
      item: item('z', '2026-01-01T11:00:00.000Z'),
      matchesFilters: false,
    });
    expect(ids(state)).toEqual(['b']);
    expect(state.counts.pending).toBe(1);
  });

  it('when an optimistic decision is refused, then the item returns to its place and the count is restored', () => {
    let state = queueReducer(loaded(['a', 'b', 'c']), { type: 'select', id: 'b' });
    state = queueReducer(state, { type: 'decide', ids: ['b'] });
    expect(ids(state)).toEqual(['a', 'c']);
    expect(state.selectedId).toBe('c');
    expect(state.counts.pending).toBe(2);
    // The removal broadcast for our own decision must not count twice.
    state = queueReducer(state, { type: 'removed', queue: 'pending', id: 'b', isUnfiltered: true });
    expect(state.counts.pending).toBe(2);
    state = queueReducer(state, { type: 'rollback', ids: ['b'] });
    expect(ids(state)).toEqual(['a', 'b', 'c']);
    expect(state.selectedId).toBe('b');
    expect(state.counts.pending).toBe(3);
  });

  it('when another moderator decides the selected item, then it leaves and the cursor moves to the next one', () => {
    let state = queueReducer(loaded(['a', 'b', 'c']), { type: 'select', id: 'b' });
    state = queueReducer(state, { type: 'toggle-checked', id: 'b' });
    state = queueReducer(state, { type: 'removed', queue: 'pending', id: 'b', isUnfiltered: false });
    expect(ids(state)).toEqual(['a', 'c']);
    expect(state.selectedId).toBe('c');
    expect(state.checked).toEqual([]);
    expect(state.counts.pending).toBe(2);
  });

  it('when a claim arrives and is released, then the item shows and then drops its holder', () => {
    const claim = { moderatorId: 'm2', moderatorName: 'Second', until: '2026-01-01T10:05:00.000Z' };
    let state = queueReducer(loaded(['a']), { type: 'claimed', id: 'a', claim });
    expect(state.items[0]?.claim).toEqual(claim);
    state = queueReducer(state, { type: 'released', id: 'a' });
    expect(state.items[0]?.claim).toBeNull();
  });

  it('when j/k move past the ends, then the cursor stays on the first or last item', () => {
    let state = loaded(['a', 'b']);
    state = queueReducer(state, { type: 'move', delta: -1 });
    expect(state.selectedId).toBe('a');
    state = queueReducer(
      queueReducer(queueReducer(state, { type: 'move', delta: 1 }), { type: 'move', delta: 1 }),
      { type: 'move', delta: 1 },
    );
    expect(state.selectedId).toBe('b');
  });
});
