import type { Logger } from 'pino';
import type { CommentChange, CommentRecord, PostRecord } from '../comments';
import type { ModeratorDto } from '../contracts/moderation-api';
import type { ModeratorNotificationsDto } from '../contracts/notifications';
import type { ModeratorPrincipal } from '../identity';
import type { SiteRecord } from '../sites';
import type { Clock } from '../shared/clock';
import { NotFoundError } from '../shared/errors';
import type { MailLanguage } from './i18n';
import { composeModeratorMail, type QueueItemForMail } from './mail-messages';
import type { MailOutbox } from './mail-outbox';
import type {
  AlertPreference,
  DigestItem,
  ModeratorAlertRepository,
  ModeratorMailSetting,
  QueueItemKind,
} from './moderator-alert.repository';
import { MailDisabledError } from './reply-notifications';

export type { ModeratorNotificationsDto };

export interface ModeratorAlertsDeps {
  repository: ModeratorAlertRepository;
  outbox: MailOutbox | undefined;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  listSites: (ids: readonly string[] | null) => Promise<SiteRecord[]>;
  assertCanModerate: (moderator: ModeratorPrincipal, site: string) => void;
  findModerator: (id: string) => Promise<ModeratorDto | undefined>;
  getComment: (id: string) => Promise<CommentRecord | undefined>;
  getPost: (id: string) => Promise<PostRecord | undefined>;
  getAuthorNames: (ids: string[]) => Promise<Map<string, string>>;
}

const DIGEST_PERIOD_MS = { hourly: 3600_000, daily: 24 * 3600_000 } as const;

/** Which queue a change put a comment into, if any. */
export function queueEntered(change: CommentChange): QueueItemKind | undefined {
  switch (change.kind) {
    case 'created':
      return change.comment.status === 'pending' ? 'pending' : undefined;
    case 'edited':
    case 'status-changed':
      return change.comment.status === 'pending' && change.previousStatus !== 'pending' ? 'pending' : undefined;
    case 'reported':
      return change.isFirstOpenReport ? 'reported' : undefined;
    default:
      return undefined;
  }
}

/**
 * Moderators' mail about their queues, per site: each new pending or reported
 * item at once, or gathered into an hourly or daily digest; off by default.
 * Mails link into the panel's queue for the comment's post.
 */
export function createModeratorAlerts(deps: ModeratorAlertsDeps) {
  const { repository, clock } = deps;
  const canStillModerate = (moderator: ModeratorDto, site: string): boolean =>
    moderator.role === 'admin' || moderator.sites.includes(site);

  const describe = async (items: readonly DigestItem[]): Promise<QueueItemForMail[]> => {
    const found: { item: DigestItem; comment: CommentRecord }[] = [];
    for (const item of items) {
      const comment = await deps.getComment(item.commentId);
      // Decided meanwhile (approved, rejected, reports dismissed): nothing left to do.
      const isStillQueued =
        comment && (item.kind === 'pending' ? comment.status === 'pending' : comment.hasOpenReports);
      if (comment && isStillQueued) found.push({ item, comment });
    }
    const names = await deps.getAuthorNames(found.map(({ comment }) => comment.authorId));
    const described: QueueItemForMail[] = [];
    for (const { item, comment } of found) {
      const post = await deps.getPost(comment.postId);
      const params = new URLSearchParams({ post: comment.postId, title: post?.title ?? comment.post });
      described.push({
        kind: item.kind,
        authorName: names.get(comment.authorId) ?? '?',
        postTitle: post?.title ?? comment.post,
        body: comment.body,
        html: comment.html,
        reason: item.reason,
        panelUrl: `${deps.publicUrl}/moderate#/queue/${item.kind}?${params.toString()}`,
      });
    }
    return described;
  };

  const send = async (
    preference: AlertPreference,
    mode: 'instant' | 'hourly' | 'daily',
    items: readonly DigestItem[],
    key: string,
  ): Promise<void> => {
    if (!deps.outbox) return;
    const moderator = await deps.findModerator(preference.moderatorId);
    if (!moderator || !canStillModerate(moderator, preference.site)) return;
    const described = await describe(items);
    if (described.length === 0) return;
    const [site] = await deps.listSites([preference.site]);
    const mail = composeModeratorMail({
      lang: preference.lang,
      site: site?.name ?? preference.site,
      mode,
      items: described,
      settingsUrl: `${deps.publicUrl}/moderate#/notifications`,
    });
    await deps.outbox.enqueue({
      key,
      kind: mode === 'instant' ? 'moderator-alert' : 'moderator-digest',
      subscriptionId: null,
      moderatorId: moderator.id,
      to: moderator.email,
      ...mail,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  };

  const settingsOf = async (moderator: ModeratorPrincipal): Promise<ModeratorNotificationsDto> => {
      const sites = await deps.listSites(moderator.role === 'admin' ? null : moderator.sites);
      const preferences = new Map((await repository.listFor(moderator.id)).map((entry) => [entry.site, entry]));
      return {
        isMailEnabled: deps.outbox !== undefined,
        email: moderator.email,
        sites: sites.map((site) => {
          const preference = preferences.get(site.id);
          return { site: site.id, name: site.name, mode: preference?.mode ?? 'off', lang: preference?.lang ?? null };
        }),
      };
  };

  return {
    settingsOf,

    async update(
      moderator: ModeratorPrincipal,
      input: { site: string; mode: ModeratorMailSetting; lang: MailLanguage },
    ): Promise<ModeratorNotificationsDto> {
      const [site] = await deps.listSites([input.site]);
      if (!site) throw new NotFoundError('SITE', input.site);
      deps.assertCanModerate(moderator, input.site);
      // Turning mail off always works; asking for mail a server cannot send is refused, not stored.
      if (input.mode !== 'off' && !deps.outbox) throw new MailDisabledError();
      await repository.put(moderator.id, input.site, input.mode, input.lang, clock.now());
      if (input.mode === 'off') await deps.outbox?.dropUnsentOfModerator(moderator.id);
      return settingsOf(moderator);
    },

    async onCommentChange(change: CommentChange): Promise<void> {
      if (!deps.outbox) return;
      const kind = queueEntered(change);
      if (!kind) return;
      const now = clock.now();
      const reason = change.kind === 'reported' ? change.reason : null;
      for (const preference of await repository.listWatching(change.comment.site)) {
        const item: DigestItem = {
          moderatorId: preference.moderatorId,
          site: preference.site,
          commentId: change.comment.id,
          kind,
          reason,
          at: now,
        };
        if (preference.mode === 'instant') {
          const key = `mod:${preference.moderatorId}:${change.comment.id}:${kind}:${kind === 'pending' ? change.comment.revision : (change.comment.firstReportedAt?.getTime() ?? 0)}`;
          await send(preference, 'instant', [item], key);
        } else if (preference.mode === 'hourly' || preference.mode === 'daily') {
          await repository.gather(item, new Date(now.getTime() + DIGEST_PERIOD_MS[preference.mode]));
        }
      }
    },

    /** Sends the digests whose window closed (run by the outbox worker before it sends). */
    async mailDueDigests(): Promise<void> {
      for (const preference of await repository.dueDigests(clock.now())) {
        const items = await repository.takeDigest(preference);
        if (!items || items.length === 0) continue;
        const mode = preference.mode === 'daily' ? 'daily' : 'hourly';
        await send(preference, mode, items, `digest:${preference.moderatorId}:${preference.site}:${preference.nextDigestAt?.getTime() ?? 0}`).catch(
          (error: unknown) => deps.logger.error({ err: error, moderator: preference.moderatorId }, 'moderator digest not mailed'),
        );
      }
    },
  };
}

export type ModeratorAlerts = ReturnType<typeof createModeratorAlerts>;
