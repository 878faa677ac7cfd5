/** Event types a webhook endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'comment.created',
  'comment.published',
  'comment.rejected',
  'comment.reported',
  'comment.featured',
  'post.heated',
  'post.closed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a receiver gets as the JSON body of a delivery. */
export interface WebhookPayload {
  /** The event's id: the same on every retry and redelivery of it. */
  id: string;
  type: WebhookEventType | 'webhook.test';
  createdAt: string;
  data: Record<string, unknown>;
}

/** `GET /mod/sites/:id/webhooks` items. The secret is never sent back. */
export interface WebhookDto {
  id: string;
  site: string;
  url: string;
  events: WebhookEventType[];
  /** The secret's last 4 characters, to tell secrets apart. */
  secretHint: string;
  /** A disabled endpoint keeps its log but gets no new events (test events and redeliveries still go). */
  enabled: boolean;
  createdAt: string;
  /** The newest delivery's outcome, for the list view. */
  lastDelivery: WebhookDeliveryDto | null;
}

/**
 * `POST /mod/sites/:id/webhooks` answer: `secret` is present only when the service
 * generated it (no secret in the request), and this is the only time it is shown.
 */
export type WebhookCreatedDto = WebhookDto & { secret?: string };

/** `GET /mod/sites/:id/webhooks`: the endpoints and every event type one may subscribe to. */
export interface WebhookListDto {
  webhooks: WebhookDto[];
  eventTypes: WebhookEventType[];
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event sent (or being sent) to one endpoint, with its attempts. */
export interface WebhookDeliveryDto {
  id: string;
  hookId: string;
  eventId: string;
  type: WebhookPayload['type'];
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When the next attempt is due (pending only). */
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}
