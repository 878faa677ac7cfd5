import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { CommentChange, CommentRecord, PostRecord } from '../comments';
import type { SubscriptionStateDto } from '../contracts/notifications';
import type { AuthorRecord } from '../identity';
import type { SiteRecord } from '../sites';
import type { Clock } from '../shared/clock';
import { AppError, RateLimitedError } from '../shared/errors';
import { maskEmail, type EmailVault } from './email-vault';
import type { MailLanguage } from './i18n';
import { CONFIRMATION_HOURS, composeConfirmation, composeReplies, type ReplyForMail } from './mail-messages';
import type { MailOutbox } from './mail-outbox';
import type { MailTokens } from './mail-tokens';
import type { SubscriptionRecord, SubscriptionRepository } from './subscription.repository';

export class MailDisabledError extends AppError {
  constructor() {
    super('MAIL_DISABLED', 'This installation sends no e-mail (SMTP_URL and MAIL_FROM are not set), so it cannot notify you');
  }
}

export class SubscriberUnknownError extends AppError {
  constructor() {
    super(
      'AUTHOR_TOKEN_INVALID',
      'Reply notifications belong to an author: send your author token (or your site sign-in) as "Authorization: Bearer …"',
    );
  }
}

export type { SubscriptionStateDto };

/** What a link from a mail did, for the page it opens. */
export type LinkOutcome =
  | { kind: 'confirmed' | 'already-confirmed' | 'unsubscribe-asked' | 'unsubscribed'; site: string; lang: MailLanguage }
  | { kind: 'expired' | 'invalid' | 'gone'; lang: MailLanguage | undefined };

export interface ReplyNotificationsDeps {
  subscriptions: SubscriptionRepository;
  /** Undefined when mail is off. */
  outbox: MailOutbox | undefined;
  vault: EmailVault;
  tokens: MailTokens;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  batchMs: number;
  requireSite: (site: string) => Promise<SiteRecord>;
  /** The author behind a bearer on a site, with the e-mail an SSO sign-in gave. */
  identifyAuthor: (site: string, bearer: string | undefined) => Promise<(AuthorRecord & { email?: string | null }) | undefined>;
  getComment: (id: string) => Promise<CommentRecord | undefined>;
  getPost: (id: string) => Promise<PostRecord | undefined>;
  getAuthorNames: (ids: string[]) => Promise<Map<string, string>>;
}

/** One address gets at most this many unconfirmed requests per site per day. */
const PENDING_PER_ADDRESS_PER_DAY = 3;
/** The same reader may ask for a new confirmation mail this often. */
const RESEND_AFTER_MS = 2 * 60_000;

/** Did this change make a comment visible to readers (so its parent's author may hear of it)? */
export function becamePublished(change: CommentChange): boolean {
  if (change.comment.status !== 'published') return false;
  switch (change.kind) {
    case 'created':
      return true;
    case 'edited':
    case 'status-changed':
      return change.previousStatus !== 'published';
    default:
      return false;
  }
}

/**
 * Reply notifications with double opt-in: a reader asks (an author token or SSO
 * sign-in proves who), gets a confirmation mail with a signed link that expires,
 * and only after clicking it gets mails when published replies to them arrive,
 * batched over a few minutes, each mail with a one-click unsubscribe (RFC 8058).
 */
export function createReplyNotifications(deps: ReplyNotificationsDeps) {
  const { subscriptions, vault, tokens, clock } = deps;
  const apiUrl = `${deps.publicUrl}/api/v1`;
  const nowSeconds = (): number => Math.floor(clock.now().getTime() / 1000);
  const unsubscribeUrl = (subscription: SubscriptionRecord): string =>
    `${apiUrl}/subscriptions/unsubscribe?token=${tokens.issue({ purpose: 'unsubscribe', subscriptionId: subscription.id, nonce: subscription.nonce })}`;

  const toDto = (subscription: SubscriptionRecord | undefined): SubscriptionStateDto['subscription'] => {
    if (!subscription) return null;
    const email = vault.decrypt(subscription.emailSealed);
    return { status: subscription.status, email: email ? maskEmail(email) : '•••', lang: subscription.lang };
  };

  const requireAuthor = async (site: string, bearer: string | undefined) => {
    await deps.requireSite(site);
    const author = await deps.identifyAuthor(site, bearer);
    if (!author) throw new SubscriberUnknownError();
    return author;
  };

  const mailBatch = async (subscriptionId: string): Promise<void> => {
    const subscription = await subscriptions.findById(subscriptionId);
    const commentIds = await subscriptions.unmailedReplies(subscriptionId);
    if (!subscription || subscription.status !== 'active' || !deps.outbox) {
      await subscriptions.markMailed(subscriptionId, commentIds, clock.now());
      return;
    }
    const email = vault.decrypt(subscription.emailSealed);
    const comments: CommentRecord[] = [];
    for (const id of commentIds) {
      const comment = await deps.getComment(id);
      // Hidden again before the batch went out: the reader must not get text nobody can see.
      if (comment?.status === 'published') comments.push(comment);
    }
    if (email && comments.length > 0) {
      const names = await deps.getAuthorNames(comments.map((comment) => comment.authorId));
      const replies: ReplyForMail[] = [];
      for (const comment of comments) {
        const post = await deps.getPost(comment.postId);
        replies.push({
          authorName: names.get(comment.authorId) ?? '?',
          postTitle: post?.title ?? comment.post,
          body: comment.body,
          html: comment.html,
          permalink: post?.url ? `${post.url.replace(/#.*$/, '')}#parley-${comment.id}` : null,
        });
      }
      const site = await deps.requireSite(subscription.site).catch(() => undefined);
      const unsubscribe = unsubscribeUrl(subscription);
      const mail = composeReplies({
        lang: subscription.lang,
        site: site?.name ?? subscription.site,
        replies,
        unsubscribeUrl: unsubscribe,
      });
      await deps.outbox.enqueue({
        key: `replies:${subscription.id}:${comments.map((comment) => comment.id).join(',')}`,
        kind: 'replies',
        subscriptionId: subscription.id,
        moderatorId: null,
        to: email,
        ...mail,
        headers: {
          'List-Unsubscribe': `<${unsubscribe}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'Auto-Submitted': 'auto-generated',
        },
      });
    }
    await subscriptions.markMailed(subscriptionId, commentIds, clock.now());
  };

  return {
    async state(site: string, bearer: string | undefined): Promise<SubscriptionStateDto> {
      await deps.requireSite(site);
      const author = await deps.identifyAuthor(site, bearer);
      const subscription = author ? await subscriptions.findByAuthor(site, author.id) : undefined;
      const signInEmail = author?.kind === 'sso' && author.email ? maskEmail(author.email) : null;
      return { isMailEnabled: deps.outbox !== undefined, subscription: toDto(subscription), signInEmail };
    },

    /** Sends a confirmation mail (or says the address is already confirmed). */
    async subscribe(
      site: string,
      bearer: string | undefined,
      input: { email?: string | undefined; lang: MailLanguage },
    ): Promise<{ isConfirmationSent: boolean; subscription: NonNullable<SubscriptionStateDto['subscription']> }> {
      const author = await requireAuthor(site, bearer);
      const outbox = deps.outbox;
      if (!outbox) throw new MailDisabledError();
      const given = input.email ?? author.email ?? undefined;
      if (!given) {
        throw new AppError('VALIDATION_FAILED', 'Give the e-mail address replies should go to', {
          issues: [{ path: 'email', message: 'required (your sign-in carries no address)' }],
        });
      }
      const email = vault.normalise(given);
      const emailHash = vault.hash(email);
      const now = clock.now();
      const existing = await subscriptions.findByAuthor(site, author.id);
      if (existing && existing.emailHash === emailHash) {
        if (existing.status === 'active') {
          return { isConfirmationSent: false, subscription: { status: 'active', email: maskEmail(email), lang: existing.lang } };
        }
        const waitMs = existing.confirmationSentAt.getTime() + RESEND_AFTER_MS - now.getTime();
        if (waitMs > 0) throw new RateLimitedError(Math.ceil(waitMs / 1000));
      }
      const recent = await subscriptions.countPendingForEmail(site, emailHash, new Date(now.getTime() - 24 * 3600_000));
      if (recent >= PENDING_PER_ADDRESS_PER_DAY && existing?.emailHash !== emailHash) {
        throw new RateLimitedError(3600);
      }
      const siteRecord = await deps.requireSite(site);
      const subscription = await subscriptions.putPending({
        site,
        authorId: author.id,
        emailHash,
        emailSealed: vault.encrypt(email),
        lang: input.lang,
        nonce: randomBytes(9).toString('base64url'),
        createdAt: now,
        confirmationSentAt: now,
        purgeAt: new Date(now.getTime() + CONFIRMATION_HOURS * 3600_000),
      });
      if (existing) await outbox.dropUnsentOfSubscription(existing.id);
      const token = tokens.issue({
        purpose: 'confirm',
        subscriptionId: subscription.id,
        nonce: subscription.nonce,
        expiresAt: Math.floor(now.getTime() / 1000) + CONFIRMATION_HOURS * 3600,
      });
      await outbox.enqueue({
        key: `confirm:${subscription.id}:${subscription.nonce}`,
        kind: 'confirmation',
        subscriptionId: subscription.id,
        moderatorId: null,
        to: email,
        ...composeConfirmation({
          lang: input.lang,
          site: siteRecord.name,
          name: author.name,
          email,
          confirmUrl: `${apiUrl}/subscriptions/confirm?token=${token}`,
        }),
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      return { isConfirmationSent: true, subscription: { status: 'pending', email: maskEmail(email), lang: input.lang } };
    },

    async confirm(token: string, fallbackLang: MailLanguage | undefined): Promise<LinkOutcome> {
      const check = tokens.verify(token, 'confirm', nowSeconds());
      const claims = check.ok ? check.claims : check.claims;
      const subscription = claims ? await subscriptions.findById(claims.subscriptionId) : undefined;
      const lang = subscription?.lang ?? fallbackLang;
      if (!check.ok) return { kind: check.reason, lang };
      if (!subscription || subscription.nonce !== check.claims.nonce) return { kind: 'invalid', lang };
      if (subscription.status === 'active') return { kind: 'already-confirmed', site: await siteName(subscription.site), lang: subscription.lang };
      const activated = await subscriptions.activate(subscription.id, subscription.nonce, clock.now());
      if (!activated) return { kind: 'invalid', lang };
      return { kind: 'confirmed', site: await siteName(subscription.site), lang: subscription.lang };
    },

    /** GET asks (`commit` false), POST unsubscribes: RFC 8058 one-click, no sign-in. */
    async unsubscribe(token: string, commit: boolean, fallbackLang: MailLanguage | undefined): Promise<LinkOutcome> {
      const check = tokens.verify(token, 'unsubscribe', nowSeconds());
      if (!check.ok) return { kind: 'invalid', lang: fallbackLang };
      const subscription = await subscriptions.findById(check.claims.subscriptionId);
      if (!subscription || subscription.nonce !== check.claims.nonce) return { kind: 'gone', lang: fallbackLang };
      const site = await siteName(subscription.site);
      if (!commit) return { kind: 'unsubscribe-asked', site, lang: subscription.lang };
      await subscriptions.remove(subscription.id);
      await deps.outbox?.dropUnsentOfSubscription(subscription.id);
      deps.logger.info({ site: subscription.site, subscription: subscription.id }, 'reader unsubscribed from reply notifications');
      return { kind: 'unsubscribed', site, lang: subscription.lang };
    },

    /** `DELETE /sites/:site/subscriptions`: the signed-in reader turns notifications off. */
    async cancel(site: string, bearer: string | undefined): Promise<boolean> {
      const author = await requireAuthor(site, bearer);
      const subscription = await subscriptions.findByAuthor(site, author.id);
      if (!subscription) return false;
      await subscriptions.remove(subscription.id);
      await deps.outbox?.dropUnsentOfSubscription(subscription.id);
      return true;
    },

    async onCommentChange(change: CommentChange): Promise<void> {
      if (!deps.outbox || !becamePublished(change) || change.comment.parentId === null) return;
      const parent = await deps.getComment(change.comment.parentId);
      if (!parent || parent.authorId === change.comment.authorId) return;
      const subscription = await subscriptions.findActiveByAuthor(parent.site, parent.authorId);
      // Only replies that became visible after the reader confirmed (a late listener must not mail older ones).
      const publishedAt = change.kind === 'created' ? change.comment.createdAt : change.comment.statusChangedAt;
      if (!subscription?.confirmedAt || subscription.confirmedAt > publishedAt) return;
      const now = clock.now();
      const isNew = await subscriptions.noteReply(subscription.id, change.comment.id, now, new Date(now.getTime() + deps.batchMs));
      if (isNew && deps.batchMs === 0) deps.outbox.wake();
    },

    /** Turns due batches into mails (run by the outbox worker before it sends). */
    async mailDueBatches(): Promise<void> {
      for (const id of await subscriptions.dueSubscriptionIds(clock.now())) {
        await mailBatch(id).catch((error: unknown) => deps.logger.error({ err: error, subscription: id }, 'reply batch not mailed'));
      }
    },

    /** The author's subscriptions as their data download shows them (the address in clear: it is theirs). */
    async personalData(authorId: string): Promise<Record<string, unknown>[]> {
      return (await subscriptions.listByAuthor(authorId)).map((subscription) => ({
        site: subscription.site,
        email: vault.decrypt(subscription.emailSealed) ?? null,
        status: subscription.status,
        lang: subscription.lang,
        requestedAt: subscription.createdAt.toISOString(),
        confirmedAt: subscription.confirmedAt?.toISOString() ?? null,
      }));
    },

    async erase(authorId: string): Promise<void> {
      for (const subscription of await subscriptions.listByAuthor(authorId)) {
        await subscriptions.remove(subscription.id);
        await deps.outbox?.dropUnsentOfSubscription(subscription.id);
      }
    },
  };

  async function siteName(site: string): Promise<string> {
    return (await deps.requireSite(site).catch(() => undefined))?.name ?? site;
  }
}

export type ReplyNotifications = ReturnType<typeof createReplyNotifications>;
