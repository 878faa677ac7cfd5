import type { ModerationItemDto } from '../contracts/comments';
import type { QueuePageDto } from '../contracts/moderation-api';
import type { QueueName, StatsDto } from '../contracts/socket-events';

export type Claim = NonNullable<ModerationItemDto['claim']>;

/** An item taken out optimistically, kept to put it back where it was if the server refuses. */
interface HeldBack {
  item: ModerationItemDto;
  index: number;
}

export interface QueueState {
  readonly queue: QueueName;
  readonly items: readonly ModerationItemDto[];
  readonly selectedId: string | null;
  /**
   * The moderator put the cursor there (keys, click, focus, or the next item after
   * their own decision), rather than the list preselecting its first item: only
   * then is the item claimed, so an idle panel never holds comments.
   */
  readonly isSelectionExplicit: boolean;
  /** Ids ticked for a bulk action. */
  readonly checked: readonly string[];
  readonly heldBack: Readonly<Record<string, HeldBack>>;
  readonly counts: Readonly<Record<QueueName, number>>;
  readonly nextCursor: string | null;
  readonly isLoading: boolean;
}

export type QueueAction =
  | { type: 'loading'; queue: QueueName }
  | { type: 'loaded'; page: QueuePageDto; append: boolean }
  | { type: 'added'; queue: QueueName; item: ModerationItemDto; matchesFilters: boolean }
  /** `isUnfiltered`: the list shows every item in scope, so an unlisted removal still counts. */
  | { type: 'removed'; queue: QueueName; id: string; isUnfiltered: boolean }
  | { type: 'claimed'; id: string; claim: Claim }
  | { type: 'released'; id: string }
  | { type: 'counts'; counts: StatsDto['queues'] }
  | { type: 'select'; id: string | null }
  | { type: 'move'; delta: 1 | -1 }
  | { type: 'toggle-checked'; id: string }
  | { type: 'check-all'; isChecked: boolean }
  | { type: 'decide'; ids: readonly string[] }
  | { type: 'rollback'; ids: readonly string[] }
  | { type: 'confirm'; ids: readonly string[] }
  | { type: 'replace'; item: ModerationItemDto };

const ZERO_COUNTS: Record<QueueName, number> = { pending: 0, reported: 0, rejected: 0, approved: 0 };

export function createQueueState(queue: QueueName): QueueState {
  return {
    queue,
    items: [],
    selectedId: null,
    isSelectionExplicit: false,
    checked: [],
    heldBack: {},
    counts: ZERO_COUNTS,
    nextCursor: null,
    isLoading: true,
  };
}

/** Oldest first, the order of the queue API; approved and rejected read newest first. */
function isNewestFirst(queue: QueueName): boolean {
  return queue === 'approved' || queue === 'rejected';
}

function insertionIndex(items: readonly ModerationItemDto[], item: ModerationItemDto, queue: QueueName): number {
  const at = Date.parse(item.queuedAt);
  const newestFirst = isNewestFirst(queue);
  const index = items.findIndex((other) => {
    const otherAt = Date.parse(other.queuedAt);
    return newestFirst ? otherAt < at : otherAt > at;
  });
  return index === -1 ? items.length : index;
}

/** When the selected item leaves, the cursor moves to the item that took its place. */
function selectionAfterRemoval(state: QueueState, items: readonly ModerationItemDto[], removedIds: readonly string[]): string | null {
  if (state.selectedId === null || !removedIds.includes(state.selectedId)) return state.selectedId;
  const oldIndex = state.items.findIndex((item) => item.comment.id === state.selectedId);
  for (let index = oldIndex; index < state.items.length; index += 1) {
    const candidate = state.items[index];
    if (candidate && !removedIds.includes(candidate.comment.id)) return candidate.comment.id;
  }
  for (let index = oldIndex - 1; index >= 0; index -= 1) {
    const candidate = state.items[index];
    if (candidate && !removedIds.includes(candidate.comment.id)) return candidate.comment.id;
  }
  return items[0]?.comment.id ?? null;
}

function adjustCount(counts: Readonly<Record<QueueName, number>>, queue: QueueName, delta: number): Record<QueueName, number> {
  return { ...counts, [queue]: Math.max(0, counts[queue] + delta) };
}

export function queueReducer(state: QueueState, action: QueueAction): QueueState {
  switch (action.type) {
    case 'loading':
      return action.queue === state.queue ? { ...state, isLoading: true } : { ...createQueueState(action.queue), counts: state.counts };
    case 'loaded': {
      if (action.page.queue !== state.queue) return state;
      const known = new Set(state.items.map((item) => item.comment.id));
      const items = action.append
        ? [...state.items, ...action.page.items.filter((item) => !known.has(item.comment.id))]
        : action.page.items;
      const selectedId =
        state.selectedId !== null && items.some((item) => item.comment.id === state.selectedId)
          ? state.selectedId
          : (items[0]?.comment.id ?? null);
      const ids = new Set(items.map((item) => item.comment.id));
      return {
        ...state,
        items,
        selectedId,
        isSelectionExplicit: state.isSelectionExplicit && selectedId === state.selectedId,
        checked: state.checked.filter((id) => ids.has(id)),
        counts: action.page.counts,
        nextCursor: action.page.nextCursor,
        isLoading: false,
      };
    }
    case 'added': {
      const existing = state.items.findIndex((item) => item.comment.id === action.item.comment.id);
      const isShown = action.queue === state.queue && action.matchesFilters;
      const counts = action.matchesFilters && existing === -1 ? adjustCount(state.counts, action.queue, 1) : state.counts;
      if (!isShown) return { ...state, counts };
      if (existing !== -1) {
        const items = [...state.items];
        items[existing] = action.item;
        return { ...state, items, counts };
      }
      if (state.heldBack[action.item.comment.id]) return { ...state, counts };
      const items = [...state.items];
      items.splice(insertionIndex(items, action.item, state.queue), 0, action.item);
      return state.selectedId === null
        ? { ...state, items, counts, selectedId: action.item.comment.id, isSelectionExplicit: false }
        : { ...state, items, counts };
    }
    case 'removed': {
      // Our own optimistic decisions already left the list and the count.
      if (state.heldBack[action.id]) return state;
      const isListed = state.items.some((item) => item.comment.id === action.id);
      if (action.queue !== state.queue || !isListed) {
        return action.isUnfiltered ? { ...state, counts: adjustCount(state.counts, action.queue, -1) } : state;
      }
      const items = state.items.filter((item) => item.comment.id !== action.id);
      return {
        ...state,
        items,
        selectedId: selectionAfterRemoval(state, items, [action.id]),
        checked: state.checked.filter((id) => id !== action.id),
        counts: adjustCount(state.counts, action.queue, -1),
      };
    }
    case 'claimed':
    case 'released': {
      const claim = action.type === 'claimed' ? action.claim : null;
      return {
        ...state,
        items: state.items.map((item) => (item.comment.id === action.id ? { ...item, claim } : item)),
      };
    }
    case 'counts':
      return { ...state, counts: action.counts };
    case 'select':
      return { ...state, selectedId: action.id, isSelectionExplicit: action.id !== null };
    case 'move': {
      if (state.items.length === 0) return state;
      const index = state.items.findIndex((item) => item.comment.id === state.selectedId);
      const next = index === -1 ? 0 : Math.min(state.items.length - 1, Math.max(0, index + action.delta));
      return { ...state, selectedId: state.items[next]?.comment.id ?? null, isSelectionExplicit: true };
    }
    case 'toggle-checked':
      return {
        ...state,
        checked: state.checked.includes(action.id) ? state.checked.filter((id) => id !== action.id) : [...state.checked, action.id],
      };
    case 'check-all':
      return { ...state, checked: action.isChecked ? state.items.map((item) => item.comment.id) : [] };
    case 'decide': {
      const heldBack: Record<string, HeldBack> = { ...state.heldBack };
      state.items.forEach((item, index) => {
        if (action.ids.includes(item.comment.id)) heldBack[item.comment.id] = { item, index };
      });
      const items = state.items.filter((item) => !action.ids.includes(item.comment.id));
      const removed = state.items.length - items.length;
      return {
        ...state,
        items,
        heldBack,
        selectedId: selectionAfterRemoval(state, items, action.ids),
        checked: state.checked.filter((id) => !action.ids.includes(id)),
        counts: adjustCount(state.counts, state.queue, -removed),
      };
    }
    case 'rollback': {
      const heldBack: Record<string, HeldBack> = { ...state.heldBack };
      const restored = action.ids
        .map((id) => heldBack[id])
        .filter((entry): entry is HeldBack => entry !== undefined)
        .sort((a, b) => a.index - b.index);
      for (const id of action.ids) delete heldBack[id];
      const items = [...state.items];
      for (const entry of restored) items.splice(Math.min(entry.index, items.length), 0, entry.item);
      return {
        ...state,
        items,
        heldBack,
        selectedId: restored[0]?.item.comment.id ?? state.selectedId,
        counts: adjustCount(state.counts, state.queue, restored.length),
      };
    }
    case 'confirm': {
      const heldBack: Record<string, HeldBack> = { ...state.heldBack };
      for (const id of action.ids) delete heldBack[id];
      return { ...state, heldBack };
    }
    case 'replace':
      return {
        ...state,
        items: state.items.map((item) => (item.comment.id === action.item.comment.id ? action.item : item)),
      };
  }
}

/** Whether a live item belongs in the list under the current filters. */
export function matchesFilters(item: ModerationItemDto, filters: { site?: string; post?: string; q?: string; lang?: string }): boolean {
  if (filters.site && item.comment.site !== filters.site) return false;
  if (filters.lang && !(item.verdict?.languages ?? []).includes(filters.lang)) return false;
  if (filters.post && item.comment.post !== filters.post && item.post.id !== filters.post) return false;
  if (filters.q) {
    const needle = filters.q.toLowerCase();
    const haystack = `${item.comment.body}\n${item.author.name}`.toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}
