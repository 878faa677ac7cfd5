import { jsonSchemaOf } from '../shared/openapi';
import { WEBHOOK_EVENT_TYPES } from '../contracts/webhooks';
import { createWebhookBodySchema, updateWebhookBodySchema } from './webhook.schemas';

const problem = {
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const security = [{ bearerAuth: [] }, { cookieAuth: [] }];
const path = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const site = path('id', 'Site id');
const hook = path('hookId', 'Webhook id');
const delivery = path('deliveryId', 'Delivery id');

const webhook = {
  type: 'object',
  required: ['id', 'site', 'url', 'events', 'secretHint', 'enabled', 'createdAt', 'lastDelivery'],
  properties: {
    id: { type: 'string' },
    site: { type: 'string' },
    url: { type: 'string' },
    events: { type: 'array', items: { enum: [...WEBHOOK_EVENT_TYPES] } },
    secretHint: {
      type: 'string',
      description: 'Last four characters of the secret; the secret itself is never returned',
    },
    enabled: {
      type: 'boolean',
      description: 'A disabled endpoint gets no new events; test events and redeliveries still go',
    },
    createdAt: { type: 'string', format: 'date-time' },
    lastDelivery: { oneOf: [{ $ref: '#/components/schemas/WebhookDelivery' }, { type: 'null' }] },
  },
};
const deliverySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    hookId: { type: 'string' },
    eventId: { type: 'string' },
    type: { type: 'string' },
    status: { enum: ['pending', 'delivered', 'failed'] },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: ['string', 'null'], format: 'date-time' },
    lastStatus: { type: ['integer', 'null'] },
    lastLatencyMs: { type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    deliveredAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

/** Component schemas of the webhook routes. */
export function webhookApiSchemas(): Record<string, unknown> {
  return { Webhook: webhook, WebhookDelivery: deliverySchema };
}

/** OpenAPI paths of the webhook routes. */
export function webhookApiPaths(): Record<string, unknown> {
  const errors = {
    '400': { description: 'Invalid input', ...problem },
    '401': { description: 'Not signed in', ...problem },
    '403': { description: 'Not this site', ...problem },
    '404': { description: 'Unknown site, webhook or delivery', ...problem },
  };
  return {
    '/api/v1/mod/sites/{id}/webhooks': {
      get: {
        summary: "A site's webhook endpoints",
        tags: ['webhooks'],
        security,
        parameters: [site],
        responses: {
          '200': {
            description: '`{ webhooks, eventTypes }`: the endpoints, and every event type one may subscribe to',
          },
          ...errors,
        },
      },
      post: {
        summary: 'Register a webhook endpoint',
        description:
          'Deliveries are POSTs of `{ id, type, createdAt, data }` with `X-Parley-Event`, `X-Parley-Delivery` and `X-Parley-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`; retried with exponential back-off for a day. Loopback and private addresses are refused unless WEBHOOK_ALLOW_PRIVATE_URLS=true.',
        tags: ['webhooks'],
        security,
        parameters: [site],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: jsonSchemaOf(createWebhookBodySchema) } },
        },
        responses: {
          '201': {
            description:
              'The endpoint; with `secret` when the request had none and the service generated it (shown this once)',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Webhook' } } },
          },
          '409': { description: 'WEBHOOK_LIMIT_REACHED', ...problem },
          ...errors,
        },
      },
    },
    '/api/v1/mod/sites/{id}/webhooks/{hookId}': {
      patch: {
        summary: 'Change an endpoint: URL, events, secret, or `enabled` (disable without losing its log)',
        tags: ['webhooks'],
        security,
        parameters: [site, hook],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: jsonSchemaOf(updateWebhookBodySchema) } },
        },
        responses: {
          '200': {
            description: 'The endpoint',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Webhook' } } },
          },
          ...errors,
        },
      },
      delete: {
        summary: 'Delete a webhook endpoint',
        tags: ['webhooks'],
        security,
        parameters: [site, hook],
        responses: { '204': { description: 'Deleted' }, ...errors },
      },
    },
    '/api/v1/mod/sites/{id}/webhooks/{hookId}/deliveries': {
      get: {
        summary: "An endpoint's deliveries, newest first",
        tags: ['webhooks'],
        security,
        parameters: [
          site,
          hook,
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        ],
        responses: { '200': { description: '{ deliveries, nextCursor }' }, ...errors },
      },
    },
    '/api/v1/mod/sites/{id}/webhooks/{hookId}/test': {
      post: {
        summary: 'Send a `webhook.test` event to the endpoint',
        tags: ['webhooks'],
        security,
        parameters: [site, hook],
        responses: { '202': { description: 'The queued delivery' }, ...errors },
      },
    },
    '/api/v1/mod/sites/{id}/webhooks/{hookId}/deliveries/{deliveryId}/redeliver': {
      post: {
        summary: 'Send a delivery again (same event id and body)',
        tags: ['webhooks'],
        security,
        parameters: [site, hook, delivery],
        responses: { '202': { description: 'The requeued delivery' }, ...errors },
      },
    },
  };
}
