/** Atom feeds of published comments, per site and per post. */
export { createFeedRouter, FEED_LENGTH } from './feed.routes';
export type { FeedRouterDeps } from './feed.routes';
export { feedApiPaths } from './feed.openapi';
