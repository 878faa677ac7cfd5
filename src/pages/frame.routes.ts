import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../shared/http';

export interface FrameRoutesDeps {
  /** The origins allowed to embed a site; throws SITE_NOT_FOUND for unknown sites. */
  originsOf: (site: string) => Promise<string[]>;
}

const paramsSchema = z.object({
  site: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a site id'),
  post: z.string().min(1).max(200),
});
const querySchema = z
  .object({
    theme: z.enum(['light', 'dark']).optional(),
    title: z.string().max(300).optional(),
    url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  })
  .strict();

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * `/embed/:site/:post`: the thread as a page of its own, for hosts that prefer an
 * `<iframe>` to a script tag (AMP pages, strict CSPs). Only the site's own
 * origins may frame it: CSP `frame-ancestors` comes from them.
 */
export function createFrameRouter(deps: FrameRoutesDeps): Router {
  const router = Router();
  router.get('/embed/:site/:post', async (req, res) => {
    const { site, post } = parseInput(paramsSchema, req.params, 'thread');
    const query = parseInput(querySchema, req.query, 'thread options');
    const origins = await deps.originsOf(site);
    res.setHeader(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'self'",
        `frame-ancestors 'self' ${origins.join(' ')}`.trim(),
      ].join('; '),
    );
    // frame-ancestors decides; the legacy header would forbid every other origin.
    res.removeHeader('X-Frame-Options');
    const attributes = [
      // Tells the widget this page is not the article: its own URL and title are not the post's.
      'data-framed',
      `data-site="${escapeAttribute(site)}"`,
      `data-post="${escapeAttribute(post)}"`,
      query.theme ? `data-theme="${query.theme}"` : '',
      query.title ? `data-title="${escapeAttribute(query.title)}"` : '',
      query.url ? `data-url="${escapeAttribute(query.url)}"` : '',
    ]
      .filter(Boolean)
      .join(' ');
    res.type('html').send(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Comments</title>
<style>html,body{margin:0;padding:0;background:transparent}body{padding:8px}</style>
</head>
<body>
<div id="parley-thread" ${attributes}></div>
<script src="/embed.js" async></script>
</body>
</html>
`);
  });
  return router;
}
