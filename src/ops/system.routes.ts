import { Router } from 'express';
import type { SystemDto } from '../contracts/moderation-api';
import { operation } from '../shared/openapi';

export interface SystemDeps {
  /** What the database is and whether it keeps data across restarts (from `db`'s connection result). */
  database: { engine: SystemDto['database']['engine']; isDurable: boolean };
  deletionGraceHours: number;
}

/**
 * `GET /api/v1/mod/system`: facts about this installation the panel must tell
 * moderators, e.g. that the database loses everything on restart. Mounted
 * after identity's router, whose guard covers `/mod`.
 */
export function createSystemRouter(deps: SystemDeps): Router {
  const router = Router();
  router.get('/mod/system', (_req, res) => {
    const body: SystemDto = {
      database: { engine: deps.database.engine, durable: deps.database.isDurable },
      privacy: { deletionGraceHours: deps.deletionGraceHours },
    };
    res.json(body);
  });
  return router;
}

/** OpenAPI paths of the system route. */
export function systemApiPaths(): Record<string, unknown> {
  return {
    '/api/v1/mod/system': {
      get: operation({
        summary: 'The installation as moderators must know it: the database engine and whether it keeps data across restarts',
        tag: 'moderation',
        ok: {
          status: 200,
          description: '`{ database: { engine, durable }, privacy: { deletionGraceHours } }`',
          schema: {
            type: 'object',
            properties: {
              database: {
                type: 'object',
                required: ['engine', 'durable'],
                properties: {
                  engine: { enum: ['mongodb', 'memory-server', 'emulator'] },
                  durable: { type: 'boolean', description: 'false: everything is lost when the process stops' },
                },
              },
              privacy: {
                type: 'object',
                required: ['deletionGraceHours'],
                properties: {
                  deletionGraceHours: { type: 'integer', description: 'GDPR_DELETION_GRACE_HOURS: hours before a requested erasure runs' },
                },
              },
            },
          },
        },
        errors: [401],
        isModerator: true,
      }),
    },
  };
}
