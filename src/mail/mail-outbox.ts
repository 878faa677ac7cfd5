import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Clock } from '../shared/clock';
import { retryDelayMs } from '../webhooks';
import type { EmailVault } from './email-vault';
import type { MailTransport } from './mail-transport';
import type { NewOutboxMail, OutboxMail, OutboxRepository } from './outbox.repository';

/** A mail is retried for this long after it was queued, then given up. */
export const MAIL_GIVE_UP_MS = 24 * 3600_000;
/** A claimed mail is someone else's for this long (a crashed worker's claim runs out). */
const CLAIM_MS = 2 * 60_000;

/** What `/readyz` says about mail. */
export interface MailHealth {
  status: 'ok' | 'failing';
  /** Mails waiting (first attempt or retry). */
  pending: number;
  /** Mails given up after a day of failures (kept a week). */
  failed: number;
  lastError: string | null;
  /** When the current run of failed attempts began. */
  failingSince: string | null;
}

export interface MailOutboxDeps {
  repository: OutboxRepository;
  transport: MailTransport;
  vault: EmailVault;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  retryBaseMs: number;
  /** Called on each poll before due mails are sent (reply batches and digests become mails). */
  beforeSend?: () => Promise<void>;
  pollMs?: number;
}

export interface MailOutbox {
  /** Queues a mail for `to`; a second mail with the same key is dropped. */
  enqueue(mail: Omit<NewOutboxMail, 'toSealed'> & { to: string }): Promise<boolean>;
  wake(): void;
  /** Drops a subscription's unsent mails (unsubscribed, replaced or erased). */
  dropUnsentOfSubscription(subscriptionId: string): Promise<void>;
  dropUnsentOfModerator(moderatorId: string): Promise<void>;
  health(): Promise<MailHealth>;
  close(): Promise<void>;
}

/**
 * The durable mail queue: mails wait in `mail_outbox` until the worker sends them;
 * failures retry with exponential back-off for a day. Comment posts only ever
 * insert into it, so a dead SMTP server never slows or fails them.
 */
export function createMailOutbox(deps: MailOutboxDeps): MailOutbox {
  const { repository, transport, clock, logger } = deps;
  let isClosed = false;
  let running: Promise<void> | undefined;
  let isWanted = false;
  let lastError: string | null = null;
  let failingSince: Date | null = null;

  const sent = new Counter({
    name: 'parley_mail_sent_total',
    help: 'Mails the SMTP server accepted, by kind',
    labelNames: ['kind'] as const,
    registers: [deps.registry],
  });
  const failures = new Counter({
    name: 'parley_mail_send_failures_total',
    help: 'Failed send attempts (each is retried with back-off), by kind',
    labelNames: ['kind'] as const,
    registers: [deps.registry],
  });
  const abandoned = new Counter({
    name: 'parley_mail_given_up_total',
    help: 'Mails given up after a day of failed attempts, by kind',
    labelNames: ['kind'] as const,
    registers: [deps.registry],
  });
  new Gauge({
    name: 'parley_mail_queue',
    help: 'Mails in the outbox by status',
    labelNames: ['status'] as const,
    registers: [deps.registry],
    async collect() {
      const counts = await repository.countByStatus().catch(() => undefined);
      if (!counts) return;
      for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
    },
  });
  new Gauge({
    name: 'parley_mail_smtp_up',
    help: '1 when the last send attempt succeeded (or none failed yet), 0 while attempts fail',
    registers: [deps.registry],
    collect() {
      this.set(failingSince === null ? 1 : 0);
    },
  });

  const attempt = async (mail: OutboxMail): Promise<void> => {
    const to = deps.vault.decrypt(mail.toSealed);
    if (to === undefined) {
      await repository.markFailed(mail.id, 'the address cannot be read (SESSION_SECRET changed)', clock.now());
      abandoned.inc({ kind: mail.kind });
      return;
    }
    try {
      await transport.send({ to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers });
    } catch (caught) {
      const error = caught instanceof Error ? caught.message : String(caught);
      const now = clock.now();
      lastError = error;
      failingSince ??= now;
      failures.inc({ kind: mail.kind });
      const next = new Date(now.getTime() + retryDelayMs(mail.attempts, deps.retryBaseMs));
      if (next > mail.giveUpAt) {
        await repository.markFailed(mail.id, error, now);
        abandoned.inc({ kind: mail.kind });
        logger.warn({ mail: mail.id, kind: mail.kind, error, attempts: mail.attempts }, 'mail given up after a day of failures');
      } else {
        await repository.markRetry(mail.id, error, next);
        logger.info({ mail: mail.id, kind: mail.kind, error, attempts: mail.attempts, next }, 'mail not sent; will retry');
      }
      return;
    }
    failingSince = null;
    lastError = null;
    sent.inc({ kind: mail.kind });
    await repository.markSent(mail.id, clock.now());
  };

  const drain = async (): Promise<void> => {
    do {
      isWanted = false;
      await deps.beforeSend?.();
      while (!isClosed) {
        const now = clock.now();
        const due = await repository.claimDue(now, new Date(now.getTime() + CLAIM_MS));
        if (!due) break;
        await attempt(due).catch((error: unknown) => logger.error({ err: error, mail: due.id }, 'mail attempt crashed'));
        // While the server fails, one attempt per poll: the rest wait their back-off anyway.
        if (failingSince !== null) break;
      }
    } while (isWanted && !isClosed);
  };

  const wake = (): void => {
    if (isClosed) return;
    if (running) {
      isWanted = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => logger.warn({ err: error }, 'mail outbox not readable'))
      .finally(() => {
        running = undefined;
      });
  };

  const timer = setInterval(wake, deps.pollMs ?? 500);
  timer.unref();

  return {
    async enqueue({ to, ...mail }) {
      const now = clock.now();
      const isQueued = await repository.enqueue(
        { ...mail, toSealed: deps.vault.encrypt(to) },
        now,
        new Date(now.getTime() + MAIL_GIVE_UP_MS),
      );
      if (isQueued) wake();
      return isQueued;
    },
    wake,
    dropUnsentOfSubscription: (id) => repository.dropUnsentOf(id),
    dropUnsentOfModerator: (id) => repository.dropUnsentOfModerator(id),
    async health() {
      const counts = await repository.countByStatus();
      const oldest = failingSince === null ? undefined : await repository.oldestUnsent();
      return {
        status: failingSince === null ? 'ok' : 'failing',
        pending: counts.pending + counts.sending,
        failed: counts.failed,
        lastError: lastError ?? oldest?.lastError ?? null,
        failingSince: failingSince?.toISOString() ?? null,
      };
    },
    async close() {
      isClosed = true;
      clearInterval(timer);
      await running;
      transport.close();
    },
  };
}
