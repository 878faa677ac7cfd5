import { randomBytes, randomUUID } from 'node:crypto';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookCreatedDto,
  type WebhookDeliveryDto,
  type WebhookDto,
  type WebhookEventType,
  type WebhookListDto,
  type WebhookPayload,
} from '../contracts/webhooks';
import type { WebhookDeliveryEvent } from '../contracts/socket-events';
import type { ModeratorPrincipal } from '../identity';
import type { Clock } from '../shared/clock';
import { AppError, ValidationFailedError } from '../shared/errors';
import { deliveryEvent, type DeliveryWorker } from './delivery-worker';
import { refuseEndpointUrl } from './endpoint-url';
import type { DeliveryRecord, WebhookPatch, WebhookRecord, WebhookRepository } from './webhook.repository';

/** How long a delivery keeps being retried. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Endpoints per site. */
export const MAX_ENDPOINTS = 20;
/**
 * How long a site's enabled endpoints are trusted before a reload: every comment asks
 * which endpoints want it, and that must not cost a query. Changes through this
 * instance take effect at once, through another instance within this.
 */
export const ENDPOINT_CACHE_TTL_MS = 10_000;

export interface WebhookAuditEntry {
  moderator: ModeratorPrincipal;
  action: 'webhook.create' | 'webhook.update' | 'webhook.delete' | 'webhook.test' | 'webhook.redeliver';
  site: string;
  detail: Record<string, unknown>;
}

export interface WebhookServiceDeps {
  repository: WebhookRepository;
  worker: Pick<DeliveryWorker, 'wake'>;
  clock: Clock;
  allowPrivateUrls: boolean;
  assertCanModerate: (moderator: ModeratorPrincipal, site: string) => void;
  /** Throws SITE_NOT_FOUND for unknown sites. */
  requireSite: (site: string) => Promise<unknown>;
  recordAudit: (entry: WebhookAuditEntry) => Promise<void>;
  /** Told when a delivery is queued (a new event, a redelivery). */
  onDelivery?: (event: WebhookDeliveryEvent) => void;
}

export class WebhookNotFoundError extends AppError {
  constructor(id: string) {
    super('WEBHOOK_NOT_FOUND', `webhook ${JSON.stringify(id)} was not found on this site`, { id });
  }
}

export class WebhookDeliveryNotFoundError extends AppError {
  constructor(id: string) {
    super('WEBHOOK_DELIVERY_NOT_FOUND', `delivery ${JSON.stringify(id)} was not found for this webhook`, {
      id,
    });
  }
}

export class WebhookLimitReachedError extends AppError {
  constructor() {
    super('WEBHOOK_LIMIT_REACHED', `A site has at most ${MAX_ENDPOINTS} webhook endpoints`, {
      limit: MAX_ENDPOINTS,
    });
  }
}

export function toDeliveryDto(delivery: DeliveryRecord): WebhookDeliveryDto {
  return {
    id: delivery.id,
    hookId: delivery.hookId,
    eventId: delivery.eventId,
    type: delivery.type,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    lastStatus: delivery.lastStatus,
    lastLatencyMs: delivery.lastLatencyMs,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  };
}

function toWebhookDto(hook: WebhookRecord, last: DeliveryRecord | undefined): WebhookDto {
  return {
    id: hook.id,
    site: hook.site,
    url: hook.url,
    events: hook.events,
    secretHint: `…${hook.secret.slice(-4)}`,
    enabled: hook.enabled,
    createdAt: hook.createdAt.toISOString(),
    lastDelivery: last ? toDeliveryDto(last) : null,
  };
}

/** A secret for endpoints registered without one: 32 random bytes, URL-safe. */
function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export type WebhookService = ReturnType<typeof createWebhookService>;

export function createWebhookService(deps: WebhookServiceDeps) {
  const { repository, clock } = deps;

  const requireHook = async (
    moderator: ModeratorPrincipal,
    site: string,
    hookId: string,
  ): Promise<WebhookRecord> => {
    deps.assertCanModerate(moderator, site);
    await deps.requireSite(site);
    const hook = await repository.findHook(site, hookId);
    if (!hook) throw new WebhookNotFoundError(hookId);
    return hook;
  };

  const assertUrlAllowed = async (url: string): Promise<void> => {
    const refusal = await refuseEndpointUrl(url, deps.allowPrivateUrls);
    if (refusal)
      throw new ValidationFailedError(`The webhook URL ${refusal}`, [{ path: 'url', message: refusal }]);
  };

  const enqueue = async (
    hooks: readonly WebhookRecord[],
    type: WebhookPayload['type'],
    data: Record<string, unknown>,
  ): Promise<DeliveryRecord[]> => {
    if (hooks.length === 0) return [];
    const now = clock.now();
    const payload: WebhookPayload = { id: randomUUID(), type, createdAt: now.toISOString(), data };
    const body = JSON.stringify(payload);
    const created = await repository.insertDeliveries(
      hooks.map((hook) => ({
        hookId: hook.id,
        site: hook.site,
        eventId: payload.id,
        type,
        body,
        status: 'pending' as const,
        attempts: 0,
        nextAttemptAt: now,
        lockedUntil: null,
        lastStatus: null,
        lastLatencyMs: null,
        lastError: null,
        createdAt: now,
        giveUpAt: new Date(now.getTime() + RETRY_WINDOW_MS),
        deliveredAt: null,
      })),
    );
    for (const delivery of created) deps.onDelivery?.(deliveryEvent(delivery, 'pending'));
    deps.worker.wake();
    return created;
  };

  const endpointCache = new Map<string, { at: number; hooks: Promise<WebhookRecord[]> }>();
  const enabledHooksOf = (site: string): Promise<WebhookRecord[]> => {
    const now = clock.now().getTime();
    const cached = endpointCache.get(site);
    if (cached && now >= cached.at && now - cached.at < ENDPOINT_CACHE_TTL_MS) return cached.hooks;
    const hooks = repository.listHooks(site).then((all) => all.filter((hook) => hook.enabled));
    endpointCache.set(site, { at: now, hooks });
    // A failed read is not kept: the next event asks again.
    hooks.catch(() => endpointCache.delete(site));
    return hooks;
  };
  const forgetEndpoints = (site: string): void => void endpointCache.delete(site);

  return {
    async createEndpoint(
      moderator: ModeratorPrincipal,
      site: string,
      input: { url: string; events: WebhookEventType[]; secret?: string | undefined },
    ): Promise<WebhookCreatedDto> {
      deps.assertCanModerate(moderator, site);
      await deps.requireSite(site);
      await assertUrlAllowed(input.url);
      if ((await repository.listHooks(site)).length >= MAX_ENDPOINTS) throw new WebhookLimitReachedError();
      const secret = input.secret ?? generateSecret();
      const hook = await repository.insertHook({
        site,
        url: input.url,
        events: [...new Set(input.events)],
        secret,
        enabled: true,
        createdAt: clock.now(),
        createdBy: moderator.id,
      });
      forgetEndpoints(site);
      await deps.recordAudit({
        moderator,
        action: 'webhook.create',
        site,
        detail: { hookId: hook.id, url: hook.url, events: hook.events },
      });
      const dto = toWebhookDto(hook, undefined);
      return input.secret === undefined ? { ...dto, secret } : dto;
    },

    async listEndpoints(moderator: ModeratorPrincipal, site: string): Promise<WebhookListDto> {
      deps.assertCanModerate(moderator, site);
      await deps.requireSite(site);
      const hooks = await repository.listHooks(site);
      const latest = await repository.latestDeliveries(hooks.map((hook) => hook.id));
      return {
        webhooks: hooks.map((hook) => toWebhookDto(hook, latest.get(hook.id))),
        eventTypes: [...WEBHOOK_EVENT_TYPES],
      };
    },

    /** Changes an endpoint's URL, events, secret or enabled switch; its delivery log stays. */
    async updateEndpoint(
      moderator: ModeratorPrincipal,
      site: string,
      hookId: string,
      input: { url?: string | undefined; events?: WebhookEventType[] | undefined; secret?: string | undefined; enabled?: boolean | undefined },
    ): Promise<WebhookDto> {
      const hook = await requireHook(moderator, site, hookId);
      if (input.url !== undefined && input.url !== hook.url) await assertUrlAllowed(input.url);
      const patch: WebhookPatch = {};
      if (input.url !== undefined) patch.url = input.url;
      if (input.events !== undefined) patch.events = [...new Set(input.events)];
      if (input.secret !== undefined) patch.secret = input.secret;
      if (input.enabled !== undefined) patch.enabled = input.enabled;
      const updated = await repository.updateHook(site, hook.id, patch);
      forgetEndpoints(site);
      if (!updated) throw new WebhookNotFoundError(hookId);
      await deps.recordAudit({
        moderator,
        action: 'webhook.update',
        site,
        // The secret itself never goes into the audit log.
        detail: { hookId: hook.id, fields: Object.keys(patch), url: updated.url, events: updated.events, enabled: updated.enabled },
      });
      const latest = await repository.latestDeliveries([updated.id]);
      return toWebhookDto(updated, latest.get(updated.id));
    },

    async deleteEndpoint(moderator: ModeratorPrincipal, site: string, hookId: string): Promise<void> {
      const hook = await requireHook(moderator, site, hookId);
      await repository.deleteHook(site, hook.id);
      forgetEndpoints(site);
      await deps.recordAudit({
        moderator,
        action: 'webhook.delete',
        site,
        detail: { hookId: hook.id, url: hook.url },
      });
    },

    async listDeliveries(
      moderator: ModeratorPrincipal,
      site: string,
      hookId: string,
      page: { before?: string | undefined; limit: number },
    ): Promise<{ deliveries: WebhookDeliveryDto[]; nextCursor: string | null }> {
      const hook = await requireHook(moderator, site, hookId);
      const found = await repository.listDeliveries(hook.id, page.before, page.limit + 1);
      const shown = found.slice(0, page.limit);
      const last = shown[shown.length - 1];
      return {
        deliveries: shown.map(toDeliveryDto),
        nextCursor: found.length > page.limit && last ? last.id : null,
      };
    },

    /** Queues a `webhook.test` event for one endpoint. */
    async sendTestEvent(
      moderator: ModeratorPrincipal,
      site: string,
      hookId: string,
    ): Promise<WebhookDeliveryDto> {
      const hook = await requireHook(moderator, site, hookId);
      const [delivery] = await enqueue([hook], 'webhook.test', {
        site,
        message: 'A test event from Parley',
        by: moderator.name,
      });
      await deps.recordAudit({ moderator, action: 'webhook.test', site, detail: { hookId: hook.id } });
      if (!delivery) throw new Error('test delivery was not stored');
      return toDeliveryDto(delivery);
    },

    /** Sends a past delivery again, with the same event id and body. */
    async redeliver(
      moderator: ModeratorPrincipal,
      site: string,
      hookId: string,
      deliveryId: string,
    ): Promise<WebhookDeliveryDto> {
      const hook = await requireHook(moderator, site, hookId);
      const delivery = await repository.findDelivery(hook.id, deliveryId);
      if (!delivery) throw new WebhookDeliveryNotFoundError(deliveryId);
      const now = clock.now();
      const requeued = await repository.requeue(delivery.id, now, new Date(now.getTime() + RETRY_WINDOW_MS));
      if (!requeued) throw new WebhookDeliveryNotFoundError(deliveryId);
      deps.onDelivery?.(deliveryEvent(delivery, 'pending'));
      deps.worker.wake();
      await deps.recordAudit({
        moderator,
        action: 'webhook.redeliver',
        site,
        detail: { hookId: hook.id, deliveryId },
      });
      return toDeliveryDto(requeued);
    },

    /** Whether any enabled endpoint of the site wants one of these events (so the event is worth describing). */
    async hasSubscribers(site: string, types: readonly WebhookEventType[]): Promise<boolean> {
      const hooks = await enabledHooksOf(site);
      return hooks.some((hook) => types.some((type) => hook.events.includes(type)));
    },

    /** Queues each event for every endpoint of the site that subscribed to its type. */
    async emit(site: string, types: readonly WebhookEventType[], data: Record<string, unknown>): Promise<void> {
      const hooks = await enabledHooksOf(site);
      for (const type of types) await enqueue(hooks.filter((hook) => hook.events.includes(type)), type, data);
    },
  };
}
