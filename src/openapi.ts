import { commentApiPaths, commentApiSchemas, commentApiSecuritySchemes } from './comments';
import { siteApiPaths } from './sites';
import { identityApiPaths } from './identity';
import { moderationApiPaths, moderationApiSchemas } from './moderation';
import { feedApiPaths } from './feeds';
import { webhookApiPaths, webhookApiSchemas } from './webhooks';
import { privacyApiPaths } from './privacy';
import { systemApiPaths } from './ops';
import { mailApiPaths } from './mail';
import { portabilityApiPaths, portabilityApiSchemas } from './portability';

/** Path items of several components; two components may describe other methods of one path. */
function mergePaths(...groups: Record<string, unknown>[]): Record<string, unknown> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const group of groups) {
    for (const [path, item] of Object.entries(group))
      merged[path] = { ...merged[path], ...(item as Record<string, unknown>) };
  }
  return merged;
}

/** The OpenAPI 3.1 description of every route, served at `/openapi.json`. */
export function buildOpenApiDocument(): unknown {
  return {
    openapi: '3.1.0',
    info: { title: 'Parley', version: '0.1.0', description: 'Comment moderation service' },
    paths: {
      '/healthz': { get: { summary: 'Process is up', responses: { '200': { description: 'ok' } } } },
      '/readyz': {
        get: {
          summary: 'Database is reachable; degradable parts (mail) are shown beside it',
          responses: {
            '200': {
              description:
                '`{ status: "ready" | "degraded", database: true, mail: { status: "off" | "ok" | "failing", pending, failed, lastError, failingSince } }`; degraded when SMTP fails (mail is queued and retried)',
            },
            '503': { description: 'database unreachable' },
          },
        },
      },
      '/metrics': {
        get: { summary: 'Prometheus metrics', responses: { '200': { description: 'metrics' } } },
      },
      '/openapi.json': {
        get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
      ...mergePaths(
        commentApiPaths(),
        siteApiPaths(),
        identityApiPaths(),
        moderationApiPaths(),
        feedApiPaths(),
        webhookApiPaths(),
        privacyApiPaths(),
        systemApiPaths(),
        mailApiPaths(),
        portabilityApiPaths(),
      ),
    },
    components: {
      schemas: { ...commentApiSchemas(), ...moderationApiSchemas(), ...webhookApiSchemas(), ...portabilityApiSchemas() },
      securitySchemes: {
        ...commentApiSecuritySchemes,
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A moderator session token' },
        cookieAuth: { type: 'apiKey', in: 'cookie', name: 'parley_session' },
      },
    },
  };
}
