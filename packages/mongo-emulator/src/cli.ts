import { CliUsageError, parseEmulatorArgs } from './cli-args';
import { startMongoEmulator } from './index';

async function main(): Promise<void> {
  const options = parseEmulatorArgs(process.argv.slice(2));
  const emulator = await startMongoEmulator({
    ...options,
    logger: { info: () => undefined, warn: (message) => process.stderr.write(`${message}\n`) },
  });
  process.stdout.write(`${emulator.uri}\n`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message =
    error instanceof CliUsageError
      ? error.message
      : `mongo emulator failed to start: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(error instanceof CliUsageError ? 2 : 1);
});
