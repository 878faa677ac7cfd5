import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ThreadSort } from '../../contracts/comments';
import { describeError } from '../error-messages';
import { formatCommentCount } from '../runtime';
import type { WidgetController } from '../widget-controller';
import { CommentView, focusComment } from './comment-view';
import { Composer } from './composer';
import { WidgetContext, useStore, type WidgetContextValue } from './widget-context';

const SORTS: { value: ThreadSort; label: string }[] = [
  { value: 'newest', label: 'Newest' },
  { value: 'oldest', label: 'Oldest' },
  { value: 'top', label: 'Top' },
];
const CLOCK_TICK_MS = 30_000;

export function App({ controller }: { controller: WidgetController }) {
  const store = useStore(controller.store);
  const [now, setNow] = useState(() => new Date());
  const [announcement, setAnnouncement] = useState('');
  const [loadError, setLoadError] = useState('');
  const [moreError, setMoreError] = useState('');
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [hasConnected, setHasConnected] = useState(false);
  const section = useRef<HTMLElement>(null);
  const announcedQueue = useRef(0);

  const announce = useCallback((message: string) => {
    // A repeated message must still be read out: clear first, then set on the next frame.
    setAnnouncement('');
    requestAnimationFrame(() => setAnnouncement(message));
  }, []);

  useEffect(() => {
    controller.start().catch((error: unknown) => setLoadError(describeError(error)));
    const timer = setInterval(() => setNow(new Date()), CLOCK_TICK_MS);
    return () => {
      clearInterval(timer);
      controller.stop();
    };
  }, [controller]);

  useEffect(() => {
    if (controller.isConnected) setHasConnected(true);
  }, [controller.isConnected]);

  const queuedCount = store.queued.length;
  useEffect(() => {
    if (queuedCount > announcedQueue.current) {
      announce(`${queuedCount} new ${queuedCount === 1 ? 'comment' : 'comments'}. Use the button above the thread to show them.`);
    }
    announcedQueue.current = queuedCount;
  }, [queuedCount, announce]);

  const focusThread = useCallback((commentId: string) => {
    setFocusedId(commentId);
    const node = controller.store.get(commentId);
    if (node && node.replyIds.length === 0 && node.comment.replyCount > 0) void controller.loadReplies(commentId);
    requestAnimationFrame(() => section.current?.scrollIntoView({ block: 'start' }));
    focusComment(section.current, commentId);
  }, [controller]);

  const context = useMemo<WidgetContextValue>(
    () => ({ controller, announce, now, focusThread }),
    [controller, announce, now, focusThread],
  );

  const changeSort = (sort: ThreadSort): void => {
    if (sort === store.sort && store.state === 'ready') return;
    setFocusedId(null);
    setLoadError('');
    controller.load(sort).catch((error: unknown) => setLoadError(describeError(error)));
  };

  const showQueued = (): void => {
    const shown = controller.store.showQueued();
    const first = shown[0];
    if (first) focusComment(section.current, first.id);
  };

  const loadMore = async (): Promise<void> => {
    setIsLoadingMore(true);
    setMoreError('');
    try {
      await controller.loadMore();
    } catch (error) {
      setMoreError(describeError(error));
    } finally {
      setIsLoadingMore(false);
    }
  };

  const retry = (): void => {
    setLoadError('');
    controller.load(store.sort).catch((error: unknown) => setLoadError(describeError(error)));
  };

  const isClosed = store.post?.closed === true;
  const focusedNode = focusedId ? store.get(focusedId) : undefined;
  return (
    <WidgetContext.Provider value={context}>
      <section class="parley" ref={section} aria-labelledby="parley-count" aria-busy={store.state === 'loading' ? 'true' : 'false'}>
        <div class="bar">
          <h2 class="count" id="parley-count">
            {formatCommentCount(store.count)}
          </h2>
          <div class="sort" role="group" aria-label="Sort comments">
            {SORTS.map(({ value, label }) => (
              <button key={value} type="button" aria-pressed={store.sort === value} onClick={() => changeSort(value)}>
                {label}
              </button>
            ))}
          </div>
        </div>
        <div class="sr-only" role="status" aria-live="polite">
          {announcement}
        </div>
        {isClosed ? <p class="notice">Comments are closed on this article.</p> : <Composer />}
        {hasConnected && !controller.isConnected ? (
          <p class="status-line" role="status">
            Reconnecting… new comments will appear when the connection is back.
          </p>
        ) : null}
        {queuedCount > 0 && !focusedNode ? (
          <button type="button" class="new-banner" onClick={showQueued}>
            {queuedCount === 1 ? 'Show 1 new comment' : `Show ${queuedCount} new comments`}
          </button>
        ) : null}
        {store.state === 'failed' ? (
          <div role="alert">
            <p class="error">{loadError || 'Comments could not be loaded.'}</p>
            <button type="button" class="secondary" onClick={retry}>
              Try again
            </button>
          </div>
        ) : null}
        {store.state === 'loading' ? <p class="notice">Loading comments…</p> : null}
        {focusedNode ? (
          <>
            <button type="button" class="secondary back" onClick={() => setFocusedId(null)}>
              ← Back to all comments
            </button>
            <ol class="thread">
              <CommentView id={focusedNode.comment.id} level={0} />
            </ol>
          </>
        ) : store.state === 'ready' ? (
          <>
            {store.topIds.length === 0 ? (
              <p class="notice">{isClosed ? 'No comments.' : 'No comments yet. Start the conversation.'}</p>
            ) : (
              <ol class="thread" aria-label="Comments">
                {store.topIds.map((id) => (
                  <CommentView key={id} id={id} level={0} />
                ))}
              </ol>
            )}
            {store.nextCursor ? (
              <button type="button" class="secondary more" disabled={isLoadingMore} onClick={() => void loadMore()}>
                {isLoadingMore ? 'Loading…' : 'Load more comments'}
              </button>
            ) : null}
            {moreError ? <p class="error">{moreError}</p> : null}
          </>
        ) : null}
        <p class="footer">Comments powered by Parley</p>
      </section>
    </WidgetContext.Provider>
  );
}
