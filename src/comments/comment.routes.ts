import { Router, type Request, type RequestHandler, type Response } from 'express';
import { AppError, isAppError } from '../shared/errors';
import { parseInput } from '../shared/http';
import type { CommentService, RequestContext } from './comment.service';
import type { SerialisedPage } from './thread-page-cache';
import {
  authorizationSchema,
  commentParamsSchema,
  countsQuerySchema,
  createCommentBodySchema,
  editCommentBodySchema,
  previewBodySchema,
  repliesQuerySchema,
  reportBodySchema,
  reactionBodySchema,
  siteParamsSchema,
  threadParamsSchema,
  threadQuerySchema,
} from './comment.schemas';
import type { RateLimiters } from './rate-limits';

export interface CommentRouterDeps {
  comments: CommentService;
  limits: RateLimiters;
}

/** The request's origin and bearer: all the domain learns about the request. */
function contextOf(req: Request, options: { isWrite: boolean }): RequestContext {
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
  const clientIp = req.ip ?? req.socket.remoteAddress;
  const header = req.headers.authorization;
  if (header === undefined || header === '') return { origin, clientIp };
  const parsed = authorizationSchema.safeParse(header);
  if (!parsed.success) {
    // A reader with a broken header still reads; a writer must not silently become a new guest.
    if (options.isWrite) throw new AppError('AUTHOR_TOKEN_INVALID', 'The Authorization header must be "Bearer <token>"');
    return { origin, clientIp };
  }
  return { origin, clientIp, bearer: parsed.data };
}

/**
 * Wraps a handler so that a refused origin gets no CORS grant: the global CORS
 * layer allows every site's origins, these routes only their own site's.
 */
function handle(fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return async (req, res) => {
    try {
      await fn(req, res);
    } catch (error) {
      if (isAppError(error) && error.code === 'ORIGIN_NOT_ALLOWED') {
        res.removeHeader('Access-Control-Allow-Origin');
        res.removeHeader('Access-Control-Allow-Credentials');
      }
      throw error;
    }
  };
}

/** Sends a page serialised by the service, answering 304 when the client holds these very bytes. */
function sendSerialised(res: Response, page: SerialisedPage): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('ETag', page.etag);
  res.send(page.body);
}

function personalCache(res: Response, context: RequestContext): void {
  res.setHeader('Vary', 'Origin, Authorization');
  res.setHeader('Cache-Control', context.bearer ? 'private, no-store' : 'public, max-age=5');
}

/** The public, per-site API: threads, replies, posting, editing, reports, counts. */
export function createCommentRouter(deps: CommentRouterDeps): Router {
  const { comments, limits } = deps;
  const router = Router();

  router.get(
    '/sites/:site/posts/:post/comments',
    limits.readsPerIp,
    handle(async (req, res) => {
      const params = parseInput(threadParamsSchema, req.params, 'thread');
      const query = parseInput(threadQuerySchema, req.query, 'query');
      const context = contextOf(req, { isWrite: false });
      const page = await comments.readThreadSerialised({ ...context, ...params, ...query });
      personalCache(res, context);
      sendSerialised(res, page);
    }),
  );

  router.post(
    '/sites/:site/posts/:post/comments',
    limits.commentsPerIp,
    limits.commentsPerAuthor,
    handle(async (req, res) => {
      const params = parseInput(threadParamsSchema, req.params, 'thread');
      if (typeof req.body === 'object' && req.body !== null && 'badges' in req.body) {
        throw new AppError('BADGES_NOT_ALLOWED', "Badges come only from the site's sign-in (SSO) token or from its moderators; a comment cannot set them");
      }
      const body = parseInput(createCommentBodySchema, req.body, 'comment');
      const created = await comments.createComment({ ...contextOf(req, { isWrite: true }), ...params, ...body });
      res.status(201).location(`/api/v1/comments/${created.comment.id}`).json(created);
    }),
  );

  router.get(
    '/comments/:id',
    limits.readsPerIp,
    handle(async (req, res) => {
      const { id } = parseInput(commentParamsSchema, req.params, 'comment id');
      const context = contextOf(req, { isWrite: false });
      const comment = await comments.readComment({ ...context, commentId: id });
      personalCache(res, context);
      res.json({ comment });
    }),
  );

  router.get(
    '/comments/:id/replies',
    limits.readsPerIp,
    handle(async (req, res) => {
      const { id } = parseInput(commentParamsSchema, req.params, 'comment id');
      const query = parseInput(repliesQuerySchema, req.query, 'query');
      const context = contextOf(req, { isWrite: false });
      const page = await comments.readRepliesSerialised({ ...context, commentId: id, ...query });
      personalCache(res, context);
      sendSerialised(res, page);
    }),
  );

  router.patch(
    '/comments/:id',
    limits.commentsPerAuthor,
    handle(async (req, res) => {
      const { id } = parseInput(commentParamsSchema, req.params, 'comment id');
      const body = parseInput(editCommentBodySchema, req.body, 'comment');
      const comment = await comments.editComment({ ...contextOf(req, { isWrite: true }), commentId: id, body: body.body });
      res.json({ comment });
    }),
  );

  router.delete(
    '/comments/:id',
    handle(async (req, res) => {
      const { id } = parseInput(commentParamsSchema, req.params, 'comment id');
      await comments.deleteComment({ ...contextOf(req, { isWrite: true }), commentId: id });
      res.status(204).end();
    }),
  );

  router.post(
    '/comments/:id/reports',
    limits.reportsPerIp,
    handle(async (req, res) => {
      const { id } = parseInput(commentParamsSchema, req.params, 'comment id');
      const { reason } = parseInput(reportBodySchema, req.body, 'report');
      const userAgent = typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 512) : '';
      const result = await comments.reportComment({
        ...contextOf(req, { isWrite: true }),
        commentId: id,
        reason,
        fingerprint: { ip: req.ip ?? req.socket.remoteAddress ?? '', userAgent },
      });
      res.status(201).json(result);
    }),
  );

  const fingerprintOf = (req: Request): { ip: string; userAgent: string } => ({
    ip: req.ip ?? req.socket.remoteAddress ?? '',
    userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 512) : '',
  });

  router.put(
    '/comments/:id/reaction',
    limits.reactionsPerIp,
    handle(async (req, res) => {
      const { id } = parseInput(commentParamsSchema, req.params, 'comment id');
      const { kind } = parseInput(reactionBodySchema, req.body ?? {}, 'reaction');
      res.json(await comments.setReaction({ ...contextOf(req, { isWrite: true }), commentId: id, kind, fingerprint: fingerprintOf(req) }));
    }),
  );

  router.delete(
    '/comments/:id/reaction',
    limits.reactionsPerIp,
    handle(async (req, res) => {
      const { id } = parseInput(commentParamsSchema, req.params, 'comment id');
      res.json(await comments.setReaction({ ...contextOf(req, { isWrite: true }), commentId: id, kind: null, fingerprint: fingerprintOf(req) }));
    }),
  );

  router.post(
    '/sites/:site/previews',
    limits.readsPerIp,
    handle(async (req, res) => {
      const { site } = parseInput(siteParamsSchema, req.params, 'site');
      const { body } = parseInput(previewBodySchema, req.body, 'preview');
      res.setHeader('Cache-Control', 'no-store');
      res.json(await comments.previewComment({ ...contextOf(req, { isWrite: false }), site, body }));
    }),
  );

  router.get(
    '/sites/:site/counts',
    limits.readsPerIp,
    handle(async (req, res) => {
      const { site } = parseInput(siteParamsSchema, req.params, 'site');
      const { posts } = parseInput(countsQuerySchema, req.query, 'query');
      const counts = await comments.getCounts({ ...contextOf(req, { isWrite: false }), site, posts });
      res.setHeader('Cache-Control', 'public, max-age=10');
      res.setHeader('Vary', 'Origin');
      res.json(counts);
    }),
  );

  return router;
}
