import type { CommentChange, CommentRecord, PostChange, PostRecord } from '../comments';
import type { WebhookEventType } from '../contracts/webhooks';

export interface WebhookEventBridgeDeps {
  /** Whether any endpoint of the site wants one of these events: most sites have none, and describing costs reads. */
  hasSubscribers: (site: string, types: readonly WebhookEventType[]) => Promise<boolean>;
  emit: (site: string, types: readonly WebhookEventType[], data: Record<string, unknown>) => Promise<void>;
  /** The comment as an integration sees it (the reader-facing DTO plus its post). */
  describeComment: (comment: CommentRecord) => Promise<Record<string, unknown>>;
  describePost: (post: PostRecord) => Record<string, unknown>;
}

/** Which webhook events one comment change raises. */
export function eventsOfCommentChange(change: CommentChange): WebhookEventType[] {
  switch (change.kind) {
    case 'created':
      return change.comment.status === 'published'
        ? ['comment.created', 'comment.published']
        : ['comment.created'];
    case 'edited':
      return change.comment.status === 'published' && change.previousStatus !== 'published'
        ? ['comment.published']
        : [];
    case 'status-changed':
      if (change.comment.status === 'published') return ['comment.published'];
      if (change.comment.status === 'rejected') return ['comment.rejected'];
      return [];
    case 'reported':
      return ['comment.reported'];
    case 'featured':
      return ['comment.featured'];
    default:
      return [];
  }
}

/** Which webhook events one post change raises. */
export function eventsOfPostChange({ post, previous }: PostChange): WebhookEventType[] {
  const events: WebhookEventType[] = [];
  if (post.heat !== 'normal' && post.heat !== previous.heat) events.push('post.heated');
  if (post.closed && !previous.closed) events.push('post.closed');
  return events;
}

/** Turns comment and post changes into queued webhook deliveries. */
export function createWebhookEventBridge(deps: WebhookEventBridgeDeps) {
  return {
    async onCommentChange(change: CommentChange): Promise<void> {
      const types = eventsOfCommentChange(change);
      if (types.length === 0 || !(await deps.hasSubscribers(change.comment.site, types))) return;
      const data: Record<string, unknown> = await deps.describeComment(change.comment);
      if (change.kind === 'status-changed') data['by'] = change.by.kind;
      if (change.kind === 'reported') data['reason'] = change.reason;
      if (change.kind === 'featured') {
        data['featured'] = change.featured;
        data['by'] = change.by.kind;
      }
      await deps.emit(change.comment.site, types, data);
    },
    async onPostChange(change: PostChange): Promise<void> {
      const types = eventsOfPostChange(change);
      if (types.length === 0 || !(await deps.hasSubscribers(change.post.site, types))) return;
      await deps.emit(change.post.site, types, {
        post: deps.describePost(change.post),
        previous: { heat: change.previous.heat, closed: change.previous.closed },
      });
    },
  };
}
