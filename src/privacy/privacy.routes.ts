import { Router, type Request } from 'express';
import { z } from 'zod';
import { currentModerator, readBearer, type AuthorRecord, type ModeratorPrincipal } from '../identity';
import { siteIdSchema } from '../sites';
import { NotFoundError } from '../shared/errors';
import { parseInput } from '../shared/http';
import { AuthorUnknownError, type PrivacyService } from './privacy.service';

export interface PrivacyRouterDeps {
  privacy: PrivacyService;
  /** The reader behind an author token or SSO token on this site. */
  identifyAuthor: (site: string, bearer: string | undefined) => Promise<AuthorRecord | undefined>;
  getAuthor: (id: string) => Promise<AuthorRecord | undefined>;
  assertCanModerate: (moderator: ModeratorPrincipal, site: string) => void;
  recordAudit: (entry: {
    moderator: ModeratorPrincipal;
    action: string;
    site: string;
    authorId: string;
  }) => Promise<void>;
}

const siteQuerySchema = z.strictObject({ site: siteIdSchema });
const authorParamsSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hex id'),
});

/** `/me…` for readers, `/mod/authors/:id/data` and `DELETE /mod/authors/:id` for moderators. */
export function createPrivacyRouter(deps: PrivacyRouterDeps): Router {
  const router = Router();

  const reader = async (req: Request): Promise<AuthorRecord> => {
    const { site } = parseInput(siteQuerySchema, req.query, 'site');
    const author = await deps.identifyAuthor(site, readBearer(req));
    if (!author) throw new AuthorUnknownError();
    return author;
  };
  const authorForModerator = async (req: Request, moderator: ModeratorPrincipal): Promise<AuthorRecord> => {
    const { id } = parseInput(authorParamsSchema, req.params, 'author');
    const author = await deps.getAuthor(id);
    if (!author) throw new NotFoundError('AUTHOR', id);
    deps.assertCanModerate(moderator, author.site);
    return author;
  };

  router.get('/me', async (req, res) => {
    const author = await reader(req);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await deps.privacy.readerStatus(author));
  });

  router.get('/me/data', async (req, res) => {
    const author = await reader(req);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Disposition', `attachment; filename="parley-data-${author.site}.json"`);
    res.json(await deps.privacy.downloadData(author));
  });

  router.delete('/me', async (req, res) => {
    const author = await reader(req);
    const result = await deps.privacy.requestDeletion(author, 'author');
    res.status(result.isDone ? 200 : 202).json(result);
  });

  router.delete('/me/deletion', async (req, res) => {
    const author = await reader(req);
    res.json({ cancelled: await deps.privacy.cancelDeletion(author) });
  });

  router.get('/mod/authors/:id/data', async (req, res) => {
    const moderator = currentModerator(res);
    const author = await authorForModerator(req, moderator);
    await deps.recordAudit({
      moderator,
      action: 'author.data-download',
      site: author.site,
      authorId: author.id,
    });
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="parley-data-${author.site}-${author.id}.json"`,
    );
    res.json(await deps.privacy.downloadData(author));
  });

  router.delete('/mod/authors/:id', async (req, res) => {
    const moderator = currentModerator(res);
    const author = await authorForModerator(req, moderator);
    const result = await deps.privacy.requestDeletion(author, 'moderator');
    await deps.recordAudit({ moderator, action: 'author.erase', site: author.site, authorId: author.id });
    res.status(result.isDone ? 200 : 202).json(result);
  });

  return router;
}
