import { operation } from '../shared/openapi';
import { authorNoteBody, authorNoteParams } from './authors/author-insights.routes';
import { idParams } from './moderation.schemas';
import { clustersQuery, rejectClusterBody } from './brigading/brigading.routes';

const tag = 'moderation';

/** OpenAPI paths of author history and notes (and brigading clusters). */
export function insightsApiPaths(): Record<string, unknown> {
  const cluster = {
    type: 'object',
    required: ['id', 'size', 'sample', 'commentIds'],
    properties: {
      id: { type: 'string' },
      kind: { enum: ['near-duplicate', 'first-time-burst'] },
      site: { type: 'string' },
      postIds: { type: 'array', items: { type: 'string' } },
      size: { type: 'integer' },
      sample: { type: 'string' },
      commentIds: { type: 'array', items: { type: 'string' } },
      status: { enum: ['open', 'rejected'] },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  };
  const clusterDetail = {
    ...cluster,
    properties: {
      ...cluster.properties,
      authorCount: { type: 'integer', description: 'Distinct authors' },
      openCount: { type: 'integer', description: 'Comments still published or pending' },
      firstAt: { type: 'string', format: 'date-time' },
      lastAt: { type: 'string', format: 'date-time' },
      posts: {
        type: 'array',
        items: {
          type: 'object',
          properties: { id: { type: 'string' }, key: { type: 'string' }, title: { type: ['string', 'null'] }, url: { type: ['string', 'null'] } },
        },
      },
      comments: {
        type: 'array',
        description: 'Oldest first',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            body: { type: 'string' },
            status: { type: 'string' },
            createdAt: { type: 'string', format: 'date-time' },
            postId: { type: 'string' },
            author: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
          },
        },
      },
    },
  };
  return {
    '/api/v1/mod/clusters': {
      get: operation({
        summary:
          'Open brigading clusters (near-duplicate texts from different authors, bursts of first-time authors), newest first, by site and post (id, or key with site)',
        tag,
        query: clustersQuery,
        ok: {
          status: 200,
          description:
            '`{ clusters: [{ id, size, sample, commentIds, authorCount, openCount, firstAt, lastAt, posts, comments, … }] }`; clusters with no comment left published or pending are left out',
          schema: { type: 'object', properties: { clusters: { type: 'array', items: clusterDetail } } },
        },
        errors: [400, 401, 403],
        isModerator: true,
      }),
    },
    '/api/v1/mod/clusters/{id}/reject': {
      post: operation({
        summary:
          'Reject every comment of a cluster that can still be rejected (each audited as comment.reject, the cluster as cluster.reject; queues update live)',
        tag,
        params: idParams.shape,
        body: rejectClusterBody,
        ok: {
          status: 200,
          description: '`{ cluster, results: [{ id, ok, code? }] }`',
          schema: { type: 'object', properties: { cluster, results: { type: 'array', items: { type: 'object' } } } },
        },
        errors: [400, 401, 403, 404],
        isModerator: true,
      }),
    },
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
    '/api/v1/mod/authors/{id}/notes/{noteId}': {
      patch: operation({
        summary: "Edit a private note on an author (moderators of its site; audited as `author.note-edit`; AUTHOR_NOTE_NOT_FOUND when the note is not this author's)",
        tag,
        params: authorNoteParams.shape,
        body: authorNoteBody,
        ok: { status: 200, description: '`{ note: { id, text, at, editedAt, moderator } }`', schema: { type: 'object' } },
        errors: [400, 401, 403, 404],
        isModerator: true,
      }),
    },
  };
}
