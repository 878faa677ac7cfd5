import { Router, type CookieOptions } from 'express';
import { z } from 'zod';
import { parseInput } from '../shared/http';
import { clientIpKey, createRateLimiter, type RateLimitStoreFactory } from '../shared/rate-limit';
import type { ModeratorService } from './moderator.service';
import { assertAdmin, currentModerator } from './moderator.guard';

export const loginSchema = z.object({
  email: z.string().trim().max(254),
  password: z.string().min(1).max(1000),
});

const siteIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a site id');
export const moderatorSchema = z.object({
  email: z.email().max(254),
  /** Shown to other moderators (claims, audit); defaults to the e-mail's local part. */
  name: z.string().trim().min(1).max(80).optional(),
  password: z.string().min(10, 'must be at least 10 characters').max(200),
  role: z.enum(['admin', 'moderator']).default('moderator'),
  sites: z.array(siteIdSchema).max(500).default([]),
});
export const moderatorPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    password: z.string().min(10).max(200),
    role: z.enum(['admin', 'moderator']),
    sites: z.array(siteIdSchema).max(500),
  })
  .partial()
  .strict();
export const idSchema = z.object({ id: z.string().regex(/^[a-f0-9]{24}$/, 'must be an id') });

export interface IdentityRoutesDeps {
  moderators: ModeratorService;
  isSecureCookie: boolean;
  cookieName: string;
  rateLimitStore?: RateLimitStoreFactory | undefined;
}

/** `/mod/sessions` and `/mod/moderators`. Mounted behind the moderator guard (sign-in is its public route). */
export function createIdentityRouter(deps: IdentityRoutesDeps): Router {
  const router = Router();
  const cookieOptions = (expires: Date): CookieOptions => ({
    httpOnly: true,
    sameSite: 'strict',
    secure: deps.isSecureCookie,
    path: '/',
    expires,
  });
  const loginLimiter = createRateLimiter({ name: 'login', windowMs: 15 * 60 * 1000, limit: 30, store: deps.rateLimitStore });

  router.post('/mod/sessions', loginLimiter, async (req, res) => {
    const input = parseInput(loginSchema, req.body, 'sign-in');
    const session = await deps.moderators.login(input, { ip: req.ip ?? null, source: clientIpKey(req) });
    res.cookie(deps.cookieName, session.token, cookieOptions(new Date(session.expiresAt)));
    res.status(201).json(session);
  });

  router.get('/mod/sessions/current', async (_req, res) => {
    const token = res.locals['sessionToken'] as string;
    const session = await deps.moderators.authenticate(token, currentModerator(res).via);
    const { csrfToken, expiresAt, sessionId: _sessionId, via: _via, ...moderator } = session;
    res.json({ csrfToken, expiresAt: expiresAt.toISOString(), moderator });
  });

  router.delete('/mod/sessions', async (_req, res) => {
    await deps.moderators.logout(res.locals['sessionToken'] as string);
    res.clearCookie(deps.cookieName, { path: '/', secure: deps.isSecureCookie, httpOnly: true, sameSite: 'strict' });
    res.status(204).end();
  });

  router.get('/mod/moderators', async (_req, res) => {
    assertAdmin(currentModerator(res));
    res.json({ moderators: await deps.moderators.listModerators() });
  });

  router.post('/mod/moderators', async (req, res) => {
    assertAdmin(currentModerator(res));
    const { name, ...input } = parseInput(moderatorSchema, req.body, 'moderator');
    const shownName = name ?? input.email.split('@')[0] ?? input.email;
    res.status(201).json(await deps.moderators.createModerator({ ...input, name: shownName }));
  });

  router.patch('/mod/moderators/:id', async (req, res) => {
    assertAdmin(currentModerator(res));
    const { id } = parseInput(idSchema, req.params, 'moderator id');
    const patch = parseInput(moderatorPatchSchema, req.body, 'moderator');
    const clean = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    res.json(await deps.moderators.updateModerator(id, clean));
  });

  return router;
}
