/**
 * Sites: one blog each, with the origins allowed to embed it, its moderation
 * settings and word lists, and an optional SSO secret.
 */
export { createSiteRepository } from './site.repository';
export type { SiteRepository } from './site.repository';
export { createSiteService, toSiteDto, SITE_CACHE_TTL_MS } from './site.service';
export type { SiteService, SiteServiceDeps } from './site.service';
export { createSiteRouter } from './site.routes';
export type { SiteRouterDeps, SiteChange } from './site.routes';
export { normaliseOrigin } from './origins';
export { SITE_ID_PATTERN, siteIdSchema, settingsPatchSchema, createSiteBodySchema, patchSiteBodySchema } from './site.schemas';
export type { SiteRecord, CreateSiteInput, SitePatch, SettingsPatch } from './site.types';
export { siteApiPaths } from './site.openapi';

import type { Connection } from 'mongoose';
import type { Clock } from '../shared/clock';
import { createSiteRepository } from './site.repository';
import { createSiteService, type SiteService } from './site.service';

/** Builds the site service on an open connection (models registered on that connection only). */
export function createSites(deps: { connection: Connection; clock: Clock; ownOrigin?: string | undefined }): SiteService {
  return createSiteService({ sites: createSiteRepository(deps.connection), clock: deps.clock, ownOrigin: deps.ownOrigin });
}
