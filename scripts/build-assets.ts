import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';

/**
 * Bundles the browser code into `public/build/` and writes `manifest.json`,
 * which maps each entry to its output files so routes can link hashed names.
 *
 * - `widget`: the comment widget (Preact + socket.io-client), content-hashed and
 *   served with a year-long immutable cache.
 * - `embed`: the loader blogs include as `/embed.js` (stable URL, short cache); the
 *   hashed widget file name is baked into it, so a new widget ships by refreshing
 *   only this tiny file.
 * - `panel`: the moderator panel served at `/moderate`.
 */
export interface AssetManifest {
  [entry: string]: { js: string; css?: string };
}

interface AssetEntry {
  name: string;
  entryPoint: string;
  /** Hashed names are served with a long cache; the embed script keeps a stable URL. */
  isHashed: boolean;
  /** Compile-time constants, given the entries built before this one. */
  define?: (built: AssetManifest) => Record<string, string>;
}

const ROOT = path.resolve(__dirname, '..');
export const DEFAULT_OUT_DIR = path.join(ROOT, 'public', 'build');

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** Built in order: `embed` needs the hashed `widget` name. */
const ENTRIES: AssetEntry[] = [
  // widget: the thread UI, lazy-loaded by the embed script
  { name: 'widget', entryPoint: 'src/widget/widget.tsx', isHashed: true },
  // embed: the loader blogs include from a stable URL (/embed.js)
  {
    name: 'embed',
    entryPoint: 'src/widget/embed.ts',
    isHashed: false,
    define: (built) => {
      const widget = built['widget'];
      if (!widget) throw new Error('the embed script needs the widget bundle, which was not built');
      return {
        __PARLEY_WIDGET_FILE__: JSON.stringify(widget.js),
        __PARLEY_VERSION__: JSON.stringify(readVersion()),
      };
    },
  },
  // ───── PANEL ─────────────────────────────────────────────────────────────
  // panel: the moderator panel served at /moderate (entry owned by the panel;
  // adjust entryPoint here if it moves). Output: manifest.panel.{js,css?}.
  { name: 'panel', entryPoint: 'src/panel/main.tsx', isHashed: true },
  // ─────────────────────────────────────────────────────────────────────────
];

const SHARED_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: path.join(ROOT, 'tsconfig.browser.json'),
  sourcemap: false,
  legalComments: 'none',
  // Cyrillic catalogues stay UTF-8 (2 bytes a letter), not \uXXXX escapes (6).
  charset: 'utf8',
  logLevel: 'warning',
  // socket.io-client's engine.io picks its browser build through these conditions.
  conditions: ['browser', 'import'],
  mainFields: ['browser', 'module', 'main'],
};

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Writes `file.br` and `file.gz` beside the bundle, at the best levels: done once here, never per request. */
async function precompress(file: string): Promise<void> {
  const content = await readFile(file);
  const [br, gz] = await Promise.all([
    brotli(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: content.length } }),
    gzipped(content, { level: zlib.Z_BEST_COMPRESSION }),
  ]);
  await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
}

async function buildEntry(entry: AssetEntry, outDir: string, built: AssetManifest): Promise<AssetManifest[string] | undefined> {
  const entryPath = path.join(ROOT, entry.entryPoint);
  // Entries land while other parts are still being written: skip what isn't there yet.
  if (!existsSync(entryPath)) return undefined;
  const result = await build({
    ...SHARED_OPTIONS,
    entryPoints: { [entry.name]: entryPath },
    outdir: outDir,
    entryNames: entry.isHashed ? '[name].[hash]' : '[name]',
    metafile: true,
    define: { 'process.env.NODE_ENV': '"production"', ...(entry.define?.(built) ?? {}) },
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
  const js = outputs.find((file) => file.endsWith('.js'));
  const css = outputs.find((file) => file.endsWith('.css'));
  if (js === undefined) throw new Error(`esbuild produced no script for ${entry.name}`);
  await Promise.all(outputs.map((file) => precompress(path.join(outDir, file))));
  return css === undefined ? { js } : { js, css };
}

/** Builds every entry into `outDir` and returns the manifest it wrote. */
export async function buildAssets(outDir: string = DEFAULT_OUT_DIR): Promise<AssetManifest> {
  await mkdir(outDir, { recursive: true });
  const manifest: AssetManifest = {};
  for (const entry of ENTRIES) {
    const outputs = await buildEntry(entry, outDir, manifest);
    if (outputs !== undefined) manifest[entry.name] = outputs;
  }
  // Other processes (a running server, a parallel test run) may read it meanwhile: replace it whole.
  const manifestPath = path.join(outDir, 'manifest.json');
  const temporary = `${manifestPath}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temporary, manifestPath);
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
