import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * How readers' e-mail addresses are kept: an HMAC of the normalised address for
 * lookups (the same address twice, limits per address) and the address itself
 * AES-256-GCM encrypted, readable only with the session secret. Keys are derived
 * from the secret, one per purpose.
 */
export interface EmailVault {
  /** Lower-cased, trimmed: the form hashes and mails use. */
  normalise(email: string): string;
  hash(email: string): string;
  encrypt(email: string): string;
  /** Undefined when the box was sealed with another secret or altered. */
  decrypt(sealed: string): string | undefined;
}

export function createEmailVault(secret: string): EmailVault {
  const derive = (purpose: string): Buffer =>
    Buffer.from(hkdfSync('sha256', secret, 'parley-mail', purpose, 32));
  const hashKey = derive('email-hash');
  const sealKey = derive('email-seal');
  const normalise = (email: string): string => email.trim().toLowerCase();
  return {
    normalise,
    hash: (email) => createHmac('sha256', hashKey).update(normalise(email)).digest('base64url'),
    encrypt(email) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      const body = Buffer.concat([cipher.update(normalise(email), 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', sealKey, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** "o•••@example.com": enough for a reader to recognise their address on screen. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}
