import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What a link in a mail may do. */
export type MailTokenPurpose = 'confirm' | 'unsubscribe';

export interface MailTokenClaims {
  purpose: MailTokenPurpose;
  /** The subscription the link belongs to. */
  subscriptionId: string;
  /** The subscription's nonce: a replaced subscription's old links stop working. */
  nonce: string;
  /** Unix seconds; absent for links that never expire (unsubscribe). */
  expiresAt?: number | undefined;
}

export type MailTokenCheck =
  | { ok: true; claims: MailTokenClaims }
  | { ok: false; reason: 'invalid' | 'expired'; claims?: MailTokenClaims | undefined };

/**
 * Signed links for mails: `<base64url JSON>.<base64url HMAC-SHA256>`, with a key
 * derived from the session secret for this purpose only. Readers click them
 * without signing in, so the signature is the whole proof.
 */
export function createMailTokens(secret: string) {
  const key = Buffer.from(hkdfSync('sha256', secret, 'parley-mail', 'mail-links', 32));
  const sign = (payload: string): Buffer => createHmac('sha256', key).update(payload).digest();
  return {
    issue(claims: MailTokenClaims): string {
      const payload = Buffer.from(
        JSON.stringify({ p: claims.purpose, s: claims.subscriptionId, n: claims.nonce, e: claims.expiresAt }),
      ).toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },
    verify(token: string, purpose: MailTokenPurpose, nowSeconds: number): MailTokenCheck {
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'invalid' };
      const given = Buffer.from(signature, 'base64url');
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return { ok: false, reason: 'invalid' };
      }
      const body = parsed as { p?: unknown; s?: unknown; n?: unknown; e?: unknown };
      if (body.p !== purpose || typeof body.s !== 'string' || typeof body.n !== 'string') {
        return { ok: false, reason: 'invalid' };
      }
      const claims: MailTokenClaims = {
        purpose,
        subscriptionId: body.s,
        nonce: body.n,
        expiresAt: typeof body.e === 'number' ? body.e : undefined,
      };
      if (claims.expiresAt !== undefined && claims.expiresAt < nowSeconds) return { ok: false, reason: 'expired', claims };
      return { ok: true, claims };
    },
  };
}

export type MailTokens = ReturnType<typeof createMailTokens>;
