import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../shared/errors';
import { defaultBuildDir } from './asset-paths';
import { sendPrecompressed } from './precompressed';

export interface PanelRouterOptions {
  /** Where `npm run build:assets` wrote the bundles (default: `<project>/public/build`). */
  buildDir?: string;
}

class PanelNotBuiltError extends AppError {
  constructor() {
    super('SERVICE_UNAVAILABLE', 'The moderator panel is not built yet: run npm run build:assets', {});
  }
}

const ASSET_NAME = /^panel\.[A-Za-z0-9]{6,}\.(js|css)$/;
const manifestSchema = z.object({
  panel: z.object({ js: z.string().regex(ASSET_NAME), css: z.string().regex(ASSET_NAME).optional() }),
});
type PanelAssets = z.infer<typeof manifestSchema>['panel'];

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** Read on every page load, so a rebuild is picked up without a restart. */
async function readPanelAssets(buildDir: string): Promise<PanelAssets> {
  let raw: string;
  try {
    raw = await readFile(path.join(buildDir, 'manifest.json'), 'utf8');
  } catch {
    throw new PanelNotBuiltError();
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new PanelNotBuiltError();
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new PanelNotBuiltError();
  return parsed.data.panel;
}

/** The shell: no inline script or style, so the app's `script-src 'self'` CSP holds. */
function renderShell(assets: PanelAssets): string {
  const stylesheet = assets.css ? `\n    <link rel="stylesheet" href="/moderate/assets/${assets.css}">` : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark">
    <meta name="robots" content="noindex, nofollow">
    <title>Parley · Moderation</title>${stylesheet}
    <script defer src="/moderate/assets/${assets.js}"></script>
  </head>
  <body>
    <div id="app"></div>
    <noscript>The moderation panel needs JavaScript.</noscript>
  </body>
</html>
`;
}

/**
 * `/moderate`: the moderator panel's HTML shell (never cached), and
 * `/moderate/assets/panel.<hash>.js|css`: its content-hashed bundle, cached for a year.
 */
export function createPanelRouter(options: PanelRouterOptions = {}): Router {
  const buildDir = options.buildDir ?? defaultBuildDir();
  const router = Router();

  router.get('/moderate', async (_req, res) => {
    const assets = await readPanelAssets(buildDir);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(renderShell(assets));
  });

  router.get('/moderate/assets/:file', async (req, res, next) => {
    const name = req.params.file;
    const file = path.join(buildDir, name);
    // Earlier builds' files stay servable: a page loaded just before a deploy still works.
    if (!ASSET_NAME.test(name) || !existsSync(file)) {
      next();
      return;
    }
    await sendPrecompressed(req, res, file, { maxAgeMs: ONE_YEAR_MS, immutable: true });
  });

  return router;
}
