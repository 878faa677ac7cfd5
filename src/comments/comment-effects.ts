import type { Logger } from 'pino';
import type { AuthorDirectory, AuthorRecord } from '../identity';
import type { SiteService } from '../sites';
import type { Clock } from '../shared/clock';
import type { Audience } from '../shared/domain-events';
import { toCommentDto } from './comment-dto';
import type { CommentRecord, PostCounts, PostRecord } from './comment.types';
import type { CommentRepository } from './comment.repository';
import type { PendingCounts, PostEventLog } from './post-event-log';
import type { PostRepository } from './post.repository';

/** Who can see a comment in the thread. */
type Visibility = 'public' | 'tombstone' | 'author' | 'none';

export function visibilityOf(comment: Pick<CommentRecord, 'status' | 'replyCount'>): Visibility {
  switch (comment.status) {
    case 'published':
      return 'public';
    case 'pending':
      return 'author';
    case 'deleted':
    case 'rejected':
      // Kept as a placeholder while it has replies, so they stay readable (and counted).
      return comment.replyCount > 0 ? 'tombstone' : 'none';
  }
}

/** Whether a comment takes a place among its parent's replies (counted in the parent's replyCount). */
export function isShownAsReply(comment: Pick<CommentRecord, 'status' | 'replyCount'>): boolean {
  const visibility = visibilityOf(comment);
  return visibility === 'public' || visibility === 'tombstone';
}

/** The part of a comment's state that the denormalised counts depend on. */
export type CountedState = Pick<CommentRecord, 'status' | 'hasOpenReports'>;

const one = (condition: boolean): number => (condition ? 1 : 0);

export function postCountsOf(state: CountedState | null): PostCounts {
  if (!state) return { published: 0, pending: 0, reported: 0 };
  return {
    published: one(state.status === 'published'),
    pending: one(state.status === 'pending'),
    reported: one(state.status === 'published' && state.hasOpenReports),
  };
}

export interface EffectsDeps {
  posts: PostRepository;
  comments: CommentRepository;
  authors: AuthorDirectory;
  sites: SiteService;
  log: PostEventLog;
  clock: Clock;
  logger: Logger;
}

export interface CommentEffects {
  /**
   * Applies everything that follows a comment's change from `before` (null:
   * new) to `after`: post counts, the parent's reply count and the author's
   * counts by diff, then the live events and the count push.
   */
  apply(input: {
    before: CommentRecord | null;
    after: CommentRecord;
    post: PostRecord;
    isEdit?: boolean;
    /** The comment's author when the caller holds it already (saves a read). */
    author?: AuthorRecord | undefined;
  }): Promise<void>;
  /** Only the post and author counts (reports opening or closing leave the thread unchanged). */
  applyCounts(before: CountedState | null, after: CountedState, comment: CommentRecord, post: PostRecord): Promise<void>;
}

export function createCommentEffects(deps: EffectsDeps): CommentEffects {
  /** The post's counts diff of a change, undefined when there is none. */
  const postDiffOf = (before: CountedState | null, after: CountedState): PostCounts | undefined => {
    const was = postCountsOf(before);
    const now = postCountsOf(after);
    const diff: PostCounts = {
      published: now.published - was.published,
      pending: now.pending - was.pending,
      reported: now.reported - was.reported,
    };
    return diff.published !== 0 || diff.pending !== 0 || diff.reported !== 0 ? diff : undefined;
  };

  const applyPostCounts = async (diff: PostCounts, post: PostRecord): Promise<void> => {
    const counts = await deps.posts.incrementCounts(post.id, diff, deps.clock.now());
    if (counts && diff.published !== 0) deps.log.publishCount(post, counts.published);
  };

  const applyAuthorCounts = async (before: CountedState | null, after: CountedState, comment: CommentRecord): Promise<void> => {
    const authorDiff: Partial<Record<'published' | 'pending' | 'rejected', number>> = {};
    for (const status of ['published', 'pending', 'rejected'] as const) {
      const change = one(after.status === status) - one(before?.status === status);
      if (change !== 0) authorDiff[status] = change;
    }
    if (Object.keys(authorDiff).length > 0) await deps.authors.adjustAuthorCounts(comment.authorId, authorDiff);
  };

  const applyCounts = async (before: CountedState | null, after: CountedState, comment: CommentRecord, post: PostRecord): Promise<void> => {
    const diff = postDiffOf(before, after);
    await Promise.all([diff ? applyPostCounts(diff, post) : undefined, applyAuthorCounts(before, after, comment)]);
  };

  /**
   * Changes a parent's reply count; a tombstone that gains its first or loses
   * its last reply appears in or leaves its own parent's replies in turn.
   */
  const adjustReplyCount = async (parentId: string, diff: number, post: PostRecord): Promise<void> => {
    const parent = await deps.comments.incrementReplyCount(parentId, diff);
    if (!parent || (parent.status !== 'deleted' && parent.status !== 'rejected')) return;
    const wasShown = parent.replyCount - diff > 0;
    const isShown = parent.replyCount > 0;
    if (wasShown === isShown) return;
    if (!isShown) {
      // Its last reply went: readers drop the tombstone too.
      await deps.log.append(post, {
        type: 'comment:removed',
        payload: {
          site: parent.site,
          post: parent.post,
          id: parent.id,
          reason: parent.status === 'rejected' ? 'rejected' : 'deleted',
          tombstone: null,
        },
        audience: { kind: 'public' },
      });
    }
    if (parent.parentId !== null) await adjustReplyCount(parent.parentId, isShown ? 1 : -1, post);
  };

  const emitEvents = async (
    before: CommentRecord | null,
    after: CommentRecord,
    post: PostRecord,
    isEdit: boolean,
    knownAuthor: AuthorRecord | undefined,
    counts: PendingCounts | undefined,
  ): Promise<void> => {
    const was: Visibility = before ? visibilityOf(before) : 'none';
    const now = visibilityOf(after);
    if (was === 'none' && now === 'none') return;
    const [author, site] = await Promise.all([knownAuthor?.id === after.authorId ? knownAuthor : deps.authors.getAuthor(after.authorId), deps.sites.findSite(after.site)]);
    const editWindowSeconds = site?.settings.editWindowSeconds ?? 0;
    const publicDto = toCommentDto(after, { author, editWindowSeconds });
    const ownDto = toCommentDto(after, { author, editWindowSeconds, viewerAuthorId: after.authorId });
    const everyone: Audience = { kind: 'public' };
    const onlyAuthor: Audience = { kind: 'author', authorId: after.authorId };
    const base = { site: after.site, post: after.post };
    const removalReason = after.status === 'deleted' ? ('deleted' as const) : ('rejected' as const);

    if (now === 'public') {
      if (was === 'public' || was === 'tombstone') {
        // An edit, or a removed placeholder restored by a moderator.
        if (isEdit || was === 'tombstone') await deps.log.append(post, { type: 'comment:updated', payload: { ...base, comment: publicDto }, audience: everyone }, counts);
      } else {
        await deps.log.append(post, { type: 'comment:created', payload: { ...base, comment: publicDto }, audience: everyone }, counts);
      }
      return;
    }
    if (was === 'public') {
      await deps.log.append(
        post,
        {
          type: 'comment:removed',
          payload: {
            ...base,
            id: after.id,
            reason: removalReason,
            tombstone: now === 'tombstone' ? publicDto : null,
          },
          audience: everyone,
        },
        counts,
      );
      // Its author learns why, instead of watching it vanish.
      if (after.status === 'rejected' && ownDto.notice) {
        await deps.log.append(
          post,
          {
            type: 'comment:removed',
            payload: { ...base, id: after.id, reason: 'rejected', tombstone: null, notice: ownDto.notice },
            audience: onlyAuthor,
          },
          counts,
        );
      }
    }
    if (now === 'author') {
      const type = was === 'author' ? ('comment:updated' as const) : ('comment:created' as const);
      await deps.log.append(post, { type, payload: { ...base, comment: ownDto }, audience: onlyAuthor }, counts);
      return;
    }
    if (was === 'author') {
      await deps.log.append(
        post,
        {
          type: 'comment:removed',
          payload: {
            ...base,
            id: after.id,
            reason: removalReason,
            tombstone: null,
            ...(ownDto.notice ? { notice: ownDto.notice } : {}),
          },
          audience: onlyAuthor,
        },
        counts,
      );
    }
  };

  return {
    applyCounts,
    async apply({ before, after, post, isEdit = false, author }) {
      const diff = postDiffOf(before, after);
      // The post's counts travel with the change's first event (its seq and the counts in one write);
      // when no event goes out, or it fails first, they are written on their own below.
      const counts: PendingCounts | undefined = diff ? { diff, isApplied: false } : undefined;
      const authorCounts = applyAuthorCounts(before, after, after);
      try {
        const replyDiff = one(isShownAsReply(after)) - one(before !== null && isShownAsReply(before));
        if (after.parentId !== null && replyDiff !== 0) await adjustReplyCount(after.parentId, replyDiff, post);
        try {
          // Every change readers can see ends in a public event, whose seq moves the post's page
          // version in the same write, after the reply counts above: cached pages go then.
          await emitEvents(before, after, post, isEdit, author, counts);
          if (counts && !counts.isApplied) await applyPostCounts(counts.diff, post);
        } catch (error) {
          deps.logger.error({ err: error, commentId: after.id }, 'could not publish live events for a comment');
          if (counts && !counts.isApplied) await applyPostCounts(counts.diff, post);
          if (isShownAsReply(after) || (before !== null && isShownAsReply(before))) {
            await deps.posts.bumpPageVersion(post.id).catch((bumpError: unknown) => deps.logger.error({ err: bumpError, postId: post.id }, 'could not move the page version'));
          }
        }
      } finally {
        await authorCounts;
      }
    },
  };
}
