import { jsonSchemaOf } from '../shared/openapi';
import { createSiteBodySchema, patchSiteBodySchema } from './site.schemas';


const problem = { description: 'Problem details', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

const siteDtoSchema = {
  type: 'object',
  required: ['id', 'name', 'origins', 'hasSsoSecret', 'settings', 'createdAt'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' },
    name: { type: 'string' },
    origins: { type: 'array', items: { type: 'string', format: 'uri' } },
    hasSsoSecret: { type: 'boolean' },
    settings: { type: 'object', description: 'ModerationSettings, complete (defaults merged)' },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

const siteIdParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } };
const security = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** OpenAPI paths (relative to the server root) of the site administration routes. */
export function siteApiPaths(): Record<string, unknown> {
  return {
    '/api/v1/mod/sites': {
      post: {
        summary: 'Create a site (admins only)',
        tags: ['sites'],
        security,
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(createSiteBodySchema) } } },
        responses: {
          '201': { description: 'The site', content: { 'application/json': { schema: siteDtoSchema } } },
          '400': problem,
          '401': problem,
          '403': problem,
          '409': { ...problem, description: 'SITE_EXISTS' },
        },
      },
      get: {
        summary: 'Sites the moderator may moderate',
        tags: ['sites'],
        security,
        responses: {
          '200': {
            description: 'Sites in scope',
            content: { 'application/json': { schema: { type: 'object', properties: { sites: { type: 'array', items: siteDtoSchema } } } } },
          },
          '401': problem,
        },
      },
    },
    '/api/v1/mod/sites/{id}': {
      get: {
        summary: 'One site with its settings and word lists',
        tags: ['sites'],
        security,
        parameters: [siteIdParam],
        responses: {
          '200': { description: 'The site', content: { 'application/json': { schema: siteDtoSchema } } },
          '401': problem,
          '403': problem,
          '404': problem,
        },
      },
      patch: {
        summary:
          'Change settings and word lists (moderators in scope); name, origins, SSO secret, classifiers and Perspective (admins). Classifier secrets and the Perspective key read back as "********"; sending that back keeps the stored value.',
        tags: ['sites'],
        security,
        parameters: [siteIdParam],
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(patchSiteBodySchema) } } },
        responses: {
          '200': { description: 'The site', content: { 'application/json': { schema: siteDtoSchema } } },
          '400': problem,
          '401': problem,
          '403': problem,
          '404': problem,
        },
      },
    },
  };
}
