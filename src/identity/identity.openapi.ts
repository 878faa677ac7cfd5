import { operation } from '../shared/openapi';
import { idSchema, loginSchema, moderatorPatchSchema, moderatorSchema } from './identity.routes';

const tag = 'moderators';
const moderator = {
  type: 'object',
  required: ['id', 'email', 'name', 'role', 'sites'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    role: { enum: ['admin', 'moderator'] },
    sites: {
      type: 'array',
      items: { type: 'string' },
      description: 'Sites in scope; admins moderate every site',
    },
  },
};
const session = {
  type: 'object',
  required: ['token', 'csrfToken', 'expiresAt', 'moderator'],
  properties: {
    token: { type: 'string', description: 'Send as `Authorization: Bearer …`' },
    csrfToken: {
      type: 'string',
      description: 'Send as `X-CSRF-Token` on unsafe requests authenticated by the cookie',
    },
    expiresAt: { type: 'string', format: 'date-time' },
    moderator,
  },
};

/** OpenAPI paths of sign-in and moderator accounts. */
export function identityApiPaths(): Record<string, unknown> {
  return {
    '/api/v1/mod/sessions': {
      post: operation({
        summary: 'Sign in: a bearer token, plus an HTTP-only SameSite=Strict session cookie for the panel',
        tag,
        body: loginSchema,
        ok: { status: 201, description: 'The session', schema: session },
        errors: [400, 401, 423, 429],
      }),
      delete: operation({
        summary: 'Sign out (ends the session and clears the cookie)',
        tag,
        ok: { status: 204, description: 'Signed out' },
        errors: [401],
        isModerator: true,
      }),
    },
    '/api/v1/mod/sessions/current': {
      get: operation({
        summary: 'Who is signed in, with the CSRF token of this session',
        tag,
        ok: { status: 200, description: 'The session without its token', schema: session },
        errors: [401],
        isModerator: true,
      }),
    },
    '/api/v1/mod/moderators': {
      get: operation({
        summary: 'Every moderator (admins only)',
        tag,
        ok: {
          status: 200,
          description: 'Moderators',
          schema: { type: 'object', properties: { moderators: { type: 'array', items: moderator } } },
        },
        errors: [401, 403],
        isModerator: true,
      }),
      post: operation({
        summary: 'Add a moderator or admin (admins only)',
        tag,
        body: moderatorSchema,
        ok: { status: 201, description: 'The moderator', schema: moderator },
        errors: [400, 401, 403, 409],
        isModerator: true,
      }),
    },
    '/api/v1/mod/moderators/{id}': {
      patch: operation({
        summary: "Change a moderator's name, role, sites or password (admins only)",
        tag,
        params: idSchema.shape,
        body: moderatorPatchSchema,
        ok: { status: 200, description: 'The moderator', schema: moderator },
        errors: [400, 401, 403, 404],
        isModerator: true,
      }),
    },
  };
}
