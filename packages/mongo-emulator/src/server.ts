import net from 'node:net';
import type { Document } from 'bson';
import { runCommand } from './command-dispatcher';
import { Storage } from './collection-store';
import { CursorRegistry } from './cursor-registry';
import { WireProtocolError } from './command-error';
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
  readonly port: number;
  readonly host: string;
  readonly logger?: EmulatorLogger;
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
  private sweepTimer: NodeJS.Timeout | undefined;
  private nextConnectionId = 1;

  constructor(logger: EmulatorLogger | undefined) {
    this.logger = logger;
    this.listener = net.createServer((socket) => this.accept(socket));
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen(port, host, () => {
        this.listener.off('error', reject);
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
    if (!this.listener.listening) return;
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  private sweep(): void {
    const now = Date.now();
    for (const collection of this.storage.allCollections()) collection.removeExpired(now);
    this.cursors.closeIdle(now);
  }

  private accept(socket: net.Socket): void {
    const connectionId = this.nextConnectionId;
    this.nextConnectionId += 1;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const framer = new MessageFramer();
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of framer.push(chunk)) this.respond(socket, parseMessage(frame), connectionId);
      } catch (error: unknown) {
        // A peer that sends garbage loses only its own connection.
        const reason = error instanceof WireProtocolError ? error.message : String(error);
        this.logger?.warn(`mongo emulator: closing connection ${connectionId}: ${reason}`);
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private respond(socket: net.Socket, request: CommandRequest, connectionId: number): void {
    const reply: Document = runCommand(request.command, {
      storage: this.storage,
      cursors: this.cursors,
      databaseName: request.databaseName,
      connectionId,
    });
    if (request.isMoreToCome || socket.destroyed) return;
    socket.write(
      request.opCode === OP_QUERY
        ? encodeOpReply(request.requestId, reply)
        : encodeOpMsg(request.requestId, reply),
    );
  }
}
