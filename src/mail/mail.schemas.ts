import { z } from 'zod';
import { siteIdSchema } from '../sites';
import { MAIL_LANGUAGES } from './i18n';

export const langSchema = z.enum(MAIL_LANGUAGES, { message: 'must be en, ru or uk' });

export const siteParamsSchema = z.object({ site: siteIdSchema });

export const subscribeBodySchema = z.strictObject({
  /** Optional for SSO readers whose sign-in carries an address. */
  email: z.email('must be an e-mail address').max(254).optional(),
  /** The widget's language: the mails and pages come in it. */
  lang: langSchema.default('en'),
});

export const tokenQuerySchema = z.object({
  token: z.string().min(10, 'must be the token from the mail').max(600, 'must be the token from the mail'),
});

export const moderatorNotificationsBodySchema = z.strictObject({
  site: siteIdSchema,
  mode: z.enum(['instant', 'hourly', 'daily', 'off'], { message: 'must be instant, hourly, daily or off' }),
  lang: langSchema.optional(),
});
