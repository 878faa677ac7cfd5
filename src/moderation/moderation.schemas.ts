import { z } from 'zod';
import { REJECT_REASONS } from '../contracts/moderation-api';
import { DETECTABLE_LANGUAGES } from './text';

/** The moderator API's inputs: validated by the routes, described by the OpenAPI document. */
export const objectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character hex id');
export const siteId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a site id');
export const note = z.string().trim().max(1000);
export const idParams = z.object({ id: objectId });
export const siteParams = z.object({ id: siteId });

/** `lang=ru` or `lang=ru,uk`: languages the detector can name; an unknown code is refused, never ignored. */
export const languageList = z
  .string()
  .trim()
  .max(100)
  .transform((raw, ctx) => {
    const codes = [...new Set(raw.split(',').map((code) => code.trim().toLowerCase()).filter((code) => code !== ''))];
    if (codes.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'give at least one language code, e.g. lang=ru or lang=ru,uk' });
      return z.NEVER;
    }
    const unknown = codes.filter((code) => !DETECTABLE_LANGUAGES.includes(code));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown language ${unknown.map((code) => `"${code}"`).join(', ')}; known: ${DETECTABLE_LANGUAGES.join(', ')}`,
      });
      return z.NEVER;
    }
    return codes;
  });

export const queueQuery = z
  .object({
    queue: z.enum(['pending', 'reported', 'rejected', 'approved']).default('pending'),
    site: siteId.optional(),
    /** The post's id, or its key (`data-post`) together with `site`. */
    post: z.string().trim().min(1).max(200).optional(),
    q: z.string().trim().max(200).optional(),
    /** Only comments whose verdict detected one of these languages. */
    lang: languageList
      .optional()
      .describe(
        'Comma-separated BCP 47 codes (`ru`, `uk`, `en`, `ru,uk`, …): only comments whose verdict detected one of these languages; an unknown code is 400 VALIDATION_FAILED',
      ),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
/** `revision`: the one the moderator saw (409 if edited since); without it the current one is approved. */
/** `force`: act even though another moderator claimed the comment (else 409 CLAIMED_BY_OTHER). */
const force = z.boolean().optional();
export const approveBody = z.object({ revision: z.number().int().min(1).optional(), force }).strict();
export const rejectBody = z
  .object({ revision: z.number().int().min(1).optional(), reason: z.enum(REJECT_REASONS).default('other'), note: note.optional(), force })
  .strict();
export const restoreBody = z.object({ note: note.optional(), force }).strict();
export const bulkBody = z
  .object({
    action: z.enum(['approve', 'reject']),
    ids: z.array(objectId).min(1).max(100),
    reason: z.enum(REJECT_REASONS).optional(),
    note: note.optional(),
    force,
  })
  .strict();
export const authorAction = z.object({ id: objectId, action: z.enum(['ban', 'suspend', 'premoderate', 'reinstate']) });
export const authorBody = z
  .object({
    until: z.iso.datetime({ offset: true }).optional(),
    note: note.optional(),
    /** Ban or suspend and reject the author's pending and published comments, in one action. */
    rejectComments: z.boolean().optional(),
    /** Recorded on each comment `rejectComments` rejects (default `other`). */
    reason: z.enum(REJECT_REASONS).optional(),
  })
  .strict();
export const postPatch = z
  .object({
    heat: z.enum(['normal', 'heated', 'lockdown']).optional(),
    closed: z.boolean().optional(),
    premoderation: z.enum(['none', 'all', 'new-authors']).nullable().optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'give at least one of heat, closed, premoderation');
export const postsQuery = z
  .object({ site: siteId.optional(), sort: z.enum(['hot']).default('hot'), limit: z.coerce.number().int().min(1).max(100).default(20) })
  .strict();
export const tryBody = z.object({ text: z.string().max(20_000), post: z.string().trim().min(1).max(200).optional() }).strict();
export const auditQuery = z
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
export const statsQuery = z.object({ site: siteId.optional() }).strict();

/** `POST|DELETE /mod/comments/:id/feature`: no options. */
export const featureBody = z.object({}).strict();
/** `POST /mod/comments/:id/replies`: a moderator answers in the thread as the site's staff. */
export const staffReplyBody = z
  .object({
    body: z.string().max(20_000),
    /** The name shown beside the badge; the moderator's own name when absent. */
    authorName: z.string().trim().min(1).max(50).optional(),
    /** The badge shown beside the name. */
    badge: z.enum(['Moderator', 'Staff']).default('Moderator'),
  })
  .strict();
