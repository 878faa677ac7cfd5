import net from 'node:net';
import type { Document } from 'bson';
import { runCommand } from './command-dispatcher';
import { Storage } from './collection-store';
import { CursorRegistry } from './cursor-registry';
import { Persistence } from './durability/persistence';
import { WireProtocolError } from './command-error';
import { FailPoints, type FailCommandAction } from './fail-points';
import {
  MessageFramer,
  OP_QUERY,
  encodeOpMsg,
  encodeOpReply,
  parseMessage,
  type CommandRequest,
} from './wire-protocol';

export interface EmulatorLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface EmulatorServerOptions {
  readonly logger?: EmulatorLogger | undefined;
  /** Data directory; without one everything lives in memory only. */
  readonly dbPath?: string | undefined;
  readonly compactAfterBytes?: number | undefined;
  /** mongod's enableTestCommands: `configureFailPoint` (the `failCommand` fail point) exists. */
  readonly enableTestCommands?: boolean | undefined;
}

/** What the server remembers about one client connection. */
interface Connection {
  readonly id: number;
  readonly socket: net.Socket;
  /** The application name the driver sent in its handshake (`client.application.name`). */
  appName: string | undefined;
  /** Set while a fail point holds a reply back: later requests wait behind it, in order. */
  blocked: Promise<void> | undefined;
}

const HANDSHAKE_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);

function handshakeAppName(command: Document): string | undefined {
  const client: unknown = command['client'];
  if (typeof client !== 'object' || client === null) return undefined;
  const application: unknown = (client as Document)['application'];
  if (typeof application !== 'object' || application === null) return undefined;
  const name: unknown = (application as Document)['name'];
  return typeof name === 'string' ? name : undefined;
}

/** How often TTL indexes are applied; real mongod does it every 60 s, tests want it quick. */
const TTL_SWEEP_INTERVAL_MS = 1000;

/** One in-memory MongoDB: storage, cursors, a TCP listener and the housekeeping timer. */
export class EmulatorServer {
  private readonly storage = new Storage();
  private readonly cursors = new CursorRegistry();
  private readonly sockets = new Set<net.Socket>();
  private readonly listener: net.Server;
  private readonly logger: EmulatorLogger | undefined;
  /** The journal and snapshots, when the server has a data directory. */
  readonly persistence: Persistence | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private nextConnectionId = 1;
  /** Only with test commands enabled, as in mongod. */
  private readonly failPoints: FailPoints | undefined;

  constructor(options: EmulatorServerOptions = {}) {
    this.logger = options.logger;
    this.failPoints = options.enableTestCommands === true ? new FailPoints() : undefined;
    this.persistence =
      options.dbPath === undefined
        ? undefined
        : Persistence.open(this.storage, {
            directory: options.dbPath,
            logger: options.logger,
            ...(options.compactAfterBytes === undefined
              ? {}
              : { compactAfterBytes: options.compactAfterBytes }),
          });
    this.listener = net.createServer((socket) => this.accept(socket));
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        // The port is taken: give the data directory back too. (In memory there is none to
        // give back, and the start must still fail rather than wait forever.)
        (this.persistence?.close() ?? Promise.resolve()).then(
          () => reject(error),
          () => reject(error),
        );
      };
      this.listener.once('error', onError);
      this.listener.listen(port, host, () => {
        this.listener.off('error', onError);
        resolve();
      });
    });
    this.sweepTimer = setInterval(() => this.sweep(), TTL_SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
    const address = this.listener.address();
    if (address === null || typeof address === 'string')
      throw new Error('emulator listener has no TCP address');
    return address.port;
  }

  async close(): Promise<void> {
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (this.listener.listening) await new Promise<void>((resolve) => this.listener.close(() => resolve()));
    await this.persistence?.close();
  }

  private sweep(): void {
    const now = Date.now();
    for (const collection of this.storage.allCollections()) collection.removeExpired(now);
    this.persistence?.commit()?.catch(() => undefined);
    this.cursors.closeIdle(now);
  }

  private accept(socket: net.Socket): void {
    const connection: Connection = {
      id: this.nextConnectionId,
      socket,
      appName: undefined,
      blocked: undefined,
    };
    this.nextConnectionId += 1;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const framer = new MessageFramer();
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of framer.push(chunk)) this.receive(connection, parseMessage(frame));
      } catch (error: unknown) {
        // A peer that sends garbage loses only its own connection.
        const reason = error instanceof WireProtocolError ? error.message : String(error);
        this.logger?.warn(`mongo emulator: closing connection ${connection.id}: ${reason}`);
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Answers a request now, or after the reply a fail point is holding back on this connection. */
  private receive(connection: Connection, request: CommandRequest): void {
    const blocked = connection.blocked;
    if (blocked === undefined) {
      this.handle(connection, request);
      return;
    }
    const next = blocked.then(() => {
      if (connection.blocked === next) connection.blocked = undefined;
      if (!connection.socket.destroyed) this.handle(connection, request);
    });
    connection.blocked = next;
  }

  private handle(connection: Connection, request: CommandRequest): void {
    const commandName = Object.keys(request.command)[0] ?? '';
    if (HANDSHAKE_COMMANDS.has(commandName) && connection.appName === undefined)
      connection.appName = handshakeAppName(request.command);
    const collection: unknown = request.command[commandName];
    const action = this.failPoints?.evaluate({
      commandName,
      databaseName: request.databaseName,
      collectionName: typeof collection === 'string' ? collection : undefined,
      appName: connection.appName,
    });
    if (action === undefined) {
      this.respond(connection.socket, request, connection.id, undefined);
      return;
    }
    if (action.blockTimeMS <= 0) {
      this.applyFailPoint(connection, request, action);
      return;
    }
    const released = new Promise<void>((resolve) => {
      setTimeout(() => {
        if (!connection.socket.destroyed) this.applyFailPoint(connection, request, action);
        resolve();
      }, action.blockTimeMS);
    });
    const next = released.then(() => {
      if (connection.blocked === next) connection.blocked = undefined;
    });
    connection.blocked = next;
  }

  private applyFailPoint(connection: Connection, request: CommandRequest, action: FailCommandAction): void {
    if (action.closeConnection) {
      connection.socket.destroy();
      return;
    }
    this.respond(connection.socket, request, connection.id, action);
  }

  private respond(
    socket: net.Socket,
    request: CommandRequest,
    connectionId: number,
    failure: FailCommandAction | undefined,
  ): void {
    const reply: Document =
      failure?.errorReply !== undefined
        ? { ...failure.errorReply }
        : runCommand(request.command, {
            storage: this.storage,
            cursors: this.cursors,
            databaseName: request.databaseName,
            connectionId,
            failPoints: this.failPoints,
          });
    if (failure?.replyAdditions !== undefined && reply['ok'] === 1)
      Object.assign(reply, failure.replyAdditions);
    // A write is answered only once it is in the journal on disk (MongoDB's j: true); so
    // is any reply that may have seen it, so nothing acknowledged can be lost by a crash.
    const durable = this.persistence?.commit();
    if (request.isMoreToCome || socket.destroyed) {
      durable?.catch(() => undefined);
      return;
    }
    const bytes =
      request.opCode === OP_QUERY
        ? encodeOpReply(request.requestId, reply)
        : encodeOpMsg(request.requestId, reply);
    if (durable === undefined) {
      socket.write(bytes);
      return;
    }
    durable.then(
      () => {
        if (!socket.destroyed) socket.write(bytes);
      },
      () => socket.destroy(),
    );
  }
}
