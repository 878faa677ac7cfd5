import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { CommentRecord, CommentService, PostRecord } from '../comments';
import { postKeySchema } from '../comments';
import { siteIdSchema, type SiteService } from '../sites';
import { NotFoundError } from '../shared/errors';
import { parseInput } from '../shared/http';
import { renderAtomFeed, type FeedEntry } from './atom-feed';

/** Comments per feed: what readers poll for, newest first. */
export const FEED_LENGTH = 50;

export interface FeedRouterDeps {
  comments: Pick<CommentService, 'findPost' | 'listComments' | 'renderComments' | 'getPosts'>;
  sites: Pick<SiteService, 'getSite'>;
  /** Where browsers reach the service (the feeds' own URLs). */
  publicUrl: string;
}

const siteFeedSchema = z.object({ site: siteIdSchema });
const postFeedSchema = z.object({ site: siteIdSchema, post: postKeySchema });

/** Where a comment opens: the post's page with its permalink, else Parley's own thread page. */
function pageOf(publicUrl: string, post: PostRecord): string {
  return post.url ?? `${publicUrl}/embed/${post.site}/${encodeURIComponent(post.key)}`;
}

/**
 * `GET /feeds/:site.atom` and `GET /feeds/:site/:post.atom`: Atom 1.0 feeds of
 * published comments, newest first, for feed readers and other systems.
 */
export function createFeedRouter(deps: FeedRouterDeps): Router {
  const router = Router();
  const base = deps.publicUrl.replace(/\/$/, '');

  const entriesOf = async (
    records: CommentRecord[],
    postsById: Map<string, PostRecord>,
  ): Promise<FeedEntry[]> => {
    const dtos = await deps.comments.renderComments(records);
    return dtos.flatMap((dto, index) => {
      const record = records[index];
      const post = record ? postsById.get(record.postId) : undefined;
      if (!record || !post) return [];
      return [
        {
          id: dto.id,
          iri: `${base}/api/v1/comments/${dto.id}`,
          authorName: dto.author?.name ?? 'Guest',
          html: dto.html,
          createdAt: record.createdAt,
          editedAt: record.editedAt,
          link: `${pageOf(base, post)}#parley-${dto.id}`,
          postTitle: post.title ?? post.key,
        },
      ];
    });
  };

  const send = (req: Request, res: Response, xml: string): void => {
    const etag = `W/"${createHash('sha256').update(xml).digest('base64url').slice(0, 27)}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'public, max-age=60');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.type('application/atom+xml; charset=utf-8').send(xml);
  };

  router.get('/feeds/:site.atom', async (req, res) => {
    const { site: siteId } = parseInput(siteFeedSchema, req.params, 'feed');
    const site = await deps.sites.getSite(siteId);
    const page = await deps.comments.listComments({
      statuses: ['published'],
      sites: [site.id],
      direction: 'newest',
      limit: FEED_LENGTH,
    });
    const postsById = await deps.comments.getPosts([...new Set(page.items.map((item) => item.postId))]);
    const entries = await entriesOf(page.items, postsById);
    const self = `${base}/feeds/${site.id}.atom`;
    const newest = entries[0];
    send(
      req,
      res,
      renderAtomFeed(
        {
          id: self,
          title: `Comments on ${site.name}`,
          alternate: site.origins[0] ?? base,
          self,
          updated: newest ? (newest.editedAt ?? newest.createdAt) : site.createdAt,
        },
        entries,
      ),
    );
  });

  router.get('/feeds/:site/:post.atom', async (req, res) => {
    const { site: siteId, post: key } = parseInput(postFeedSchema, req.params, 'feed');
    const site = await deps.sites.getSite(siteId);
    const post = await deps.comments.findPost(site.id, key);
    if (!post) throw new NotFoundError('POST', key);
    const page = await deps.comments.listComments({
      statuses: ['published'],
      sites: [site.id],
      postId: post.id,
      direction: 'newest',
      limit: FEED_LENGTH,
    });
    const entries = await entriesOf(page.items, new Map([[post.id, post]]));
    const self = `${base}/feeds/${site.id}/${encodeURIComponent(post.key)}.atom`;
    const newest = entries[0];
    send(
      req,
      res,
      renderAtomFeed(
        {
          id: self,
          title: `Comments on “${post.title ?? post.key}” — ${site.name}`,
          alternate: pageOf(base, post),
          self,
          updated: newest ? (newest.editedAt ?? newest.createdAt) : post.createdAt,
        },
        entries,
      ),
    );
  });

  return router;
}
