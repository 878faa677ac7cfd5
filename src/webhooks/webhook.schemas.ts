import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../contracts/webhooks';
import { siteIdSchema } from '../sites';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hex id');

export const siteParamsSchema = z.object({ id: siteIdSchema });
export const hookParamsSchema = z.object({ id: siteIdSchema, hookId: objectId });
export const deliveryParamsSchema = z.object({ id: siteIdSchema, hookId: objectId, deliveryId: objectId });

const urlSchema = z.string().trim().max(2000, 'must be at most 2000 characters');
const eventsSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { message: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` }))
  .min(1, 'must name at least one event')
  .max(WEBHOOK_EVENT_TYPES.length);
const secretSchema = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(200, 'must be at most 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** Without `secret`, the service generates one and answers it once. */
export const createWebhookBodySchema = z.strictObject({
  url: urlSchema,
  events: eventsSchema,
  secret: secretSchema.optional(),
});

export const updateWebhookBodySchema = z
  .strictObject({
    url: urlSchema.optional(),
    events: eventsSchema.optional(),
    secret: secretSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'must change at least one of url, events, secret, enabled',
  });

export const deliveriesQuerySchema = z.strictObject({
  cursor: objectId.optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
    .transform(Number)
    .pipe(z.number().int().min(1).max(100))
    .optional(),
});
