import type { Logger } from 'pino';
import type { WebhookDeliveryEvent } from '../contracts/socket-events';
import type { Clock } from '../shared/clock';
import { signBody } from '../shared/signature';
import { refuseEndpointUrl } from './endpoint-url';
import type { DeliveryRecord, WebhookRepository } from './webhook.repository';

export interface DeliveryWorkerDeps {
  repository: WebhookRepository;
  clock: Clock;
  logger: Logger;
  /** First retry delay; doubles per attempt up to an hour. */
  retryBaseMs: number;
  timeoutMs: number;
  allowPrivateUrls: boolean;
  /** How often due deliveries are looked for (besides being woken on new events). */
  pollMs?: number;
  /** Told after each attempt is recorded. */
  onDelivery?: (event: WebhookDeliveryEvent) => void;
}

export interface DeliveryWorker {
  /** Looks for due deliveries now (after an event was queued). */
  wake(): void;
  /** Stops polling and waits for the attempts in flight. */
  close(): Promise<void>;
}

const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;
const PARALLEL_SENDS = 4;

/** What the panel is told of a delivery that moved (queued, attempted, given up). */
export function deliveryEvent(delivery: Pick<DeliveryRecord, 'site' | 'hookId' | 'id'>, status: WebhookDeliveryEvent['status']): WebhookDeliveryEvent {
  return { site: delivery.site, hookId: delivery.hookId, deliveryId: delivery.id, status };
}

/** Delay before attempt `attempt + 1`, after `attempt` attempts failed. */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Sends queued deliveries: claims one due delivery at a time with a conditional
 * update (so several instances share the queue), signs it, records status and
 * latency, and schedules a retry with exponential back-off until its day is over.
 */
export function createDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const { repository, clock, logger } = deps;
  let isClosed = false;
  let running: Promise<void> | undefined;
  let wanted = false;

  const attempt = async (delivery: DeliveryRecord): Promise<void> => {
    const hook = await repository.findHookById(delivery.hookId);
    const startedAt = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    if (!hook) {
      error = 'endpoint deleted';
    } else {
      const refusal = await refuseEndpointUrl(hook.url, deps.allowPrivateUrls);
      if (refusal) {
        error = `URL ${refusal}`;
      } else {
        try {
          const response = await fetch(hook.url, {
            method: 'POST',
            redirect: 'manual',
            signal: AbortSignal.timeout(deps.timeoutMs),
            headers: {
              'Content-Type': 'application/json',
              'User-Agent': 'Parley-Webhooks/1',
              'X-Parley-Event': delivery.type,
              'X-Parley-Delivery': delivery.id,
              'X-Parley-Signature': signBody(
                hook.secret,
                delivery.body,
                Math.floor(clock.now().getTime() / 1000),
              ),
            },
            body: delivery.body,
          });
          status = response.status;
          await response.body?.cancel().catch(() => undefined);
          if (status < 200 || status >= 300) error = `HTTP ${status}`;
        } catch (caught) {
          error =
            caught instanceof Error && caught.name === 'TimeoutError'
              ? `no answer within ${deps.timeoutMs} ms`
              : String((caught as Error).message ?? caught);
        }
      }
    }
    const now = clock.now();
    const latency = Date.now() - startedAt;
    if (error === null) {
      await repository.recordAttempt(delivery.id, {
        status: 'delivered',
        nextAttemptAt: null,
        lastStatus: status,
        lastLatencyMs: latency,
        lastError: null,
        deliveredAt: now,
      });
      deps.onDelivery?.(deliveryEvent(delivery, 'delivered'));
      return;
    }
    const next = new Date(now.getTime() + retryDelayMs(delivery.attempts, deps.retryBaseMs));
    const isOver = !hook || next > delivery.giveUpAt;
    await repository.recordAttempt(delivery.id, {
      status: isOver ? 'failed' : 'pending',
      nextAttemptAt: isOver ? null : next,
      lastStatus: status,
      lastLatencyMs: latency,
      lastError: error,
      deliveredAt: null,
    });
    deps.onDelivery?.(deliveryEvent(delivery, isOver ? 'failed' : 'pending'));
    logger.info(
      { delivery: delivery.id, hook: delivery.hookId, error, attempts: delivery.attempts, gaveUp: isOver },
      'webhook delivery failed',
    );
  };

  const claim = (): Promise<DeliveryRecord | undefined> => {
    const now = clock.now();
    return repository.claimDue(now, new Date(now.getTime() + deps.timeoutMs + 5000));
  };

  const drain = async (): Promise<void> => {
    do {
      wanted = false;
      // One probe while the queue is empty (the usual case): the lanes open only for work.
      const first = await claim();
      if (first === undefined) continue;
      const lanes = Array.from({ length: PARALLEL_SENDS }, async (_, lane) => {
        let due = lane === 0 ? first : await claim();
        while (due !== undefined && !isClosed) {
          const current = due;
          await attempt(current).catch((error: unknown) =>
            logger.error({ err: error, delivery: current.id }, 'webhook attempt crashed'),
          );
          due = isClosed ? undefined : await claim();
        }
      });
      await Promise.all(lanes);
    } while (wanted && !isClosed);
  };

  const wake = (): void => {
    if (isClosed) return;
    if (running) {
      wanted = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => logger.warn({ err: error }, 'webhook queue not readable'))
      .finally(() => {
        running = undefined;
      });
  };

  const timer = setInterval(wake, deps.pollMs ?? 1000);
  timer.unref();

  return {
    wake,
    async close() {
      isClosed = true;
      clearInterval(timer);
      await running;
    },
  };
}
