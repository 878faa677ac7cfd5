import { timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { AppError } from '../shared/errors';
import type { Metrics } from './metrics';

export interface OpsDeps {
  metrics: Metrics;
  isDatabaseReachable: () => Promise<boolean>;
  /**
   * Parts that may be degraded without the service being down (mail): shown in `/readyz`,
   * which then says `degraded` but stays 200 so load balancers keep sending readers.
   */
  readinessDetails?: (() => Promise<Record<string, { status: string }>>) | undefined;
  openApiDocument: () => unknown;
  /** When set, `/metrics` needs `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string | undefined;
}

function requireMetricsToken(token: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (token === undefined) {
      next();
      return;
    }
    const given = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${token}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError('UNAUTHENTICATED', 'The metrics need Authorization: Bearer <METRICS_TOKEN>');
    }
    next();
  };
}

export function createOpsRouter(deps: OpsDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    // A 503 is an error like any other: problem+json with a code, so probes and people read it alike.
    if (!(await deps.isDatabaseReachable())) {
      throw new AppError('SERVICE_UNAVAILABLE', 'The database does not answer', { database: false });
    }
    const details = (await deps.readinessDetails?.().catch(() => undefined)) ?? {};
    const isDegraded = Object.values(details).some((part) => part.status === 'failing');
    res.json({ status: isDegraded ? 'degraded' : 'ready', database: true, ...details });
  });
  router.get('/metrics', requireMetricsToken(deps.metricsToken), deps.metrics.handler);
  router.get('/openapi.json', (_req, res) => {
    res.json(deps.openApiDocument());
  });
  return router;
}
