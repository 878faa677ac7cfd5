/**
 * Moderation: the explainable pipeline, the queues, moderator actions, claims,
 * the audit log and stats. The comment service gets `screen` and
 * `onCommentChange` from here through the composition root.
 */
export { createModeration } from './moderation';
export type { Moderation, ModerationDeps } from './moderation';
export type { CommentsPort } from './moderation.ports';
export { buildScreeningContext } from './screening';
export { createScreener } from './pipeline';
export { moderationApiSchemas } from './moderation.openapi';
import { moderationApiPaths as corePaths } from './moderation.openapi';
import { insightsApiPaths } from './insights.openapi';

/** Every moderator API path: queues and actions, author history and notes, clusters. */
export function moderationApiPaths(): Record<string, unknown> {
  return { ...corePaths(), ...insightsApiPaths() };
}
export { createAuditRepository } from './audit/audit.repository';
