import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ThreadSort } from '../../contracts/comments';
import { describeError, describeSetupProblem } from '../error-messages';
import type { WidgetMessageKey, WidgetTranslator } from '../i18n';
import type { WidgetController } from '../widget-controller';
import { CommentView, MAX_LEVEL, focusComment } from './comment-view';
import { Composer } from './composer';
import { FeaturedBlock } from './featured-block';
import { describeMailOutcome } from './notify-field';
import { YourData } from './your-data';
import { WidgetContext, useStore, type WidgetContextValue } from './widget-context';

const SORTS: { value: ThreadSort; label: WidgetMessageKey }[] = [
  { value: 'newest', label: 'thread.sort.newest' },
  { value: 'oldest', label: 'thread.sort.oldest' },
  { value: 'top', label: 'thread.sort.top' },
  { value: 'best', label: 'thread.sort.best' },
];
const CLOCK_TICK_MS = 30_000;

export function App({ controller, translator }: { controller: WidgetController; translator: WidgetTranslator }) {
  const { t } = translator;
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

  const showLoadError = useCallback(
    (error: unknown) => {
      setLoadError(describeError(error, translator));
      const problem = describeSetupProblem(error, { site: controller.site, base: controller.baseUrl, origin: location.origin });
      if (problem) console.error(problem);
    },
    [controller, translator],
  );

  useEffect(() => {
    controller.start().catch(showLoadError);
    const timer = setInterval(() => setNow(new Date()), CLOCK_TICK_MS);
    return () => {
      clearInterval(timer);
      controller.stop();
    };
  }, [controller, translator, showLoadError]);

  useEffect(() => {
    if (controller.isConnected) setHasConnected(true);
  }, [controller.isConnected]);

  const queuedCount = store.queued.length;
  useEffect(() => {
    if (queuedCount > announcedQueue.current) {
      announce(t('thread.newAnnouncement', { count: queuedCount }));
    }
    announcedQueue.current = queuedCount;
  }, [queuedCount, announce, t]);

  const focusThread = useCallback((commentId: string) => {
    setFocusedId(commentId);
    const node = controller.store.get(commentId);
    if (node && node.replyIds.length === 0 && node.comment.replyCount > 0) void controller.loadReplies(commentId);
    requestAnimationFrame(() => section.current?.scrollIntoView({ block: 'start' }));
    focusComment(section.current, commentId);
  }, [controller]);

  // Permalinks and the Featured block open the thread at a comment, loading what leads to it.
  const isReady = store.state === 'ready';
  const [permalinkMissing, setPermalinkMissing] = useState(false);
  const openAt = useCallback(
    (id: string): void => {
      setPermalinkMissing(false);
      void controller.openComment(id, MAX_LEVEL).then((focusRoot) => {
        if (focusRoot === undefined) {
          setPermalinkMissing(true);
          return;
        }
        setFocusedId(focusRoot);
        requestAnimationFrame(() => {
          const root = section.current?.getRootNode();
          const element = root instanceof ShadowRoot ? root.getElementById(`parley-comment-${id}`) : null;
          element?.scrollIntoView({ block: 'center' });
          element?.focus({ preventScroll: true });
        });
      });
    },
    [controller],
  );
  // `#parley-<id>` on the host page opens the thread at that comment.
  useEffect(() => {
    if (!isReady) return undefined;
    const open = (): void => {
      const id = /^#parley-([a-f0-9]{24})$/.exec(location.hash)?.[1];
      if (id) openAt(id);
    };
    open();
    window.addEventListener('hashchange', open);
    return () => window.removeEventListener('hashchange', open);
  }, [openAt, isReady]);

  useEffect(() => {
    controller.onFeatured = (isFeatured) => {
      if (isFeatured) announce(t('featured.announced'));
    };
    return () => {
      controller.onFeatured = undefined;
    };
  }, [controller, announce, t]);

  const context = useMemo<WidgetContextValue>(
    () => ({ controller, translator, t, announce, now, focusThread }),
    [controller, translator, t, announce, now, focusThread],
  );

  const changeSort = (sort: ThreadSort): void => {
    if (sort === store.sort && store.state === 'ready') return;
    setFocusedId(null);
    setLoadError('');
    controller.load(sort).catch(showLoadError);
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
      setMoreError(describeError(error, translator));
    } finally {
      setIsLoadingMore(false);
    }
  };

  const retry = (): void => {
    setLoadError('');
    controller.load(store.sort).catch((error: unknown) => setLoadError(describeError(error, translator)));
  };

  const isClosed = store.post?.closed === true;
  const focusedNode = focusedId ? store.get(focusedId) : undefined;
  return (
    <WidgetContext.Provider value={context}>
      <section class="parley" ref={section} aria-labelledby="parley-count" aria-busy={store.state === 'loading' ? 'true' : 'false'}>
        <div class="bar">
          <h2 class="count" id="parley-count">
            {t('count.comments', { count: store.count })}
          </h2>
          <div class="sort" role="group" aria-label={t('thread.sortLabel')}>
            {SORTS.map(({ value, label }) => (
              <button key={value} type="button" aria-pressed={store.sort === value} onClick={() => changeSort(value)}>
                {t(label)}
              </button>
            ))}
          </div>
        </div>
        <div class="sr-only" role="status" aria-live="polite">
          {announcement}
        </div>
        {!isClosed && store.post?.banner === 'heated' ? (
          <p class="banner banner-heat" role="status" data-banner="heated">
            {t('thread.heated')}
          </p>
        ) : null}
        {!isClosed && store.post?.banner === 'lockdown' ? (
          <p class="banner banner-heat" role="status" data-banner="lockdown">
            {t('thread.lockdown')}
          </p>
        ) : null}
        {permalinkMissing ? <p class="notice">{t('thread.permalinkMissing')}</p> : null}
        {store.featured.length > 0 ? <FeaturedBlock comments={store.featured} onOpen={openAt} /> : null}
        {isClosed ? (
          <p class="notice banner" role="status" data-banner="closed">
            {t('thread.closed')}
          </p>
        ) : store.state === 'failed' && !store.post ? null : (
          // After an erasure the composer starts again without the erased name.
          <Composer key={controller.isErased ? 'erased' : 'reader'} />
        )}
        {controller.mailOutcome ? (
          <p class={controller.mailOutcome.kind === 'failed' ? 'error mail-outcome' : 'notice mail-outcome'} data-mail-outcome={controller.mailOutcome.kind}>
            {describeMailOutcome(controller.mailOutcome, translator)}
          </p>
        ) : null}
        {hasConnected && !controller.isConnected ? (
          <p class="status-line" role="status">
            {t('thread.reconnecting')}
          </p>
        ) : null}
        {queuedCount > 0 && !focusedNode ? (
          <button type="button" class="new-banner" onClick={showQueued}>
            {t('thread.showNew', { count: queuedCount })}
          </button>
        ) : null}
        {store.state === 'failed' ? (
          <div role="alert">
            <p class="error">{loadError || t('thread.loadFailed')}</p>
            <button type="button" class="secondary" onClick={retry}>
              {t('thread.tryAgain')}
            </button>
          </div>
        ) : null}
        {store.state === 'loading' ? <p class="notice">{t('thread.loading')}</p> : null}
        {focusedNode ? (
          <>
            <button type="button" class="secondary back" onClick={() => setFocusedId(null)}>
              {t('thread.back')}
            </button>
            <ol class="thread">
              <CommentView id={focusedNode.comment.id} level={0} />
            </ol>
          </>
        ) : store.state === 'ready' ? (
          <>
            {store.topIds.length === 0 ? (
              <p class="notice">{isClosed ? t('thread.empty') : t('thread.emptyOpen')}</p>
            ) : (
              <ol class="thread" aria-label={t('thread.listLabel')}>
                {store.topIds.map((id) => (
                  <CommentView key={id} id={id} level={0} />
                ))}
              </ol>
            )}
            {store.nextCursor ? (
              <button type="button" class="secondary more" disabled={isLoadingMore} onClick={() => void loadMore()}>
                {isLoadingMore ? t('thread.loadingMore') : t('thread.loadMore')}
              </button>
            ) : null}
            {moreError ? <p class="error">{moreError}</p> : null}
          </>
        ) : null}
        {controller.hasIdentity || controller.isErased ? <YourData /> : null}
        <p class="footer">{t('thread.footer')}</p>
      </section>
    </WidgetContext.Provider>
  );
}
