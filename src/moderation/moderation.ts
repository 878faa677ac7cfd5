import { Router } from 'express';
import type { Connection } from 'mongoose';
import type { ScreenComment, CommentChangeListener, ScreeningDraft } from '../comments';
import type { AuthorDirectory } from '../identity';
import type { DomainEvents, EventBus } from '../shared';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { SiteService } from '../sites';
import { createAuditRepository, type AuditRepository } from './audit/audit.repository';
import { createModerationEvents } from './moderation.events';
import type { CommentsPort } from './moderation.ports';
import { createModerationRouter } from './moderation.routes';
import { createModerationService, type ModerationService } from './moderation.service';
import { createScreener } from './pipeline';
import { createClaimRepository } from './queue/claim.repository';
import { createQueueService, type QueueService } from './queue/queue.service';
import { createScreen } from './screening';
import { createNudgeRepository } from './nudges/nudge.repository';
import { createAuthorInsights } from './authors/author-insights.service';
import { createBrigading } from './brigading/brigading.service';
import { createBrigadingRepository } from './brigading/brigading.repository';
import { createRecentFingerprints } from './brigading/recent-fingerprints';
import { createBrigadingRouter } from './brigading/brigading.routes';
import { createAuthorInsightsRouter } from './authors/author-insights.routes';
import { createAuthorNoteRepository } from './authors/author-note.repository';
import { gatherExternalOpinions, hasExternalClassifiers, type ClassifierRequest } from './external';

export interface ModerationDeps {
  connection: Connection;
  comments: CommentsPort;
  authors: AuthorDirectory;
  sites: Pick<SiteService, 'getSite'>;
  bus: EventBus<DomainEvents>;
  clock: Clock;
  logger: Logger;
}

export interface Moderation {
  /** Hand to the comment service: decides each new or edited comment's status. */
  screen: ScreenComment;
  /** Hand to the comment service: reacts to queue changes. */
  onCommentChange: CommentChangeListener;
  service: ModerationService;
  queue: QueueService;
  audit: AuditRepository;
  router: Router;
  close(): void;
}

export function createModeration(deps: ModerationDeps): Moderation {
  const runPipeline = createScreener();
  const audit = createAuditRepository(deps.connection);
  const claims = createClaimRepository(deps.connection);
  const coreQueue = createQueueService({ comments: deps.comments, authors: deps.authors, claims, audit, clock: deps.clock });
  const nudges = createNudgeRepository(deps.connection);
  const queue: QueueService = {
    ...coreQueue,
    async getStats(scope, site) {
      const [stats, nudgeStats] = await Promise.all([
        coreQueue.getStats(scope, site),
        nudges.stats(site ? [site] : scope, deps.clock.now()),
      ]);
      return { ...stats, nudges: nudgeStats };
    },
  };
  const service = createModerationService({ ...deps, audit, claims, queue, runPipeline });
  const events = createModerationEvents({ ...deps, audit, queue });
  const insights = createAuthorInsights({
    comments: deps.comments,
    authors: deps.authors,
    audit,
    notes: createAuthorNoteRepository(deps.connection),
    clock: deps.clock,
  });
  const brigadingRepository = createBrigadingRepository(deps.connection);
  const brigading = createBrigading({
    repository: brigadingRepository,
    recent: createRecentFingerprints(brigadingRepository, deps.clock),
    authors: deps.authors,
    sites: deps.sites,
    comments: deps.comments,
    audit,
    clock: deps.clock,
    rejectComment: (moderator, id, input) => service.reject(moderator, id, input),
  });
  const router = Router();
  router.use(createBrigadingRouter({ brigading, comments: deps.comments }));
  // Before the moderation router: its `/mod/authors/:id/:action` would take `notes` for an action.
  router.use(createAuthorInsightsRouter({ insights }));
  router.use(createModerationRouter({ moderation: service, queue, audit, comments: deps.comments }));
  return {
    screen: createScreen({
      comments: deps.comments,
      runPipeline,
      clock: deps.clock,
      nudges,
      gather: {
        history: (draft, now) => insights.summaryForDraft(draft, now),
        brigading: (draft, now) => brigading.signalsFor(draft, now),
        external: (draft, languages) =>
          hasExternalClassifiers(draft.site.settings)
            ? gatherExternalOpinions(draft.site.settings, classifierRequestFor(draft, languages), deps.clock)
            : Promise.resolve([]),
      },
    }),
    onCommentChange: async (change) => {
      // First, so the next comment's brigading check sees this one as soon as possible.
      if (change.kind === 'created') {
        await brigading.recordCreated(change.comment, change.author).catch((error: unknown) =>
          deps.logger.error({ err: error, commentId: change.comment.id }, 'brigading record failed'),
        );
      }
      await events.onCommentChange(change);
    },
    service,
    queue,
    audit,
    router,
    close: () => events.close(),
  };
}

/** The classifier contract's request for one draft (README, "External classifiers"). */
function classifierRequestFor(draft: ScreeningDraft, languages: string[]): ClassifierRequest {
  return {
    comment: {
      ...(draft.commentId ? { id: draft.commentId } : {}),
      body: draft.text,
      site: draft.site.id,
      post: draft.post.key,
      ...(draft.parentId ? { parentId: draft.parentId } : {}),
      author: { id: draft.author.id, name: draft.author.name },
    },
    languages,
  };
}
