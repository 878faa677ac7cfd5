import { Router } from 'express';
import { z } from 'zod';
import { REJECT_REASONS } from '../contracts/moderation-api';
import { assertCanModerate, currentModerator, scopeOf } from '../identity';
import { AppError } from '../shared/errors';
import { parseInput } from '../shared/http';
import type { AuditRepository } from './audit/audit.repository';
import type { CommentsPort } from './moderation.ports';
import type { ModerationService } from './moderation.service';
import type { QueueService } from './queue/queue.service';

const objectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character hex id');
const siteId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a site id');
const note = z.string().trim().max(1000);
const idParams = z.object({ id: objectId });
const siteParams = z.object({ id: siteId });

const queueQuery = z
  .object({
    queue: z.enum(['pending', 'reported', 'rejected', 'approved']).default('pending'),
    site: siteId.optional(),
    /** The post's id, or its key (`data-post`) together with `site`. */
    post: z.string().trim().min(1).max(200).optional(),
    q: z.string().trim().max(200).optional(),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
/** `revision`: the one the moderator saw (409 if edited since); without it the current one is approved. */
const approveBody = z.object({ revision: z.number().int().min(1).optional() }).strict();
const rejectBody = z
  .object({ revision: z.number().int().min(1).optional(), reason: z.enum(REJECT_REASONS).default('other'), note: note.optional() })
  .strict();
const restoreBody = z.object({ note: note.optional() }).strict();
const bulkBody = z
  .object({
    action: z.enum(['approve', 'reject']),
    ids: z.array(objectId).min(1).max(100),
    reason: z.enum(REJECT_REASONS).optional(),
    note: note.optional(),
  })
  .strict();
const authorAction = z.object({ id: objectId, action: z.enum(['ban', 'suspend', 'premoderate', 'reinstate']) });
const authorBody = z.object({ until: z.iso.datetime({ offset: true }).optional(), note: note.optional() }).strict();
const postPatch = z
  .object({
    heat: z.enum(['normal', 'heated', 'lockdown']).optional(),
    closed: z.boolean().optional(),
    premoderation: z.enum(['none', 'all', 'new-authors']).nullable().optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'give at least one of heat, closed, premoderation');
const postsQuery = z
  .object({ site: siteId.optional(), sort: z.enum(['hot']).default('hot'), limit: z.coerce.number().int().min(1).max(100).default(20) })
  .strict();
const tryBody = z.object({ text: z.string().max(20_000), post: z.string().trim().min(1).max(200).optional() }).strict();
const auditQuery = z
  .object({
    site: siteId.optional(),
    moderator: objectId.optional(),
    author: objectId.optional(),
    comment: objectId.optional(),
    action: z.string().regex(/^[a-z-]+\.[a-z-]+$/).optional(),
    after: z.iso.datetime({ offset: true }).optional(),
    before: z.iso.datetime({ offset: true }).optional(),
    cursor: objectId.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
const statsQuery = z.object({ site: siteId.optional() }).strict();

function optional<T>(value: T | undefined): T | undefined {
  return value === undefined || value === '' ? undefined : value;
}

const OBJECT_ID = /^[a-f0-9]{24}$/;

export interface ModerationRoutesDeps {
  moderation: ModerationService;
  queue: QueueService;
  audit: AuditRepository;
  comments: Pick<CommentsPort, 'toCommentDto' | 'toPostDto' | 'findPost'>;
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
    const { revision } = parseInput(approveBody, req.body ?? {}, 'approval');
    const comment = await moderation.approve(currentModerator(res), id, revision);
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
    const comment = await moderation.restore(currentModerator(res), id, body.note);
    res.json({ comment: deps.comments.toCommentDto(comment) });
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
    const author = await moderation.setStanding(currentModerator(res), id, action, {
      until: body.until ? new Date(body.until) : undefined,
      note: body.note,
    });
    res.json({
      author: {
        id: author.id,
        site: author.site,
        name: author.name,
        standing: author.standing,
        suspendedUntil: author.suspendedUntil ? author.suspendedUntil.toISOString() : null,
        history: author.counts,
      },
    });
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
    res.json({ entries: page, nextCursor: entries.length > query.limit ? (page.at(-1)?.id ?? null) : null });
  });

  router.get('/mod/stats', async (req, res) => {
    const moderator = currentModerator(res);
    const query = parseInput(statsQuery, req.query, 'stats query');
    if (query.site) assertCanModerate(moderator, query.site);
    res.json(await deps.queue.getStats(scopeOf(moderator), query.site));
  });

  return router;
}
