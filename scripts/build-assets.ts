import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the browser code into `public/build/` and writes `manifest.json`,
 * which maps each entry to its output files so routes can link hashed names.
 */
export interface AssetManifest {
  [entry: string]: { js: string; css?: string };
}

interface AssetEntry {
  name: string;
  entryPoint: string;
  /** Hashed names are served with a long cache; the embed script keeps a stable URL. */
  isHashed: boolean;
}

const ROOT = path.resolve(__dirname, '..');
export const DEFAULT_OUT_DIR = path.join(ROOT, 'public', 'build');

const ENTRIES: AssetEntry[] = [
  // widget: the embed script, loaded by blogs from a stable URL (/embed.js)
  { name: 'embed', entryPoint: 'src/widget/main.tsx', isHashed: false },
  // panel: the moderator panel served at /moderate
  { name: 'panel', entryPoint: 'src/panel/main.tsx', isHashed: true },
];

async function buildEntry(entry: AssetEntry, outDir: string): Promise<AssetManifest[string] | undefined> {
  const entryPath = path.join(ROOT, entry.entryPoint);
  // Entries land while other parts are still being written: skip what isn't there yet.
  if (!existsSync(entryPath)) return undefined;
  const result = await build({
    entryPoints: { [entry.name]: entryPath },
    outdir: outDir,
    entryNames: entry.isHashed ? '[name]-[hash]' : '[name]',
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(ROOT, 'tsconfig.browser.json'),
    metafile: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
  const js = outputs.find((file) => file.endsWith('.js'));
  const css = outputs.find((file) => file.endsWith('.css'));
  if (js === undefined) throw new Error(`esbuild produced no script for ${entry.name}`);
  return css === undefined ? { js } : { js, css };
}

/** Builds every entry into `outDir` and returns the manifest it wrote. */
export async function buildAssets(outDir: string = DEFAULT_OUT_DIR): Promise<AssetManifest> {
  await mkdir(outDir, { recursive: true });
  const manifest: AssetManifest = {};
  for (const entry of ENTRIES) {
    const outputs = await buildEntry(entry, outDir);
    if (outputs !== undefined) manifest[entry.name] = outputs;
  }
  await writeFile(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (require.main === module) {
  buildAssets().then(
    (manifest) => console.log(`built ${Object.keys(manifest).join(', ')} into ${path.relative(ROOT, DEFAULT_OUT_DIR)}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
