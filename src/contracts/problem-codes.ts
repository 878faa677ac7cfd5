/**
 * Stable error codes sent to clients in `application/problem+json` bodies.
 * Clients switch on these; they never change meaning once published.
 */
export const PROBLEM_CODES = [
  // generic HTTP
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'TOO_MANY_ROOMS',
  'ORIGIN_NOT_ALLOWED',
  'INTERNAL',
  'SERVICE_UNAVAILABLE',
  'DATABASE_UNAVAILABLE',
  'HEADERS_TOO_LARGE',
  'MALFORMED_REQUEST',
  'REQUEST_TIMEOUT',
  // identity
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'OUT_OF_SCOPE',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'SESSION_EXPIRED',
  'CSRF_TOKEN_INVALID',
  'AUTHOR_TOKEN_INVALID',
  'SSO_TOKEN_INVALID',
  'SSO_TOKEN_EXPIRED',
  'SSO_WRONG_SITE',
  'SSO_NOT_CONFIGURED',
  'AUTHOR_NAME_INVALID',
  'AUTHOR_NAME_REQUIRED',
  'MODERATOR_EXISTS',
  // sites and posts
  'SITE_NOT_FOUND',
  'SITE_EXISTS',
  'POST_NOT_FOUND',
  'POST_CLOSED',
  // comments
  'COMMENT_NOT_FOUND',
  'COMMENT_EMPTY',
  'COMMENT_TOO_LONG',
  'COMMENT_TOO_MANY_LINKS',
  'PARENT_NOT_FOUND',
  'PARENT_NOT_REPLYABLE',
  'NOT_COMMENT_AUTHOR',
  'EDIT_WINDOW_CLOSED',
  'COMMENT_NOT_EDITABLE',
  'ALREADY_REPORTED',
  'CURSOR_INVALID',
  // moderation
  'AUTHOR_BANNED',
  'AUTHOR_SUSPENDED',
  'SLOW_MODE',
  'DUPLICATE_COMMENT',
  'REVISION_CONFLICT',
  'INVALID_TRANSITION',
  'CLAIMED_BY_OTHER',
  'AUTHOR_NOT_FOUND',
  // integrations
  'WEBHOOK_NOT_FOUND',
  'WEBHOOK_DELIVERY_NOT_FOUND',
  'WEBHOOK_LIMIT_REACHED',
  'COMMENT_NUDGED',
  'CLUSTER_NOT_FOUND',
  'AUTHOR_NOTE_NOT_FOUND',
  'MAIL_DISABLED',
  'IMPORT_FILE_UNSUPPORTED',
  'IMPORT_JOB_NOT_FOUND',
  // readers
  'OWN_COMMENT_REACTION',
  'DOWNVOTES_DISABLED',
  'COMMENT_NOT_FEATURABLE',
  'FEATURED_LIMIT_REACHED',
  'BADGES_NOT_ALLOWED',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** Body of every error response (RFC 9457 problem details plus Parley's fields). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  requestId?: string;
  /** Public context: field errors, retry times, the conflicting revision… */
  [extra: string]: unknown;
}
