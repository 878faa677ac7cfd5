import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** Parses sizes such as `65536`, `64kb`, `1mb` into bytes. */
const byteSize = z
  .string()
  .trim()
  .regex(/^\d{1,10}(b|kb|mb)?$/i, 'must be a size such as 65536, 64kb or 1mb')
  .transform((raw) => {
    const match = /^(\d+)(b|kb|mb)?$/i.exec(raw);
    const amount = Number(match?.[1] ?? '0');
    const unit = (match?.[2] ?? 'b').toLowerCase();
    return unit === 'mb' ? amount * 1024 * 1024 : unit === 'kb' ? amount * 1024 : amount;
  })
  .pipe(z.number().min(1024, 'must be at least 1kb').max(10 * 1024 * 1024, 'must be at most 10mb'));

const trustProxy = z
  .string()
  .trim()
  .transform((raw): boolean | number | string => {
    if (raw === '' || raw === 'false') return false;
    if (raw === 'true') return true;
    if (/^\d+$/.test(raw)) return Number(raw);
    return raw;
  });

const SMTP_URL_HINT = 'must be an smtp:// or smtps:// URL such as smtps://user:pass@mail.example.com:465';

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: port.default(3000),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    MONGODB_URI: optionalString.pipe(
      z
        .string()
        .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a mongodb:// or mongodb+srv:// URI')
        .optional(),
    ),
    MONGODB_DB: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1-63 letters, digits, _ or -')
      .default('parley'),
    EMBEDDED_DB: z.enum(['auto', 'memory-server', 'emulator']).default('auto'),
    // Where the embedded emulator keeps its data; ':memory:' keeps it in this process only.
    EMULATOR_DBPATH: z
      .string()
      .trim()
      .transform((value) => (value === '' ? '.data/emulator' : value))
      .default('.data/emulator'),
    // Where the embedded emulator runs: a worker thread (its CPU work on another core) or the service's thread.
    EMULATOR_THREAD: z.enum(['worker', 'main']).default('worker'),
    REDIS_URL: optionalString.pipe(
      z
        .string()
        .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
        .optional(),
    ),
    PUBLIC_URL: optionalString.pipe(
      z
        .url({ message: 'must be an absolute http(s) URL', protocol: /^https?$/ })
        .transform((value) => value.replace(/\/+$/, ''))
        .optional(),
    ),
    SESSION_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    ADMIN_EMAIL: optionalString.pipe(z.email('must be an e-mail address').optional()),
    ADMIN_PASSWORD: optionalString.pipe(z.string().min(10, 'must be at least 10 characters').optional()),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    TRUST_PROXY: trustProxy.default(false),
    BODY_LIMIT: byteSize.default(64 * 1024),
    METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    SHUTDOWN_TIMEOUT_MS: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(100, 'must be at least 100')
      .max(60000, 'must be at most 60000')
      .default(10000),
    WEBHOOK_RETRY_BASE_MS: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(10, 'must be at least 10')
      .max(3_600_000, 'must be at most 3600000')
      .default(30_000),
    WEBHOOK_TIMEOUT_MS: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(100, 'must be at least 100')
      .max(60_000, 'must be at most 60000')
      .default(10_000),
    GDPR_DELETION_GRACE_HOURS: z.coerce
      .number({ message: 'must be a number' })
      .min(0, 'must be at least 0')
      .max(720, 'must be at most 720')
      .default(24),
    THREAD_CACHE_TRUST_MS: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number of milliseconds')
      .min(0, 'must be at least 0')
      .max(60_000, 'must be at most 60000')
      .default(1000),
    GUEST_BAN_CLIENT_HOURS: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number of hours')
      .min(0, 'must be at least 0')
      .max(8760, 'must be at most 8760 (a year)')
      .default(72),
    IMPORT_MAX_MB: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number of megabytes')
      .min(1, 'must be at least 1')
      .max(10_240, 'must be at most 10240 (10 GB)')
      .default(1024),
    WEBHOOK_ALLOW_PRIVATE_URLS: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
    SMTP_URL: optionalString.pipe(
      z
        .string()
        .regex(/^smtps?:\/\/\S+$/, SMTP_URL_HINT)
        .refine((value) => URL.canParse(value) && new URL(value).hostname !== '', SMTP_URL_HINT)
        .optional(),
    ),
    MAIL_FROM: optionalString.pipe(
      z
        .string()
        .max(320)
        .regex(
          /^(?:[^<>\r\n]{1,200} <[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/,
          'must be an address such as comments@example.com or "Parley <comments@example.com>"',
        )
        .optional(),
    ),
    MAIL_RETRY_BASE_MS: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(10, 'must be at least 10')
      .max(3_600_000, 'must be at most 3600000')
      .default(60_000),
    MAIL_REPLY_BATCH_SECONDS: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(0, 'must be at least 0')
      .max(86_400, 'must be at most 86400')
      .default(300),
    DATA_RETENTION_DAYS: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1')
      .max(3650, 'must be at most 3650')
      .default(30),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      if (!env.MONGODB_URI) {
        ctx.addIssue({ code: 'custom', path: ['MONGODB_URI'], message: 'is required in production' });
      }
      if (!env.SESSION_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production' });
      }
      if (!env.PUBLIC_URL) {
        ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required in production' });
      }
    }
    if (Boolean(env.SMTP_URL) !== Boolean(env.MAIL_FROM)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.SMTP_URL ? 'MAIL_FROM' : 'SMTP_URL'],
        message: 'must be set together with ' + (env.SMTP_URL ? 'SMTP_URL' : 'MAIL_FROM') + ' (mail is off without both)',
      });
    }
    if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'],
        message: 'must be set together with ' + (env.ADMIN_EMAIL ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD'),
      });
    }
  });

export type Env = z.output<typeof envSchema>;
