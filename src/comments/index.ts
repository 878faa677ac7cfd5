/**
 * Threads: posts, comments and replies, reading, posting, editing, deleting,
 * reports, counts kept by diff, and the live events of each post.
 */
import { startAutoClose, type AutoCloseDeps } from './auto-close';
import type { Router } from 'express';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { AuthorDirectory } from '../identity';
import type { SiteService } from '../sites';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import type { EventBus } from '../shared/event-bus';
import type { CommentChangeListener, PostChangeListener, ScreenComment } from './comment.types';
import { createCommentRepository } from './comment.repository';
import { createCommentRouter } from './comment.routes';
import { createCommentService, type CommentService } from './comment.service';
import { repairCounts, type RepairReport } from './count-repair';
import { createPostEventLog } from './post-event-log';
import { createPostEventRepository } from './post-event.repository';
import { createPostRepository } from './post.repository';
import { createRateLimiters, DEFAULT_RATE_LIMITS, type RateLimitSettings } from './rate-limits';
import type { RateLimitStoreFactory } from '../shared/rate-limit';
import { createReportRepository } from './report.repository';
import { createReactionRepository } from './reaction.repository';
import { createRankingSnapshotRepository } from './ranking-snapshot.repository';
import { createPageCache } from './thread-page-cache';

export type {
  CommentRecord,
  CommentRevision,
  PostRecord,
  PostCounts,
  StoredVerdict,
  StatusActor,
  ScreeningDraft,
  ScreeningResult,
  ScreenComment,
  CommentChange,
  CommentChangeListener,
  PostChange,
  PostChangeListener,
  CommentListFilter,
  CommentListPage,
} from './comment.types';
export type { CommentService, CommentServiceDeps, RequestContext, PostDetails } from './comment.service';
export type { RepairReport } from './count-repair';
export type { RateLimitSettings } from './rate-limits';
export { DEFAULT_RATE_LIMITS } from './rate-limits';
export { toCommentDto, toPostDto, toAuthorDto } from './comment-dto';
export type { CommentDtoOptions } from './comment-dto';
export { normaliseCommentText } from './comment-text';
export { POST_EVENT_TTL_SECONDS } from './post-event.repository';
export { MAX_REPLAYED_EVENTS } from './post-event-log';
export { REPLIES_PER_LEVEL, THREAD_NESTING_DEPTH } from './thread-reader';
export { commentApiPaths, commentApiSchemas, commentApiSecuritySchemes } from './comment.openapi';
export { DEFAULT_THREAD_PAGE_SIZE, postKeySchema } from './comment.schemas';

export interface CommentsDeps {
  connection: Connection;
  sites: SiteService;
  authors: AuthorDirectory;
  bus: EventBus<DomainEvents>;
  /** The moderation pipeline; decides each new or edited comment's status. */
  screen: ScreenComment;
  /** Told about queue-relevant changes (moderation's queue events). */
  onCommentChange?: CommentChangeListener | undefined;
  /** Told after a post's heat or closed state changed. */
  onPostChange?: PostChangeListener | undefined;
  clock: Clock;
  logger: Logger;
  /** Salt for anonymous reporters' fingerprints (the session secret will do). */
  readerSalt: string;
  rateLimits?: Partial<RateLimitSettings> | undefined;
  /** Shared rate-limit counters across instances (Redis); in-memory when absent. */
  rateLimitStore?: RateLimitStoreFactory | undefined;
  /** `THREAD_CACHE_TRUST_MS`: how long a post read is trusted for cached pages; 0 when absent. */
  threadCacheTrustMs?: number | undefined;
}

export interface Comments {
  service: CommentService;
  /** Public routes, mounted under `/api/v1`. */
  router: Router;
  /** Recomputes post and reply counts from the comments (one site or all). */
  repairCounts(site?: string): Promise<RepairReport>;
  /**
   * An author's name, avatar or badges changed: cached pages of every post they
   * commented under go (their comments show the new ones at once, on every instance).
   */
  refreshAuthorPages(authorId: string): Promise<void>;
  /** Starts closing posts past their site's `closeAfterDays` (see `auto-close.ts`). */
  startAutoClose(deps: Pick<AutoCloseDeps, 'listSites' | 'recordClosed' | 'checkEveryMs'>): { close(): Promise<void> };
}

/** Builds the comments component on an open connection. */
export function createComments(deps: CommentsDeps): Comments {
  const pageCache = createPageCache({ trustMs: deps.threadCacheTrustMs ?? 0 });
  const posts = createPostRepository(deps.connection, {
    onPageVersionMoved: (postIds) => {
      pageCache.invalidatePosts(postIds);
      deps.bus.publish('post.pages-changed', { postIds, isRemote: false });
    },
  });
  deps.bus.subscribe('post.pages-changed', (event) => {
    if (event.isRemote) pageCache.invalidatePosts(event.postIds);
  });
  const comments = createCommentRepository(deps.connection);
  const log = createPostEventLog({
    posts,
    events: createPostEventRepository(deps.connection),
    bus: deps.bus,
    clock: deps.clock,
    logger: deps.logger,
  });
  const reactions = createReactionRepository(deps.connection);
  const service = createCommentService({
    sites: deps.sites,
    authors: deps.authors,
    posts,
    comments,
    reports: createReportRepository(deps.connection),
    reactions,
    snapshots: createRankingSnapshotRepository(deps.connection),
    log,
    screen: deps.screen,
    clock: deps.clock,
    logger: deps.logger,
    readerSalt: deps.readerSalt,
    onCommentChange: deps.onCommentChange,
    onPostChange: deps.onPostChange,
    pageCache,
  });
  const limits = createRateLimiters(
    { ...DEFAULT_RATE_LIMITS, ...withoutUndefined(deps.rateLimits ?? {}) },
    deps.rateLimitStore,
  );
  return {
    service,
    router: createCommentRouter({ comments: service, limits }),
    repairCounts: (site) => repairCounts({ posts, comments, reactions }, site),
    startAutoClose: (hooks) =>
      startAutoClose({
        ...hooks,
        findDueToClose: (site, cutoff, limit) => posts.findDueToClose(site, cutoff, limit),
        setPostState: (postId, patch) => service.setPostState(postId, patch),
        clock: deps.clock,
        logger: deps.logger,
      }),
    async refreshAuthorPages(authorId) {
      try {
        await posts.bumpPageVersions(await comments.findPostIdsOfAuthor(authorId));
      } catch (error) {
        // The change itself stands; pages of these posts show the old name until their next write.
        deps.logger.error({ err: error, authorId }, 'could not refresh the pages of an author’s posts');
      }
    },
  };
}

/** Compiles the post and comment models on a connection (tools that move stored documents). */
export function registerCommentModels(connection: Connection): void {
  createPostRepository(connection);
  createCommentRepository(connection);
}

/**
 * Recomputes post counts and reply counts of one site (or all) from the
 * comments on this connection: the repair path for counts kept by diff.
 * Run it when writes are quiet; a comment posted during the scan may be
 * counted on the next run.
 */
export function repairCommentCounts(
  connection: Connection,
  site?: string,
  onProgress?: (postsDone: number, postsTotal: number) => void,
): Promise<RepairReport> {
  return repairCounts(
    { posts: createPostRepository(connection), comments: createCommentRepository(connection), reactions: createReactionRepository(connection) },
    site,
    onProgress,
  );
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/** A screen that publishes everything: the default until moderation is wired. */
export const publishEverything: ScreenComment = () => Promise.resolve({ action: 'publish', findings: [], languages: [] });
