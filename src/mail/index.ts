/**
 * E-mail: readers' reply notifications (double opt-in, batched, RFC 8058 one-click
 * unsubscribe), moderators' queue alerts and digests, and the durable outbox that
 * sends them over SMTP with retries. Off (and saying so) without SMTP_URL/MAIL_FROM.
 */
import type { Router } from 'express';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { CommentChange } from '../comments';
import type { Clock } from '../shared/clock';
import { createEmailVault } from './email-vault';
import { createMailOutbox, type MailHealth, type MailOutbox } from './mail-outbox';
import { createMailRouter, type MailRouterDeps } from './mail.routes';
import { createMailTokens } from './mail-tokens';
import { createSmtpTransport, type MailTransport } from './mail-transport';
import { createModeratorAlertRepository } from './moderator-alert.repository';
import { createModeratorAlerts, type ModeratorAlertsDeps } from './moderator-alerts';
import { createOutboxRepository } from './outbox.repository';
import { createReplyNotifications, type ReplyNotificationsDeps } from './reply-notifications';
import { createSubscriptionRepository } from './subscription.repository';

export { mailApiPaths } from './mail.openapi';
export type { MailHealth } from './mail-outbox';
export type { SubscriptionStateDto } from './reply-notifications';
export type { ModeratorNotificationsDto } from './moderator-alerts';

export interface MailDeps
  extends Pick<ReplyNotificationsDeps, 'requireSite' | 'identifyAuthor' | 'getComment' | 'getPost' | 'getAuthorNames'>,
    Pick<ModeratorAlertsDeps, 'listSites' | 'assertCanModerate' | 'findModerator'>,
    Pick<MailRouterDeps, 'assertOrigin'> {
  connection: Connection;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  publicUrl: string;
  /** Keys for e-mail sealing and link signing are derived from it. */
  secret: string;
  /** Undefined: mail is off. */
  mail: { smtpUrl: string; from: string; retryBaseMs: number; replyBatchSeconds: number } | undefined;
  /** Tests and tools may hand in another transport; SMTP from `mail.smtpUrl` otherwise. */
  transport?: MailTransport;
}

export interface Mail {
  /** Public and moderator routes, mounted under `/api/v1` after the moderator guard. */
  router: Router;
  onCommentChange(change: CommentChange): Promise<void>;
  /** For `/readyz`: `off`, or the outbox's state. */
  health(): Promise<{ status: 'off' } | MailHealth>;
  /** What the GDPR download shows of an author's subscriptions. */
  personalData(authorId: string): Promise<Record<string, unknown>[]>;
  /** GDPR erasure: the author's subscriptions and unsent mails go. */
  erase(authorId: string): Promise<void>;
  close(): Promise<void>;
}

export function createMail(deps: MailDeps): Mail {
  const vault = createEmailVault(deps.secret);
  const tokens = createMailTokens(deps.secret);
  const hooks: { beforeSend?: () => Promise<void> } = {};
  const outbox: MailOutbox | undefined = deps.mail
    ? createMailOutbox({
        repository: createOutboxRepository(deps.connection),
        transport: deps.transport ?? createSmtpTransport(deps.mail.smtpUrl, deps.mail.from),
        vault,
        clock: deps.clock,
        logger: deps.logger,
        registry: deps.registry,
        retryBaseMs: deps.mail.retryBaseMs,
        beforeSend: () => hooks.beforeSend?.() ?? Promise.resolve(),
      })
    : undefined;
  const replies = createReplyNotifications({
    ...deps,
    subscriptions: createSubscriptionRepository(deps.connection),
    outbox,
    vault,
    tokens,
    batchMs: (deps.mail?.replyBatchSeconds ?? 0) * 1000,
  });
  const moderatorAlerts = createModeratorAlerts({
    ...deps,
    repository: createModeratorAlertRepository(deps.connection),
    outbox,
  });
  hooks.beforeSend = async () => {
    await replies.mailDueBatches();
    await moderatorAlerts.mailDueDigests();
  };
  return {
    router: createMailRouter({ replies, moderatorAlerts, assertOrigin: deps.assertOrigin }),
    async onCommentChange(change) {
      await replies.onCommentChange(change);
      await moderatorAlerts.onCommentChange(change);
    },
    health: async () => (outbox ? outbox.health() : { status: 'off' as const }),
    personalData: (authorId) => replies.personalData(authorId),
    erase: (authorId) => replies.erase(authorId),
    close: async () => {
      await outbox?.close();
    },
  };
}
