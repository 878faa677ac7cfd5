import type { Document } from 'bson';
import { MongoCommandError, badValue, typeMismatch } from './command-error';
import { isPlainDocument } from './commands/command-context';

/**
 * mongod's `failCommand` fail point, as a server started with test commands enabled
 * has it: `configureFailPoint` arms it with a mode (`alwaysOn`, `off`, `{ times: n }`,
 * `{ skip: n }`) and `data` naming the commands to fail and how (an error reply, a
 * closed connection, a write concern error on an otherwise normal reply, a delay).
 */
export const FAIL_COMMAND = 'failCommand';

/** Names mongod gives the codes the spec tests and drivers' retry logic use. */
const CODE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'InternalError'],
  [2, 'BadValue'],
  [6, 'HostUnreachable'],
  [7, 'HostNotFound'],
  [8, 'UnknownError'],
  [9, 'FailedToParse'],
  [11, 'UserNotFound'],
  [13, 'Unauthorized'],
  [20, 'IllegalOperation'],
  [24, 'LockTimeout'],
  [26, 'NamespaceNotFound'],
  [43, 'CursorNotFound'],
  [50, 'MaxTimeMSExpired'],
  [59, 'CommandNotFound'],
  [64, 'WriteConcernFailed'],
  [89, 'NetworkTimeout'],
  [91, 'ShutdownInProgress'],
  [100, 'UnsatisfiableWriteConcern'],
  [112, 'WriteConflict'],
  [121, 'DocumentValidationFailure'],
  [133, 'FailedToSatisfyReadPreference'],
  [189, 'PrimarySteppedDown'],
  [251, 'NoSuchTransaction'],
  [262, 'ExceededTimeLimit'],
  [9001, 'SocketException'],
  [10107, 'NotWritablePrimary'],
  [11000, 'DuplicateKey'],
  [11600, 'InterruptedAtShutdown'],
  [11602, 'InterruptedDueToReplStateChange'],
  [13388, 'StaleConfig'],
  [13435, 'NotPrimaryNoSecondaryOk'],
  [13436, 'NotPrimaryOrSecondary'],
]);

export function codeNameOf(code: number): string {
  return CODE_NAMES.get(code) ?? `Location${code}`;
}

type FailPointMode =
  | { readonly kind: 'off' }
  | { readonly kind: 'alwaysOn' }
  | { readonly kind: 'times'; remaining: number }
  | { readonly kind: 'skip'; remaining: number };

interface FailCommandData {
  readonly failCommands: ReadonlySet<string>;
  readonly errorCode: number | undefined;
  readonly closeConnection: boolean;
  readonly writeConcernError: Document | undefined;
  readonly errorLabels: readonly string[] | undefined;
  readonly blockTimeMS: number;
  readonly appName: string | undefined;
  readonly namespace: string | undefined;
}

/** What the server does to one command the fail point caught; fields combine as in mongod. */
export interface FailCommandAction {
  /** Wait this long before anything else (`blockConnection` with `blockTimeMS`). */
  readonly blockTimeMS: number;
  /** Close the connection without a reply. */
  readonly closeConnection: boolean;
  /** Reply with this error instead of running the command. */
  readonly errorReply: Document | undefined;
  /** Run the command, then add these fields (`writeConcernError`, `errorLabels`) to its reply. */
  readonly replyAdditions: Document | undefined;
}

/** What the fail point needs to know about a command to decide whether it applies. */
export interface CommandFacts {
  readonly commandName: string;
  readonly databaseName: string;
  readonly collectionName: string | undefined;
  readonly appName: string | undefined;
}

function integerField(value: unknown, field: string): number {
  // BSON int32, int64 (as a number or a Long) and integral doubles.
  const number = typeof value === 'number' || typeof value === 'object' ? Number(value) : Number.NaN;
  if (value === null || !Number.isInteger(number)) throw typeMismatch(`'${field}' must be an integer`);
  if (number < 0) throw badValue(`'${field}' must be >= 0`);
  return number;
}

function parseMode(mode: unknown): FailPointMode {
  if (mode === 'off') return { kind: 'off' };
  if (mode === 'alwaysOn') return { kind: 'alwaysOn' };
  if (typeof mode === 'string') throw badValue(`unknown mode: ${mode}`);
  if (!isPlainDocument(mode)) throw typeMismatch("'mode' must be a string or an object");
  const keys = Object.keys(mode);
  if (keys.length === 1 && keys[0] === 'times') {
    const times = integerField(mode['times'], 'times');
    return times === 0 ? { kind: 'off' } : { kind: 'times', remaining: times };
  }
  if (keys.length === 1 && keys[0] === 'skip')
    return { kind: 'skip', remaining: integerField(mode['skip'], 'skip') };
  if (keys.includes('activationProbability'))
    throw new MongoCommandError(
      238,
      'NotImplemented',
      'activationProbability is not supported by the Parley MongoDB emulator',
    );
  throw badValue(`'mode' must be 'off', 'alwaysOn', { times: n } or { skip: n }, got { ${keys.join(', ')} }`);
}

function parseData(data: unknown): FailCommandData {
  if (data === undefined) data = {};
  if (!isPlainDocument(data)) throw typeMismatch("'data' must be an object");
  const failCommands: unknown = data['failCommands'];
  if (
    failCommands !== undefined &&
    (!Array.isArray(failCommands) || failCommands.some((name) => typeof name !== 'string'))
  )
    throw badValue("'failCommands' must be an array of command names");
  const errorCode =
    data['errorCode'] === undefined ? undefined : integerField(data['errorCode'], 'errorCode');
  const writeConcernError: unknown = data['writeConcernError'];
  if (writeConcernError !== undefined && !isPlainDocument(writeConcernError))
    throw typeMismatch("'writeConcernError' must be an object");
  const errorLabels: unknown = data['errorLabels'];
  if (
    errorLabels !== undefined &&
    (!Array.isArray(errorLabels) || errorLabels.some((l) => typeof l !== 'string'))
  )
    throw typeMismatch("'errorLabels' must be an array of strings");
  const isBlocking = data['blockConnection'] === true;
  if (isBlocking && data['blockTimeMS'] === undefined)
    throw badValue("'blockTimeMS' must be given with 'blockConnection'");
  const appName: unknown = data['appName'];
  if (appName !== undefined && typeof appName !== 'string') throw typeMismatch("'appName' must be a string");
  const namespace: unknown = data['namespace'];
  if (namespace !== undefined && typeof namespace !== 'string')
    throw typeMismatch("'namespace' must be a string");
  for (const key of Object.keys(data)) {
    if (!KNOWN_DATA_FIELDS.has(key))
      throw new MongoCommandError(
        238,
        'NotImplemented',
        `failCommand data field '${key}' is not supported by the Parley MongoDB emulator`,
      );
  }
  return {
    failCommands: new Set((failCommands ?? []) as string[]),
    errorCode,
    closeConnection: data['closeConnection'] === true,
    writeConcernError,
    errorLabels: errorLabels as string[] | undefined,
    blockTimeMS: isBlocking ? integerField(data['blockTimeMS'], 'blockTimeMS') : 0,
    appName,
    namespace,
  };
}

const KNOWN_DATA_FIELDS = new Set([
  'failCommands',
  'errorCode',
  'closeConnection',
  'writeConcernError',
  'errorLabels',
  'blockConnection',
  'blockTimeMS',
  'appName',
  'namespace',
  // mongod's knobs for internal (cluster) clients and threads; every client here is external.
  'failInternalCommands',
]);

/** One server's fail points; only `failCommand` exists. */
export class FailPoints {
  private mode: FailPointMode = { kind: 'off' };
  private data: FailCommandData | undefined;
  /** How often the fail point fired since it was last configured (mongod's `count`). */
  private timesEntered = 0;

  /** The `configureFailPoint` command. */
  configure(command: Document): Document {
    const name: unknown = command['configureFailPoint'];
    if (typeof name !== 'string') throw typeMismatch("'configureFailPoint' must be a fail point name");
    if (name !== FAIL_COMMAND) throw new MongoCommandError(2, 'BadValue', `Cannot find failPoint: ${name}`);
    const mode = parseMode(command['mode']);
    const data =
      mode.kind === 'off' && command['data'] === undefined ? undefined : parseData(command['data']);
    const count = this.timesEntered;
    this.mode = mode;
    this.data = data;
    this.timesEntered = 0;
    return { count, ok: 1 };
  }

  /** Decides, and counts, whether this command is caught; undefined when it runs normally. */
  evaluate(facts: CommandFacts): FailCommandAction | undefined {
    const data = this.data;
    if (this.mode.kind === 'off' || data === undefined) return undefined;
    // mongod never fails configureFailPoint itself, so a test can always switch it off.
    if (facts.commandName === 'configureFailPoint') return undefined;
    if (!data.failCommands.has(facts.commandName)) return undefined;
    if (data.appName !== undefined && data.appName !== facts.appName) return undefined;
    if (
      data.namespace !== undefined &&
      data.namespace !== `${facts.databaseName}.${facts.collectionName ?? ''}` &&
      data.namespace !== facts.databaseName
    )
      return undefined;
    if (this.mode.kind === 'skip' && this.mode.remaining > 0) {
      this.mode.remaining -= 1;
      return undefined;
    }
    if (this.mode.kind === 'times') {
      this.mode.remaining -= 1;
      if (this.mode.remaining <= 0) this.mode = { kind: 'off' };
    }
    this.timesEntered += 1;
    const errorReply =
      data.closeConnection || data.errorCode === undefined
        ? undefined
        : {
            ok: 0,
            errmsg: "Failing command via 'failCommand' failpoint",
            code: data.errorCode,
            codeName: codeNameOf(data.errorCode),
            ...(data.errorLabels === undefined ? {} : { errorLabels: [...data.errorLabels] }),
          };
    return {
      blockTimeMS: data.blockTimeMS,
      closeConnection: data.closeConnection,
      errorReply,
      replyAdditions:
        data.writeConcernError === undefined
          ? undefined
          : {
              writeConcernError: { ...data.writeConcernError },
              ...(data.errorLabels === undefined ? {} : { errorLabels: [...data.errorLabels] }),
            },
    };
  }
}
