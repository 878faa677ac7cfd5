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
}

export function createPrivacy(deps: PrivacyDeps): { router: Router; close(): void } {
  const privacy = createPrivacyService({
    connection: deps.connection,
    stores: storedCollections(deps.connection),
    clock: deps.clock,
    logger: deps.logger,
    graceHours: deps.graceHours,
    repairCounts: (site) => repairCommentCounts(deps.connection, site),
  });
  const sweep = setInterval(() => {
    privacy
      .runDue()
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'scheduled erasures not run'));
  }, 60_000);
  sweep.unref();
  return { router: createPrivacyRouter({ ...deps, privacy }), close: () => clearInterval(sweep) };
}
