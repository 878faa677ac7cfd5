import { Router } from 'express';
import { currentModerator } from '../identity';
import { AppError } from '../shared/errors';
import { parseInput } from '../shared/http';
import type { ImportJobs } from './import-jobs.service';
import type { Portability } from './index';
import { importQuerySchema, jobParamsSchema, siteParamsSchema } from './portability.schemas';

/** `/mod/sites/:id/imports…` and `/mod/sites/:id/export`: admins only, behind the moderator guard. */
export function createPortabilityRouter(deps: { jobs: ImportJobs; portability: Portability; clock: () => Date }): Router {
  const { jobs } = deps;
  const router = Router();

  router.post('/mod/sites/:id/imports', async (req, res) => {
    const { id } = parseInput(siteParamsSchema, req.params, 'site');
    const query = parseInput(importQuerySchema, req.query, 'import');
    // JSON and form bodies are parsed (or would be) as something else than the file itself.
    if (req.is(['application/json', 'multipart/form-data', 'application/x-www-form-urlencoded'])) {
      throw new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the export file itself as the request body, with Content-Type application/octet-stream (or application/xml)',
      );
    }
    const length = Number(req.headers['content-length']);
    const job = await jobs.startImport(currentModerator(res), id, {
      upload: req,
      declaredBytes: Number.isFinite(length) ? length : undefined,
      fileName: query.fileName,
      expectedKind: query.kind,
    });
    res.status(202).location(`/api/v1/mod/sites/${id}/imports/${job.id}`).json(job);
  });

  router.get('/mod/sites/:id/imports', async (req, res) => {
    const { id } = parseInput(siteParamsSchema, req.params, 'site');
    res.json({ imports: await jobs.listJobs(currentModerator(res), id) });
  });

  router.get('/mod/sites/:id/imports/:jobId', async (req, res) => {
    const { id, jobId } = parseInput(jobParamsSchema, req.params, 'import');
    res.json(await jobs.getJob(currentModerator(res), id, jobId));
  });

  router.get('/mod/sites/:id/export', async (req, res) => {
    const { id } = parseInput(siteParamsSchema, req.params, 'site');
    const moderator = currentModerator(res);
    await jobs.prepareExport(moderator, id);
    const day = deps.clock().toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="parley-${id}-${day}.jsonl"`);
    res.setHeader('Cache-Control', 'no-store');
    const header = await deps.portability.exportSite(id, res);
    res.end();
    await jobs.recordExport(moderator, id, header.counts);
  });

  return router;
}
