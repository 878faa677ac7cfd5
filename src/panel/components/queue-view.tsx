import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { ModerationItemDto } from '../../contracts/comments';
import type { RejectReason } from '../../contracts/moderation-api';
import type { ClaimEvent, QueueAddedEvent, QueueName, QueueRemovedEvent, ReleaseEvent, StatsDto } from '../../contracts/socket-events';
import { ApiProblem, type AuthorAction } from '../api-client';
import { createQueueState, matchesFilters, queueReducer } from '../queue-state';
import { AuthorActionDialog, ForceDialog, RejectDialog, type AuthorActionInput } from './dialogs';
import { usePanel } from './panel-context';
import { QueueCard } from './queue-card';
import { QUEUE_LANGUAGES, languageName } from '../languages';
import { panelTranslator, t, type PanelMessageKey } from '../i18n';

const QUEUES: { id: QueueName; label: PanelMessageKey }[] = [
  { id: 'pending', label: 'queue.pending' },
  { id: 'reported', label: 'queue.reported' },
  { id: 'rejected', label: 'queue.rejected' },
  { id: 'approved', label: 'queue.approved' },
];

type DialogState =
  | { kind: 'reject'; ids: string[] }
  | { kind: 'force'; holder: string; verb: 'approve' | 'reject' | 'restore'; run: () => void }
  | { kind: 'author'; action: AuthorAction; item: ModerationItemDto }
  | null;

function queueFromHash(): QueueName {
  const name = window.location.hash.replace(/^#\/?/, '').split('?')[0]?.split('/')[1];
  return QUEUES.some((entry) => entry.id === name) ? (name as QueueName) : 'pending';
}

function postFromHash(): { id: string; label: string } | null {
  const params = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
  const id = params.get('post');
  return id && /^[a-f0-9]{24}$/.test(id) ? { id, label: params.get('title') ?? id } : null;
}

function isTextField(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return element !== null && (/^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName) || element.isContentEditable);
}

/** What a refused decision means to a moderator. */
function refusalMessage(error: unknown, verb: 'approve' | 'restore' | 'reject'): string {
  if (!(error instanceof ApiProblem)) return t(`refusal.couldNot.${verb}`);
  const notDone = (why: string): string => t('refusal.notDone', { done: t(`refusal.done.${verb}`), why });
  switch (error.code) {
    case 'REVISION_CONFLICT':
      return notDone(t('refusal.revisionConflict'));
    case 'CLAIMED_BY_OTHER':
      return notDone(t('refusal.claimed'));
    case 'INVALID_TRANSITION':
      return notDone(t('refusal.decided'));
    case 'COMMENT_NOT_FOUND':
      return notDone(t('refusal.gone'));
    case 'OUT_OF_SCOPE':
    case 'FORBIDDEN':
      return notDone(t('refusal.outOfScope'));
    default:
      return notDone(error.message);
  }
}

export function QueueView() {
  const { api, socket, site, moderator, notify } = usePanel();
  const [state, dispatch] = useReducer(queueReducer, queueFromHash(), createQueueState);
  /** The post filter: its id for the API, its title for the chip. */
  const [postFilter, setPostFilter] = useState<{ id: string; label: string } | null>(() => postFromHash());
  const post = postFilter?.id ?? '';
  const [searchText, setSearchText] = useState('');
  const [q, setQ] = useState('');
  /** Only comments the filter detected in this language ('' for all). */
  const [lang, setLang] = useState('');
  const [dialog, setDialog] = useState<DialogState>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const shouldFocusSelection = useRef(false);
  const anchor = useRef<{ id: string; top: number } | null>(null);
  const { queue } = state;

  const filters = useRef({ site, post, q, lang });
  filters.current = { site, post, q, lang };
  const stateRef = useRef(state);
  stateRef.current = state;

  // Keyword search waits for a pause in typing.
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(searchText.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [searchText]);

  const load = useCallback(
    (cursor?: string) => {
      if (cursor === undefined) dispatch({ type: 'loading', queue });
      const query = { queue, ...(site ? { site } : {}), ...(post ? { post } : {}), ...(q ? { q } : {}), ...(lang ? { lang } : {}), ...(cursor ? { cursor } : {}) };
      api.queue(query).then(
        (page) => dispatch({ type: 'loaded', page, append: cursor !== undefined }),
        (error: unknown) => {
          if (error instanceof ApiProblem && error.isSessionLost) return;
          notify(t('queue.loadFailed', { reason: error instanceof Error ? error.message : String(error) }), 'error');
        },
      );
    },
    [api, queue, site, post, q, lang, notify],
  );
  useEffect(() => load(), [load]);

  // Live: items arrive and leave, claims come and go, counts follow.
  useEffect(() => {
    if (!socket) return undefined;
    const isUnfiltered = () => !filters.current.site && !filters.current.post && !filters.current.q && !filters.current.lang;
    const onAdded = (event: QueueAddedEvent) =>
      dispatch({ type: 'added', queue: event.queue, item: event.item, matchesFilters: matchesFilters(event.item, filters.current) });
    const onRemoved = (event: QueueRemovedEvent) =>
      dispatch({ type: 'removed', queue: event.queue, id: event.id, isUnfiltered: isUnfiltered() });
    const onClaimed = (event: ClaimEvent) =>
      dispatch({
        type: 'claimed',
        id: event.id,
        claim: { moderatorId: event.moderatorId, moderatorName: event.moderatorName, until: event.until },
      });
    const onReleased = (event: ReleaseEvent) => dispatch({ type: 'released', id: event.id });
    const onStats = (event: StatsDto & { site: string | null }) => {
      if (!filters.current.post && !filters.current.q && !filters.current.lang && (event.site ?? '') === filters.current.site) {
        dispatch({ type: 'counts', counts: event.queues });
      }
    };
    // After a reconnect, events may have been missed: read the queue again.
    let hasConnected = socket.connected;
    const onConnect = () => {
      if (hasConnected) load();
      hasConnected = true;
    };
    socket.on('queue:added', onAdded);
    socket.on('queue:removed', onRemoved);
    socket.on('comment:claimed', onClaimed);
    socket.on('comment:released', onReleased);
    socket.on('stats:updated', onStats);
    socket.on('connect', onConnect);
    return () => {
      socket.off('queue:added', onAdded);
      socket.off('queue:removed', onRemoved);
      socket.off('comment:claimed', onClaimed);
      socket.off('comment:released', onReleased);
      socket.off('stats:updated', onStats);
      socket.off('connect', onConnect);
    };
  }, [socket, load]);

  const selected = state.items.find((item) => item.comment.id === state.selectedId) ?? null;

  // Opening an item claims it, so two moderators don't review the same comment.
  const selectedClaimHolder = selected?.claim?.moderatorId ?? null;
  useEffect(() => {
    if (!selected || !state.isSelectionExplicit || (queue !== 'pending' && queue !== 'reported')) return undefined;
    if (selectedClaimHolder !== null) return undefined;
    const id = selected.comment.id;
    const timer = window.setTimeout(() => {
      api.claim(id).then(
        (result) => {
          const claim = result.claim ?? {
            moderatorId: moderator.id,
            moderatorName: moderator.name,
            until: new Date(Date.now() + 5 * 60_000).toISOString(),
          };
          dispatch({ type: 'claimed', id, claim });
        },
        (error: unknown) => {
          if (error instanceof ApiProblem && error.code === 'CLAIMED_BY_OTHER') {
            const holder = error.body['moderatorName'];
            notify(typeof holder === 'string' ? t('queue.reviewingBy', { name: holder }) : t('queue.reviewingOther'));
          }
        },
      );
    }, 250);
    return () => window.clearTimeout(timer);
  }, [api, queue, selected?.comment.id, selectedClaimHolder, state.isSelectionExplicit, moderator, notify]);

  // Moving off an item without deciding it hands it back to the others.
  const claimedByMe = useRef<string | null>(null);
  useEffect(() => {
    const previous = claimedByMe.current;
    const current = selected && selected.claim?.moderatorId === moderator.id ? selected.comment.id : null;
    if (previous !== null && previous !== current) {
      const stillQueued = stateRef.current.items.find((entry) => entry.comment.id === previous);
      if (stillQueued && !stateRef.current.heldBack[previous]) {
        dispatch({ type: 'released', id: previous });
        api.releaseClaim(previous).catch(() => undefined);
      }
    }
    claimedByMe.current = current;
  }, [api, selected?.comment.id, selectedClaimHolder, moderator.id]);

  // Keep the selected card where it was on screen when items arrive or leave above it.
  useLayoutEffect(() => {
    const id = state.selectedId;
    const element = id ? document.getElementById(`item-${id}`) : null;
    if (!element || !id) {
      anchor.current = null;
      return;
    }
    if (shouldFocusSelection.current) {
      shouldFocusSelection.current = false;
      element.focus({ preventScroll: true });
      element.scrollIntoView({ block: 'nearest' });
    } else if (anchor.current?.id === id) {
      const delta = element.getBoundingClientRect().top - anchor.current.top;
      if (Math.abs(delta) >= 1) window.scrollBy(0, delta);
    }
    anchor.current = { id, top: element.getBoundingClientRect().top };
  });
  useEffect(() => {
    const onScroll = () => {
      const id = stateRef.current.selectedId;
      const element = id ? document.getElementById(`item-${id}`) : null;
      if (id && element) anchor.current = { id, top: element.getBoundingClientRect().top };
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);

  /** Another moderator holds the comment: ask before acting over their head. */
  const askToForce = (error: unknown, verb: 'approve' | 'reject' | 'restore', run: () => void): boolean => {
    if (!(error instanceof ApiProblem) || error.code !== 'CLAIMED_BY_OTHER') return false;
    const holder = error.body['moderatorName'];
    setDialog({ kind: 'force', holder: typeof holder === 'string' ? holder : 'Another moderator', verb, run });
    return true;
  };

  const approve = useCallback(
    (item: ModerationItemDto, force = false) => {
      const id = item.comment.id;
      dispatch({ type: 'decide', ids: [id] });
      shouldFocusSelection.current = true;
      api.approve(id, item.comment.revision, force).then(
        () => {
          dispatch({ type: 'confirm', ids: [id] });
          notify(t('queue.approvedOne', { name: item.author.name }), 'success');
        },
        (error: unknown) => {
          dispatch({ type: 'rollback', ids: [id] });
          if (!force && askToForce(error, 'approve', () => approve(item, true))) return;
          notify(refusalMessage(error, 'approve'), 'error');
          if (error instanceof ApiProblem && error.code === 'REVISION_CONFLICT') load();
        },
      );
    },
    [api, notify, load],
  );

  const restore = useCallback(
    (item: ModerationItemDto, force = false) => {
      const id = item.comment.id;
      dispatch({ type: 'decide', ids: [id] });
      api.restore(id, force).then(
        () => {
          dispatch({ type: 'confirm', ids: [id] });
          notify(t('queue.restoredOne', { name: item.author.name }), 'success');
        },
        (error: unknown) => {
          dispatch({ type: 'rollback', ids: [id] });
          if (!force && askToForce(error, 'restore', () => restore(item, true))) return;
          notify(refusalMessage(error, 'restore'), 'error');
        },
      );
    },
    [api, notify],
  );

  const reject = useCallback(
    (ids: string[], reason: RejectReason, note: string, force = false) => {
      const items = stateRef.current.items.filter((item) => ids.includes(item.comment.id));
      if (items.length === 0) return;
      dispatch({ type: 'decide', ids });
      shouldFocusSelection.current = true;
      const notePart = note ? { note } : {};
      const [only] = items;
      if (items.length === 1 && only) {
        api.reject(only.comment.id, { revision: only.comment.revision, reason, ...notePart, ...(force ? { force } : {}) }).then(
          () => {
            dispatch({ type: 'confirm', ids });
            notify(t('queue.rejectedOne', { name: only.author.name }), 'success');
          },
          (error: unknown) => {
            dispatch({ type: 'rollback', ids });
            if (!force && askToForce(error, 'reject', () => reject(ids, reason, note, true))) return;
            notify(refusalMessage(error, 'reject'), 'error');
            if (error instanceof ApiProblem && error.code === 'REVISION_CONFLICT') load();
          },
        );
        return;
      }
      api.bulk({ action: 'reject', ids, reason, ...notePart }).then(
        ({ results }) => settleBulk(ids, results, 'reject'),
        (error: unknown) => {
          dispatch({ type: 'rollback', ids });
          notify(refusalMessage(error, 'reject'), 'error');
        },
      );
    },
    [api, notify, load],
  );

  const settleBulk = (ids: string[], results: { id: string; ok: boolean; code?: string }[], verb: 'approve' | 'reject') => {
    const refused = ids.filter((id) => !results.some((result) => result.id === id && result.ok));
    const done = ids.filter((id) => !refused.includes(id));
    dispatch({ type: 'confirm', ids: done });
    if (refused.length > 0) dispatch({ type: 'rollback', ids: refused });
    if (refused.length === 0) notify(t(`queue.bulkDone.${verb}`, { count: done.length }), 'success');
    else notify(t(`queue.bulkPartly.${verb}`, { count: done.length, refused: refused.length }), 'error');
  };

  const bulkApprove = (ids: string[]) => {
    if (ids.length === 0) return;
    dispatch({ type: 'decide', ids });
    api.bulk({ action: 'approve', ids }).then(
      ({ results }) => settleBulk(ids, results, 'approve'),
      (error: unknown) => {
        dispatch({ type: 'rollback', ids });
        notify(refusalMessage(error, 'approve'), 'error');
      },
    );
  };

  const actOnAuthor = (item: ModerationItemDto, action: AuthorAction, input: AuthorActionInput) => {
    const note = input.note ? { note: input.note } : {};
    const reject = input.rejectComments ? { rejectComments: true, reason: input.rejectComments.reason } : {};
    const body = action === 'suspend' && input.until ? { until: input.until, ...note, ...reject } : { ...note, ...reject };
    api.actOnAuthor(item.author.id, action, body).then(
      (result) => {
        const name = item.author.name;
        // Say how many comments went, so the moderator knows what the one action did.
        if (input.rejectComments && (action === 'ban' || action === 'suspend')) {
          notify(t(`queue.authorDoneRejected.${action}`, { name, count: result.rejected.count }), 'success');
        } else {
          notify(t(`queue.authorDone.${action}`, { name }), 'success');
        }
        load();
      },
      (error: unknown) =>
        notify(t(`queue.authorFailed.${action}`, { name: item.author.name, reason: error instanceof Error ? error.message : String(error) }), 'error'),
    );
  };

  // Keyboard-first: j/k move, a approve, r reject, x select, / search.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || dialog !== null || isTextField(event.target)) return;
      const current = stateRef.current;
      const item = current.items.find((entry) => entry.comment.id === current.selectedId);
      switch (event.key) {
        case 'j':
        case 'ArrowDown':
          event.preventDefault();
          shouldFocusSelection.current = true;
          dispatch({ type: 'move', delta: 1 });
          break;
        case 'k':
        case 'ArrowUp':
          event.preventDefault();
          shouldFocusSelection.current = true;
          dispatch({ type: 'move', delta: -1 });
          break;
        case 'a':
          if (item && current.queue === 'rejected') restore(item);
          else if (item && current.queue !== 'approved') approve(item);
          break;
        case 'r':
          if (item && current.queue !== 'rejected') setDialog({ kind: 'reject', ids: [item.comment.id] });
          break;
        case 'A':
          bulkApprove([...current.checked]);
          break;
        case 'R':
          if (current.checked.length > 0) setDialog({ kind: 'reject', ids: [...current.checked] });
          break;
        case 'x':
          if (item) dispatch({ type: 'toggle-checked', id: item.comment.id });
          break;
        case '/':
          event.preventDefault();
          searchRef.current?.focus();
          break;
        default:
          return;
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const switchQueue = (next: QueueName) => {
    window.history.replaceState(null, '', `#/queue/${next}`);
    dispatch({ type: 'loading', queue: next });
  };

  const checkedCount = state.checked.length;
  const isAllChecked = state.items.length > 0 && checkedCount === state.items.length;

  return (
    <section class="queue-view" aria-label={t('queue.label')}>
      <div class="queue-tabs" role="tablist" aria-label={t('queue.tabsLabel')}>
        {QUEUES.map((entry) => (
          <button
            key={entry.id}
            type="button"
            role="tab"
            id={`tab-${entry.id}`}
            aria-selected={queue === entry.id}
            aria-controls="queue-list"
            class={`tab${queue === entry.id ? ' is-active' : ''}`}
            data-testid={`tab-${entry.id}`}
            onClick={() => switchQueue(entry.id)}
          >
            {t(entry.label)}{' '}
            <span class="count" data-testid={`count-${entry.id}`} aria-label={t('queue.countLabel', { count: state.counts[entry.id] })}>
              {state.counts[entry.id]}
            </span>
          </button>
        ))}
      </div>

      <div class="filters" role="search">
        <label class="field field-inline field-grow">
          <span class="visually-hidden">{t('queue.search')}</span>
          <input
            ref={searchRef}
            type="search"
            placeholder={t('queue.searchPlaceholder')}
            aria-label={t('queue.search')}
            value={searchText}
            onInput={(event) => setSearchText(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape' || event.key === 'Enter') event.currentTarget.blur();
            }}
          />
        </label>
        <label class="field field-inline">
          <span class="visually-hidden">{t('queue.language')}</span>
          <select aria-label={t('queue.language')} value={lang} onChange={(event) => setLang(event.currentTarget.value)} data-testid="language-filter">
            <option value="">{t('queue.allLanguages')}</option>
            {QUEUE_LANGUAGES.map((code) => (
              <option key={code} value={code} lang={code}>
                {languageName(code, panelTranslator.lang)}
              </option>
            ))}
          </select>
        </label>
        {postFilter ? (
          <span class="filter-chip">
            {t('queue.postFilter')} <strong>{postFilter.label}</strong>
            <button type="button" class="link-button" aria-label={t('queue.clearPost')} onClick={() => setPostFilter(null)}>
              ✕
            </button>
          </span>
        ) : (
          <span class="muted small">{t('queue.postHint')}</span>
        )}
      </div>

      <div class={`bulk-bar${checkedCount > 0 ? ' is-active' : ''}`} aria-live="polite">
        <label class="check-all">
          <input
            type="checkbox"
            checked={isAllChecked}
            disabled={state.items.length === 0}
            onChange={() => dispatch({ type: 'check-all', isChecked: !isAllChecked })}
          />{' '}
          {checkedCount > 0 ? t('queue.selected', { count: checkedCount }) : t('queue.selectAll')}
        </label>
        {checkedCount > 0 ? (
          <>
            {queue !== 'approved' ? (
              <button type="button" class="button button-primary" data-testid="bulk-approve" onClick={() => bulkApprove([...state.checked])}>
                {t('queue.bulkApprove', { count: checkedCount })}
              </button>
            ) : null}
            {queue !== 'rejected' ? (
              <button
                type="button"
                class="button button-danger"
                data-testid="bulk-reject"
                onClick={() => setDialog({ kind: 'reject', ids: [...state.checked] })}
              >
                {t('queue.bulkReject', { count: checkedCount })}
              </button>
            ) : null}
            <button type="button" class="button button-ghost" onClick={() => dispatch({ type: 'check-all', isChecked: false })}>
              {t('queue.clear')}
            </button>
          </>
        ) : (
          <span class="muted small hint">
            <kbd>j</kbd>/<kbd>k</kbd> {t('queue.hint.move')} · <kbd>a</kbd> {t('queue.hint.approve')} · <kbd>r</kbd> {t('queue.hint.reject')} ·{' '}
            <kbd>x</kbd> {t('queue.hint.select')} · <kbd>?</kbd> {t('queue.hint.help')}
          </span>
        )}
      </div>

      <div id="queue-list" ref={listRef} class="queue-list" role="tabpanel" aria-labelledby={`tab-${queue}`} aria-busy={state.isLoading}>
        {state.items.length === 0 && !state.isLoading ? (
          <p class="empty">{t('queue.empty')}</p>
        ) : null}
        {state.items.map((item) => (
          <QueueCard
            key={item.comment.id}
            item={item}
            queue={queue}
            myId={moderator.id}
            isSelected={item.comment.id === state.selectedId}
            isChecked={state.checked.includes(item.comment.id)}
            onSelect={() => dispatch({ type: 'select', id: item.comment.id })}
            onToggleChecked={() => dispatch({ type: 'toggle-checked', id: item.comment.id })}
            onApprove={() => approve(item)}
            onReject={() => setDialog({ kind: 'reject', ids: [item.comment.id] })}
            onRestore={() => restore(item)}
            onAuthorAction={(action) => setDialog({ kind: 'author', action, item })}
            onFilterPost={() => setPostFilter({ id: item.post.id, label: item.post.title ?? item.post.key })}
          />
        ))}
        {state.nextCursor ? (
          <button type="button" class="button load-more" onClick={() => load(state.nextCursor ?? undefined)}>
            {t('queue.loadMore')}
          </button>
        ) : null}
      </div>

      {dialog?.kind === 'reject' ? (
        <RejectDialog
          count={dialog.ids.length}
          onCancel={() => setDialog(null)}
          onReject={(reason, note) => {
            setDialog(null);
            reject(dialog.ids, reason, note);
          }}
        />
      ) : null}
      {dialog?.kind === 'force' ? (
        <ForceDialog
          holder={dialog.holder}
          verb={dialog.verb}
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            setDialog(null);
            dialog.run();
          }}
        />
      ) : null}
      {dialog?.kind === 'author' ? (
        <AuthorActionDialog
          action={dialog.action}
          authorName={dialog.item.author.name}
          onCancel={() => setDialog(null)}
          onConfirm={(input) => {
            setDialog(null);
            actOnAuthor(dialog.item, dialog.action, input);
          }}
        />
      ) : null}
    </section>
  );
}
