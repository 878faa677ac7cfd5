import { useCallback, useEffect, useState } from 'preact/hooks';
import type { HotPostDto } from '../../contracts/moderation-api';
import type { PostHeat } from '../../contracts/moderation';
import { usePanel } from './panel-context';
import { t, type PanelMessageKey } from '../i18n';

const HEATS: { id: PostHeat; label: PanelMessageKey }[] = [
  { id: 'normal', label: 'heat.normal' },
  { id: 'heated', label: 'heat.heated' },
  { id: 'lockdown', label: 'heat.lockdown' },
];

/** The hottest posts first, with their heat and open/closed switches. */
export function PostsView() {
  const { api, site, notify } = usePanel();
  const [posts, setPosts] = useState<HotPostDto[] | null>(null);

  const load = useCallback(() => {
    api.hotPosts(site || undefined).then(setPosts, (error: unknown) => {
      setPosts([]);
      notify(t('posts.loadFailed', { reason: error instanceof Error ? error.message : String(error) }), 'error');
    });
  }, [api, site, notify]);
  useEffect(load, [load]);

  const patch = (post: HotPostDto, change: { heat?: PostHeat; closed?: boolean }) => {
    setPosts((current) => current?.map((entry) => (entry.id === post.id ? { ...entry, ...change } : entry)) ?? null);
    api.patchPost(post.id, change).then(
      () =>
        notify(
          t(change.heat ? 'posts.heatChanged' : change.closed ? 'posts.closedNotice' : 'posts.openedNotice', {
            title: post.title ?? post.key,
            heat: change.heat ? t(`heat.${change.heat}`) : '',
          }),
          'success',
        ),
      (error: unknown) => {
        setPosts((current) => current?.map((entry) => (entry.id === post.id ? post : entry)) ?? null);
        notify(t('common.notChanged', { reason: error instanceof Error ? error.message : String(error) }), 'error');
      },
    );
  };

  return (
    <section class="view" aria-labelledby="posts-title">
      <div class="view-head">
        <h1 id="posts-title">{t('posts.title')}</h1>
        <button type="button" class="button button-ghost" onClick={load}>
          {t('common.refresh')}
        </button>
      </div>
      {posts === null ? <p class="muted">{t('common.loading')}</p> : null}
      {posts?.length === 0 ? <p class="empty">{t('posts.empty')}</p> : null}
      <ul class="post-list">
        {posts?.map((post) => (
          <li key={post.id} class="card post-card" data-post-id={post.id}>
            <div class="post-card-main">
              <h2 class="post-title">
                {post.url ? (
                  <a href={post.url} target="_blank" rel="noopener noreferrer">
                    {post.title ?? post.key}
                  </a>
                ) : (
                  (post.title ?? post.key)
                )}
              </h2>
              <p class="muted small">
                {post.site} · {post.key} ·{' '}
                <a href={`#/queue/pending?post=${post.id}&title=${encodeURIComponent(post.title ?? post.key)}`}>{t('posts.reviewQueue')}</a>
              </p>
              <dl class="post-numbers">
                <div>
                  <dt>{t('posts.lastHour')}</dt>
                  <dd>{post.commentsLastHour}</dd>
                </div>
                <div>
                  <dt>{t('posts.held')}</dt>
                  <dd>{post.holdsLastDay}</dd>
                </div>
                <div>
                  <dt>{t('posts.reports')}</dt>
                  <dd>{post.reportsLastDay}</dd>
                </div>
                <div>
                  <dt>{t('posts.published')}</dt>
                  <dd>{post.counts.published}</dd>
                </div>
                <div>
                  <dt>{t('posts.pending')}</dt>
                  <dd>{post.counts.pending}</dd>
                </div>
              </dl>
            </div>
            <div class="post-card-controls">
              <fieldset class="segmented">
                <legend class="visually-hidden">{t('posts.heatOf', { title: post.title ?? post.key })}</legend>
                {HEATS.map((heat) => (
                  <label key={heat.id} class={`segment segment-${heat.id}${post.heat === heat.id ? ' is-active' : ''}`}>
                    <input
                      type="radio"
                      name={`heat-${post.id}`}
                      value={heat.id}
                      checked={post.heat === heat.id}
                      onChange={() => patch(post, { heat: heat.id })}
                    />
                    {t(heat.label)}
                  </label>
                ))}
              </fieldset>
              <button
                type="button"
                class={`button ${post.closed ? 'button-primary' : ''}`}
                aria-pressed={post.closed}
                onClick={() => patch(post, { closed: !post.closed })}
              >
                {post.closed ? t('posts.reopen') : t('posts.close')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
