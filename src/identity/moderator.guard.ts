import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../shared/errors';
import type { ModeratorService } from './moderator.service';
import type { ModeratorPrincipal } from './identity.types';

export const SESSION_COOKIE = 'parley_session';

/**
 * The session cookie's name: `__Host-` prefixed over https, so the browser only
 * accepts it Secure, for `/`, from this exact host (no sibling subdomain can
 * plant or shadow it). Plain http keeps the bare name (browsers refuse the prefix there).
 */
export function sessionCookieName(isSecure: boolean): string {
  return isSecure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The bearer token of a request, if it sent `Authorization: Bearer …`. */
export function readBearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header.trim());
  return match?.[1];
}

function readCookie(req: Request, name: string): string | undefined {
  const cookies: unknown = req.cookies;
  if (typeof cookies !== 'object' || cookies === null) return undefined;
  const value = (cookies as Record<string, unknown>)[name];
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;
}

function isSameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Whether a cookie-carrying request comes from the panel's own pages. A page on
 * a site origin that is *same-site* with Parley (a sibling subdomain, the same
 * host on another port) gets the SameSite=Strict cookie sent along, so the
 * cookie alone proves nothing: the browser's `Sec-Fetch-Site` and `Origin` must
 * name this origin. Requests without either header are not from a browser page.
 */
export function isFromPanelOrigin(req: Request, panelOrigin: string): boolean {
  const fetchSite = req.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string' && fetchSite !== 'same-origin' && fetchSite !== 'none') return false;
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return true;
  if (origin === panelOrigin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * The one guard in front of every `/mod` route. Bearer tokens (API clients)
 * or the panel's HTTP-only cookie; the cookie only counts on requests from the
 * panel's own origin, and cookie-authenticated unsafe requests must carry the
 * session's CSRF token in `X-CSRF-Token`. Routes listed in `publicRoutes`
 * (sign-in) pass through unauthenticated.
 */
export function createModeratorGuard(
  moderators: ModeratorService,
  options: { publicRoutes: { method: string; path: string }[]; cookieName: string; panelOrigin: string },
): RequestHandler {
  return async (req, res, next) => {
    if (options.publicRoutes.some((route) => route.method === req.method && route.path === req.path)) {
      next();
      return;
    }
    const bearer = readBearer(req);
    const cookie = bearer ? undefined : readCookie(req, options.cookieName);
    const token = bearer ?? cookie;
    if (!token) throw new AppError('UNAUTHENTICATED', 'Sign in to continue');
    if (cookie && !isFromPanelOrigin(req, options.panelOrigin)) {
      throw new AppError('ORIGIN_NOT_ALLOWED', 'The moderator session only works from the moderator panel');
    }
    const principal = await moderators.authenticate(token, bearer ? 'bearer' : 'cookie');
    if (!bearer && !SAFE_METHODS.has(req.method)) {
      const given = req.headers['x-csrf-token'];
      if (typeof given !== 'string' || !isSameToken(given, principal.csrfToken)) {
        throw new AppError('CSRF_TOKEN_INVALID', 'Missing or wrong X-CSRF-Token header');
      }
    }
    const { csrfToken: _csrf, expiresAt: _expires, ...moderator } = principal;
    res.locals['moderator'] = moderator;
    res.locals['sessionToken'] = token;
    next();
  };
}

/** The moderator the guard authenticated. Only call behind the guard. */
export function currentModerator(res: Response): ModeratorPrincipal {
  const moderator = res.locals['moderator'] as ModeratorPrincipal | undefined;
  if (!moderator) throw new AppError('UNAUTHENTICATED', 'Sign in to continue');
  return moderator;
}

export function canModerate(moderator: Pick<ModeratorPrincipal, 'role' | 'sites'>, site: string): boolean {
  return moderator.role === 'admin' || moderator.sites.includes(site);
}

export function assertCanModerate(moderator: Pick<ModeratorPrincipal, 'role' | 'sites'>, site: string): void {
  if (!canModerate(moderator, site)) {
    throw new AppError('OUT_OF_SCOPE', `You do not moderate site ${JSON.stringify(site)}`);
  }
}

export function assertAdmin(moderator: Pick<ModeratorPrincipal, 'role'>): void {
  if (moderator.role !== 'admin') throw new AppError('FORBIDDEN', 'Only admins may do this');
}

/** The sites a moderator may see, or `null` for all (admins). */
export function scopeOf(moderator: Pick<ModeratorPrincipal, 'role' | 'sites'>): string[] | null {
  return moderator.role === 'admin' ? null : moderator.sites;
}
