import { DEFAULT_MODERATION_SETTINGS, SECRET_MASK, type ModerationSettings } from '../contracts/moderation';
import type { SiteDto } from '../contracts/moderation-api';
import { AppError, NotFoundError, ValidationFailedError } from '../shared/errors';
import type { Clock } from '../shared/clock';
import { normaliseOrigin } from './origins';
import type { SiteRepository } from './site.repository';
import type { CreateSiteInput, NestedSettingsKey, SettingsPatch, SitePatch, SiteRecord } from './site.types';

/** How long the in-memory view of sites (and their origins) is trusted before a reload. */
export const SITE_CACHE_TTL_MS = 30_000;

export interface SiteServiceDeps {
  sites: SiteRepository;
  clock: Clock;
  /**
   * The service's own origin (PUBLIC_URL): its framed thread page (`/embed/:site/:post`)
   * calls the API from there for every site.
   */
  ownOrigin?: string | undefined;
}

export interface SiteService {
  createSite(input: CreateSiteInput): Promise<SiteRecord>;
  /** Throws SITE_NOT_FOUND. Served from the cache (at most 30 s stale across instances). */
  getSite(id: string): Promise<SiteRecord>;
  findSite(id: string): Promise<SiteRecord | undefined>;
  /** Every site, or only those with the given ids. */
  listSites(filter?: { ids?: readonly string[] }): Promise<SiteRecord[]>;
  updateSite(id: string, patch: SitePatch): Promise<SiteRecord>;
  /** Whether an `Origin` belongs to any site (the CORS gate in front of `/api`). */
  isOriginAllowed(origin: string): Promise<boolean>;
  /** Whether an `Origin` belongs to this site. */
  isOriginAllowedForSite(site: SiteRecord, origin: string): boolean;
  /** On an empty database, creates the `demo` site for the service's own `/demo` page. Idempotent. */
  ensureFirstSite(input: { publicUrl: string }): Promise<SiteRecord | undefined>;
}

interface SiteCache {
  loadedAt: number;
  byId: Map<string, SiteRecord>;
  origins: Set<string>;
}

const NESTED_SETTINGS: readonly NestedSettingsKey[] = ['autoHeat', 'brigading', 'history', 'categories'];

function isNestedKey(key: string): key is NestedSettingsKey {
  return (NESTED_SETTINGS as readonly string[]).includes(key);
}

function settingsPaths(patch: SettingsPatch): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (isNestedKey(key) && typeof value === 'object' && value !== null) {
      for (const [field, fieldValue] of Object.entries(value as Record<string, unknown>)) {
        if (fieldValue !== undefined) set[`settings.${key}.${field}`] = fieldValue;
      }
      continue;
    }
    set[`settings.${key}`] = value;
  }
  return set;
}

function mergeSettings(patch: SettingsPatch | undefined): ModerationSettings {
  const merged: ModerationSettings = {
    ...DEFAULT_MODERATION_SETTINGS,
    categories: { ...DEFAULT_MODERATION_SETTINGS.categories },
    autoHeat: { ...DEFAULT_MODERATION_SETTINGS.autoHeat },
    brigading: { ...DEFAULT_MODERATION_SETTINGS.brigading },
    history: { ...DEFAULT_MODERATION_SETTINGS.history },
  };
  if (!patch) return merged;
  const target = merged as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || isNestedKey(key)) continue;
    target[key] = value;
  }
  for (const key of NESTED_SETTINGS) {
    for (const [field, value] of Object.entries(patch[key] ?? {})) {
      if (value !== undefined) (merged[key] as unknown as Record<string, unknown>)[field] = value;
    }
  }
  return merged;
}

/**
 * Secrets come back masked; a patch that sends the mask keeps the stored
 * secret (of the classifier with the same name), so a settings form can round-trip.
 */
function keepMaskedSecrets(patch: SettingsPatch, stored: ModerationSettings | undefined): SettingsPatch {
  const next: SettingsPatch = { ...patch };
  if (patch.classifiers) {
    next.classifiers = patch.classifiers.map((classifier) => {
      if (classifier.secret !== SECRET_MASK) return classifier;
      const previous = stored?.classifiers.find((candidate) => candidate.name === classifier.name);
      if (!previous) {
        throw new ValidationFailedError('A new classifier needs its secret', [
          { path: 'settings.classifiers', message: `classifier ${JSON.stringify(classifier.name)} has no stored secret to keep` },
        ]);
      }
      return { ...classifier, secret: previous.secret };
    });
  }
  if (patch.perspective && patch.perspective.apiKey === SECRET_MASK) {
    const previous = stored?.perspective?.apiKey;
    if (!previous) {
      throw new ValidationFailedError('Perspective needs its API key', [
        { path: 'settings.perspective.apiKey', message: 'there is no stored API key to keep' },
      ]);
    }
    next.perspective = { ...patch.perspective, apiKey: previous };
  }
  return next;
}

export function createSiteService(deps: SiteServiceDeps): SiteService {
  const { sites, clock } = deps;
  const ownOrigin = deps.ownOrigin === undefined ? undefined : normaliseOrigin(deps.ownOrigin);
  let cache: SiteCache | undefined;
  let loading: Promise<SiteCache> | undefined;

  const load = (): Promise<SiteCache> => {
    loading ??= sites
      .findAll()
      .then((all) => {
        const next: SiteCache = {
          loadedAt: clock.now().getTime(),
          byId: new Map(all.map((site) => [site.id, site])),
          origins: new Set(all.flatMap((site) => site.origins)),
        };
        cache = next;
        return next;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };

  const current = async (): Promise<SiteCache> => {
    const now = clock.now().getTime();
    if (cache && now - cache.loadedAt < SITE_CACHE_TTL_MS && now >= cache.loadedAt) return cache;
    return load();
  };

  const invalidate = (): void => {
    cache = undefined;
  };

  const findSite = async (id: string): Promise<SiteRecord | undefined> => {
    const view = await current();
    const cached = view.byId.get(id);
    if (cached) return cached;
    // A site created on another instance since the last load.
    const stored = await sites.findById(id);
    if (stored) invalidate();
    return stored;
  };

  const createSite = async (input: CreateSiteInput): Promise<SiteRecord> => {
    const now = clock.now();
    const record: SiteRecord = {
      id: input.id,
      name: input.name,
      origins: [...new Set(input.origins)],
      ssoSecret: input.ssoSecret ?? null,
      settings: mergeSettings(input.settings ? keepMaskedSecrets(input.settings, undefined) : undefined),
      settingsRevision: 1,
      createdAt: now,
      updatedAt: now,
    };
    const outcome = await sites.insert(record);
    if (outcome === 'exists') throw new AppError('SITE_EXISTS', `A site with id ${JSON.stringify(input.id)} already exists`, { id: input.id });
    invalidate();
    return record;
  };

  return {
    createSite,
    findSite,
    async getSite(id) {
      const site = await findSite(id);
      if (!site) throw new NotFoundError('SITE', id);
      return site;
    },
    async listSites(filter) {
      const view = await current();
      const all = [...view.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      if (!filter?.ids) return all;
      const wanted = new Set(filter.ids);
      return all.filter((site) => wanted.has(site.id));
    },
    async updateSite(id, patch) {
      const set: Record<string, unknown> = {};
      if (patch.name !== undefined) set['name'] = patch.name;
      if (patch.origins !== undefined) set['origins'] = [...new Set(patch.origins)];
      if (patch.ssoSecret !== undefined) set['ssoSecret'] = patch.ssoSecret;
      const settingsSet = patch.settings
        ? settingsPaths(keepMaskedSecrets(patch.settings, (await sites.findById(id))?.settings))
        : {};
      Object.assign(set, settingsSet);
      set['updatedAt'] = clock.now();
      const updated = await sites.update(id, set, { bumpSettingsRevision: Object.keys(settingsSet).length > 0 });
      if (!updated) throw new NotFoundError('SITE', id);
      invalidate();
      return updated;
    },
    async isOriginAllowed(origin) {
      const normalised = normaliseOrigin(origin);
      if (normalised === undefined) return false;
      const view = await current();
      return view.origins.has(normalised);
    },
    isOriginAllowedForSite(site, origin) {
      const normalised = normaliseOrigin(origin);
      if (normalised === undefined) return false;
      return site.origins.includes(normalised) || (ownOrigin !== undefined && normalised === ownOrigin);
    },
    async ensureFirstSite({ publicUrl }) {
      if ((await sites.count()) > 0) return undefined;
      const origin = normaliseOrigin(publicUrl);
      try {
        return await createSite({ id: 'demo', name: 'Parley demo', origins: origin ? [origin] : [] });
      } catch (error) {
        // Another instance starting at the same moment created it first.
        if (error instanceof AppError && error.code === 'SITE_EXISTS') return undefined;
        throw error;
      }
    },
  };
}

/** The site as moderators see it: never the SSO secret itself. */
export function toSiteDto(site: SiteRecord): SiteDto {
  return {
    id: site.id,
    name: site.name,
    origins: [...site.origins],
    hasSsoSecret: site.ssoSecret !== null && site.ssoSecret !== '',
    settings: maskSecrets(site.settings),
    createdAt: site.createdAt.toISOString(),
  };
}

/** Settings as they leave the service: classifier secrets and the Perspective key masked. */
export function maskSecrets(settings: ModerationSettings): ModerationSettings {
  return {
    ...settings,
    classifiers: settings.classifiers.map((classifier) => ({ ...classifier, secret: SECRET_MASK })),
    perspective: settings.perspective
      ? { ...settings.perspective, apiKey: settings.perspective.apiKey === null ? null : SECRET_MASK }
      : null,
  };
}
