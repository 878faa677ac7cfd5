/**
 * Webhooks: sites register endpoints for comment and post events; deliveries are
 * queued in MongoDB, signed, retried with exponential back-off for a day, and logged.
 */
import type { Router } from 'express';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { CommentChange, CommentRecord, PostChange, PostRecord } from '../comments';
import type { WebhookDeliveryEvent } from '../contracts/socket-events';
import type { Clock } from '../shared/clock';
import { createDeliveryWorker } from './delivery-worker';
import { createWebhookEventBridge } from './webhook-events';
import { createWebhookRepository } from './webhook.repository';
import { createWebhookRouter } from './webhook.routes';
import { createWebhookService, type WebhookServiceDeps, type WebhookService } from './webhook.service';

export { webhookApiPaths, webhookApiSchemas } from './webhook.openapi';
export type { WebhookService, WebhookAuditEntry } from './webhook.service';
export { retryDelayMs } from './delivery-worker';
export { isPrivateAddress } from './endpoint-url';

export interface WebhooksDeps {
  connection: Connection;
  clock: Clock;
  logger: Logger;
  retryBaseMs: number;
  timeoutMs: number;
  allowPrivateUrls: boolean;
  assertCanModerate: WebhookServiceDeps['assertCanModerate'];
  requireSite: WebhookServiceDeps['requireSite'];
  recordAudit: WebhookServiceDeps['recordAudit'];
  describeComment: (comment: CommentRecord) => Promise<Record<string, unknown>>;
  describePost: (post: PostRecord) => Record<string, unknown>;
  /** Told when a delivery is queued or attempted (the panel's live delivery log). */
  onDelivery: (event: WebhookDeliveryEvent) => void;
}

export interface Webhooks {
  service: WebhookService;
  /** Moderator routes, mounted under `/api/v1` after the moderator guard. */
  router: Router;
  onCommentChange(change: CommentChange): Promise<void>;
  onPostChange(change: PostChange): Promise<void>;
  close(): Promise<void>;
}

export function createWebhooks(deps: WebhooksDeps): Webhooks {
  const repository = createWebhookRepository(deps.connection);
  const worker = createDeliveryWorker({
    repository,
    clock: deps.clock,
    logger: deps.logger,
    retryBaseMs: deps.retryBaseMs,
    timeoutMs: deps.timeoutMs,
    allowPrivateUrls: deps.allowPrivateUrls,
    onDelivery: deps.onDelivery,
  });
  const service = createWebhookService({
    repository,
    worker,
    clock: deps.clock,
    allowPrivateUrls: deps.allowPrivateUrls,
    assertCanModerate: deps.assertCanModerate,
    requireSite: deps.requireSite,
    recordAudit: deps.recordAudit,
    onDelivery: deps.onDelivery,
  });
  const bridge = createWebhookEventBridge({
    hasSubscribers: (site, types) => service.hasSubscribers(site, types),
    emit: (site, types, data) => service.emit(site, types, data),
    describeComment: deps.describeComment,
    describePost: deps.describePost,
  });
  return {
    service,
    router: createWebhookRouter(service),
    onCommentChange: (change) => bridge.onCommentChange(change),
    onPostChange: (change) => bridge.onPostChange(change),
    close: () => worker.close(),
  };
}
