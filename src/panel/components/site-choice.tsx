import type { SiteDto } from '../../contracts/moderation-api';
import { t } from '../i18n';
import { usePanel } from './panel-context';

/**
 * Screens that act on one site (webhooks, import, export) follow the shared site
 * filter, and pick the first site while it says "all sites".
 */
export function useChosenSite(): SiteDto | null {
  const { sites, site } = usePanel();
  return sites.find((entry) => entry.id === site) ?? sites[0] ?? null;
}

/** The site picker of a one-site screen: choosing here moves the shared filter too. */
export function SitePicker({ chosen }: { chosen: SiteDto }) {
  const { sites, setSite } = usePanel();
  return (
    <label class="field field-inline">
      <span>{t('siteScreen.site')}</span>
      <select value={chosen.id} onChange={(event) => setSite(event.currentTarget.value)} data-testid="screen-site">
        {sites.map((entry) => (
          <option key={entry.id} value={entry.id}>
            {entry.name}
          </option>
        ))}
      </select>
    </label>
  );
}
