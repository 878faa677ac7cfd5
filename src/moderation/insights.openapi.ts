import { operation } from '../shared/openapi';
import { authorNoteBody } from './authors/author-insights.routes';
import { idParams } from './moderation.schemas';

const tag = 'moderation';

/** OpenAPI paths of author history and notes (and brigading clusters). */
export function insightsApiPaths(): Record<string, unknown> {
  return {
    '/api/v1/mod/authors/{id}': {
      get: operation({
        summary:
          "An author's standing, what became of their comments over 30 days (published, held, rejected), the last rejection and its reason, and moderators' notes",
        tag,
        params: idParams.shape,
        ok: {
          status: 200,
          description: '`{ author, history: { windowDays, total, published, held, rejected, lastRejection }, notes }`',
          schema: {
            type: 'object',
            required: ['author', 'history', 'notes'],
            properties: {
              author: { type: 'object' },
              history: {
                type: 'object',
                properties: {
                  windowDays: { type: 'integer' },
                  total: { type: 'integer' },
                  published: { type: 'integer' },
                  held: { type: 'integer' },
                  rejected: { type: 'integer' },
                  lastRejection: { type: ['object', 'null'] },
                },
              },
              notes: { type: 'array', items: { type: 'object' } },
            },
          },
        },
        errors: [400, 401, 403, 404],
        isModerator: true,
      }),
    },
    '/api/v1/mod/authors/{id}/notes': {
      post: operation({
        summary: 'Leave a private note on an author (moderators of its site; audited as `author.note`)',
        tag,
        params: idParams.shape,
        body: authorNoteBody,
        ok: { status: 201, description: '`{ note: { id, text, at, moderator } }`', schema: { type: 'object' } },
        errors: [400, 401, 403, 404],
        isModerator: true,
      }),
    },
  };
}
