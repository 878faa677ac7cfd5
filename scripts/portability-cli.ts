/**
 * `npm run import -- --site ID --format disqus|wordpress|parley [--post-key auto|url|slug|id] FILE`
 * `npm run export -- --site ID [--out FILE]`
 * Both need MONGODB_URI: the database the service uses.
 */
import 'dotenv/config';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { ConfigError, loadConfig } from '../src/config';
import { openDatabase } from '../src/db';
import { createPortability, type ImportProgress } from '../src/portability';
import { createLogger } from '../src/shared/logger';

const FORMATS = ['disqus', 'wordpress', 'parley'] as const;
const KEYS = ['auto', 'url', 'slug', 'id'] as const;

interface Args {
  command: 'import' | 'export';
  site: string;
  format?: (typeof FORMATS)[number];
  keyBy: (typeof KEYS)[number];
  file?: string;
  out?: string;
}

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command !== 'import' && command !== 'export')
    throw new ConfigError('usage: portability-cli import|export …');
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] ?? '';
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      const value = inline ?? rest[(i += 1)];
      if (value === undefined) throw new ConfigError(`--${name} needs a value`);
      if (!['site', 'format', 'post-key', 'out'].includes(name))
        throw new ConfigError(`unknown option --${name}`);
      options.set(name, value);
    } else positional.push(arg);
  }
  const site = options.get('site');
  if (!site || !/^[a-z0-9][a-z0-9-]{1,62}$/.test(site))
    throw new ConfigError('--site needs a site id (lower-case letters, digits and dashes)');
  const keyBy = (options.get('post-key') ?? 'auto') as Args['keyBy'];
  if (!KEYS.includes(keyBy)) throw new ConfigError(`--post-key must be one of ${KEYS.join(', ')}`);
  if (command === 'export') {
    if (positional.length > 0)
      throw new ConfigError(`export takes no file argument (use --out): ${positional.join(' ')}`);
    const out = options.get('out');
    return { command, site, keyBy, ...(out ? { out } : {}) };
  }
  const format = options.get('format') as Args['format'];
  if (!format || !FORMATS.includes(format))
    throw new ConfigError(`--format must be one of ${FORMATS.join(', ')}`);
  if (positional.length !== 1) throw new ConfigError('import needs exactly one FILE');
  return { command, site, format, keyBy, file: positional[0] ?? '' };
}

function progressPrinter(): (progress: ImportProgress) => void {
  const isTty = process.stderr.isTTY;
  let last = 0;
  return (progress) => {
    const now = Date.now();
    if (progress.phase !== 'done' && now - last < (isTty ? 100 : 2000)) return;
    last = now;
    const share = progress.totalBytes > 0 ? Math.min(1, progress.bytesRead / progress.totalBytes) : 1;
    const width = 30;
    const bar = '█'.repeat(Math.round(share * width)).padEnd(width, '░');
    const line = `${progress.phase.padEnd(8)} ${bar} ${(share * 100).toFixed(0).padStart(3)}%  ${progress.imported} comments, ${progress.skipped} skipped`;
    process.stderr.write(isTty ? `\r${line}` : `${line}\n`);
    if (isTty && progress.phase === 'done') process.stderr.write('\n');
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig(process.env);
  if (!config.mongodbUri)
    throw new ConfigError('MONGODB_URI is required: point it at the database the service uses');
  const logger = createLogger({ level: 'warn' });
  const database = await openDatabase({
    uri: config.mongodbUri,
    dbName: config.mongodbDb,
    embedded: 'emulator',
    dataDir: '.data',
    logger,
  });
  try {
    const portability = createPortability({ connection: database.connection });
    if (args.command === 'export') {
      const out = args.out ? createWriteStream(args.out) : process.stdout;
      const header = await portability.exportSite(args.site, out);
      if (args.out)
        await new Promise<void>((resolve, reject) =>
          out.end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
      process.stderr.write(
        `exported site ${args.site}: ${Object.entries(header.counts)
          .map(([kind, n]) => `${n} ${kind}`)
          .join(', ')}\n`,
      );
      return;
    }
    const file = args.file ?? '';
    const totalBytes = statSync(file).size;
    if (args.format === 'parley') {
      const summary = await portability.restoreSite(args.site, createReadStream(file));
      process.stderr.write(
        `restored site ${args.site}: created ${JSON.stringify(summary.created)}, already there ${JSON.stringify(summary.unchanged)}\n`,
      );
      return;
    }
    const summary = await portability.importForeign({
      site: args.site,
      format: args.format ?? 'disqus',
      open: () => createReadStream(file),
      totalBytes,
      keyBy: args.keyBy,
      onProgress: progressPrinter(),
    });
    const reasons = Object.entries(summary.skippedReasons).map(([reason, n]) => `    ${n} × ${reason}`);
    process.stderr.write(
      [
        `imported ${summary.imported} comments into ${summary.threads} posts of site ${args.site}` +
          ` (${
            Object.entries(summary.byStatus)
              .map(([status, n]) => `${n} ${status}`)
              .join(', ') || 'none new'
          })`,
        `  already there from an earlier run: ${summary.unchanged}`,
        `  replies whose parent is not in the file (kept at top level): ${summary.orphans}`,
        `  skipped: ${summary.skipped}`,
        ...reasons,
        `  peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
        '',
      ].join('\n'),
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`parley: ${message}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
