import { Router, type RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { RateLimitStoreFactory } from '../shared/rate-limit';
import type { Clock } from '../shared/clock';
import { createAuthorDirectory } from './author-directory';
import { createAuthorRepository } from './author.repository';
import { createClientBanRepository } from './client-ban.repository';
import { registerIdentityModels } from './identity.models';
import { createIdentityRouter } from './identity.routes';
import type { AuthorDirectory } from './identity.types';
import { createModeratorGuard, sessionCookieName } from './moderator.guard';
import { createLoginThrottle } from './login-throttle';
import { createModeratorService, type ModeratorService } from './moderator.service';
import { createModeratorNames } from './moderator-names';

export interface IdentityDeps {
  connection: Connection;
  clock: Clock;
  logger: Logger;
  /** Signs guests' author tokens. */
  secret: string;
  /** Cookies get `Secure` when the service is served over https. */
  publicUrl: string;
  /** Shared login-attempt counters when several instances run. */
  rateLimitStore?: RateLimitStoreFactory | undefined;
  /** GUEST_BAN_CLIENT_HOURS: how long a guest's ban also holds for their clients. */
  guestBanClientHours: number;
  /** An author's name, avatar or badges changed (pages showing their comments must follow). */
  onAuthorShownChanged?: ((authorId: string) => Promise<void>) | undefined;
}

export interface Identity {
  authors: AuthorDirectory;
  moderators: ModeratorService;
  /** Guards every `/mod` route; mount before any other `/mod` router. */
  guard: RequestHandler;
  /** The `/mod` guard plus `/mod/sessions` and `/mod/moderators`. */
  router: Router;
  /** The panel's session cookie name (`__Host-` prefixed over https). */
  sessionCookie: string;
}

export function createIdentity(deps: IdentityDeps): Identity {
  const models = registerIdentityModels(deps.connection);
  const moderatorNames = createModeratorNames({ Moderator: models.Moderator, clock: deps.clock });
  const moderators = createModeratorService({
    Moderator: models.Moderator,
    Session: models.Session,
    clock: deps.clock,
    logger: deps.logger,
    throttle: createLoginThrottle({ connection: deps.connection, clock: deps.clock }),
    onModeratorsChanged: () => moderatorNames.invalidate(),
  });
  const authors = createAuthorDirectory({
    authors: createAuthorRepository(models.Author),
    secret: deps.secret,
    clock: deps.clock,
    clientBans: createClientBanRepository(deps.connection),
    guestBanClientHours: deps.guestBanClientHours,
    moderatorNamesOf: (site) => moderatorNames.namesOf(site),
    onShownChanged: deps.onAuthorShownChanged,
  });
  const isSecureCookie = deps.publicUrl.startsWith('https:');
  const cookieName = sessionCookieName(isSecureCookie);
  const guard = createModeratorGuard(moderators, {
    publicRoutes: [{ method: 'POST', path: '/sessions' }],
    cookieName,
    panelOrigin: new URL(deps.publicUrl).origin,
  });
  const router = Router();
  router.use('/mod', guard);
  router.use(createIdentityRouter({ moderators, isSecureCookie, cookieName, rateLimitStore: deps.rateLimitStore }));
  return { authors, moderators, guard, router, sessionCookie: cookieName };
}
