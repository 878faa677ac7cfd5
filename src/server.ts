import http from 'node:http';
import net from 'node:net';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import type { Logger } from 'pino';
import type { Config } from './config';
import { drainBatchers, openDatabase, type Database } from './db';
import { createApp } from './app';
import { createMetrics, createSystemRouter } from './ops';
import { createEventBus, type DomainEvents, type EventBus } from './shared';
import { systemClock, type Clock } from './shared/clock';
import { buildOpenApiDocument } from './openapi';
import { Redis } from 'ioredis';
import { createRedisRateLimitStoreFactory } from './shared/rate-limit';
import { answerClientError, createHttpEdge } from './shared/http-edge';
import { AppError } from './shared/errors';
import { createModeration } from './moderation';
import { createIdentity, assertAdmin, assertCanModerate } from './identity';
import { createSiteRouter, createSites } from './sites';
import {
  createComments,
  DEFAULT_THREAD_PAGE_SIZE,
  publishEverything,
  repairCommentCounts,
  type CommentChangeListener,
  type RateLimitSettings,
  type ScreenComment,
} from './comments';
import { DEMO_POST, DEMO_SITE, createPagesRouter } from './pages';
import { createPanelRouter } from './pages/panel.routes';
import { createFrameRouter } from './pages/frame.routes';
import { attachRealtime, realtimeServerOptions } from './realtime';
import { createFeedRouter } from './feeds';
import { createWebhooks, type Webhooks } from './webhooks';
import { createPrivacy } from './privacy';
import { createDataTransfers } from './portability';
import { createMail, type Mail } from './mail';
import { startRetention } from './retention';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly database: Database;
  readonly bus: EventBus<DomainEvents>;
  readonly io: SocketServer;
  /** The Express app (route listing in tests, supertest). */
  readonly app: Express;
  /** Stops accepting, lets in-flight requests finish, closes sockets and the database. */
  close(): Promise<void>;
}

export interface StartServerOptions {
  config: Config;
  logger: Logger;
  /** An already open database (tests share one server between apps); closed by the caller. */
  database?: Database;
  clock?: Clock;
  /** Allow a mongod download for the embedded database (off in tests). */
  allowDatabaseDownload?: boolean;
  /** Overrides of the posting and reporting rate limits (per minute). */
  rateLimits?: Partial<RateLimitSettings>;
}

/**
 * The composition root: config → database → services → HTTP + Socket.IO.
 * `main.ts` calls it with the process's config; tests call it on port 0.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const ownsDatabase = options.database === undefined;
  const database =
    options.database ??
    (await openDatabase({
      uri: config.mongodbUri,
      dbName: config.mongodbDb,
      embedded: config.embeddedDb,
      dataDir: '.data',
      emulatorDbPath: config.emulatorDbPath,
      emulatorThread: config.emulatorThread,
      logger,
      allowDownload: options.allowDatabaseDownload ?? true,
    }));
  if (database.recoveredFromCrash) {
    // Counts are kept by diff in a second write; a crash between a comment and its
    // count leaves them apart, and the journal replays exactly what was written.
    const report = await repairCommentCounts(database.connection);
    logger.warn(
      { ...report },
      'the embedded database was not shut down cleanly: recovered it and recomputed comment counts',
    );
  }

  const bus = createEventBus<DomainEvents>((error, type) =>
    logger.error({ err: error, type }, 'event listener failed'),
  );
  const metrics = createMetrics();
  // Shared by rate limits (and the Socket.IO adapter) when several instances run.
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 })
    : undefined;
  redis?.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  const rateLimitStore = redis ? createRedisRateLimitStoreFactory(redis) : undefined;

  // Late-bound: identity comes before the comments whose cached pages show authors.
  const authorHooks: { refreshAuthorPages?: (authorId: string) => Promise<void> } = {};
  const identity = createIdentity({
    connection: database.connection,
    clock,
    logger,
    secret: config.sessionSecret,
    publicUrl: config.publicUrl,
    rateLimitStore,
    guestBanClientHours: config.guestBanClientHours,
    onAuthorShownChanged: (authorId) => authorHooks.refreshAuthorPages?.(authorId) ?? Promise.resolve(),
  });
  await identity.moderators.ensureFirstAdmin({
    admin: config.admin,
    mayGenerate: database.kind !== 'uri',
  });

  const sites = createSites({ connection: database.connection, clock, ownOrigin: config.publicUrl });
  await sites.ensureFirstSite({ publicUrl: config.publicUrl });
  // Late-bound: moderation needs the comment service, the comment service needs its screen.
  const commentHooks: {
    screen: ScreenComment;
    onCommentChange?: CommentChangeListener;
    webhooks?: Webhooks;
    mail?: Mail;
  } = {
    screen: publishEverything,
  };
  const comments = createComments({
    connection: database.connection,
    sites,
    authors: identity.authors,
    bus,
    screen: (draft) => commentHooks.screen(draft),
    onCommentChange: async (change) => {
      // Moderation first: webhooks must not delay the queue's own bookkeeping.
      await commentHooks.onCommentChange?.(change);
      await commentHooks.webhooks?.onCommentChange(change);
      // Mail last and on its own: it only queues, and its trouble must not stop the others.
      await commentHooks.mail
        ?.onCommentChange(change)
        .catch((error: unknown) => logger.error({ err: error, commentId: change.comment.id }, 'mail notification not queued'));
    },
    onPostChange: (change) => commentHooks.webhooks?.onPostChange(change),
    clock,
    logger,
    readerSalt: config.sessionSecret,
    rateLimits: options.rateLimits,
    rateLimitStore,
    threadCacheTrustMs: config.threadCacheTrustMs,
  });
  authorHooks.refreshAuthorPages = (authorId) => comments.refreshAuthorPages(authorId);

  const moderation = createModeration({
    connection: database.connection,
    comments: comments.service,
    authors: identity.authors,
    sites,
    bus,
    clock,
    logger,
  });
  commentHooks.screen = moderation.screen;
  commentHooks.onCommentChange = moderation.onCommentChange;

  const webhooks = createWebhooks({
    connection: database.connection,
    clock,
    logger,
    ...config.webhooks,
    assertCanModerate,
    requireSite: (site) => sites.getSite(site),
    recordAudit: ({ moderator, action, site, detail }) =>
      moderation.audit
        .append(
          { actor: { kind: 'moderator', id: moderator.id, name: moderator.name }, action, site, detail },
          clock.now(),
        )
        .then(() => undefined),
    onDelivery: (event) => bus.publish('webhooks.delivery', event),
    describeComment: async (comment) => {
      const [dto] = await comments.service.renderComments([comment]);
      const post = await comments.service.getPost(comment.postId);
      return { site: comment.site, comment: dto, post: post ? comments.service.toPostDto(post) : null };
    },
    describePost: (post) => ({ ...comments.service.toPostDto(post) }),
  });
  commentHooks.webhooks = webhooks;

  const mail = createMail({
    connection: database.connection,
    clock,
    logger,
    registry: metrics.registry,
    publicUrl: config.publicUrl,
    secret: config.sessionSecret,
    mail: config.mail,
    requireSite: (site) => sites.getSite(site),
    assertOrigin: async (site, origin) => {
      const record = await sites.getSite(site);
      if (origin !== undefined && !sites.isOriginAllowedForSite(record, origin)) {
        throw new AppError('ORIGIN_NOT_ALLOWED', `The origin ${origin} may not use the site ${site}`, { site });
      }
    },
    identifyAuthor: async (site, bearer) => {
      const record = await sites.getSite(site);
      return identity.authors.identifyAuthor({ site, bearer, ssoSecret: record.ssoSecret ?? undefined });
    },
    getComment: (id) => comments.service.getComment(id),
    getPost: (id) => comments.service.getPost(id),
    getAuthorNames: async (ids) =>
      new Map([...(await identity.authors.getAuthors(ids))].map(([id, author]) => [id, author.name])),
    listSites: (ids) => sites.listSites(ids === null ? undefined : { ids }),
    assertCanModerate,
    findModerator: (id) => identity.moderators.findModerator(id),
  });
  commentHooks.mail = mail;
  const retention = startRetention({
    connection: database.connection,
    clock,
    logger,
    retentionDays: config.dataRetentionDays,
  });
  const autoClose = comments.startAutoClose({
    listSites: () => sites.listSites(),
    recordClosed: async (post, closeAfterDays) => {
      await moderation.audit.append(
        { actor: { kind: 'system' }, action: 'post.close', site: post.site, postId: post.id, detail: { from: false, to: true, closeAfterDays } },
        clock.now(),
      );
    },
  });

  const privacy = createPrivacy({
    connection: database.connection,
    clock,
    logger,
    graceHours: config.deletionGraceHours,
    mailData: (authorId) => mail.personalData(authorId),
    eraseMail: (authorId) => mail.erase(authorId),
    identifyAuthor: async (site, bearer) => {
      const record = await sites.getSite(site);
      return identity.authors.identifyAuthor({ site, bearer, ssoSecret: record.ssoSecret ?? undefined });
    },
    getAuthor: (id) => identity.authors.getAuthor(id),
    assertCanModerate,
    recordAudit: ({ moderator, action, site, authorId }) =>
      moderation.audit
        .append(
          { actor: { kind: 'moderator', id: moderator.id, name: moderator.name }, action, site, authorId },
          clock.now(),
        )
        .then(() => undefined),
  });

  const dataTransfers = createDataTransfers({
    connection: database.connection,
    clock,
    logger,
    maxBytes: config.importMaxBytes,
    assertAdmin,
    requireSite: (site) => sites.getSite(site),
    recordAudit: ({ moderator, action, site, detail }) =>
      moderation.audit
        .append(
          { actor: { kind: 'moderator', id: moderator.id, name: moderator.name }, action, site, detail },
          clock.now(),
        )
        .then(() => undefined),
    onJobChanged: (job) => bus.publish('portability.import-updated', job),
  });

  const app = createApp({
    config,
    logger,
    metrics,
    isDatabaseReachable: () => database.isReachable(),
    readinessDetails: async () => ({ mail: await mail.health() }),
    openApiDocument: buildOpenApiDocument,
    isOriginAllowed: (origin) => sites.isOriginAllowed(origin),
    // identity.router carries the guard in front of every /mod route: keep it first.
    apiRouters: [
      identity.router,
      createSiteRouter({
        sites,
        assertAdmin,
        assertCanModerate,
        onSiteChanged: async ({ moderator, action, site, fields }) => {
          await moderation.audit.append(
            {
              actor: { kind: 'moderator', id: moderator.id, name: moderator.name },
              action,
              site,
              detail: { fields },
            },
            clock.now(),
          );
        },
      }),
      moderation.router,
      webhooks.router,
      dataTransfers.router,
      privacy.router,
      mail.router,
      createSystemRouter({
        database: {
          engine: database.kind === 'uri' ? 'mongodb' : database.kind,
          isDurable: database.isDurable,
        },
        deletionGraceHours: config.deletionGraceHours,
      }),
      comments.router,
    ],
    pageRouters: [
      createPagesRouter({
        // Exactly what the widget's first read would get: the default sort and page size, no identity.
        readDemoThread: async () =>
          (await comments.service.readThreadSerialised({ site: DEMO_SITE, post: DEMO_POST, sort: 'newest', limit: DEFAULT_THREAD_PAGE_SIZE })).body.toString('utf8'),
      }),
      createPanelRouter(),
      createFrameRouter({ originsOf: async (site) => (await sites.getSite(site)).origins }),
      createFeedRouter({ comments: comments.service, sites, publicUrl: config.publicUrl }),
    ],
  });

  const edge = createHttpEdge(app);
  const server = http.createServer(edge.listener);
  server.keepAliveTimeout = 65_000;
  server.on('clientError', answerClientError);
  const io = new SocketServer(server, {
    serveClient: false,
    maxHttpBufferSize: 16 * 1024,
    ...realtimeServerOptions({ redisUrl: config.redisUrl }),
  });
  const realtime = await attachRealtime({
    io,
    bus,
    logger,
    clock,
    redisUrl: config.redisUrl,
    moderatorSessionCookie: identity.sessionCookie,
    panelOrigin: new URL(config.publicUrl).origin,
    // Validates site and Origin like the widget's thread read, and gives the count and seq to resume from.
    checkJoin: (site, post, origin) => comments.service.readLiveState({ site, post, origin }),
    replayPostEvents: (input) => comments.service.listPostEvents(input),
    identifyReader: async ({ site, bearer }) => {
      const record = await sites.getSite(site);
      const author = await identity.authors
        .identifyAuthor({ site, bearer, ssoSecret: record.ssoSecret ?? undefined })
        .catch(() => undefined);
      return author ? { authorId: author.id } : undefined;
    },
    authenticateModerator: (token, via) => identity.moderators.authenticate(token, via),
    onModeratorGone: (moderatorId) => moderation.service.releaseClaimsOf(moderatorId),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // New requests (on kept-alive connections) get 503 + Connection: close; in-flight ones finish.
      edge.startDraining();
      const graceMs = Math.min(1000, Math.floor(config.shutdownTimeoutMs / 4));
      const force = setTimeout(
        () => server.closeAllConnections(),
        Math.max(graceMs + 100, config.shutdownTimeoutMs - 500),
      );
      force.unref();
      const openConnections = await new Promise<number>((resolve) =>
        server.getConnections((_error, count) => resolve(count)),
      );
      // Stop accepting connections at once, but leave kept-alive ones open for a short grace (Node's
      // http close() would drop idle ones now): a request sent on one meanwhile is answered 503 with
      // Connection: close instead of meeting a reset.
      const serverClosed = new Promise<void>((resolve) =>
        net.Server.prototype.close.call(server, () => resolve()),
      );
      if (openConnections > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
      server.close(); // closes idle connections and stops Node's request-timeout checks
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      // Closes the live sockets (upgraded connections the HTTP server no longer tracks).
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await realtime.close();
      moderation.close();
      await webhooks.close();
      await dataTransfers.close();
      await mail.close();
      await retention.close();
      await autoClose.close();
      privacy.close();
      await serverClosed;
      clearInterval(idleSweep);
      clearTimeout(force);
      // Writes and reads grouped into one command (audit entries, fingerprints, live events, post reads…) are answered before the database goes.
      await drainBatchers(database.connection);
      if (ownsDatabase) await database.close();
      if (redis) await redis.quit().catch(() => undefined);
    })();
    return closing;
  };

  return { url, port, database, bus, io, app, close };
}
