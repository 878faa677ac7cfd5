import { Router } from 'express';
import { z } from 'zod';
import { REJECT_REASONS } from '../../contracts/moderation-api';
import { currentModerator } from '../../identity';
import { AppError } from '../../shared/errors';
import { parseInput } from '../../shared/http';
import type { CommentsPort } from '../moderation.ports';
import { idParams, note, siteId } from '../moderation.schemas';
import type { Brigading } from './brigading.service';

export const clustersQuery = z
  .object({
    site: siteId.optional(),
    /** The post's id, or its key (`data-post`) together with `site`. */
    post: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const rejectClusterBody = z.object({ reason: z.enum(REJECT_REASONS).default('spam'), note: note.optional() }).strict();

const OBJECT_ID = /^[a-f0-9]{24}$/;

/** `GET /mod/clusters`, `POST /mod/clusters/:id/reject`. */
export function createBrigadingRouter(deps: { brigading: Brigading; comments: Pick<CommentsPort, 'findPost'> }): Router {
  const router = Router();

  router.get('/mod/clusters', async (req, res) => {
    const query = parseInput(clustersQuery, req.query, 'clusters query');
    let postId: string | undefined;
    if (query.post !== undefined) {
      if (OBJECT_ID.test(query.post)) postId = query.post;
      else if (!query.site) throw new AppError('VALIDATION_FAILED', 'A post key needs `site` (or pass the post id)');
      else postId = (await deps.comments.findPost(query.site, query.post))?.id ?? '0'.repeat(24);
    }
    res.json({ clusters: await deps.brigading.listClusters(currentModerator(res), { site: query.site, postId }) });
  });

  router.post('/mod/clusters/:id/reject', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'cluster id');
    const body = parseInput(rejectClusterBody, req.body ?? {}, 'cluster rejection');
    res.json(await deps.brigading.rejectCluster(currentModerator(res), id, body));
  });

  return router;
}
