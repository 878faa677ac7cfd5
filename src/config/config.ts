import { randomBytes } from 'node:crypto';
import { envSchema } from './config.schema';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Validated, frozen configuration. The only view of the environment the app gets. */
export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly mongodbUri: string | undefined;
  readonly mongodbDb: string;
  readonly embeddedDb: 'auto' | 'memory-server' | 'emulator';
  /** Data directory of the embedded emulator; undefined keeps its data in memory (EMULATOR_DBPATH=:memory:). */
  readonly emulatorDbPath: string | undefined;
  /** The embedded emulator on a worker thread of this process (default) or on the service's own thread. */
  readonly emulatorThread: 'worker' | 'main';
  readonly redisUrl: string | undefined;
  /** Where the service is reachable from browsers; no trailing slash. */
  readonly publicUrl: string;
  readonly sessionSecret: string;
  /** True when SESSION_SECRET was not given and a random one is used for this process. */
  readonly isSessionSecretEphemeral: boolean;
  readonly admin: { readonly email: string; readonly password: string } | undefined;
  readonly logLevel: LogLevel;
  readonly trustProxy: boolean | number | string;
  readonly bodyLimitBytes: number;
  readonly shutdownTimeoutMs: number;
  /** When set, `/metrics` answers only `Authorization: Bearer <token>`. */
  readonly metricsToken: string | undefined;
  /** Hours between a reader's deletion request and the erasure of their data. */
  readonly deletionGraceHours: number;
  /** Hours a guest's ban or suspension also holds for the clients they posted from; 0: the author token only. */
  readonly guestBanClientHours: number;
  /**
   * How long a cached thread page is served on this instance's word that its post has not
   * changed (writes here and, with Redis, on other instances drop it at once); 0: the post's
   * page version is read with every request.
   */
  readonly threadCacheTrustMs: number;
  /** Days after which client hashes and other IP-derived data are deleted. */
  readonly dataRetentionDays: number;
  /** Outgoing mail; undefined when SMTP_URL and MAIL_FROM are not set (mail is off). */
  readonly mail:
    | {
        readonly smtpUrl: string;
        readonly from: string;
        /** First retry delay of a failed send; doubles per attempt up to an hour, for a day. */
        readonly retryBaseMs: number;
        /** Replies to one reader within this window go out in one mail. */
        readonly replyBatchSeconds: number;
      }
    | undefined;
  /** Largest file an admin may upload in the panel's import (bytes). */
  readonly importMaxBytes: number;
  readonly webhooks: {
    /** First retry delay of a failed delivery; doubles per attempt up to an hour. */
    readonly retryBaseMs: number;
    readonly timeoutMs: number;
    /** Allow endpoints on loopback and private addresses (off: no requests into the local network). */
    readonly allowPrivateUrls: boolean;
  };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once. Throws a ConfigError whose message is one
 * line naming every wrong variable, so start-up can fail with just that line.
 */
export function loadConfig(source: Readonly<Record<string, string | undefined>>): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.map(String).join('.') || 'environment';
      const raw = source[name];
      const shown = raw === undefined || /SECRET|PASSWORD|SMTP_URL/.test(name) ? '' : ` (got ${JSON.stringify(raw)})`;
      return `${name} ${issue.message}${shown}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  const config: Config = {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    mongodbUri: env.MONGODB_URI,
    mongodbDb: env.MONGODB_DB,
    embeddedDb: env.EMBEDDED_DB,
    emulatorDbPath: env.EMULATOR_DBPATH === ':memory:' ? undefined : env.EMULATOR_DBPATH,
    emulatorThread: env.EMULATOR_THREAD,
    redisUrl: env.REDIS_URL,
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    sessionSecret: env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    isSessionSecretEphemeral: env.SESSION_SECRET === undefined,
    admin:
      env.ADMIN_EMAIL && env.ADMIN_PASSWORD
        ? Object.freeze({ email: env.ADMIN_EMAIL.toLowerCase(), password: env.ADMIN_PASSWORD })
        : undefined,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    bodyLimitBytes: env.BODY_LIMIT,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    metricsToken: env.METRICS_TOKEN,
    deletionGraceHours: env.GDPR_DELETION_GRACE_HOURS,
    guestBanClientHours: env.GUEST_BAN_CLIENT_HOURS,
    threadCacheTrustMs: env.THREAD_CACHE_TRUST_MS,
    dataRetentionDays: env.DATA_RETENTION_DAYS,
    mail:
      env.SMTP_URL && env.MAIL_FROM
        ? Object.freeze({
            smtpUrl: env.SMTP_URL,
            from: env.MAIL_FROM,
            retryBaseMs: env.MAIL_RETRY_BASE_MS,
            replyBatchSeconds: env.MAIL_REPLY_BATCH_SECONDS,
          })
        : undefined,
    importMaxBytes: env.IMPORT_MAX_MB * 1024 * 1024,
    webhooks: Object.freeze({
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      allowPrivateUrls: env.WEBHOOK_ALLOW_PRIVATE_URLS === 'true',
    }),
  };
  return Object.freeze(config);
}
