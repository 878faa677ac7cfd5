/** Who is who: moderators and their sessions, commenters (guests and SSO users). */
export { createIdentity } from './identity';
export type { Identity, IdentityDeps } from './identity';
export type { AuthorDirectory, AuthorRecord, ModeratorPrincipal, ResolveAuthorInput, ResolvedAuthor, StandingChange } from './identity.types';
export type { ModeratorService } from './moderator.service';
export {
  SESSION_COOKIE,
  assertAdmin,
  assertCanModerate,
  canModerate,
  currentModerator,
  readBearer,
  scopeOf,
} from './moderator.guard';
export { validateDisplayName } from './display-name';
export { verifySsoToken } from './tokens';
export { identityApiPaths } from './identity.openapi';
export { registerIdentityModels } from './identity.models';
