import { useEffect, useState } from 'preact/hooks';
import type { ModeratorDto, ModeratorRole, SiteDto } from '../../contracts/moderation-api';
import { parseWordList } from '../format';
import { usePanel } from './panel-context';
import { t } from '../i18n';

function SiteOrigins({ site }: { site: SiteDto }) {
  const { api, notify, reloadSites } = usePanel();
  const [origins, setOrigins] = useState(site.origins.join('\n'));
  return (
    <form
      class="site-origins"
      onSubmit={(event) => {
        event.preventDefault();
        api.patchSite(site.id, { origins: parseWordList(origins) }).then(
          () => {
            notify(t('admin.originsSaved', { name: site.name }), 'success');
            reloadSites();
          },
          (error: unknown) => notify(t('settings.notSaved', { reason: error instanceof Error ? error.message : String(error) }), 'error'),
        );
      }}
    >
      <label class="field">
        <span>{t('admin.originsOf', { name: site.name })}</span>
        <textarea rows={2} value={origins} onInput={(event) => setOrigins(event.currentTarget.value)} />
      </label>
      <button type="submit" class="button">
        {t('admin.saveOrigins')}
      </button>
    </form>
  );
}

/** Admins only: create sites, edit their origins, create moderators. */
/** The exact HTML a blog owner pastes for a site: the thread, the script, a count badge. */
export function embedSnippet(siteId: string, serviceUrl: string): string {
  return [
    '<!-- Where the comments go; data-post is your key for the article (a slug or its URL) -->',
    `<div id="parley-thread" data-site="${siteId}" data-post="your-post-slug"></div>`,
    `<script src="${serviceUrl}/embed.js" async></script>`,
    '',
    '<!-- Optional: a live comment count anywhere on the page -->',
    `<span data-parley-count data-site="${siteId}" data-post="your-post-slug"></span>`,
  ].join('\n');
}

function SiteSnippet({ site }: { site: Pick<SiteDto, 'id' | 'name' | 'origins'> }) {
  const { notify } = usePanel();
  const snippet = embedSnippet(site.id, window.location.origin);
  const copy = () => {
    navigator.clipboard.writeText(snippet).then(
      () => notify('Snippet copied.', 'success'),
      () => notify('Could not copy: select the text and copy it yourself.', 'error'),
    );
  };
  return (
    <section class="snippet" aria-label={`Embed ${site.name}`} data-testid="site-snippet">
      <h3>Paste this into {site.name}'s pages</h3>
      <p class="muted small">
        Put it where the comments should appear, on a page served from{' '}
        {site.origins.length > 0 ? site.origins.join(' or ') : 'one of the site’s origins (add one above first)'}; set
        data-post to each article's own key.
      </p>
      <pre class="snippet-code">
        <code>{snippet}</code>
      </pre>
      <button type="button" class="button" onClick={copy}>
        Copy snippet
      </button>
    </section>
  );
}

export function AdminView() {
  const { api, sites, notify, reloadSites } = usePanel();
  const [newSite, setNewSite] = useState({ id: '', name: '', origins: '' });
  const [createdSite, setCreatedSite] = useState<Pick<SiteDto, 'id' | 'name' | 'origins'> | null>(null);
  const [newModerator, setNewModerator] = useState({ email: '', name: '', password: '', role: 'moderator' as ModeratorRole, sites: [] as string[] });
  const [moderators, setModerators] = useState<ModeratorDto[]>([]);

  useEffect(() => {
    api.moderators().then(setModerators, (error: unknown) =>
      notify(t('admin.moderatorsFailed', { reason: error instanceof Error ? error.message : String(error) }), 'error'),
    );
  }, [api, notify]);

  return (
    <section class="view" aria-labelledby="admin-title">
      <div class="view-head">
        <h1 id="admin-title">{t('admin.title')}</h1>
      </div>
      <div class="two-columns">
        <div class="card">
          <h2>{t('admin.sites')}</h2>
          <ul class="site-list">
            {sites.map((site) => (
              <li key={site.id}>
                <p>
                  <strong>{site.name}</strong> <code class="muted">{site.id}</code>
                </p>
                <SiteOrigins site={site} />
              </li>
            ))}
          </ul>
          <form
            class="stack"
            aria-label={t('admin.createSiteLabel')}
            onSubmit={(event) => {
              event.preventDefault();
              api.createSite({ id: newSite.id.trim(), name: newSite.name.trim(), origins: parseWordList(newSite.origins) }).then(
                (site) => {
                  notify(t('admin.created', { name: site.name }), 'success');
                  setCreatedSite({ id: site.id, name: site.name, origins: site.origins });
                  setNewSite({ id: '', name: '', origins: '' });
                  reloadSites();
                },
                (error: unknown) => notify(t('admin.notCreated', { reason: error instanceof Error ? error.message : String(error) }), 'error'),
              );
            }}
          >
            <h3>{t('admin.newSite')}</h3>
            <label class="field">
              <span>{t('admin.siteId')}</span>
              {/* Browsers compile `pattern` with the `v` flag: a literal dash in a class must be escaped. */}
              <input
                required
                name="site-id"
                pattern="[a-z0-9][a-z0-9\-]{1,62}"
                value={newSite.id}
                onInput={(event) => setNewSite({ ...newSite, id: event.currentTarget.value })}
              />
            </label>
            <label class="field">
              <span>{t('admin.name')}</span>
              <input required value={newSite.name} onInput={(event) => setNewSite({ ...newSite, name: event.currentTarget.value })} />
            </label>
            <label class="field">
              <span>{t('admin.origins')}</span>
              <textarea rows={2} value={newSite.origins} onInput={(event) => setNewSite({ ...newSite, origins: event.currentTarget.value })} />
            </label>
            <button type="submit" class="button button-primary">
              {t('admin.createSite')}
            </button>
          </form>
          {createdSite ? <SiteSnippet site={createdSite} /> : null}
        </div>

        <div class="card">
          <h2>{t('admin.moderators')}</h2>
          {moderators.length > 0 ? (
            <ul class="created-list" aria-label={t('admin.moderators')}>
              {moderators.map((moderator) => (
                <li key={moderator.id}>
                  {moderator.name} <span class="muted">{moderator.email} · {t(`role.${moderator.role}`)} · {moderator.role === 'admin' ? t('admin.everySite') : moderator.sites.join(', ') || t('admin.noSiteYet')}</span>
                </li>
              ))}
            </ul>
          ) : null}
          <h3>{t('admin.newModerator')}</h3>
          <form
            class="stack"
            aria-label={t('admin.createModeratorLabel')}
            onSubmit={(event) => {
              event.preventDefault();
              api.createModerator({ ...newModerator, email: newModerator.email.trim(), name: newModerator.name.trim() }).then(
                (moderator) => {
                  notify(t('admin.created', { name: moderator.email }), 'success');
                  setModerators((current) => [...current, moderator]);
                  setNewModerator({ email: '', name: '', password: '', role: 'moderator', sites: [] });
                },
                (error: unknown) => notify(t('admin.notCreated', { reason: error instanceof Error ? error.message : String(error) }), 'error'),
              );
            }}
          >
            <label class="field">
              <span>{t('signIn.email')}</span>
              <input type="email" required value={newModerator.email} onInput={(event) => setNewModerator({ ...newModerator, email: event.currentTarget.value })} />
            </label>
            <label class="field">
              <span>{t('admin.name')}</span>
              <input required value={newModerator.name} onInput={(event) => setNewModerator({ ...newModerator, name: event.currentTarget.value })} />
            </label>
            <label class="field">
              <span>{t('admin.password')}</span>
              <input
                type="password"
                autoComplete="new-password"
                required
                minLength={10}
                value={newModerator.password}
                onInput={(event) => setNewModerator({ ...newModerator, password: event.currentTarget.value })}
              />
            </label>
            <label class="field">
              <span>{t('admin.role')}</span>
              <select value={newModerator.role} onChange={(event) => setNewModerator({ ...newModerator, role: event.currentTarget.value as ModeratorRole })}>
                <option value="moderator">{t('role.moderator')}</option>
                <option value="admin">{t('admin.roleAdmin')}</option>
              </select>
            </label>
            <fieldset class="field">
              <legend>{t('admin.sites')}</legend>
              {sites.map((site) => (
                <label key={site.id} class="field-check">
                  <input
                    type="checkbox"
                    checked={newModerator.sites.includes(site.id)}
                    onChange={(event) => {
                      const isChecked = event.currentTarget.checked;
                      setNewModerator({
                        ...newModerator,
                        sites: isChecked ? [...newModerator.sites, site.id] : newModerator.sites.filter((id) => id !== site.id),
                      });
                    }}
                  />
                  <span>{site.name}</span>
                </label>
              ))}
            </fieldset>
            <button type="submit" class="button button-primary">
              {t('admin.createModerator')}
            </button>
          </form>
        </div>
      </div>
    </section>
  );
}
