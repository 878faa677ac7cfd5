import { z } from 'zod';
import { REPORT_REASONS } from '../contracts/comments';
import { siteIdSchema } from '../sites';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
/** Bidirectional overrides and isolates: they make one key display as another. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

export const objectIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{24}$/, 'must be a 24-character hex id')
  .transform((id) => id.toLowerCase());

/** The host's `data-post`: a slug or a canonical URL. */
export const postKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((key) => !CONTROL.test(key), 'must not contain control characters')
  .refine((key) => !BIDI.test(key), 'must not contain bidirectional control characters')
  .refine((key) => key.trim() === key, 'must not start or end with whitespace');

const postUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'must be an absolute http(s) URL');
const postTitleSchema = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .refine((title) => !CONTROL.test(title), 'must not contain control characters');

/** Top-level comments on a thread page when `?limit=` is not given (the widget sends none). */
export const DEFAULT_THREAD_PAGE_SIZE = 20;

/** `?limit=`: 1–100 written as plain digits. */
const limitSchema = z
  .string()
  .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'));

const cursorSchema = z.string().min(1).max(512);

export const threadParamsSchema = z.object({ site: siteIdSchema, post: postKeySchema });
export const commentParamsSchema = z.object({ id: objectIdSchema });
export const siteParamsSchema = z.object({ site: siteIdSchema });

export const threadQuerySchema = z
  .object({
    sort: z.enum(['newest', 'oldest', 'top', 'best']).optional(),
    cursor: cursorSchema.optional(),
    limit: limitSchema.optional(),
    postUrl: postUrlSchema.optional(),
    postTitle: postTitleSchema.optional(),
    /** `true`: only the featured comments, latest featured first (all of them: a post has at most a few). */
    featured: z.enum(['true', 'false']).optional(),
  })
  .superRefine((query, ctx) => {
    if (query.featured === 'true' && (query.sort !== undefined || query.cursor !== undefined || query.limit !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['featured'],
        message: 'featured=true lists every featured comment (a post has at most a few), latest featured first: it takes no sort, cursor or limit',
      });
    }
  })
  .transform(({ featured, sort, limit, ...query }) => ({ ...query, sort: sort ?? ('newest' as const), limit: limit ?? DEFAULT_THREAD_PAGE_SIZE, isFeatured: featured === 'true' }));

export const repliesQuerySchema = z.object({
  cursor: cursorSchema.optional(),
  limit: limitSchema.default(20),
});

export const createCommentBodySchema = z
  .object({
    body: z.string(),
    parentId: objectIdSchema.nullable().optional(),
    authorName: z.string().max(200).optional(),
    postUrl: postUrlSchema.optional(),
    postTitle: postTitleSchema.optional(),
    /** The author saw the nudge (409 COMMENT_NUDGED) and posts anyway: the comment is held. */
    confirmNudge: z.boolean().optional(),
  })
  .strict();

export const editCommentBodySchema = z.object({ body: z.string() }).strict();

/** `POST /sites/:site/previews`: a draft to render, never stored. */
export const previewBodySchema = z.object({ body: z.string().max(100_000) }).strict();

export const reportBodySchema = z.object({ reason: z.enum(REPORT_REASONS) }).strict();

/** `PUT /comments/:id/reaction`: no body (or `{}`) is the positive reaction; `down` only where a site enables it. */
export const reactionBodySchema = z.object({ kind: z.enum(['up', 'down']).default('up') }).strict();

export const MAX_COUNT_KEYS = 100;

export const countsQuerySchema = z.object({
  posts: z
    .string()
    .min(1, 'name 1 to 100 post keys, comma-separated')
    .max(MAX_COUNT_KEYS * 201)
    .transform((list) => [...new Set(list.split(','))])
    .pipe(z.array(postKeySchema).min(1).max(MAX_COUNT_KEYS, `at most ${MAX_COUNT_KEYS} posts`)),
});

/** `Authorization: Bearer <token>`; anything else in the header is refused. */
export const authorizationSchema = z
  .string()
  .max(8192)
  .regex(/^Bearer [A-Za-z0-9._~+/=-]{1,8000}$/, 'must be "Bearer <token>"')
  .transform((header) => header.slice('Bearer '.length));
