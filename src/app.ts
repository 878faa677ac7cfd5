import { randomUUID } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import onHeaders from 'on-headers';
import helmet from 'helmet';
import cors from 'cors';
import cookieParser from 'cookie-parser';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Config } from './config';
import { createErrorHandler, notFoundHandler } from './shared/http';
import { createOpsRouter, type Metrics } from './ops';

export interface AppDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  isDatabaseReachable: () => Promise<boolean>;
  /** Degradable parts shown in `/readyz` (mail). */
  readinessDetails?: () => Promise<Record<string, { status: string }>>;
  openApiDocument: () => unknown;
  /** Whether a browser origin belongs to any site (CORS is closed to every other origin). */
  isOriginAllowed: (origin: string) => Promise<boolean>;
  /** Routers mounted under `/api/v1`. */
  apiRouters?: Router[];
  /** Routers for pages and assets (`/embed.js`, `/demo`, `/moderate`). */
  pageRouters?: Router[];
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** `/api/v1/…` routes blogs' pages call (every route but the moderator API). */
function isPublicApiPath(originalUrl: string): boolean {
  return !/^\/api\/v1\/mod(\/|\?|$)/.test(originalUrl);
}

/**
 * Errors of the public API carry a CORS grant (without credentials) even for
 * origins no site lists: "this site is not set up" or "this origin is not one
 * of the site's" must reach the widget, which explains it to the blog owner,
 * instead of a network error that looks like being offline. Successful
 * answers stay closed to such origins.
 */
const grantOriginToRefusals: RequestHandler = (req, res, next) => {
  const origin = req.headers.origin;
  if (origin && isPublicApiPath(req.originalUrl)) {
    onHeaders(res, () => {
      if (res.statusCode < 400 || res.getHeader('Access-Control-Allow-Origin') !== undefined) return;
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After');
      res.vary('Origin');
    });
  }
  next();
};

/** Builds the Express app without listening: the supertest target. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
    }),
  );
  app.use(deps.metrics.middleware);
  // Upgrading to https and pinning it (HSTS) only make sense when the service is served over
  // https: on a plain-http hostname they break /demo and /moderate.
  const isHttps = deps.config.publicUrl.startsWith('https:');
  app.use(
    helmet({
      strictTransportSecurity: isHttps ? { maxAge: 15_552_000, includeSubDomains: true } : false,
      contentSecurityPolicy: {
        directives: {
          upgradeInsecureRequests: isHttps ? [] : null,
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'https:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          frameAncestors: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
        },
      },
      // The widget script and API are loaded by blogs on other origins.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  );
  const panelOrigin = new URL(deps.config.publicUrl).origin;
  const corsOptions = {
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'Authorization', 'X-Request-Id', 'X-CSRF-Token'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit', 'RateLimit-Policy'],
    maxAge: 600,
  };
  // The moderator API is the panel's alone: site origins (even same-site ones) never get a grant.
  const moderatorCors = cors({ ...corsOptions, origin: (origin, callback) => callback(null, origin === panelOrigin ? origin : false) });
  const siteCors = cors((req, callback) => {
    const origin = req.headers.origin;
    if (!origin) {
      callback(null, { ...corsOptions, origin: false });
      return;
    }
    deps.isOriginAllowed(origin).then(
      (isAllowed) => {
        if (isAllowed) callback(null, { ...corsOptions, origin });
        // A page on an unregistered origin may send its request (never with credentials):
        // the site routes refuse it, and grantOriginToRefusals makes the refusal readable.
        else if (req.method === 'OPTIONS') callback(null, { ...corsOptions, origin, credentials: false });
        else callback(null, { ...corsOptions, origin: false });
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  });
  app.use('/api', (req, res, next) => {
    const isModeratorApi = req.path === '/v1/mod' || req.path.startsWith('/v1/mod/');
    (isModeratorApi ? moderatorCors : siteCors)(req, res, next);
  });
  app.use('/api', grantOriginToRefusals);
  app.use(express.json({ limit: deps.config.bodyLimitBytes, strict: true }));
  app.use(cookieParser());

  app.use(createOpsRouter({ ...deps, metricsToken: deps.config.metricsToken }));
  for (const router of deps.apiRouters ?? []) app.use('/api/v1', router);
  for (const router of deps.pageRouters ?? []) app.use(router);

  app.use(notFoundHandler);
  app.use(createErrorHandler(deps.logger));
  return app;
}
