import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { AppError } from '../shared/errors';
import { MAX_BADGES, MAX_BADGE_LENGTH } from '../contracts/comments';

const AUTHOR_TOKEN_PREFIX = 'pa1';

export function createOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** A guest's author token: `pa1.<authorId>.<site>.<hmac>`, bound to one author on one site. */
export function issueAuthorToken(secret: string, author: { id: string; site: string }): string {
  const payload = `${AUTHOR_TOKEN_PREFIX}.${author.id}.${author.site}`;
  return `${payload}.${sign(secret, `author:${payload}`)}`;
}

export function isAuthorToken(token: string): boolean {
  return token.startsWith(`${AUTHOR_TOKEN_PREFIX}.`);
}

/** Returns the author id of a valid token for this site; throws AUTHOR_TOKEN_INVALID otherwise. */
export function verifyAuthorToken(secret: string, token: string, site: string): string {
  const parts = token.split('.');
  const [prefix, authorId, tokenSite, signature] = parts;
  if (parts.length !== 4 || prefix !== AUTHOR_TOKEN_PREFIX || !authorId || !tokenSite || !signature) {
    throw new AppError('AUTHOR_TOKEN_INVALID', 'The author token is malformed');
  }
  const expected = Buffer.from(sign(secret, `author:${prefix}.${authorId}.${tokenSite}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given) || !/^[a-f0-9]{24}$/.test(authorId)) {
    throw new AppError('AUTHOR_TOKEN_INVALID', 'The author token is not valid');
  }
  if (tokenSite !== site) {
    throw new AppError('AUTHOR_TOKEN_INVALID', 'The author token belongs to another site');
  }
  return authorId;
}

/** The longest an SSO token may live: `exp` at most this far ahead. */
export const SSO_MAX_LIFETIME_SECONDS = 30 * 86_400;

const ssoClaimsSchema = z.object({
  sub: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(50),
  email: z.email().max(254).optional(),
  avatar: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  /** Labels the host site gives its reader ("Subscriber", "Verified"), shown as text beside the name. */
  badges: z
    .array(
      z
        .string()
        .transform((badge) => badge.normalize('NFC').trim().replace(/\s+/g, ' '))
        .pipe(
          z
            .string()
            .min(1)
            .max(MAX_BADGE_LENGTH)
            .refine((badge) => !/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.test(badge), 'must not contain control or invisible characters'),
        ),
    )
    .max(MAX_BADGES)
    .transform((badges) => [...new Set(badges)])
    .optional(),
  exp: z.number().int(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  site: z.string().optional(),
});

export type SsoClaims = z.output<typeof ssoClaimsSchema>;

function claimedSite(decoded: unknown): string | undefined {
  if (typeof decoded !== 'object' || decoded === null) return undefined;
  const { aud, site } = decoded as { aud?: unknown; site?: unknown };
  if (typeof site === 'string') return site;
  if (typeof aud === 'string') return aud;
  return undefined;
}

/**
 * Verifies a host site's HS256 JWT. A token naming another site (`aud` or
 * `site`) is SSO_WRONG_SITE; a bad signature or shape SSO_TOKEN_INVALID; a past
 * `exp` SSO_TOKEN_EXPIRED. `exp` is required: a token that never expires is refused.
 */
export function verifySsoToken(token: string, site: { id: string; ssoSecret: string | undefined }, now: Date): SsoClaims {
  if (!site.ssoSecret) {
    throw new AppError('SSO_NOT_CONFIGURED', `Site ${site.id} has no single sign-on secret`);
  }
  const unverified = jwt.decode(token);
  const named = claimedSite(unverified);
  if (named !== undefined && named !== site.id) {
    throw new AppError('SSO_WRONG_SITE', 'The sign-in token was issued for another site');
  }
  let verified: unknown;
  try {
    verified = jwt.verify(token, site.ssoSecret, {
      algorithms: ['HS256'],
      clockTimestamp: Math.floor(now.getTime() / 1000),
    });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) {
      throw new AppError('SSO_TOKEN_EXPIRED', 'The sign-in token has expired');
    }
    throw new AppError('SSO_TOKEN_INVALID', 'The sign-in token is not valid for this site');
  }
  const parsed = ssoClaimsSchema.safeParse(verified);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? 'claims';
    throw new AppError('SSO_TOKEN_INVALID', `The sign-in token has a missing or invalid ${field} claim`);
  }
  // `aud`, when present, must name this site, whatever `site` says.
  const audience = parsed.data.aud;
  if (audience !== undefined && !(Array.isArray(audience) ? audience : [audience]).includes(site.id)) {
    throw new AppError('SSO_WRONG_SITE', 'The sign-in token was issued for another site');
  }
  // A leaked token must not work for years: refuse expiries further ahead than the cap.
  const latestExp = Math.floor(now.getTime() / 1000) + SSO_MAX_LIFETIME_SECONDS;
  if (parsed.data.exp > latestExp) {
    throw new AppError('SSO_TOKEN_INVALID', `The sign-in token expires too far ahead (at most ${SSO_MAX_LIFETIME_SECONDS / 86_400} days)`, {
      maxLifetimeSeconds: SSO_MAX_LIFETIME_SECONDS,
    });
  }
  return parsed.data;
}
