/** GDPR requests: a reader's data as a download, and erasure after a grace period. */
import type { Router } from 'express';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { repairCommentCounts } from '../comments';
import { storedCollections } from '../portability';
import type { Clock } from '../shared/clock';
import { createPrivacyRouter, type PrivacyRouterDeps } from './privacy.routes';
import { createPrivacyService } from './privacy.service';

export type { PersonalDataDto } from './privacy.service';
export { privacyApiPaths } from './privacy.openapi';

export interface PrivacyDeps extends Omit<PrivacyRouterDeps, 'privacy'> {
  connection: Connection;
  clock: Clock;
  logger: Logger;
  graceHours: number;
  /** The author's mail subscriptions, for the download. */
  mailData?: (authorId: string) => Promise<Record<string, unknown>[]>;
  /** Erases the author's mail subscriptions with the rest. */
  eraseMail?: (authorId: string) => Promise<void>;
}

export function createPrivacy(deps: PrivacyDeps): { router: Router; close(): void } {
  const privacy = createPrivacyService({
    connection: deps.connection,
    stores: storedCollections(deps.connection),
    clock: deps.clock,
    logger: deps.logger,
    graceHours: deps.graceHours,
    repairCounts: (site) => repairCommentCounts(deps.connection, site),
    mailData: deps.mailData,
    eraseMail: deps.eraseMail,
  });
  const sweep = setInterval(() => {
    privacy
      .runDue()
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'scheduled erasures not run'));
  }, 60_000);
  sweep.unref();
  return { router: createPrivacyRouter({ ...deps, privacy }), close: () => clearInterval(sweep) };
}
