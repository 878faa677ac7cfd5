import type {} from 'pino-http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ZodType } from 'zod';
import type { Logger } from 'pino';
import type { ProblemCode, ProblemDetails } from '../contracts/problem-codes';
import { AppError, ValidationFailedError, isAppError } from './errors';

/** The one table from error codes to HTTP statuses. */
const STATUS_BY_CODE: Record<ProblemCode, number> = {
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  TOO_MANY_ROOMS: 429,
  ORIGIN_NOT_ALLOWED: 403,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  HEADERS_TOO_LARGE: 431,
  MALFORMED_REQUEST: 400,
  REQUEST_TIMEOUT: 408,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  OUT_OF_SCOPE: 403,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  SESSION_EXPIRED: 401,
  CSRF_TOKEN_INVALID: 403,
  AUTHOR_TOKEN_INVALID: 401,
  SSO_TOKEN_INVALID: 401,
  SSO_TOKEN_EXPIRED: 401,
  SSO_WRONG_SITE: 401,
  SSO_NOT_CONFIGURED: 400,
  AUTHOR_NAME_INVALID: 400,
  AUTHOR_NAME_REQUIRED: 400,
  MODERATOR_EXISTS: 409,
  SITE_NOT_FOUND: 404,
  SITE_EXISTS: 409,
  POST_NOT_FOUND: 404,
  POST_CLOSED: 403,
  COMMENT_NOT_FOUND: 404,
  COMMENT_EMPTY: 400,
  COMMENT_TOO_LONG: 400,
  COMMENT_TOO_MANY_LINKS: 400,
  PARENT_NOT_FOUND: 400,
  PARENT_NOT_REPLYABLE: 400,
  NOT_COMMENT_AUTHOR: 403,
  EDIT_WINDOW_CLOSED: 403,
  COMMENT_NOT_EDITABLE: 409,
  ALREADY_REPORTED: 409,
  CURSOR_INVALID: 400,
  AUTHOR_BANNED: 403,
  AUTHOR_SUSPENDED: 403,
  SLOW_MODE: 429,
  DUPLICATE_COMMENT: 409,
  REVISION_CONFLICT: 409,
  INVALID_TRANSITION: 409,
  CLAIMED_BY_OTHER: 409,
  AUTHOR_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_DELIVERY_NOT_FOUND: 404,
  WEBHOOK_LIMIT_REACHED: 409,
  COMMENT_NUDGED: 409,
  CLUSTER_NOT_FOUND: 404,
  AUTHOR_NOTE_NOT_FOUND: 404,
  MAIL_DISABLED: 409,
  IMPORT_FILE_UNSUPPORTED: 415,
  IMPORT_JOB_NOT_FOUND: 404,
  OWN_COMMENT_REACTION: 403,
  DOWNVOTES_DISABLED: 400,
  COMMENT_NOT_FEATURABLE: 409,
  FEATURED_LIMIT_REACHED: 409,
  BADGES_NOT_ALLOWED: 400,
};

export function statusForCode(code: ProblemCode): number {
  return STATUS_BY_CODE[code];
}

function titleFor(code: ProblemCode): string {
  const words = code.toLowerCase().split('_').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function toProblem(error: AppError, requestId: string | undefined): ProblemDetails {
  const status = statusForCode(error.code);
  const problem: ProblemDetails = {
    ...error.context,
    type: `https://parley.dev/problems/${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: titleFor(error.code),
    status,
    code: error.code,
    detail: error.message,
  };
  if (requestId !== undefined) problem.requestId = requestId;
  return problem;
}

/**
 * Parses untrusted input with a zod schema; failures become VALIDATION_FAILED
 * with one entry per bad field. Objects in place of strings (`{"$gt": ""}`)
 * fail here, which is what keeps query operators out of the database.
 */
export function parseInput<T>(schema: ZodType<T>, input: unknown, what = 'request'): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const summary = first ? `${first.path || what}: ${first.message}` : 'invalid input';
  throw new ValidationFailedError(`Invalid ${what}: ${summary}`, issues);
}

/** Express's own body-parser errors carry a `type`; map the ones clients can cause. */
function fromExpressError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.parse.failed') return new AppError('MALFORMED_JSON', 'The request body is not valid JSON');
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: unknown }).limit;
    return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large', { limitBytes: limit });
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding');
  }
  if (type === 'request.aborted') return new AppError('VALIDATION_FAILED', 'The request was aborted');
  // Other client errors from Express and its parsers (a path parameter that is not valid
  // percent-encoding, a body shorter than its Content-Length) carry a 4xx `status`; their
  // messages can echo input, so they get a fixed one.
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large');
    if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding');
    return new AppError('VALIDATION_FAILED', 'The request could not be read');
  }
  return undefined;
}

/**
 * Driver and Mongoose errors that mean "the database cannot be reached right
 * now" (by class name: shared/ does not import the database layer).
 */
const UNREACHABLE_DATABASE_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/** Seconds a client should wait before retrying after a database outage. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

export function isDatabaseUnreachable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (UNREACHABLE_DATABASE_ERRORS.has(current.name) || UNREACHABLE_DATABASE_ERRORS.has(current.constructor.name)) return true;
    // Mongoose's own "not connected" error while commands are not buffered.
    if (current.name === 'MongooseError' && /initial connection|buffering timed out|client must be connected/i.test(current.message)) {
      return true;
    }
    current = current.cause;
  }
  return false;
}

export function databaseUnavailable(): AppError {
  return new AppError('DATABASE_UNAVAILABLE', 'The database cannot be reached right now; try again shortly', {
    retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
  });
}

export function sendProblem(res: Parameters<RequestHandler>[1], problem: ProblemDetails): void {
  // Every "try again later" (429, 423, 503) says when, in the header clients and proxies read.
  const retry = problem['retryAfterSeconds'];
  if (typeof retry === 'number' && Number.isFinite(retry)) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retry))));
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const requestId = typeof req.id === 'string' ? req.id : undefined;
    if (isDatabaseUnreachable(error)) {
      logger.warn({ err: error, requestId }, 'database unreachable');
      sendProblem(res, toProblem(databaseUnavailable(), requestId));
      return;
    }
    const known = isAppError(error) ? error : fromExpressError(error);
    if (known) {
      sendProblem(res, toProblem(known, requestId));
      return;
    }
    logger.error({ err: error, requestId }, 'unhandled error');
    sendProblem(res, toProblem(new AppError('INTERNAL', 'Something went wrong on our side'), requestId));
  };
}

export const notFoundHandler: RequestHandler = (req) => {
  throw new AppError('ROUTE_NOT_FOUND', `No route for ${req.method} ${req.path}`);
};
