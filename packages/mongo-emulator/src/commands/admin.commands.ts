import { UUID, type Document } from 'bson';
import { MongoCommandError } from '../command-error';
import { MAX_MESSAGE_SIZE } from '../wire-protocol';
import type { CommandContext, CommandHandler } from './command-context';

/** We speak MongoDB 7.0's protocol: within every supported driver's window (driver 7 needs ≥ 9). */
export const MAX_WIRE_VERSION = 21;
export const SERVER_VERSION = '7.0.0';
const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
const LOGICAL_SESSION_TIMEOUT_MINUTES = 30;
const startedAt = Date.now();
const processId = new UUID().toHexString();

function describeServer(context: CommandContext, primaryField: 'isWritablePrimary' | 'ismaster'): Document {
  // No topologyVersion on purpose: without it drivers poll instead of using streaming (exhaust) hello.
  return {
    [primaryField]: true,
    helloOk: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: LOGICAL_SESSION_TIMEOUT_MINUTES,
    connectionId: context.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

function transactionsUnsupported(): never {
  throw new MongoCommandError(
    20,
    'IllegalOperation',
    'Transaction numbers are only allowed on a replica set member or mongos',
  );
}

const acknowledge: CommandHandler = () => ({ ok: 1 });

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'parley-emulator',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ['ephemeralForTest'],
  modules: [],
  ok: 1,
});

export const adminCommands: Record<string, CommandHandler> = {
  hello: (_command, context) => describeServer(context, 'isWritablePrimary'),
  isMaster: (_command, context) => describeServer(context, 'ismaster'),
  ismaster: (_command, context) => describeServer(context, 'ismaster'),
  ping: acknowledge,
  buildInfo,
  buildinfo: buildInfo,
  endSessions: acknowledge,
  killSessions: acknowledge,
  killAllSessions: acknowledge,
  refreshSessions: acknowledge,
  startSession: () => ({ id: { id: new UUID() }, timeoutMinutes: LOGICAL_SESSION_TIMEOUT_MINUTES, ok: 1 }),
  commitTransaction: transactionsUnsupported,
  abortTransaction: transactionsUnsupported,
  getParameter: (command) => {
    const parameters: Document = {
      featureCompatibilityVersion: { version: '7.0' },
      authenticationMechanisms: [],
      logLevel: 0,
    };
    if (command['getParameter'] === '*') return { ...parameters, ok: 1 };
    const requested = Object.keys(command).filter(
      (key) => key !== 'getParameter' && !key.startsWith('$') && key !== 'lsid',
    );
    const known = requested.filter((key) => key in parameters);
    if (requested.length > 0 && known.length === 0) {
      throw new MongoCommandError(72, 'InvalidOptions', 'no option found to get');
    }
    return { ...Object.fromEntries(known.map((key) => [key, parameters[key]])), ok: 1 };
  },
  hostInfo: () => ({
    system: {
      currentTime: new Date(),
      hostname: 'localhost',
      cpuAddrSize: 64,
      numCores: 1,
      cpuArch: process.arch,
    },
    os: { type: process.platform, name: process.platform },
    extra: {},
    ok: 1,
  }),
  serverStatus: () => ({
    host: 'localhost',
    version: SERVER_VERSION,
    process: 'mongod',
    pid: process.pid,
    uptime: Math.floor((Date.now() - startedAt) / 1000),
    localTime: new Date(),
    ok: 1,
  }),
  whatsmyuri: () => ({ you: '127.0.0.1', ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['mongod'], parsed: {}, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  getFreeMonitoringStatus: () => ({ state: 'disabled', ok: 1 }),
  features: () => ({ oidMachine: 0, ok: 1 }),
  logout: acknowledge,
  serverId: () => ({ processId, ok: 1 }),
  configureFailPoint: (command, context) => {
    // Like mongod, the command exists only when test commands are enabled.
    if (context.failPoints === undefined)
      throw new MongoCommandError(59, 'CommandNotFound', "no such command: 'configureFailPoint'");
    if (context.databaseName !== 'admin')
      throw new MongoCommandError(
        13,
        'Unauthorized',
        'configureFailPoint may only be run against the admin database.',
      );
    return context.failPoints.configure(command);
  },
};

/** Drivers attach these to any command; a standalone server rejects the transaction ones. */
export function rejectTransactions(command: Document): void {
  if (command['startTransaction'] === true || command['autocommit'] === false) transactionsUnsupported();
}
