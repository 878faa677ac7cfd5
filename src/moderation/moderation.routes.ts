import { Router, type Request, type Response } from 'express';
import {
  idParams,
  siteParams,
  queueQuery,
  approveBody,
  rejectBody,
  restoreBody,
  bulkBody,
  authorAction,
  authorBody,
  postPatch,
  postsQuery,
  tryBody,
  auditQuery,
  statsQuery,
  featureBody,
  staffReplyBody,
} from './moderation.schemas';
import type { AuthorActionResultDto } from '../contracts/moderation-api';
import { assertCanModerate, currentModerator, scopeOf } from '../identity';
import { AppError } from '../shared/errors';
import { parseInput } from '../shared/http';
import type { AuditRepository } from './audit/audit.repository';
import type { CommentsPort } from './moderation.ports';
import type { ModerationService } from './moderation.service';
import type { QueueService } from './queue/queue.service';

function optional<T>(value: T | undefined): T | undefined {
  return value === undefined || value === '' ? undefined : value;
}

const OBJECT_ID = /^[a-f0-9]{24}$/;

export interface ModerationRoutesDeps {
  moderation: ModerationService;
  queue: QueueService;
  audit: AuditRepository;
  comments: Pick<CommentsPort, 'toCommentDto' | 'toPostDto' | 'findPost' | 'renderComments'>;
}

/** The moderator API. Mounted after identity's router, whose guard already covers `/mod`. */
export function createModerationRouter(deps: ModerationRoutesDeps): Router {
  const router = Router();
  const { moderation } = deps;

  /** A post given by id, or by key within a site; unknown keys match nothing. */
  async function resolvePostId(post: string | undefined, site: string | undefined): Promise<string | undefined> {
    if (post === undefined || OBJECT_ID.test(post)) return post;
    if (!site) throw new AppError('VALIDATION_FAILED', 'A post key needs `site` (or pass the post id)');
    const found = await deps.comments.findPost(site, post);
    return found?.id ?? '0'.repeat(24);
  }

  router.get('/mod/queue', async (req, res) => {
    const moderator = currentModerator(res);
    const query = parseInput(queueQuery, req.query, 'queue query');
    if (query.site) assertCanModerate(moderator, query.site);
    res.json(
      await deps.queue.getQueue({
        queue: query.queue,
        scope: scopeOf(moderator),
        site: query.site,
        postId: await resolvePostId(query.post, query.site),
        keyword: optional(query.q),
        languages: query.lang,
        cursor: optional(query.cursor),
        limit: query.limit,
      }),
    );
  });

  router.post('/mod/comments/bulk', async (req, res) => {
    const body = parseInput(bulkBody, req.body, 'bulk action');
    res.json(await moderation.bulk(currentModerator(res), body));
  });

  router.post('/mod/comments/:id/approve', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'comment id');
    const { revision, force } = parseInput(approveBody, req.body ?? {}, 'approval');
    const comment = await moderation.approve(currentModerator(res), id, revision, force);
    res.json({ comment: deps.comments.toCommentDto(comment) });
  });

  router.post('/mod/comments/:id/reject', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'comment id');
    const body = parseInput(rejectBody, req.body ?? {}, 'rejection');
    const comment = await moderation.reject(currentModerator(res), id, body);
    res.json({ comment: { ...deps.comments.toCommentDto(comment), status: comment.status } });
  });

  router.post('/mod/comments/:id/restore', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'comment id');
    const body = parseInput(restoreBody, req.body ?? {}, 'restore');
    const comment = await moderation.restore(currentModerator(res), id, body.note, body.force);
    res.json({ comment: deps.comments.toCommentDto(comment) });
  });

  const feature = (featured: boolean) => async (req: Request, res: Response): Promise<void> => {
    const { id } = parseInput(idParams, req.params, 'comment id');
    parseInput(featureBody, req.body ?? {}, featured ? 'feature' : 'unfeature');
    const comment = await moderation.setFeatured(currentModerator(res), id, featured);
    const [dto] = await deps.comments.renderComments([comment]);
    res.json({ comment: dto });
  };
  router.post('/mod/comments/:id/feature', feature(true));
  router.delete('/mod/comments/:id/feature', feature(false));

  router.post('/mod/comments/:id/replies', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'comment id');
    const body = parseInput(staffReplyBody, req.body, 'staff reply');
    const reply = await moderation.replyAsStaff(currentModerator(res), id, body);
    const [dto] = await deps.comments.renderComments([reply]);
    res.status(201).location(`/api/v1/comments/${reply.id}`).json({ comment: dto });
  });

  router.post('/mod/comments/:id/claim', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'comment id');
    res.json({ claim: await moderation.claim(currentModerator(res), id) });
  });

  router.delete('/mod/comments/:id/claim', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'comment id');
    await moderation.release(currentModerator(res), id);
    res.status(204).end();
  });

  router.post('/mod/authors/:id/:action', async (req, res) => {
    const { id, action } = parseInput(authorAction, req.params, 'author action');
    const body = parseInput(authorBody, req.body ?? {}, 'author action');
    const result = await moderation.setStanding(currentModerator(res), id, action, {
      until: body.until ? new Date(body.until) : undefined,
      note: body.note,
      rejectComments: body.rejectComments,
      reason: body.reason,
    });
    const { author } = result;
    const answer: AuthorActionResultDto = {
      author: {
        id: author.id,
        site: author.site,
        name: author.name,
        standing: author.standing,
        suspendedUntil: author.suspendedUntil ? author.suspendedUntil.toISOString() : null,
        history: author.counts,
      },
      rejected: { count: result.rejectedIds.length, ids: result.rejectedIds },
      clients: { held: result.clientsHeld, until: result.clientsHeldUntil ? result.clientsHeldUntil.toISOString() : null },
    };
    res.json(answer);
  });

  router.get('/mod/posts', async (req, res) => {
    const query = parseInput(postsQuery, req.query, 'posts query');
    res.json({ posts: await moderation.listHotPosts(currentModerator(res), query.site, query.limit) });
  });

  router.patch('/mod/posts/:id', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'post id');
    const patch = parseInput(postPatch, req.body, 'post change');
    const post = await moderation.patchPost(currentModerator(res), id, patch);
    res.json({ post: { ...deps.comments.toPostDto(post), premoderation: post.premoderation } });
  });

  router.post('/mod/sites/:id/try', async (req, res) => {
    const { id } = parseInput(siteParams, req.params, 'site id');
    const body = parseInput(tryBody, req.body, 'try');
    const moderator = currentModerator(res);
    assertCanModerate(moderator, id);
    res.json(await moderation.tryText(moderator, id, { text: body.text, postId: await resolvePostId(body.post, id) }));
  });

  router.get('/mod/audit', async (req, res) => {
    const moderator = currentModerator(res);
    const query = parseInput(auditQuery, req.query, 'audit query');
    if (query.site) assertCanModerate(moderator, query.site);
    const entries = await deps.audit.query({
      sites: scopeOf(moderator),
      site: query.site,
      moderatorId: query.moderator,
      authorId: query.author,
      commentId: query.comment,
      action: query.action,
      after: query.after ? new Date(query.after) : undefined,
      before: query.before ? new Date(query.before) : undefined,
      beforeId: query.cursor,
      limit: query.limit + 1,
    });
    const page = entries.slice(0, query.limit);
    res.json({
      entries: await deps.queue.describeAuditEntries(page),
      nextCursor: entries.length > query.limit ? (page.at(-1)?.id ?? null) : null,
    });
  });

  router.get('/mod/stats', async (req, res) => {
    const moderator = currentModerator(res);
    const query = parseInput(statsQuery, req.query, 'stats query');
    if (query.site) assertCanModerate(moderator, query.site);
    res.json(await deps.queue.getStats(scopeOf(moderator), query.site));
  });

  return router;
}
