import type { ImportJobDto } from '../contracts/portability';
import type { ReactionsEvent, CountEvent, CommentEvent, CommentFeaturedEvent, CommentRemovedEvent, PostUpdatedEvent, ClaimEvent, ReleaseEvent, QueueAddedEvent, QueueRemovedEvent, StatsDto, WebhookDeliveryEvent } from '../contracts/socket-events';

/** Who may see a post event: every reader of the post, or only the comment's author. */
export type Audience = { kind: 'public' } | { kind: 'author'; authorId: string };

export type PostEvent =
  | { type: 'comment:created'; payload: CommentEvent; audience: Audience }
  | { type: 'comment:updated'; payload: CommentEvent; audience: Audience }
  | { type: 'comment:removed'; payload: CommentRemovedEvent; audience: Audience }
  | { type: 'post:updated'; payload: PostUpdatedEvent; audience: Audience }
  | { type: 'comment:featured'; payload: CommentFeaturedEvent; audience: Audience };

/** Events services publish on the in-process bus; `realtime/` turns them into socket emits. */
export interface DomainEvents {
  'post.event': PostEvent;
  'post.count': CountEvent;
  'post.reactions': ReactionsEvent;
  /** Posts whose page version moved (cached thread pages go); `isRemote`: told by another instance. */
  'post.pages-changed': { postIds: string[]; isRemote: boolean };
  'moderation.queue-added': QueueAddedEvent & { site: string };
  'moderation.queue-removed': QueueRemovedEvent & { site: string };
  'moderation.claimed': ClaimEvent;
  'moderation.released': ReleaseEvent;
  'moderation.stats': StatsDto & { site: string };
  'portability.import-updated': ImportJobDto;
  'webhooks.delivery': WebhookDeliveryEvent;
}
