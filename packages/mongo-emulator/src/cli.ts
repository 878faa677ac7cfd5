import { CliUsageError, parseEmulatorArgs } from './cli-args';
import { DataDirectoryDamagedError, DataDirectoryLockedError, startMongoEmulator } from './index';

async function main(): Promise<void> {
  const options = parseEmulatorArgs(process.argv.slice(2));
  const emulator = await startMongoEmulator({
    ...options,
    logger: { info: () => undefined, warn: (message) => process.stderr.write(`${message}\n`) },
  });
  process.stdout.write(`${emulator.uri}\n`);
  if (emulator.recovery !== undefined) {
    const { recovery } = emulator;
    process.stderr.write(
      `data in ${recovery.directory}: ${recovery.snapshotChanges} snapshot entries and ${recovery.journalRecords} journal records recovered in ${recovery.durationMs} ms` +
        `${recovery.wasUncleanShutdown ? ' (the previous process did not shut down cleanly)' : ''}\n`,
    );
  } else {
    process.stderr.write(
      'in memory only: data is lost when this process stops (give --dbpath DIR to keep it)\n',
    );
  }
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const isKnown =
    error instanceof CliUsageError ||
    error instanceof DataDirectoryLockedError ||
    error instanceof DataDirectoryDamagedError;
  const message = isKnown
    ? `mongo emulator: ${error.message}`
    : `mongo emulator failed to start: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(error instanceof CliUsageError ? 2 : 1);
});
