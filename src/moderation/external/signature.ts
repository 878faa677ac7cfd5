import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying Parley's signature on requests, and the classifier's on its answers. */
export const SIGNATURE_HEADER = 'X-Parley-Signature';

/** Answers signed further than this from Parley's clock are refused (replays, skewed clocks). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

function digest(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, as in PRODUCT.md. */
export function signPayload(secret: string, body: string, now: Date): string {
  const timestamp = Math.floor(now.getTime() / 1000);
  return `t=${timestamp},v1=${digest(secret, timestamp, body)}`;
}

export type SignatureCheck = { isValid: true } | { isValid: false; reason: string };

/**
 * Checks a signature header over a raw body: well formed, within the
 * tolerance of `now`, and one `v1` matching (several are allowed while a
 * secret is rotated).
 */
export function verifySignature(header: string | null | undefined, secret: string, body: string, now: Date): SignatureCheck {
  if (header === null || header === undefined || header === '') return { isValid: false, reason: 'no signature header' };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value !== undefined && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value.toLowerCase());
  }
  if (timestamp === undefined || candidates.length === 0) return { isValid: false, reason: 'a malformed signature header' };
  const skew = Math.abs(now.getTime() / 1000 - timestamp);
  if (skew > SIGNATURE_TOLERANCE_SECONDS) return { isValid: false, reason: `a signature ${Math.round(skew)} s away from our clock` };
  const expected = Buffer.from(digest(secret, timestamp, body), 'hex');
  const matches = candidates.some((candidate) => timingSafeEqual(Buffer.from(candidate, 'hex'), expected));
  return matches ? { isValid: true } : { isValid: false, reason: 'a signature that does not match' };
}
