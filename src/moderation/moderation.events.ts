import type { CommentChange, CommentRecord, PostRecord } from '../comments';
import type { QueueName, QueueRemovedEvent } from '../contracts/socket-events';
import type { DomainEvents, EventBus } from '../shared';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { SiteService } from '../sites';
import type { AuditRepository } from './audit/audit.repository';
import type { CommentsPort } from './moderation.ports';
import { shouldAutoHeat } from './pipeline';
import { queueOf, type QueueService } from './queue/queue.service';

/** Stats are recomputed at most this often per site, however busy it is. */
const STATS_COALESCE_MS = 1000;

export interface ModerationEventsDeps {
  comments: CommentsPort;
  sites: Pick<SiteService, 'getSite'>;
  audit: AuditRepository;
  queue: QueueService;
  bus: EventBus<DomainEvents>;
  clock: Clock;
  logger: Logger;
}

/**
 * Reacts to comment changes: records automatic decisions in the audit log,
 * tells moderators' queues what entered and left them, heats posts whose
 * report or hold rate passes the site's threshold, and refreshes stats.
 */
export function createModerationEvents(deps: ModerationEventsDeps) {
  const { bus, audit, clock } = deps;
  const statsTimers = new Map<string, NodeJS.Timeout>();

  function scheduleStats(site: string): void {
    if (statsTimers.has(site)) return;
    const timer = setTimeout(() => {
      statsTimers.delete(site);
      deps.queue.getStats(null, site).then(
        (stats) => bus.publish('moderation.stats', { ...stats, site }),
        (error: unknown) => deps.logger.warn({ err: error, site }, 'stats refresh failed'),
      );
    }, STATS_COALESCE_MS);
    timer.unref();
    statsTimers.set(site, timer);
  }

  async function added(queue: QueueName, comment: CommentRecord): Promise<void> {
    const [item] = await deps.queue.toItems([comment]);
    if (item) bus.publish('moderation.queue-added', { queue, item, site: comment.site });
  }

  function removed(queue: QueueName, comment: CommentRecord, reason: QueueRemovedEvent['reason'], moderatorId: string | null): void {
    bus.publish('moderation.queue-removed', { queue, id: comment.id, reason, moderatorId, site: comment.site });
  }

  async function recordScreening(comment: CommentRecord, isEdit: boolean): Promise<void> {
    if (!comment.verdict) return;
    await audit.append(
      {
        actor: { kind: 'system' },
        action: `pipeline.${comment.verdict.action}`,
        site: comment.site,
        commentId: comment.id,
        authorId: comment.authorId,
        postId: comment.postId,
        revision: comment.revision,
        detail: { isEdit, findings: comment.verdict.findings },
      },
      clock.now(),
    );
  }

  /** Posts whose heat check is running here; `again`: a change came meanwhile, so it runs once more when done. */
  const heatChecks = new Map<string, { again: boolean }>();

  /**
   * Heats the post when its latest comments pass the site's thresholds. One check per post
   * runs at a time on an instance: changes that come while it runs are seen by one more
   * check right after it (reading the post afresh), so a busy thread is checked after its
   * last comment like a quiet one, without a post read and a window read per comment.
   */
  async function maybeHeat(comment: CommentRecord, knownPost?: PostRecord): Promise<void> {
    const running = heatChecks.get(comment.postId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    heatChecks.set(comment.postId, state);
    try {
      let post = knownPost?.id === comment.postId ? knownPost : undefined;
      do {
        state.again = false;
        await checkHeat(comment, post);
        post = undefined;
      } while (state.again);
    } finally {
      heatChecks.delete(comment.postId);
    }
  }

  async function checkHeat(comment: CommentRecord, knownPost: PostRecord | undefined): Promise<void> {
    const [site, post] = await Promise.all([deps.sites.getSite(comment.site), knownPost ?? deps.comments.getPost(comment.postId)]);
    if (!site || !post || post.heat !== 'normal') return;
    const window = site.settings.autoHeat.window;
    // Three fields of the post's latest comments, not whole comments: this runs after every post.
    const recent = await deps.comments.listRecentActivity(post.id, window);
    const reportedItems = recent.filter((c) => c.reportCount > 0);
    const heat = shouldAutoHeat(
      {
        recent: recent.length,
        reported: reportedItems.length,
        reporterWeight: reportedItems.length > 0 ? await deps.comments.weighReporters(reportedItems.map((c) => c.id)) : 0,
        held: recent.filter((c) => c.isHeld).length,
      },
      site.settings.autoHeat,
    );
    if (!heat) return;
    await deps.comments.setPostState(post.id, { heat });
    await audit.append(
      { actor: { kind: 'system' }, action: 'post.auto-heat', site: post.site, postId: post.id, detail: { from: post.heat, to: heat } },
      clock.now(),
    );
  }

  async function handle(change: CommentChange): Promise<void> {
    const { comment } = change;
    switch (change.kind) {
      case 'created': {
        await recordScreening(comment, false);
        const queue = queueOf(comment);
        if (queue === 'pending' || queue === 'rejected') await added(queue, comment);
        await maybeHeat(comment, change.post);
        break;
      }
      case 'edited': {
        await recordScreening(comment, true);
        const before = change.previousStatus === 'pending' ? 'pending' : change.previousStatus === 'rejected' ? 'rejected' : undefined;
        const after = queueOf(comment);
        if (before && before !== after) removed(before, comment, 'edited', null);
        if (after === 'pending' || after === 'rejected' || (after === 'reported' && comment.hasOpenReports)) await added(after, comment);
        break;
      }
      case 'status-changed': {
        const moderatorId = change.by.kind === 'moderator' ? change.by.id : null;
        const reason: QueueRemovedEvent['reason'] =
          comment.status === 'published' ? (change.previousStatus === 'rejected' ? 'restored' : 'approved') : comment.status === 'rejected' ? 'rejected' : 'deleted';
        if (change.previousStatus === 'pending') removed('pending', comment, reason, moderatorId);
        if (change.previousStatus === 'rejected') removed('rejected', comment, reason, moderatorId);
        if (change.previousStatus === 'published') removed('reported', comment, reason, moderatorId);
        const queue = queueOf(comment);
        if (queue) await added(queue, comment);
        break;
      }
      case 'deleted': {
        if (change.previousStatus === 'pending') removed('pending', comment, 'deleted', null);
        if (change.previousStatus === 'published') removed('reported', comment, 'deleted', null);
        break;
      }
      case 'reported': {
        if (change.isFirstOpenReport) await added('reported', comment);
        await maybeHeat(comment);
        break;
      }
      case 'reports-dismissed': {
        removed('reported', comment, 'dismissed', comment.statusChangedBy?.kind === 'moderator' ? comment.statusChangedBy.id : null);
        break;
      }
    }
    scheduleStats(comment.site);
  }

  return {
    /** The comment service's change listener. */
    onCommentChange: (change: CommentChange): Promise<void> =>
      handle(change).catch((error: unknown) => deps.logger.error({ err: error, kind: change.kind }, 'moderation reaction failed')),
    close(): void {
      for (const timer of statsTimers.values()) clearTimeout(timer);
      statsTimers.clear();
    },
  };
}
