import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/shared/logger';
import { startServer, type RunningServer } from '../../src/server';
import type { Clock } from '../../src/shared/clock';
import type { RateLimitSettings } from '../../src/comments';

export interface TestServer extends RunningServer {
  readonly config: Config;
}

/** A clock tests can move forward. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start = Date.now()) {
    this.current = start;
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export const TEST_ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

/**
 * The configuration every test server starts from: a fresh database name
 * (MONGODB_URI when set, else an embedded database), the test admin, quiet logs.
 */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    MONGODB_URI: process.env['MONGODB_URI'],
    // Each test database in memory (fast, no lock on a shared folder); durability tests pass a folder.
    EMULATOR_DBPATH: ':memory:',
    // EMULATOR_THREAD=main runs the suite with the emulator on the service's thread (default: a worker thread).
    EMULATOR_THREAD: process.env['EMULATOR_THREAD'],
    MONGODB_DB: `parley_test_${randomBytes(6).toString('hex')}`,
    SESSION_SECRET: 'test-secret-'.padEnd(48, 'x'),
    ADMIN_EMAIL: TEST_ADMIN.email,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    // Tests write the database behind the service's back (repairs, fixtures): every read checks the post.
    THREAD_CACHE_TRUST_MS: '0',
    ...env,
  });
}

/**
 * Starts the whole service in-process on port 0 against a fresh database:
 * MONGODB_URI when set, an installed mongod when there is one, else the emulator.
 */
export async function startTestServer(
  options: { env?: Record<string, string>; clock?: Clock; rateLimits?: Partial<RateLimitSettings> } = {},
): Promise<TestServer> {
  const config = testConfig(options.env);
  const logger = createLogger({ level: config.logLevel });
  const server = await startServer({
    config,
    logger,
    allowDatabaseDownload: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
  const close = async (): Promise<void> => {
    if (config.mongodbUri) await server.database.connection.dropDatabase().catch(() => undefined);
    await server.close();
  };
  return Object.assign(Object.create(null), server, { config, close }) as TestServer;
}
