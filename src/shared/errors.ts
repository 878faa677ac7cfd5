import type { ProblemCode } from '../contracts/problem-codes';

/**
 * The one error base class. Services throw these (never HTTP errors); the HTTP
 * error handler maps `code` to a status through a single table.
 * `context` is public: it is sent to clients, so never put secrets in it.
 */
export class AppError extends Error {
  readonly code: ProblemCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: ProblemCode, message: string, context: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export class NotFoundError extends AppError {
  constructor(what: 'SITE' | 'POST' | 'COMMENT' | 'AUTHOR' | 'PARENT' | 'CLUSTER', id: string) {
    const code: ProblemCode =
      what === 'CLUSTER'
        ? 'CLUSTER_NOT_FOUND'
        : what === 'SITE'
        ? 'SITE_NOT_FOUND'
        : what === 'POST'
          ? 'POST_NOT_FOUND'
          : what === 'AUTHOR'
            ? 'AUTHOR_NOT_FOUND'
            : what === 'PARENT'
              ? 'PARENT_NOT_FOUND'
              : 'COMMENT_NOT_FOUND';
    super(code, `${what.toLowerCase()} ${JSON.stringify(id)} was not found`, { id });
  }
}

export class ValidationFailedError extends AppError {
  constructor(message: string, issues: { path: string; message: string }[]) {
    super('VALIDATION_FAILED', message, { issues });
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}
