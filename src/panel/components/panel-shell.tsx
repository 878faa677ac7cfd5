import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { SiteDto } from '../../contracts/moderation-api';
import type { StatsDto } from '../../contracts/socket-events';
import { toSiteList, type ApiClient } from '../api-client';
import { connectLive, type LiveStatus, type ModerationSocket } from '../live-connection';
import type { StoredSession } from '../session-store';
import { formatDuration } from '../format';
import { applyTheme, initialTheme, type Theme } from '../theme';
import { PanelContext, type NoticeKind, type PanelContextValue } from './panel-context';
import { QueueView } from './queue-view';
import { PostsView } from './posts-view';
import { ClustersView } from './clusters-view';
import { SettingsView } from './settings-view';
import { NotificationsView } from './notifications-view';
import { AuditView } from './audit-view';
import { AdminView } from './admin-view';
import { WebhooksView } from './webhooks-view';
import { DataView } from './data-view';
import { HelpOverlay } from './dialogs';
import { PANEL_LANGUAGES, choosePanelLanguage, panelTranslator, t, type PanelMessageKey } from '../i18n';

type Route = 'queue' | 'clusters' | 'posts' | 'settings' | 'notifications' | 'audit' | 'webhooks' | 'data' | 'admin';
const ROUTES: { id: Route; label: PanelMessageKey; isAdminOnly?: boolean }[] = [
  { id: 'queue', label: 'nav.queue' },
  { id: 'clusters', label: 'nav.clusters' },
  { id: 'posts', label: 'nav.posts' },
  { id: 'settings', label: 'nav.settings' },
  { id: 'notifications', label: 'nav.notifications' },
  { id: 'audit', label: 'nav.audit' },
  { id: 'webhooks', label: 'nav.webhooks', isAdminOnly: true },
  { id: 'data', label: 'nav.data', isAdminOnly: true },
  { id: 'admin', label: 'nav.admin', isAdminOnly: true },
];

function routeFromHash(): Route {
  const id = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return ROUTES.some((route) => route.id === id) ? (id as Route) : 'queue';
}

interface Notice {
  id: number;
  message: string;
  kind: NoticeKind;
}

interface PanelShellProps {
  api: ApiClient;
  session: StoredSession;
  onSignOut: () => void;
  onSessionLost: () => void;
}

export function PanelShell({ api, session, onSignOut, onSessionLost }: PanelShellProps) {
  const { moderator } = session;
  const [route, setRoute] = useState<Route>(routeFromHash);
  const [sites, setSites] = useState<SiteDto[]>([]);
  const [site, setSite] = useState('');
  const [socket, setSocket] = useState<ModerationSocket | null>(null);
  const [liveStatus, setLiveStatus] = useState<LiveStatus>('connecting');
  const [stats, setStats] = useState<StatsDto | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [isHelpOpen, setHelpOpen] = useState(false);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const noticeId = useRef(0);
  const lostRef = useRef(onSessionLost);
  lostRef.current = onSessionLost;

  useEffect(() => applyTheme(theme, false), []);

  useEffect(() => {
    const onHash = () => setRoute(routeFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const notify = useCallback((message: string, kind: NoticeKind = 'info') => {
    noticeId.current += 1;
    const id = noticeId.current;
    setNotices((current) => [...current.slice(-3), { id, message, kind }]);
    window.setTimeout(() => setNotices((current) => current.filter((notice) => notice.id !== id)), kind === 'error' ? 8000 : 4000);
  }, []);

  const reloadSites = useCallback(() => {
    api.sites().then(
      (payload) => setSites(toSiteList(payload)),
      (error: unknown) => notify(t('shell.sitesFailed', { reason: error instanceof Error ? error.message : String(error) }), 'error'),
    );
  }, [api, notify]);
  useEffect(reloadSites, [reloadSites]);

  useEffect(() => {
    const live = connectLive({ token: session.token, onStatus: setLiveStatus, onSessionLost: () => lostRef.current() });
    setSocket(live);
    return () => {
      live.disconnect();
    };
  }, [session.token]);

  // Stats for the current site filter: fetched, then kept live.
  useEffect(() => {
    let isCurrent = true;
    api.stats(site || undefined).then(
      (next) => {
        if (isCurrent) setStats(next);
      },
      () => undefined,
    );
    if (!socket) return () => undefined;
    // Stats events are per site: the all-sites view reads its totals again, at most once a second.
    let refetchTimer: number | undefined;
    const onStats = (event: StatsDto & { site: string | null }) => {
      if ((event.site ?? '') === site) {
        // Live events carry the queue figures; the nudge counts come with each read of the stats.
        setStats((previous) => (event.nudges || !previous?.nudges ? event : { ...event, nudges: previous.nudges }));
        return;
      }
      if (site !== '' || refetchTimer !== undefined) return;
      refetchTimer = window.setTimeout(() => {
        refetchTimer = undefined;
        api.stats(undefined).then(
          (next) => {
            if (isCurrent) setStats(next);
          },
          () => undefined,
        );
      }, 1000);
    };
    socket.on('stats:updated', onStats);
    return () => {
      isCurrent = false;
      window.clearTimeout(refetchTimer);
      socket.off('stats:updated', onStats);
    };
  }, [api, socket, site]);

  // `?` opens the shortcut help from anywhere but a text field.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (event.key === '?' && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        setHelpOpen((isOpen) => !isOpen);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const context = useMemo<PanelContextValue>(
    () => ({ api, moderator, socket, sites, reloadSites, site, setSite, notify }),
    [api, moderator, socket, sites, reloadSites, site, notify],
  );

  // A database that forgets everything on restart is something every moderator must know, on every screen.
  const [isDatabaseDurable, setIsDatabaseDurable] = useState(true);
  useEffect(() => {
    api.system().then(
      (system) => setIsDatabaseDurable(system.database.durable),
      () => undefined,
    );
  }, [api]);

  const visibleRoutes = ROUTES.filter((entry) => !entry.isAdminOnly || moderator.role === 'admin');
  const depth = stats ? stats.queues.pending + stats.queues.reported : null;

  return (
    <PanelContext.Provider value={context}>
      <div class="shell">
        <a class="skip-link" href="#main">
          {t('shell.skip')}
        </a>
        <header class="topbar">
          <div class="topbar-row">
            <span class="brand">Parley</span>
            <nav class="nav" aria-label={t('shell.sections')}>
              {visibleRoutes.map((entry) => (
                <a
                  key={entry.id}
                  href={`#/${entry.id}`}
                  class={`nav-link${route === entry.id ? ' is-active' : ''}`}
                  aria-current={route === entry.id ? 'page' : undefined}
                >
                  {t(entry.label)}
                </a>
              ))}
            </nav>
            <div class="topbar-tools">
              <label class="site-picker">
                <span class="visually-hidden">{t('shell.site')}</span>
                <select
                  aria-label={t('shell.siteFilter')}
                  value={site}
                  onChange={(event) => setSite(event.currentTarget.value)}
                  data-testid="site-filter"
                >
                  <option value="">{t('shell.allSites')}</option>
                  {sites.map((entry) => (
                    <option key={entry.id} value={entry.id}>
                      {entry.name}
                    </option>
                  ))}
                </select>
              </label>
              <select
                class="language-picker"
                aria-label={t('shell.language')}
                value={panelTranslator.lang}
                onChange={(event) => choosePanelLanguage(event.currentTarget.value)}
              >
                {PANEL_LANGUAGES.map((lang) => (
                  <option key={lang} value={lang} lang={lang}>
                    {new Intl.DisplayNames([lang], { type: 'language' }).of(lang) ?? lang}
                  </option>
                ))}
              </select>
              <button
                type="button"
                class="button button-ghost icon-button"
                aria-label={theme === 'dark' ? t('shell.lightTheme') : t('shell.darkTheme')}
                title={t('shell.toggleTheme')}
                onClick={() => {
                  const next: Theme = theme === 'dark' ? 'light' : 'dark';
                  applyTheme(next, true);
                  setTheme(next);
                }}
              >
                {theme === 'dark' ? '☀' : '☾'}
              </button>
              <button
                type="button"
                class="button button-ghost icon-button"
                aria-label={t('shell.shortcuts')}
                title={t('shell.shortcutsTitle')}
                onClick={() => setHelpOpen(true)}
              >
                ?
              </button>
              <span class="who" title={moderator.email}>
                {moderator.name}
                <span class="muted"> · {t(`role.${moderator.role}`)}</span>
              </span>
              <button type="button" class="button button-ghost" onClick={onSignOut}>
                {t('shell.signOut')}
              </button>
            </div>
          </div>
          <dl class="stats" aria-label={t('stats.label')} aria-live="polite">
            <div>
              <dt>{t('stats.depth')}</dt>
              <dd data-testid="stat-depth">{depth ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('stats.median')}</dt>
              <dd data-testid="stat-median">{formatDuration(stats?.medianSecondsToDecision ?? null)}</dd>
            </div>
            <div>
              <dt>{t('stats.lastHour')}</dt>
              <dd>{stats?.decisionsLastHour ?? '—'}</dd>
            </div>
            <div title={t('stats.nudgesHint')}>
              <dt>{t('stats.nudges')}</dt>
              <dd data-testid="stat-nudges">{stats?.nudges?.shown ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('stats.nudgesRevised')}</dt>
              <dd data-testid="stat-nudges-revised">{stats?.nudges?.revised ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('stats.nudgesPostedAnyway')}</dt>
              <dd data-testid="stat-nudges-posted-anyway">{stats?.nudges?.postedAnyway ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('stats.live')}</dt>
              <dd>
                <span class={`live-dot live-${liveStatus}`} aria-hidden="true" />
                <span data-testid="live-status">{t(`live.${liveStatus}`)}</span>
              </dd>
            </div>
          </dl>
        </header>
        {isDatabaseDurable ? null : (
          <p class="durability-banner" role="alert" data-testid="durability-banner">
            <strong>This service keeps its data in memory only.</strong> Every comment, site and decision is lost when it
            restarts. Set <code>MONGODB_URI</code> to a MongoDB database before real readers comment.
          </p>
        )}
        <main id="main" class="content" tabIndex={-1}>
          {route === 'queue' ? <QueueView /> : null}
          {route === 'clusters' ? <ClustersView /> : null}
          {route === 'posts' ? <PostsView /> : null}
          {route === 'settings' ? <SettingsView /> : null}
          {route === 'notifications' ? <NotificationsView /> : null}
          {route === 'audit' ? <AuditView /> : null}
          {route === 'webhooks' && moderator.role === 'admin' ? <WebhooksView /> : null}
          {route === 'data' && moderator.role === 'admin' ? <DataView /> : null}
          {route === 'admin' && moderator.role === 'admin' ? <AdminView /> : null}
        </main>
        <div class="toasts" role="status" aria-live="polite">
          {notices.map((notice) => (
            <p key={notice.id} class={`toast toast-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : undefined}>
              {notice.message}
            </p>
          ))}
        </div>
        {isHelpOpen ? <HelpOverlay onClose={() => setHelpOpen(false)} /> : null}
      </div>
    </PanelContext.Provider>
  );
}
