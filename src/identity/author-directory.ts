import { AppError } from '../shared/errors';
import type { Clock } from '../shared/clock';
import type { AuthorRepository } from './author.repository';
import { validateDisplayName } from './display-name';
import type { AuthorDirectory, AuthorRecord } from './identity.types';
import { isAuthorToken, issueAuthorToken, verifyAuthorToken, verifySsoToken } from './tokens';

export interface AuthorDirectoryDeps {
  authors: AuthorRepository;
  secret: string;
  clock: Clock;
}

/** Guests and SSO users: who is behind a reader's request. */
export function createAuthorDirectory(deps: AuthorDirectoryDeps): AuthorDirectory {
  const { authors, secret, clock } = deps;

  async function fromBearer(site: string, bearer: string, ssoSecret: string | undefined): Promise<AuthorRecord> {
    if (isAuthorToken(bearer)) {
      const id = verifyAuthorToken(secret, bearer, site);
      const author = await authors.findById(id);
      if (!author || author.site !== site) throw new AppError('AUTHOR_TOKEN_INVALID', 'The author token is not valid');
      return author;
    }
    const claims = verifySsoToken(bearer, { id: site, ssoSecret }, clock.now());
    return authors.upsertSso({
      site,
      externalId: claims.sub,
      name: validateDisplayName(claims.name),
      avatar: claims.avatar ?? null,
      email: claims.email ?? null,
    });
  }

  /** Suspensions end by themselves: a lapsed one reads as active. */
  function withCurrentStanding(author: AuthorRecord): AuthorRecord {
    if (author.standing === 'suspended' && author.suspendedUntil && author.suspendedUntil <= clock.now()) {
      return { ...author, standing: 'active', suspendedUntil: null };
    }
    return author;
  }

  return {
    async resolveAuthor({ site, bearer, ssoSecret, displayName }) {
      if (bearer) {
        let author = await fromBearer(site, bearer, ssoSecret);
        if (author.kind === 'guest' && displayName !== undefined) {
          const name = validateDisplayName(displayName);
          if (name !== author.name) author = (await authors.rename(author.id, name)) ?? author;
        }
        return { author: withCurrentStanding(author) };
      }
      if (displayName === undefined) {
        throw new AppError('AUTHOR_NAME_REQUIRED', 'Guests need a display name (authorName) to comment');
      }
      const author = await authors.createGuest({ site, name: validateDisplayName(displayName) });
      return { author, newAuthorToken: issueAuthorToken(secret, author) };
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
    async setStanding(id, standing, suspendedUntil) {
      const author = await authors.setStanding(id, standing, suspendedUntil);
      if (!author) throw new AppError('AUTHOR_NOT_FOUND', `author ${JSON.stringify(id)} was not found`, { id });
      return author;
    },
  };
}
