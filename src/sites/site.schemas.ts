import { z } from 'zod';
import { CATEGORY_ACTIONS, CONFIGURABLE_CATEGORIES, SECRET_MASK } from '../contracts/moderation';
import { normaliseOrigin } from './origins';

export const SITE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const siteIdSchema = z.string().regex(SITE_ID_PATTERN, 'must be 2-63 lower-case letters, digits or dashes, starting with a letter or digit');

export const originSchema = z
  .string()
  .max(2048)
  .transform((value, ctx) => {
    const origin = normaliseOrigin(value.trim());
    if (origin === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be an http(s) origin such as https://blog.example.com' });
      return z.NEVER;
    }
    return origin;
  });

export const originsSchema = z
  .array(originSchema)
  .max(50)
  .transform((origins) => [...new Set(origins)]);

const siteNameSchema = z.string().trim().min(1).max(120);
const ssoSecretSchema = z.string().min(16, 'must be at least 16 characters').max(512);

const wordListSchema = z
  .array(z.string().trim().min(1).max(100))
  .max(5000)
  .transform((words) => [...new Set(words.map((word) => word.toLowerCase()))]);

const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a domain name');

const seconds = z.number().int().min(0).max(7 * 24 * 3600);

const classifierUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'must be an absolute http(s) URL');
/** The mask (as read back) keeps the stored secret. */
const classifierSecretSchema = z.union([
  z.literal(SECRET_MASK),
  z.string().min(16, 'must be at least 16 characters').max(512),
]);
const timeoutMsSchema = z.number().int().min(50, 'must be at least 50 ms').max(10_000, 'must be at most 10000 ms');

/** One external classifier; `secret` may be the mask to keep the stored one. */
export const classifierSchema = z
  .object({
    name: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1-40 lower-case letters, digits, dashes or underscores'),
    url: classifierUrlSchema,
    secret: classifierSecretSchema,
    timeoutMs: timeoutMsSchema.default(2000),
    failMode: z.enum(['open', 'closed']).default('open'),
  })
  .strict();

/** Attributes Perspective's `comments:analyze` knows (production and experimental ones). */
export const PERSPECTIVE_ATTRIBUTES = [
  'TOXICITY',
  'SEVERE_TOXICITY',
  'IDENTITY_ATTACK',
  'INSULT',
  'PROFANITY',
  'THREAT',
  'SEXUALLY_EXPLICIT',
  'FLIRTATION',
] as const;

export const perspectiveSchema = z
  .object({
    apiKey: z.string().trim().min(1).max(512).nullable().default(null),
    attribute: z.enum(PERSPECTIVE_ATTRIBUTES).default('TOXICITY'),
    threshold: z.number().min(0).max(1).default(0.8),
    endpoint: classifierUrlSchema.optional(),
    timeoutMs: timeoutMsSchema.default(2000),
    failMode: z.enum(['open', 'closed']).default('open'),
  })
  .strict();

export const settingsPatchSchema = z
  .object({
    premoderation: z.enum(['none', 'all', 'new-authors']).optional(),
    reactionLabel: z.string().trim().min(1).max(40).nullable().optional(),
    downvotes: z.boolean().optional(),
    maxLength: z.number().int().min(1).max(5000).optional(),
    maxLinks: z.number().int().min(0).max(100).optional(),
    slowModeSeconds: seconds.optional(),
    heatedSlowModeSeconds: seconds.optional(),
    newAuthorThreshold: z.number().int().min(0).max(10_000).optional(),
    editWindowSeconds: seconds.optional(),
    closeAfterDays: z.number().int().min(0).max(3650).optional(),
    trustedDomains: z
      .array(domainSchema)
      .max(1000)
      .transform((domains) => [...new Set(domains)])
      .optional(),
    bannedWords: wordListSchema.optional(),
    suspectWords: wordListSchema.optional(),
    categories: z.partialRecord(z.enum(CONFIGURABLE_CATEGORIES), z.enum(CATEGORY_ACTIONS)).optional(),
    autoHeat: z
      .object({
        enabled: z.boolean().optional(),
        reportRate: z.number().min(0).max(1).optional(),
        holdRate: z.number().min(0).max(1).optional(),
        window: z.number().int().min(1).max(1000).optional(),
      })
      .strict()
      .optional(),
    classifiers: z
      .array(classifierSchema)
      .max(5, 'at most 5 classifiers')
      .refine((list) => new Set(list.map((c) => c.name)).size === list.length, 'classifier names must be unique')
      .optional(),
    perspective: perspectiveSchema.nullable().optional(),
    brigading: z
      .object({
        enabled: z.boolean().optional(),
        windowMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
        minClusterSize: z.number().int().min(2).max(100).optional(),
        firstTimeBurst: z.number().int().min(0).max(1000).optional(),
      })
      .strict()
      .optional(),
    history: z
      .object({
        enabled: z.boolean().optional(),
        rejectionRate: z.number().gt(0, 'must be above 0').max(1).optional(),
        minSample: z.number().int().min(1, 'must be at least 1').max(1000).optional(),
        windowDays: z.number().int().min(1).max(365).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** `POST /mod/sites` */
export const createSiteBodySchema = z
  .object({
    id: siteIdSchema,
    name: siteNameSchema,
    origins: originsSchema,
    ssoSecret: ssoSecretSchema.optional(),
    settings: settingsPatchSchema.optional(),
  })
  .strict();

/** `PATCH /mod/sites/:id` */
export const patchSiteBodySchema = z
  .object({
    name: siteNameSchema.optional(),
    origins: originsSchema.optional(),
    ssoSecret: ssoSecretSchema.nullable().optional(),
    settings: settingsPatchSchema.optional(),
  })
  .strict();
