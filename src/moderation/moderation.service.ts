import type { CommentRecord, PostRecord } from '../comments';
import type { ModerationItemDto } from '../contracts/comments';
import type { PostHeat, PremoderationMode } from '../contracts/moderation';
import type { BulkResultDto, HotPostDto, RejectReason, TryResultDto } from '../contracts/moderation-api';
import { assertCanModerate, scopeOf, type AuthorDirectory, type AuthorRecord, type ModeratorPrincipal } from '../identity';
import type { SiteService } from '../sites';
import { AppError, NotFoundError, isAppError } from '../shared/errors';
import type { Clock } from '../shared/clock';
import type { DomainEvents, EventBus } from '../shared';
import type { AuditRepository } from './audit/audit.repository';
import type { CommentsPort } from './moderation.ports';
import type { ScreeningContext, ScreeningOutcome } from './pipeline-types';
import type { ClaimRepository } from './queue/claim.repository';
import type { QueueService } from './queue/queue.service';

/** How long opening an item keeps other moderators off it. */
export const CLAIM_MS = 2 * 60 * 1000;

export interface ModerationServiceDeps {
  comments: CommentsPort;
  authors: AuthorDirectory;
  sites: Pick<SiteService, 'getSite'>;
  audit: AuditRepository;
  claims: ClaimRepository;
  queue: QueueService;
  bus: EventBus<DomainEvents>;
  clock: Clock;
  runPipeline: (context: ScreeningContext) => ScreeningOutcome;
}

type Actor = Pick<ModeratorPrincipal, 'id' | 'name' | 'role' | 'sites'>;

/** What a ban, suspension, pre-moderation or reinstatement did. */
export interface AuthorActionResult {
  author: AuthorRecord;
  /** Comments rejected in the same action (`rejectComments`). */
  rejectedIds: string[];
  /** Clients of a guest that now refuse new guests, and until when. */
  clientsHeld: number;
  clientsHeldUntil: Date | null;
}

export function createModerationService(deps: ModerationServiceDeps) {
  const { comments, authors, audit, claims, bus, clock } = deps;
  const moderatorActor = (m: Actor) => ({ kind: 'moderator' as const, id: m.id, name: m.name });

  async function loadInScope(moderator: Actor, id: string): Promise<CommentRecord> {
    const comment = await comments.getComment(id);
    if (!comment) throw new NotFoundError('COMMENT', id);
    assertCanModerate(moderator, comment.site);
    return comment;
  }

  async function releaseClaim(comment: CommentRecord): Promise<void> {
    const released = await claims.release(comment.id);
    if (released) bus.publish('moderation.released', { id: comment.id, site: comment.site });
  }

  /** Acting on a comment someone else holds needs `force` (the panel asks the moderator first). */
  async function assertNotClaimedByOther(moderator: Actor, comment: CommentRecord, force: boolean | undefined): Promise<void> {
    if (force === true) return;
    const holder = (await claims.findActive([comment.id], clock.now())).get(comment.id);
    if (holder && holder.moderatorId !== moderator.id) {
      throw new AppError('CLAIMED_BY_OTHER', `${holder.moderatorName} is reviewing this comment; send "force": true to act anyway`, {
        moderatorId: holder.moderatorId,
        moderatorName: holder.moderatorName,
        until: holder.until.toISOString(),
      });
    }
  }

  function waitSeconds(comment: CommentRecord): number {
    return Math.max(0, Math.round((clock.now().getTime() - comment.createdAt.getTime()) / 1000));
  }

  async function approve(moderator: Actor, id: string, seenRevision?: number, force?: boolean): Promise<CommentRecord> {
    const comment = await loadInScope(moderator, id);
    await assertNotClaimedByOther(moderator, comment, force);
    const revision = seenRevision ?? comment.revision;
    if (comment.revision !== revision) {
      throw new AppError('REVISION_CONFLICT', 'The comment was edited since you saw it; review the new text', {
        currentRevision: comment.revision,
      });
    }
    let updated: CommentRecord;
    if (comment.status === 'published' && comment.hasOpenReports) {
      updated = await comments.dismissReports(id);
    } else if (comment.status === 'pending' || comment.status === 'rejected') {
      updated = await comments.setCommentStatus(id, {
        to: 'published',
        expectedRevision: revision,
        by: { kind: 'moderator', id: moderator.id, name: moderator.name },
      });
    } else {
      throw new AppError('INVALID_TRANSITION', `A ${comment.status} comment cannot be approved`, { status: comment.status });
    }
    await audit.append(
      {
        actor: moderatorActor(moderator),
        action: 'comment.approve',
        site: comment.site,
        commentId: id,
        authorId: comment.authorId,
        postId: comment.postId,
        revision,
        detail: { from: comment.status, waitSeconds: waitSeconds(comment), dismissedReports: comment.hasOpenReports },
      },
      clock.now(),
    );
    await releaseClaim(comment);
    return updated;
  }

  async function reject(
    moderator: Actor,
    id: string,
    input: { revision?: number | undefined; reason: RejectReason; note?: string | undefined; force?: boolean | undefined },
  ): Promise<CommentRecord> {
    const comment = await loadInScope(moderator, id);
    await assertNotClaimedByOther(moderator, comment, input.force);
    if (input.revision !== undefined && comment.revision !== input.revision) {
      throw new AppError('REVISION_CONFLICT', 'The comment was edited since you saw it; review the new text', {
        currentRevision: comment.revision,
      });
    }
    if (comment.status !== 'pending' && comment.status !== 'published') {
      throw new AppError('INVALID_TRANSITION', `A ${comment.status} comment cannot be rejected`, { status: comment.status });
    }
    const updated = await comments.setCommentStatus(id, {
      to: 'rejected',
      expectedRevision: input.revision,
      by: { kind: 'moderator', id: moderator.id, name: moderator.name, reason: input.reason, note: input.note ?? null },
    });
    await audit.append(
      {
        actor: moderatorActor(moderator),
        action: 'comment.reject',
        site: comment.site,
        commentId: id,
        authorId: comment.authorId,
        postId: comment.postId,
        revision: comment.revision,
        reason: input.reason,
        note: input.note ?? null,
        detail: { from: comment.status, waitSeconds: waitSeconds(comment) },
      },
      clock.now(),
    );
    await releaseClaim(comment);
    return updated;
  }

  /**
   * Rejects every pending and published comment of an author on their site, one by one
   * through `reject` (audited, counts by diff, `comment:removed` and queue events as for
   * any rejection). Claims don't stop it: the moderator chose the author, not one comment.
   */
  async function rejectAllOf(moderator: Actor, author: AuthorRecord, input: { reason: RejectReason; note?: string | undefined }): Promise<string[]> {
    const rejected: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await comments.listComments({
        authorId: author.id,
        sites: [author.site],
        statuses: ['pending', 'published'],
        orderBy: 'createdAt',
        direction: 'oldest',
        limit: 100,
        cursor,
      });
      for (const comment of page.items) {
        try {
          await reject(moderator, comment.id, { reason: input.reason, note: input.note, force: true });
          rejected.push(comment.id);
        } catch (error) {
          // Deleted or decided by someone else meanwhile: nothing left to reject.
          if (!isAppError(error) || (error.code !== 'INVALID_TRANSITION' && error.code !== 'COMMENT_NOT_FOUND')) throw error;
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return rejected;
  }

  async function setStanding(
    moderator: Actor,
    authorId: string,
    action: 'ban' | 'suspend' | 'premoderate' | 'reinstate',
    input: { until?: Date | undefined; note?: string | undefined; rejectComments?: boolean | undefined; reason?: RejectReason | undefined },
  ): Promise<AuthorActionResult> {
    const author = await authors.getAuthor(authorId);
    if (!author) throw new NotFoundError('AUTHOR', authorId);
    assertCanModerate(moderator, author.site);
    if (action === 'suspend' && (!input.until || input.until <= clock.now())) {
      throw new AppError('VALIDATION_FAILED', 'A suspension needs an `until` time in the future');
    }
    if (action !== 'suspend' && input.until) {
      throw new AppError('VALIDATION_FAILED', `\`until\` is only for a suspension; a ${action} has no end time`, { field: 'until' });
    }
    if ((action === 'premoderate' || action === 'reinstate') && input.rejectComments !== undefined) {
      throw new AppError('VALIDATION_FAILED', '`rejectComments` goes with a ban or a suspension', { field: 'rejectComments' });
    }
    if (input.reason !== undefined && input.rejectComments !== true) {
      throw new AppError('VALIDATION_FAILED', '`reason` is the reason for rejecting the comments: send it with `"rejectComments": true`', {
        field: 'reason',
      });
    }
    const standing = action === 'ban' ? 'banned' : action === 'suspend' ? 'suspended' : action === 'premoderate' ? 'premoderated' : 'active';
    const change = await authors.setStanding(authorId, standing, action === 'suspend' ? (input.until ?? null) : null);
    const rejected = input.rejectComments === true ? await rejectAllOf(moderator, author, { reason: input.reason ?? 'other', note: input.note }) : [];
    await audit.append(
      {
        actor: moderatorActor(moderator),
        action: `author.${action}`,
        site: author.site,
        authorId,
        note: input.note ?? null,
        ...(input.rejectComments === true ? { reason: input.reason ?? 'other' } : {}),
        detail: {
          from: author.standing,
          to: standing,
          ...(input.until ? { until: input.until.toISOString() } : {}),
          ...(input.rejectComments === true ? { rejectedComments: rejected.length } : {}),
          ...(change.clientsHeld > 0 ? { clientsHeld: change.clientsHeld, clientsHeldUntil: change.clientsHeldUntil?.toISOString() } : {}),
        },
      },
      clock.now(),
    );
    // Rejections moved the author's counts: answer with them as they are now.
    const current = rejected.length > 0 ? ((await authors.getAuthor(authorId)) ?? change.author) : change.author;
    return { author: current, rejectedIds: rejected, clientsHeld: change.clientsHeld, clientsHeldUntil: change.clientsHeldUntil };
  }

  async function setFeatured(moderator: Actor, id: string, featured: boolean): Promise<CommentRecord> {
    const comment = await loadInScope(moderator, id);
    const result = await comments.setFeatured(id, { featured, by: moderatorActor(moderator) });
    if (result.isChanged) {
      await audit.append(
        {
          actor: moderatorActor(moderator),
          action: featured ? 'comment.feature' : 'comment.unfeature',
          site: comment.site,
          commentId: id,
          authorId: comment.authorId,
          postId: comment.postId,
          revision: comment.revision,
        },
        clock.now(),
      );
    }
    return result.comment;
  }

  /**
   * A moderator answers a comment in the thread as the site's staff (their name
   * or the one given, with the badge): published at once and audited.
   */
  async function replyAsStaff(
    moderator: Actor,
    parentId: string,
    input: { body: string; authorName?: string | undefined; badge: 'Moderator' | 'Staff' },
  ): Promise<CommentRecord> {
    const parent = await loadInScope(moderator, parentId);
    const author = await authors.resolveStaffAuthor({ site: parent.site, moderatorId: moderator.id, name: input.authorName ?? moderator.name, badge: input.badge });
    const reply = await comments.createStaffReply({ parentId, body: input.body, author, by: moderatorActor(moderator) });
    await audit.append(
      {
        actor: moderatorActor(moderator),
        action: 'comment.staff-reply',
        site: reply.site,
        commentId: reply.id,
        authorId: author.id,
        postId: reply.postId,
        revision: reply.revision,
        detail: { parentId, badge: input.badge, name: author.name },
      },
      clock.now(),
    );
    return reply;
  }

  return {
    approve,
    reject,
    setStanding,
    setFeatured,
    replyAsStaff,

    async restore(moderator: Actor, id: string, note?: string, force?: boolean): Promise<CommentRecord> {
      const comment = await loadInScope(moderator, id);
      await assertNotClaimedByOther(moderator, comment, force);
      if (comment.status !== 'rejected') {
        throw new AppError('INVALID_TRANSITION', `Only rejected comments can be restored (this one is ${comment.status})`, {
          status: comment.status,
        });
      }
      const updated = await comments.setCommentStatus(id, {
        to: 'published',
        by: { kind: 'moderator', id: moderator.id, name: moderator.name, note: note ?? null },
      });
      await audit.append(
        {
          actor: moderatorActor(moderator),
          action: 'comment.restore',
          site: comment.site,
          commentId: id,
          authorId: comment.authorId,
          postId: comment.postId,
          revision: comment.revision,
          note: note ?? null,
        },
        clock.now(),
      );
      return updated;
    },

    async claim(moderator: Actor, id: string): Promise<ModerationItemDto['claim']> {
      const comment = await loadInScope(moderator, id);
      const now = clock.now();
      const holder = await claims.claim(
        { commentId: id, site: comment.site, moderatorId: moderator.id, moderatorName: moderator.name, until: new Date(now.getTime() + CLAIM_MS) },
        now,
      );
      if (holder.moderatorId !== moderator.id) {
        throw new AppError('CLAIMED_BY_OTHER', `${holder.moderatorName} is reviewing this comment`, {
          moderatorId: holder.moderatorId,
          moderatorName: holder.moderatorName,
          until: holder.until.toISOString(),
        });
      }
      bus.publish('moderation.claimed', {
        id,
        site: comment.site,
        moderatorId: holder.moderatorId,
        moderatorName: holder.moderatorName,
        until: holder.until.toISOString(),
      });
      return { moderatorId: holder.moderatorId, moderatorName: holder.moderatorName, until: holder.until.toISOString() };
    },

    /** The moderator's last panel closed: their claims end now rather than at their TTL. */
    async releaseClaimsOf(moderatorId: string): Promise<void> {
      for (const claim of await claims.releaseAllOf(moderatorId)) {
        bus.publish('moderation.released', { id: claim.commentId, site: claim.site });
      }
    },

    async release(moderator: Actor, id: string): Promise<void> {
      const comment = await loadInScope(moderator, id);
      const [claim] = [...(await claims.findActive([id], clock.now())).values()];
      if (claim && claim.moderatorId === moderator.id) await releaseClaim(comment);
    },

    async bulk(
      moderator: Actor,
      input: { action: 'approve' | 'reject'; ids: string[]; reason?: RejectReason | undefined; note?: string | undefined; force?: boolean | undefined },
    ): Promise<BulkResultDto> {
      const results: BulkResultDto['results'] = [];
      for (const id of input.ids) {
        try {
          if (input.action === 'approve') {
            const comment = await loadInScope(moderator, id);
            await approve(moderator, id, comment.revision, input.force);
          } else {
            await reject(moderator, id, { reason: input.reason ?? 'other', note: input.note, force: input.force });
          }
          results.push({ id, ok: true });
        } catch (error) {
          if (!isAppError(error)) throw error;
          results.push({ id, ok: false, code: error.code });
        }
      }
      return { results };
    },

    async patchPost(
      moderator: Actor,
      postId: string,
      patch: { heat?: PostHeat | undefined; closed?: boolean | undefined; premoderation?: PremoderationMode | null | undefined },
    ): Promise<PostRecord> {
      const post = await comments.getPost(postId);
      if (!post) throw new NotFoundError('POST', postId);
      assertCanModerate(moderator, post.site);
      const updated = await comments.setPostState(postId, patch);
      const changes: [string, unknown, unknown][] = [];
      if (patch.heat !== undefined && patch.heat !== post.heat) changes.push(['post.heat', post.heat, patch.heat]);
      if (patch.closed !== undefined && patch.closed !== post.closed) changes.push([patch.closed ? 'post.close' : 'post.open', post.closed, patch.closed]);
      if (patch.premoderation !== undefined && patch.premoderation !== post.premoderation) {
        changes.push(['post.premoderation', post.premoderation, patch.premoderation]);
      }
      for (const [action, from, to] of changes) {
        await audit.append({ actor: moderatorActor(moderator), action, site: post.site, postId, detail: { from, to } }, clock.now());
      }
      return updated;
    },

    async listHotPosts(moderator: Actor, site: string | undefined, limit: number): Promise<HotPostDto[]> {
      if (site) assertCanModerate(moderator, site);
      const scope = scopeOf(moderator);
      const posts = await comments.listPosts({ sites: site ? [site] : (scope ?? undefined), limit: 200 });
      const now = clock.now().getTime();
      const hour = 60 * 60 * 1000;
      const scored = await Promise.all(
        posts.map(async (post) => {
          const recent = await comments.listComments({ postId: post.id, orderBy: 'createdAt', direction: 'newest', limit: 100 });
          const commentsLastHour = recent.items.filter((c) => now - c.createdAt.getTime() <= hour).length;
          const lastDay = recent.items.filter((c) => now - c.createdAt.getTime() <= 24 * hour);
          return {
            ...comments.toPostDto(post),
            commentsLastHour,
            holdsLastDay: lastDay.filter((c) => c.verdict?.action === 'hold').length,
            reportsLastDay: lastDay.filter((c) => c.lastReportedAt && now - c.lastReportedAt.getTime() <= 24 * hour).length,
          };
        }),
      );
      const score = (p: HotPostDto): number => p.reportsLastDay * 3 + p.holdsLastDay * 2 + p.commentsLastHour + p.counts.pending;
      return scored.sort((a, b) => score(b) - score(a)).slice(0, limit);
    },

    async tryText(moderator: Actor, siteId: string, input: { text: string; postId?: string | undefined }): Promise<TryResultDto> {
      assertCanModerate(moderator, siteId);
      const site = await deps.sites.getSite(siteId);
      if (!site) throw new NotFoundError('SITE', siteId);
      const post = input.postId ? await comments.getPost(input.postId) : undefined;
      if (input.postId && (!post || post.site !== siteId)) throw new NotFoundError('POST', input.postId);
      const text = input.text.normalize('NFC').trim();
      const outcome = deps.runPipeline({
        text,
        isEdit: false,
        now: clock.now(),
        site: { id: site.id, settings: site.settings },
        post: { closed: post?.closed ?? false, heat: post?.heat ?? 'normal', premoderation: post?.premoderation ?? undefined },
        // A trusted regular, so the verdict speaks about the text rather than the author.
        author: { standing: 'active', approvedCount: site.settings.newAuthorThreshold, isVerified: false },
        recent: { recentBodies: [] },
      });
      return {
        action: outcome.action,
        findings: outcome.findings,
        languages: outcome.languages,
        ...(outcome.refusal ? { refusal: { code: outcome.refusal.code, message: outcome.refusal.message } } : {}),
      };
    },
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
