import { runTarget } from './target';

runTarget().catch((error: unknown) => {
  process.stderr.write(`bench target failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
