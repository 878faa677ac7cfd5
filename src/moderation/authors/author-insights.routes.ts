import { Router } from 'express';
import { z } from 'zod';
import { currentModerator } from '../../identity';
import { parseInput } from '../../shared/http';
import { idParams } from '../moderation.schemas';
import type { AuthorInsights } from './author-insights.service';

/** `POST /mod/authors/:id/notes` */
export const authorNoteBody = z
  .object({ text: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters') })
  .strict();

/** `GET /mod/authors/:id` and `POST /mod/authors/:id/notes`; mounted before the standing actions. */
export function createAuthorInsightsRouter(deps: { insights: AuthorInsights }): Router {
  const router = Router();

  router.get('/mod/authors/:id', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'author id');
    res.json(await deps.insights.getAuthorHistory(currentModerator(res), id));
  });

  router.post('/mod/authors/:id/notes', async (req, res) => {
    const { id } = parseInput(idParams, req.params, 'author id');
    const body = parseInput(authorNoteBody, req.body ?? {}, 'note');
    const note = await deps.insights.addNote(currentModerator(res), id, body.text);
    res.status(201).json({ note });
  });

  return router;
}
