import { Router } from 'express';
import { z } from 'zod';
import { currentModerator } from '../../identity';
import { parseInput } from '../../shared/http';
import { idParams, objectId } from '../moderation.schemas';
import type { AuthorInsights } from './author-insights.service';

/** `POST /mod/authors/:id/notes` */
export const authorNoteBody = z
  .object({ text: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters') })
  .strict();

/** `PATCH /mod/authors/:id/notes/:noteId` */
export const authorNoteParams = z.object({ id: objectId, noteId: objectId }).strict();

/** `GET /mod/authors/:id`, `POST /mod/authors/:id/notes` and editing a note; mounted before the standing actions. */
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

  router.patch('/mod/authors/:id/notes/:noteId', async (req, res) => {
    const { id, noteId } = parseInput(authorNoteParams, req.params, 'note');
    const body = parseInput(authorNoteBody, req.body ?? {}, 'note');
    res.json({ note: await deps.insights.editNote(currentModerator(res), id, noteId, body.text) });
  });

  return router;
}
