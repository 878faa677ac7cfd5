/**
 * Recomputes every post's counts and every comment's reply count from the
 * comments themselves: `npm run repair:counts [-- --site <id>]`.
 * Counts are kept by diff on every change; this is the way back after a lost
 * write. Works on MONGODB_URI, or, while Parley is stopped, on the embedded
 * emulator's data folder (EMULATOR_DBPATH, `.data/emulator` by default).
 */
import 'dotenv/config';
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../src/config';
import { repairCommentCounts } from '../src/comments';
import { openDatabase } from '../src/db';
import { createLogger } from '../src/shared/logger';

function parseSite(args: string[]): string | undefined {
  const index = args.findIndex((arg) => arg === '--site' || arg.startsWith('--site='));
  if (index === -1) return undefined;
  const arg = args[index] ?? '';
  const value = arg.includes('=') ? arg.slice('--site='.length) : args[index + 1];
  if (!value || !/^[a-z0-9][a-z0-9-]{1,62}$/.test(value)) {
    throw new ConfigError('--site needs a site id (lower-case letters, digits and dashes)');
  }
  return value;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const site = parseSite(process.argv.slice(2));
  const emulatorDbPath = config.emulatorDbPath;
  if (!config.mongodbUri && (emulatorDbPath === undefined || !existsSync(emulatorDbPath)))
    throw new ConfigError(
      'MONGODB_URI is required: point it at the database to repair (or EMULATOR_DBPATH at the data folder of a stopped embedded emulator)',
    );
  const logger = createLogger({ level: 'warn' });
  const database = await openDatabase({
    uri: config.mongodbUri,
    dbName: config.mongodbDb,
    embedded: 'emulator',
    dataDir: '.data',
    emulatorDbPath,
    logger,
  });
  try {
    process.stdout.write(
      `repairing counts of ${site ? `site ${site}` : 'every site'} in ${database.description}\n`,
    );
    const report = await repairCommentCounts(database.connection, site, (done, total) => {
      process.stdout.write(`  ${done}/${total} posts checked\n`);
    });
    process.stdout.write(
      `done: ${report.posts} posts (${report.postsFixed} fixed), ${report.comments} comments (${report.replyCountsFixed} reply counts fixed)\n` +
        `reactions: ${report.reactionCountsFixed} comments recounted from the reactions\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`repair-counts: ${message}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
