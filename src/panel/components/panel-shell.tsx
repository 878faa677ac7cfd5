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
import { SettingsView } from './settings-view';
import { AuditView } from './audit-view';
import { AdminView } from './admin-view';
import { HelpOverlay } from './dialogs';

type Route = 'queue' | 'posts' | 'settings' | 'audit' | 'admin';
const ROUTES: { id: Route; label: string; isAdminOnly?: boolean }[] = [
  { id: 'queue', label: 'Queue' },
  { id: 'posts', label: 'Posts' },
  { id: 'settings', label: 'Settings' },
  { id: 'audit', label: 'Audit log' },
  { id: 'admin', label: 'Admin', isAdminOnly: true },
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
      (error: unknown) => notify(`Could not load sites: ${error instanceof Error ? error.message : String(error)}`, 'error'),
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
        setStats(event);
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

  const visibleRoutes = ROUTES.filter((entry) => !entry.isAdminOnly || moderator.role === 'admin');
  const depth = stats ? stats.queues.pending + stats.queues.reported : null;

  return (
    <PanelContext.Provider value={context}>
      <div class="shell">
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="topbar">
          <div class="topbar-row">
            <span class="brand">Parley</span>
            <nav class="nav" aria-label="Panel sections">
              {visibleRoutes.map((entry) => (
                <a
                  key={entry.id}
                  href={`#/${entry.id}`}
                  class={`nav-link${route === entry.id ? ' is-active' : ''}`}
                  aria-current={route === entry.id ? 'page' : undefined}
                >
                  {entry.label}
                </a>
              ))}
            </nav>
            <div class="topbar-tools">
              <label class="site-picker">
                <span class="visually-hidden">Site</span>
                <select
                  aria-label="Site filter"
                  value={site}
                  onChange={(event) => setSite(event.currentTarget.value)}
                  data-testid="site-filter"
                >
                  <option value="">All my sites</option>
                  {sites.map((entry) => (
                    <option key={entry.id} value={entry.id}>
                      {entry.name}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                class="button button-ghost icon-button"
                aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
                title="Toggle theme"
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
                aria-label="Keyboard shortcuts"
                title="Keyboard shortcuts (?)"
                onClick={() => setHelpOpen(true)}
              >
                ?
              </button>
              <span class="who" title={moderator.email}>
                {moderator.name}
                <span class="muted"> · {moderator.role}</span>
              </span>
              <button type="button" class="button button-ghost" onClick={onSignOut}>
                Sign out
              </button>
            </div>
          </div>
          <dl class="stats" aria-label="Queue statistics" aria-live="polite">
            <div>
              <dt>Queue depth</dt>
              <dd data-testid="stat-depth">{depth ?? '—'}</dd>
            </div>
            <div>
              <dt>Median time to decision</dt>
              <dd data-testid="stat-median">{formatDuration(stats?.medianSecondsToDecision ?? null)}</dd>
            </div>
            <div>
              <dt>Decisions last hour</dt>
              <dd>{stats?.decisionsLastHour ?? '—'}</dd>
            </div>
            <div>
              <dt>Live</dt>
              <dd>
                <span class={`live-dot live-${liveStatus}`} aria-hidden="true" />
                <span data-testid="live-status">{liveStatus === 'live' ? 'connected' : liveStatus}</span>
              </dd>
            </div>
          </dl>
        </header>
        <main id="main" class="content" tabIndex={-1}>
          {route === 'queue' ? <QueueView /> : null}
          {route === 'posts' ? <PostsView /> : null}
          {route === 'settings' ? <SettingsView /> : null}
          {route === 'audit' ? <AuditView /> : null}
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
