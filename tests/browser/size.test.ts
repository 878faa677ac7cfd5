import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildAssets, type AssetManifest } from '../../scripts/build-assets';

/** Everything a blog reader downloads for comments: loader + widget (Preact, socket.io-client). */
const WIDGET_BUDGET_BYTES = 60 * 1024;
/** The loader runs on every page view, comments or not. */
const LOADER_BUDGET_BYTES = 4 * 1024;

describe('widget bundle size', () => {
  let outDir: string;
  let manifest: AssetManifest;

  beforeAll(async () => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'parley-assets-'));
    manifest = await buildAssets(outDir);
  }, 60_000);

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  const gzippedSize = (file: string): number =>
    gzipSync(readFileSync(path.join(outDir, file)), { level: 9 }).length;

  it('when the assets are built, then the widget is content-hashed and the loader names it', () => {
    const widget = manifest['widget'];
    expect(widget?.js).toMatch(/^widget\.[A-Z0-9]{8,}\.js$/);
    expect(manifest['embed']?.js).toBe('embed.js');
    expect(readFileSync(path.join(outDir, 'embed.js'), 'utf8')).toContain(widget?.js);
  });

  it('when gzipped, then loader + widget including socket.io-client stay within 60 kB', () => {
    const widget = manifest['widget']?.js;
    if (!widget) throw new Error('widget was not built');
    const total = gzippedSize('embed.js') + gzippedSize(widget);
    // Printed so a growing bundle is noticed before it hits the limit.
    process.stdout.write(`widget bundle: ${(total / 1024).toFixed(1)} kB gzipped (budget 60 kB)\n`);
    expect(total).toBeLessThanOrEqual(WIDGET_BUDGET_BYTES);
  });

  it('when gzipped, then the loader alone stays within 4 kB', () => {
    expect(gzippedSize('embed.js')).toBeLessThanOrEqual(LOADER_BUDGET_BYTES);
  });
});
