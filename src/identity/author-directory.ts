import { AppError } from '../shared/errors';
import type { Clock } from '../shared/clock';
import type { AuthorRepository } from './author.repository';
import type { ClientBanRepository } from './client-ban.repository';
import { validateDisplayName } from './display-name';
import type { AuthorDirectory, AuthorRecord, StandingChange } from './identity.types';
import { isAuthorToken, issueAuthorToken, verifyAuthorToken, verifySsoToken } from './tokens';

export interface AuthorDirectoryDeps {
  authors: AuthorRepository;
  secret: string;
  clock: Clock;
  clientBans: ClientBanRepository;
  /** How long a guest's ban or suspension also holds for the clients they posted from; 0: never. */
  guestBanClientHours: number;
  /** Names of the moderators of a site (its own and every admin): guests may not look like them. */
  moderatorNamesOf: (site: string) => Promise<string[]>;
  /** Awaited after a change of what readers see of an author (name, avatar, badges). */
  onShownChanged?: ((authorId: string) => Promise<void>) | undefined;
}

/** Guests and SSO users: who is behind a reader's request. */
export function createAuthorDirectory(deps: AuthorDirectoryDeps): AuthorDirectory {
  const { authors, secret, clock, clientBans } = deps;
  const clientHoldMs = deps.guestBanClientHours * 60 * 60 * 1000;
  const shownChanged = async (authorId: string): Promise<void> => {
    await deps.onShownChanged?.(authorId);
  };

  /**
   * A guest on a client that a banned or suspended guest posted from is refused like
   * that guest: a fresh author token is the same person after clearing localStorage.
   * The ban's own author is left to the author phase (it knows their standing).
   */
  async function assertClientNotBanned(site: string, clientHash: string | undefined, authorId: string | undefined): Promise<void> {
    if (clientHash === undefined || clientHoldMs === 0) return;
    const ban = await clientBans.findActiveBan(site, clientHash, clock.now());
    if (!ban || ban.authorId === authorId) return;
    const context = { scope: 'client', until: ban.until.toISOString() };
    if (ban.standing === 'banned') {
      throw new AppError('AUTHOR_BANNED', `Commenting from this device or network is blocked until ${context.until}: an account banned on this site posted from it.`, context);
    }
    throw new AppError('AUTHOR_SUSPENDED', `Commenting from this device or network is suspended until ${context.until}: an account suspended on this site posted from it.`, context);
  }

  async function recordClient(author: AuthorRecord, clientHash: string | undefined): Promise<void> {
    if (clientHash === undefined || author.kind !== 'guest' || clientHoldMs === 0) return;
    await clientBans.recordClient({ site: author.site, authorId: author.id, clientHash, at: clock.now() });
  }

  async function fromBearer(site: string, bearer: string, ssoSecret: string | undefined): Promise<AuthorRecord> {
    if (isAuthorToken(bearer)) {
      const id = verifyAuthorToken(secret, bearer, site);
      const author = await authors.findById(id);
      if (!author || author.site !== site) throw new AppError('AUTHOR_TOKEN_INVALID', 'The author token is not valid');
      return author;
    }
    const claims = verifySsoToken(bearer, { id: site, ssoSecret }, clock.now());
    const { author, isShownChanged } = await authors.upsertSso({
      site,
      externalId: claims.sub,
      name: validateDisplayName(claims.name),
      avatar: claims.avatar ?? null,
      email: claims.email ?? null,
      badges: claims.badges ?? [],
    });
    if (isShownChanged) await shownChanged(author.id);
    return author;
  }

  /** Suspensions end by themselves: a lapsed one reads as active. */
  function withCurrentStanding(author: AuthorRecord): AuthorRecord {
    if (author.standing === 'suspended' && author.suspendedUntil && author.suspendedUntil <= clock.now()) {
      return { ...author, standing: 'active', suspendedUntil: null };
    }
    return author;
  }

  return {
    claimedAuthorId({ site, bearer }) {
      if (!bearer || !isAuthorToken(bearer)) return undefined;
      try {
        return verifyAuthorToken(secret, bearer, site);
      } catch {
        return undefined;
      }
    },
    async resolveAuthor({ site, bearer, ssoSecret, displayName, clientHash }) {
      if (bearer) {
        let author = await fromBearer(site, bearer, ssoSecret);
        if (author.kind === 'guest') await assertClientNotBanned(site, clientHash, author.id);
        if (author.kind === 'guest' && displayName !== undefined) {
          const name = validateDisplayName(displayName);
          if (name !== author.name) {
            validateDisplayName(name, { protectedNames: await deps.moderatorNamesOf(site) });
            const renamed = await authors.rename(author.id, name);
            if (renamed) {
              author = renamed;
              await shownChanged(author.id);
            }
          }
        }
        await recordClient(author, clientHash);
        return { author: withCurrentStanding(author) };
      }
      if (displayName === undefined) {
        throw new AppError('AUTHOR_NAME_REQUIRED', 'Guests need a display name (authorName) to comment');
      }
      const name = validateDisplayName(displayName, { protectedNames: await deps.moderatorNamesOf(site) });
      // Checked before the guest exists: a refused client leaves no author behind.
      await assertClientNotBanned(site, clientHash, undefined);
      const author = await authors.createGuest({ site, name });
      await recordClient(author, clientHash);
      return { author, newAuthorToken: issueAuthorToken(secret, author) };
    },
    async assertClientAllowed({ author, clientHash }) {
      if (author.kind === 'guest') await assertClientNotBanned(author.site, clientHash, author.id);
    },
    async identifyAuthor({ site, bearer, ssoSecret }) {
      if (!bearer) return undefined;
      try {
        if (isAuthorToken(bearer)) {
          const author = await authors.findById(verifyAuthorToken(secret, bearer, site));
          return author && author.site === site ? withCurrentStanding(author) : undefined;
        }
        return withCurrentStanding(await fromBearer(site, bearer, ssoSecret));
      } catch {
        return undefined;
      }
    },
    async resolveStaffAuthor({ site, moderatorId, name, badge }) {
      // A moderator's name is set by an admin, not a guest: it may say "Admin", unlike guests' names.
      const shown = name.normalize('NFC').trim().replace(/\s+/g, ' ').slice(0, 50) || badge;
      const { author, isShownChanged } = await authors.upsertStaff({ site, externalId: `moderator:${moderatorId}`, name: shown, badges: [badge] });
      if (isShownChanged) await shownChanged(author.id);
      return author;
    },
    async getAuthor(id) {
      const author = await authors.findById(id);
      return author ? withCurrentStanding(author) : undefined;
    },
    async getAuthors(ids) {
      const found = await authors.findByIds([...new Set(ids)]);
      return new Map(found.map((author) => [author.id, withCurrentStanding(author)]));
    },
    findAuthorIdsByName: (text, sites) => authors.findIdsByName(text, sites, 200),
    adjustAuthorCounts: (id, diff) => authors.incrementCounts(id, diff),
    async setStanding(id, standing, suspendedUntil): Promise<StandingChange> {
      const author = await authors.setStanding(id, standing, suspendedUntil);
      if (!author) throw new AppError('AUTHOR_NOT_FOUND', `author ${JSON.stringify(id)} was not found`, { id });
      const isHeld = (standing === 'banned' || standing === 'suspended') && author.kind === 'guest' && clientHoldMs > 0;
      if (!isHeld) {
        await clientBans.liftBansOf(author.id);
        return { author, clientsHeld: 0, clientsHeldUntil: null };
      }
      const now = clock.now();
      const holdEnd = now.getTime() + clientHoldMs;
      // A suspension holds its clients no longer than itself.
      const until = new Date(standing === 'suspended' && suspendedUntil ? Math.min(suspendedUntil.getTime(), holdEnd) : holdEnd);
      const clientsHeld = await clientBans.banClientsOf({ site: author.site, authorId: author.id, standing, until, at: now });
      return { author, clientsHeld, clientsHeldUntil: clientsHeld > 0 ? until : null };
    },
  };
}
