/** Options of `npm run db:emulator`, validated once so a typo fails fast with one clear line. */
export interface EmulatorCliOptions {
  readonly port: number;
  readonly host: string;
  /** Data directory; absent: in memory only. */
  readonly dbPath?: string;
}

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

const DEFAULT_PORT = 27017;
const USAGE = 'usage: --port <0-65535> [--host <address>] [--dbpath <directory>]';
const FLAGS = new Set(['--port', '--host', '--dbpath']);

export function parseEmulatorArgs(argv: readonly string[]): EmulatorCliOptions {
  let port = DEFAULT_PORT;
  let host = '127.0.0.1';
  let dbPath: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inlineValue] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    if (!FLAGS.has(flag)) throw new CliUsageError(`unknown argument ${JSON.stringify(arg)} (${USAGE})`);
    const value = inlineValue ?? argv[i + 1];
    if (inlineValue === undefined) i += 1;
    if (value === undefined || value === '') throw new CliUsageError(`${flag} needs a value`);
    if (flag === '--port') {
      if (!/^\d+$/.test(value) || Number(value) > 65535)
        throw new CliUsageError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(value)}`);
      port = Number(value);
    } else if (flag === '--host') {
      host = value;
    } else {
      dbPath = value;
    }
  }
  return dbPath === undefined ? { port, host } : { port, host, dbPath };
}
