const problem = {
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};
const site = { name: 'site', in: 'query', required: true, schema: { type: 'string' } };
const author = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const readerAuth = [{ authorToken: [] }];
const modAuth = [{ bearerAuth: [] }, { cookieAuth: [] }];
const deletion = {
  '200': { description: 'Erased at once (no grace period): `{ scheduledFor, isDone: true }`' },
  '202': {
    description:
      'Scheduled after the grace period (GDPR_DELETION_GRACE_HOURS): `{ scheduledFor, isDone: false }`',
  },
};

/** OpenAPI paths of the GDPR routes. */
export function privacyApiPaths(): Record<string, unknown> {
  return {
    '/api/v1/me/data': {
      get: {
        summary: 'Download what is stored about me on this site',
        tags: ['privacy'],
        security: readerAuth,
        parameters: [site],
        responses: {
          '200': { description: 'A JSON download' },
          '401': { description: 'No author token', ...problem },
        },
      },
    },
    '/api/v1/me': {
      get: {
        summary: 'Who I am on this site and whether an erasure of my data is scheduled (the widget\'s "Your data" menu)',
        tags: ['privacy'],
        security: readerAuth,
        parameters: [site],
        responses: {
          '200': {
            description:
              '`{ author: { id, kind, name }, deletion: { scheduledFor, requestedBy } | null, deletionGraceHours }`',
          },
          '401': { description: 'No author token', ...problem },
        },
      },
      delete: {
        summary: 'Delete my data: comments become tombstones, my name is erased',
        tags: ['privacy'],
        security: readerAuth,
        parameters: [site],
        responses: { ...deletion, '401': { description: 'No author token', ...problem } },
      },
    },
    '/api/v1/me/deletion': {
      delete: {
        summary: 'Withdraw my deletion request within the grace period',
        tags: ['privacy'],
        security: readerAuth,
        parameters: [site],
        responses: {
          '200': { description: '`{ cancelled }`' },
          '401': { description: 'No author token', ...problem },
        },
      },
    },
    '/api/v1/mod/authors/{id}/data': {
      get: {
        summary: "Download an author's data (audited)",
        tags: ['privacy'],
        security: modAuth,
        parameters: [author],
        responses: {
          '200': { description: 'A JSON download' },
          '404': { description: 'Unknown author', ...problem },
        },
      },
    },
    '/api/v1/mod/authors/{id}': {
      delete: {
        summary: "Erase an author's data on their request (audited)",
        tags: ['privacy'],
        security: modAuth,
        parameters: [author],
        responses: { ...deletion, '404': { description: 'Unknown author', ...problem } },
      },
    },
  };
}
