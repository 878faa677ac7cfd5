import type { Logger } from 'pino';
import type { CommentEvent, CommentFeaturedEvent, CommentRemovedEvent, PostUpdatedEvent } from '../contracts/socket-events';
import type { Clock } from '../shared/clock';
import type { Audience, DomainEvents, PostEvent } from '../shared/domain-events';
import type { EventBus } from '../shared/event-bus';
import type { PostCounts, PostRecord } from './comment.types';
import type { PostEventRepository } from './post-event.repository';
import type { PostRepository } from './post.repository';

/** Upper bound of events one `since` replay returns; a client further behind reloads the page. */
export const MAX_REPLAYED_EVENTS = 500;

export type UnsequencedPostEvent =
  | { type: 'comment:created'; payload: Omit<CommentEvent, 'seq'>; audience: Audience }
  | { type: 'comment:updated'; payload: Omit<CommentEvent, 'seq'>; audience: Audience }
  | { type: 'comment:removed'; payload: Omit<CommentRemovedEvent, 'seq'>; audience: Audience }
  | { type: 'post:updated'; payload: Omit<PostUpdatedEvent, 'seq'>; audience: Audience }
  | { type: 'comment:featured'; payload: Omit<CommentFeaturedEvent, 'seq'>; audience: Audience };

/**
 * A change of the post's counts that may travel with an event's sequence number (one
 * write for both). The first append given it applies it, marks it applied and tells
 * the published count; if none does (no event, or a failure), the caller applies it.
 */
export interface PendingCounts {
  readonly diff: PostCounts;
  isApplied: boolean;
}

export interface PostEventLog {
  /**
   * Numbers the event with the post's next sequence, stores it for replays and publishes it.
   * `counts`, when given and not applied yet, goes in the same write as the sequence number.
   */
  append(post: PostRecord, event: UnsequencedPostEvent, counts?: PendingCounts): Promise<number>;
  /** Tells listeners the post's published count. */
  publishCount(post: PostRecord, count: number): void;
  /** Tells listeners a comment's positive reaction count (coalesced per comment by realtime). */
  publishReactions(site: string, post: string, commentId: string, reactions: number): void;
  listSince(query: { site: string; post: string; since: number; viewerAuthorId?: string | undefined }): Promise<PostEvent[]>;
}

export function createPostEventLog(deps: {
  posts: PostRepository;
  events: PostEventRepository;
  bus: EventBus<DomainEvents>;
  clock: Clock;
  logger: Logger;
}): PostEventLog {
  const publishCount = (post: PostRecord, count: number): void => {
    deps.bus.publish('post.count', { site: post.site, post: post.key, count });
  };
  return {
    async append(post, event, counts) {
      const isPublic = event.audience.kind === 'public';
      let seq: number;
      if (counts && !counts.isApplied) {
        const taken = await deps.posts.nextEventSeqWithCounts(post.id, { isPublic, diff: counts.diff, now: deps.clock.now() });
        counts.isApplied = true;
        seq = taken.seq;
        if (counts.diff.published !== 0) publishCount(post, taken.counts.published);
      } else {
        seq = await deps.posts.nextEventSeq(post.id, { isPublic });
      }
      const sequenced = { ...event, payload: { ...event.payload, seq } } as PostEvent;
      try {
        await deps.events.insert({ site: post.site, post: post.key, seq, event: sequenced, at: deps.clock.now() });
      } catch (error) {
        // The live push still goes out; only a later `since` replay misses it.
        deps.logger.error({ err: error, site: post.site, post: post.key, seq }, 'could not store a post event');
      }
      deps.bus.publish('post.event', sequenced);
      return seq;
    },
    publishCount,
    publishReactions(site, post, commentId, reactions) {
      deps.bus.publish('post.reactions', { site, post, commentId, reactions });
    },
    listSince(query) {
      return deps.events.listSince({ ...query, limit: MAX_REPLAYED_EVENTS });
    },
  };
}
