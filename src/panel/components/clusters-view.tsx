import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { RejectReason } from '../../contracts/moderation-api';
import type { ClusterDetailDto } from '../../contracts/moderation-insights';
import { ApiProblem } from '../api-client';
import { formatAge, formatDateTime } from '../format';
import { t } from '../i18n';
import { RejectDialog } from './dialogs';
import { usePanel } from './panel-context';

const SAMPLE_SHOWN = 280;
/** Queue events come in bursts when a cluster is rejected: read the clusters once the burst is over. */
const RELOAD_DELAY_MS = 400;

function ClusterCard({
  cluster,
  isBusy,
  onReject,
}: {
  cluster: ClusterDetailDto;
  isBusy: boolean;
  onReject: () => void;
}) {
  const [isOpen, setOpen] = useState(false);
  const listId = `cluster-${cluster.id}-comments`;
  const postTitles = cluster.posts.map((post) => post.title ?? post.key);
  const sample = cluster.sample.length > SAMPLE_SHOWN ? `${cluster.sample.slice(0, SAMPLE_SHOWN)}…` : cluster.sample;
  return (
    <article class="card cluster-card" data-cluster-id={cluster.id} aria-label={t('clusters.cardLabel', { count: cluster.size })}>
      <header class="card-head">
        <span class={`pill pill-cluster-${cluster.kind}`}>{t(`clusters.kind.${cluster.kind}`)}</span>
        <span class="cluster-counts" data-testid="cluster-counts">
          {t('clusters.comments', { count: cluster.size })} · {t('clusters.authors', { count: cluster.authorCount })}
          {cluster.openCount < cluster.size ? ` · ${t('clusters.open', { count: cluster.openCount })}` : ''}
        </span>
        <span class="spacer" />
        <span class="muted small" data-testid="cluster-window">
          <time dateTime={cluster.firstAt} title={formatDateTime(cluster.firstAt)}>
            {formatDateTime(cluster.firstAt)}
          </time>
          {' – '}
          <time dateTime={cluster.lastAt} title={formatDateTime(cluster.lastAt)}>
            {formatAge(cluster.lastAt)}
          </time>
        </span>
      </header>
      <blockquote class="cluster-sample" data-testid="cluster-sample">
        {sample}
      </blockquote>
      <p class="post-line muted small" data-testid="cluster-posts">
        {t('clusters.posts', { count: postTitles.length })}: {postTitles.join(', ')} · {cluster.site}
      </p>
      <footer class="card-actions">
        <button
          type="button"
          class="button"
          aria-expanded={isOpen ? 'true' : 'false'}
          aria-controls={listId}
          onClick={() => setOpen(!isOpen)}
        >
          {isOpen ? t('clusters.hideComments') : t('clusters.showComments', { count: cluster.size })}
        </button>
        <span class="spacer" />
        <button type="button" class="button button-danger" disabled={isBusy} onClick={onReject}>
          {t('clusters.reject')}
        </button>
      </footer>
      {isOpen ? (
        <ol id={listId} class="cluster-comments">
          {cluster.comments.map((comment) => (
            <li key={comment.id} data-comment-id={comment.id} class={`cluster-comment status-${comment.status}`}>
              <p class="small">
                <strong>{comment.author.name || t('clusters.unknownAuthor')}</strong>{' '}
                <span class={`pill pill-status-${comment.status}`}>{t(`clusters.status.${comment.status}`)}</span>{' '}
                <time class="muted" dateTime={comment.createdAt} title={formatDateTime(comment.createdAt)}>
                  {formatAge(comment.createdAt)}
                </time>
              </p>
              <p class="cluster-comment-body">{comment.body}</p>
            </li>
          ))}
        </ol>
      ) : null}
    </article>
  );
}

/** Brigading clusters: near-duplicate texts from different authors, bursts of newcomers; rejected in one action. */
export function ClustersView() {
  const { api, socket, site, notify } = usePanel();
  const [clusters, setClusters] = useState<ClusterDetailDto[] | null>(null);
  const [confirming, setConfirming] = useState<ClusterDetailDto | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const siteRef = useRef(site);
  siteRef.current = site;

  const load = useCallback(() => {
    const requested = site;
    api.clusters(site || undefined).then(
      (page) => {
        if (siteRef.current === requested) setClusters(page.clusters);
      },
      (error: unknown) => {
        if (error instanceof ApiProblem && error.isSessionLost) return;
        notify(t('clusters.loadFailed', { reason: error instanceof Error ? error.message : String(error) }), 'error');
      },
    );
  }, [api, site, notify]);
  useEffect(() => load(), [load]);

  // Live: a comment entering or leaving a queue may start, grow or settle a cluster.
  useEffect(() => {
    if (!socket) return undefined;
    let timer: number | undefined;
    const schedule = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, RELOAD_DELAY_MS);
    };
    socket.on('queue:added', schedule);
    socket.on('queue:removed', schedule);
    socket.on('connect', schedule);
    return () => {
      window.clearTimeout(timer);
      socket.off('queue:added', schedule);
      socket.off('queue:removed', schedule);
      socket.off('connect', schedule);
    };
  }, [socket, load]);

  const reject = (cluster: ClusterDetailDto, reason: RejectReason, note: string) => {
    setBusyId(cluster.id);
    api.rejectCluster(cluster.id, { reason, ...(note ? { note } : {}) }).then(
      ({ results }) => {
        setBusyId(null);
        const refused = results.filter((result) => !result.ok).length;
        const done = results.length - refused;
        if (refused === 0) notify(t('clusters.rejected', { count: done }), 'success');
        else notify(t('clusters.rejectedPartly', { count: done, refused }), 'error');
        setClusters((current) => current?.filter((entry) => entry.id !== cluster.id) ?? null);
        load();
      },
      (error: unknown) => {
        setBusyId(null);
        notify(t('clusters.rejectFailed', { reason: error instanceof Error ? error.message : String(error) }), 'error');
        load();
      },
    );
  };

  return (
    <section class="view clusters-view" aria-labelledby="clusters-title">
      <div class="view-head">
        <h1 id="clusters-title">{t('clusters.title')}</h1>
        <button type="button" class="button button-ghost" onClick={load}>
          {t('common.refresh')}
        </button>
      </div>
      <p class="muted small">{t('clusters.intro')}</p>
      <div class="cluster-list" aria-busy={clusters === null ? 'true' : 'false'} aria-live="polite">
        {clusters === null ? <p class="muted">{t('common.loading')}</p> : null}
        {clusters !== null && clusters.length === 0 ? <p class="empty">{t('clusters.empty')}</p> : null}
        {(clusters ?? []).map((cluster) => (
          <ClusterCard key={cluster.id} cluster={cluster} isBusy={busyId === cluster.id} onReject={() => setConfirming(cluster)} />
        ))}
      </div>
      {confirming ? (
        <RejectDialog
          count={confirming.openCount}
          initialReason="spam"
          onCancel={() => setConfirming(null)}
          onReject={(reason, note) => {
            const cluster = confirming;
            setConfirming(null);
            reject(cluster, reason, note);
          }}
        />
      ) : null}
    </section>
  );
}
