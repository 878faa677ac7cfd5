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
export { moderationApiPaths, moderationApiSchemas } from './moderation.openapi';
