import { z } from 'zod';
import type { Ack } from '../contracts/socket-events';
import { isAppError } from '../shared';
// Post keys are validated exactly like the HTTP thread route's.
import { postKeySchema } from '../comments';

/** Same rule as the sites component's SITE_ID_PATTERN: no `:`, so room names stay unambiguous. */
const siteSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a site id');
const tokenSchema = z.string().min(1).max(4096);

export const joinPayloadSchema = z.strictObject({
  site: siteSchema,
  post: postKeySchema,
  since: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  authorToken: tokenSchema.optional(),
});

export const leavePayloadSchema = z.strictObject({ site: siteSchema, post: postKeySchema });

export const watchPayloadSchema = z.strictObject({ sites: z.array(siteSchema).max(500) });

/** `auth` of a `/moderation` handshake. */
export const moderatorAuthSchema = z.object({
  token: tokenSchema.optional(),
  /** Connect to only these sites (all must be in scope). */
  sites: z.array(siteSchema).max(500).optional(),
});

/** The error half of an ack; unknown errors are logged by the caller and reported as INTERNAL. */
export function toAckError(error: unknown): Extract<Ack<never>, { ok: false }> {
  if (isAppError(error)) return { ok: false, error: { code: error.code, message: error.message } };
  return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on our side' } };
}

/** Acks are optional on the wire: a client may emit without a callback. */
export function readAck<T>(candidate: unknown): (result: Ack<T>) => void {
  return typeof candidate === 'function' ? (candidate as (result: Ack<T>) => void) : () => undefined;
}
