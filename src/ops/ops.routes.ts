import { Router } from 'express';
import type { Metrics } from './metrics';

export interface OpsDeps {
  metrics: Metrics;
  isDatabaseReachable: () => Promise<boolean>;
  openApiDocument: () => unknown;
}

export function createOpsRouter(deps: OpsDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const isReady = await deps.isDatabaseReachable();
    res.status(isReady ? 200 : 503).json({ status: isReady ? 'ready' : 'unavailable', database: isReady });
  });
  router.get('/metrics', deps.metrics.handler);
  router.get('/openapi.json', (_req, res) => {
    res.json(deps.openApiDocument());
  });
  return router;
}
