import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { ModeratorPrincipal } from '../identity';
import { AppError } from '../shared/errors';
import { parseInput } from '../shared/http';
import { createSiteBodySchema, patchSiteBodySchema, siteIdSchema } from './site.schemas';
import { toSiteDto, type SiteService } from './site.service';

export interface SiteRouterDeps {
  sites: SiteService;
  /**
   * Identity's `/mod` guard (401 unless authenticated, sets `res.locals.moderator`).
   * Leave out when the identity router, mounted first, already guards every `/mod` path.
   */
  moderatorGuard?: RequestHandler | undefined;
  /** Throws OUT_OF_SCOPE when the moderator may not moderate the site. */
  assertCanModerate: (principal: ModeratorPrincipal, siteId: string) => void;
  /** Throws FORBIDDEN unless the moderator is an admin. */
  assertAdmin: (principal: ModeratorPrincipal) => void;
  /** Told after a moderator creates or changes a site (the audit log). */
  onSiteChanged?: ((change: SiteChange) => Promise<void>) | undefined;
}

export interface SiteChange {
  moderator: ModeratorPrincipal;
  action: 'site.create' | 'site.update';
  site: string;
  /** Top-level fields and settings keys that were given (never their secret values). */
  fields: string[];
}

const siteParamsSchema = z.object({ id: siteIdSchema });

function moderatorOf(res: Response): ModeratorPrincipal {
  const principal = (res.locals as { moderator?: ModeratorPrincipal }).moderator;
  if (!principal) throw new AppError('UNAUTHENTICATED', 'Sign in as a moderator first');
  return principal;
}

/** `/mod/sites`: create (admins), list (sites in scope), read and change one. */
export function createSiteRouter(deps: SiteRouterDeps): Router {
  const { sites } = deps;
  const router = Router();
  const guard: RequestHandler = deps.moderatorGuard ?? ((_req, _res, next) => next());

  router.post('/mod/sites', guard, async (req, res) => {
    deps.assertAdmin(moderatorOf(res));
    const body = parseInput(createSiteBodySchema, req.body, 'site');
    const site = await sites.createSite(body);
    await deps.onSiteChanged?.({
      moderator: moderatorOf(res),
      action: 'site.create',
      site: site.id,
      fields: Object.keys(body),
    });
    res.status(201).location(`/api/v1/mod/sites/${site.id}`).json(toSiteDto(site));
  });

  router.get('/mod/sites', guard, async (_req, res) => {
    const principal = moderatorOf(res);
    const all =
      principal.role === 'admin' ? await sites.listSites() : await sites.listSites({ ids: principal.sites });
    res.json({ sites: all.map(toSiteDto) });
  });

  router.get('/mod/sites/:id', guard, async (req, res) => {
    const principal = moderatorOf(res);
    const { id } = parseInput(siteParamsSchema, req.params, 'site id');
    deps.assertCanModerate(principal, id);
    res.json(toSiteDto(await sites.getSite(id)));
  });

  router.patch('/mod/sites/:id', guard, async (req, res) => {
    const principal = moderatorOf(res);
    const { id } = parseInput(siteParamsSchema, req.params, 'site id');
    deps.assertCanModerate(principal, id);
    const patch = parseInput(patchSiteBodySchema, req.body, 'site change');
    // Settings and word lists are the moderators' own business; who may embed
    // the site and sign its users in, and where its comments are sent for
    // classification, is an admin's.
    if (
      patch.name !== undefined ||
      patch.origins !== undefined ||
      patch.ssoSecret !== undefined ||
      patch.settings?.classifiers !== undefined ||
      patch.settings?.perspective !== undefined
    )
      deps.assertAdmin(principal);
    const updated = await sites.updateSite(id, patch);
    const fields = Object.entries(patch).flatMap(([key, value]) =>
      key === 'settings' && value && typeof value === 'object'
        ? Object.keys(value).map((name) => `settings.${name}`)
        : value === undefined
          ? []
          : [key],
    );
    await deps.onSiteChanged?.({ moderator: principal, action: 'site.update', site: id, fields });
    res.json(toSiteDto(updated));
  });

  return router;
}
