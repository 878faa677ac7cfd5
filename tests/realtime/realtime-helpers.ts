import { randomBytes } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import request from 'supertest';
import type {
  Ack,
  ClientToServerEvents,
  ModerationClientToServerEvents,
  ModerationServerToClientEvents,
  ServerToClientEvents,
} from '../../src/contracts/socket-events';
import type { CreatedCommentDto } from '../../src/contracts/comments';
import type { Config } from '../../src/config';
import { TEST_ADMIN, testConfig as baseTestConfig } from '../helpers/test-server';
import { startMongoEmulator } from '@parley/mongo-emulator';
import { createLogger } from '../../src/shared/logger';
import { startServer, type RunningServer } from '../../src/server';

export type ReaderClient = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ModeratorClient = Socket<ModerationServerToClientEvents, ModerationClientToServerEvents>;

export const ADMIN = TEST_ADMIN;

const openSockets = new Set<Socket>();

/** A reader over the websocket transport only (as the widget connects), no automatic reconnection. */
export async function connectReader(url: string, options: { origin?: string } = {}): Promise<ReaderClient> {
  const socket: ReaderClient = connect(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(options.origin ? { extraHeaders: { origin: options.origin } } : {}),
  });
  openSockets.add(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

export function connectModerator(
  url: string,
  options: { token?: string; sites?: string[]; cookie?: string; origin?: string } = {},
): ModeratorClient {
  const headers: Record<string, string> = {};
  if (options.cookie) headers['cookie'] = options.cookie;
  if (options.origin) headers['origin'] = options.origin;
  const socket: ModeratorClient = connect(`${url}/moderation`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { ...(options.token ? { token: options.token } : {}), ...(options.sites ? { sites: options.sites } : {}) },
    extraHeaders: headers,
  });
  openSockets.add(socket);
  return socket;
}

/** Resolves on connect, or with the handshake refusal's `err.data.code`. */
export function handshake(socket: Socket): Promise<{ connected: true } | { connected: false; code: unknown }> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ connected: true }));
    socket.once('connect_error', (error: Error & { data?: { code?: unknown } }) =>
      resolve({ connected: false, code: error.data?.code ?? error.message }),
    );
  });
}

export function closeAllSockets(): void {
  for (const socket of openSockets) socket.close();
  openSockets.clear();
}

/** Emits and waits for the typed ack. */
export function emitWithAck<T>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return new Promise((resolve) => {
    (socket.emit as (event: string, ...args: unknown[]) => void)(event, payload, (result: Ack<T>) => resolve(result));
  });
}

export interface Received {
  event: string;
  payload: Record<string, unknown>;
}

/** Records every event a socket receives, in order. */
export function record(socket: Socket): Received[] {
  const received: Received[] = [];
  socket.onAny((event: string, payload: Record<string, unknown>) => received.push({ event, payload }));
  return received;
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Lets in-flight frames arrive before asserting that something did NOT happen. */
export function settle(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function signIn(url: string, credentials = ADMIN): Promise<{ token: string; cookie: string }> {
  const response = await request(url).post('/api/v1/mod/sessions').send(credentials).expect(201);
  const body = response.body as { token: string };
  const setCookie = response.headers['set-cookie'] as unknown as string[] | undefined;
  const cookie = (setCookie ?? []).map((line) => line.split(';')[0]).join('; ');
  return { token: body.token, cookie };
}

export async function createModerator(url: string, adminToken: string, sites: string[]): Promise<{ email: string; password: string }> {
  const email = `mod-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'moderator password 1';
  await request(url)
    .post('/api/v1/mod/moderators')
    .set('Authorization', `Bearer ${adminToken}`)
    .send({ email, password, name: 'Mo Derator', role: 'moderator', sites })
    .expect(201);
  return { email, password };
}

export async function createSite(url: string, adminToken: string, id: string, origins: string[]): Promise<void> {
  await request(url)
    .post('/api/v1/mod/sites')
    .set('Authorization', `Bearer ${adminToken}`)
    .send({ id, name: `Site ${id}`, origins })
    .expect(201);
}

/** Posts a comment over HTTP as a browser on `origin` would. */
export async function postComment(
  url: string,
  input: { site: string; post: string; body: string; origin: string; authorToken?: string; authorName?: string },
): Promise<CreatedCommentDto> {
  const call = request(url)
    .post(`/api/v1/sites/${input.site}/posts/${encodeURIComponent(input.post)}/comments`)
    .set('Origin', input.origin);
  if (input.authorToken) call.set('Authorization', `Bearer ${input.authorToken}`);
  const response = await call.send({ body: input.body, ...(input.authorToken ? {} : { authorName: input.authorName ?? 'Reader' }) });
  if (response.status !== 201) throw new Error(`POST comment: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as CreatedCommentDto;
}

/** The shared test configuration; the emulator rather than a downloaded mongod for instances sharing a database. */
export function testConfig(env: Record<string, string> = {}): Config {
  return baseTestConfig({ EMBEDDED_DB: 'emulator', ...env });
}

/**
 * A MongoDB that outlives the servers started on it (restarts, several
 * instances): MONGODB_URI when set, else one emulator shared by every instance.
 * Each instance opens its own connection to it, as separate processes would.
 */
export async function startSharedMongo(): Promise<{ env: Record<string, string>; close(): Promise<void> }> {
  const dbName = `parley_rt_${randomBytes(6).toString('hex')}`;
  const external = process.env['MONGODB_URI'];
  if (external) return { env: { MONGODB_URI: external, MONGODB_DB: dbName }, close: () => Promise.resolve() };
  const emulator = await startMongoEmulator({ port: 0 });
  return { env: { MONGODB_URI: emulator.uri, MONGODB_DB: dbName }, close: () => emulator.close() };
}

export function startInstance(config: Config): Promise<RunningServer> {
  return startServer({ config, logger: createLogger({ level: config.logLevel }), allowDatabaseDownload: false });
}
