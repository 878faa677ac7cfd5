import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../shared/errors';
import { parseInput } from '../shared/http';
import { defaultBuildDir } from './asset-paths';
import { renderDemoPage } from './demo.page';
import { sendPrecompressed } from './precompressed';
import { DEMO_CSS } from './demo.styles';

export interface PagesRouterOptions {
  /** Where `npm run build:assets` wrote the bundles (default: `<project>/public/build`). */
  buildDir?: string;
  /**
   * The demo thread's first page as anonymous readers get it from the API (serialised JSON),
   * inlined in /demo; undefined (or a failure) leaves the widget to fetch it.
   */
  readDemoThread?: (() => Promise<string | undefined>) | undefined;
}

/** Only esbuild's content-hashed outputs (`name.HASH.js|css`) are served from /build. */
const HASHED_FILE = /^[a-z][a-z0-9-]*\.[A-Z0-9]{8,}\.(js|css)$/;
const EMBED_MAX_AGE_MS = 5 * 60 * 1000;
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

const demoQuerySchema = z.object({ theme: z.enum(['light', 'dark']).optional() });
const widgetManifestSchema = z.object({ widget: z.object({ js: z.string() }) });

class AssetsNotBuiltError extends AppError {
  constructor(file: string) {
    super('SERVICE_UNAVAILABLE', `${file} is not built yet: run npm run build:assets`, {});
  }
}

/**
 * Pages and assets: `/embed.js` (the loader, short cache), `/build/<name>.<hash>.js`
 * (bundles, cached for a year), and `/demo`, a news post with the widget embedded.
 */
export function createPagesRouter(options: PagesRouterOptions = {}): Router {
  const buildDir = options.buildDir ?? defaultBuildDir();
  const router = Router();

  router.get('/embed.js', async (req, res) => {
    const file = path.join(buildDir, 'embed.js');
    if (!existsSync(file)) throw new AssetsNotBuiltError('embed.js');
    await sendPrecompressed(req, res, file, { maxAgeMs: EMBED_MAX_AGE_MS, immutable: false });
  });

  router.get('/build/:file', async (req, res, next) => {
    const name = req.params.file;
    const file = path.join(buildDir, name);
    if (!HASHED_FILE.test(name) || !existsSync(file)) {
      next();
      return;
    }
    await sendPrecompressed(req, res, file, { maxAgeMs: ONE_YEAR_MS, immutable: true });
  });

  /** The widget bundle's path from the build manifest, read once it is there. */
  let widgetScriptPath: string | undefined;
  const findWidgetScript = async (): Promise<string | undefined> => {
    if (widgetScriptPath !== undefined) return widgetScriptPath;
    try {
      const manifest = widgetManifestSchema.safeParse(JSON.parse(await readFile(path.join(buildDir, 'manifest.json'), 'utf8')));
      if (manifest.success && HASHED_FILE.test(manifest.data.widget.js)) widgetScriptPath = `/build/${manifest.data.widget.js}`;
    } catch {
      // Not built yet: the page goes without the preload, embed.js still loads the bundle.
    }
    return widgetScriptPath;
  };

  router.get('/demo', async (req, res) => {
    const query = parseInput(demoQuerySchema, req.query);
    const widgetScript = await findWidgetScript();
    // The page still works without its thread inlined: the widget then reads it itself.
    const initialThreadJson = await options.readDemoThread?.().catch(() => undefined);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(renderDemoPage({ theme: query.theme, initialThreadJson, widgetScriptPath: widgetScript }));
  });

  router.get('/demo/demo.css', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('css').send(DEMO_CSS);
  });

  return router;
}
