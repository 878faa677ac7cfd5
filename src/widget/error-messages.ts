import { ApiError } from './api-client';

function seconds(context: Readonly<Record<string, unknown>>): number | undefined {
  for (const key of ['retryAfterSeconds', 'retryAfter', 'waitSeconds']) {
    const value = context[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.ceil(value);
  }
  return undefined;
}

function numberIn(context: Readonly<Record<string, unknown>>, keys: string[]): number | undefined {
  for (const key of keys) {
    const value = context[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

function waitPhrase(context: Readonly<Record<string, unknown>>): string {
  const wait = seconds(context);
  if (wait === undefined) return 'Please wait a moment and try again.';
  if (wait === 1) return 'Please try again in a second.';
  if (wait < 90) return `Please try again in ${wait} seconds.`;
  // Long waits read better in minutes (slow mode is often set to several).
  const minutes = Math.round(wait / 60);
  return wait < 3600 ? `Please try again in ${minutes} minutes.` : 'Please try again later.';
}

/** Plain words for a failed request, shown next to the form that sent it. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  const context = error.context;
  switch (error.code) {
    case 'OFFLINE':
      return 'You seem to be offline. Check your connection and try again.';
    case 'RATE_LIMITED':
      return `You're doing that too often. ${waitPhrase(context)}`;
    case 'SLOW_MODE':
      return `This conversation is in slow mode. ${waitPhrase(context)}`;
    case 'COMMENT_TOO_LONG': {
      const max = numberIn(context, ['maxLength', 'max', 'limit']);
      return max ? `Your comment is too long: keep it to ${max.toLocaleString('en-US')} characters or fewer.` : 'Your comment is too long.';
    }
    case 'COMMENT_EMPTY':
      return 'Write something before posting.';
    case 'COMMENT_TOO_MANY_LINKS': {
      const max = numberIn(context, ['maxLinks', 'max', 'limit']);
      return max !== undefined ? `Comments may contain at most ${max} links.` : 'Your comment has too many links.';
    }
    case 'POST_CLOSED':
      return 'Comments are closed on this article.';
    case 'AUTHOR_BANNED':
      return 'You can no longer comment on this site.';
    case 'AUTHOR_SUSPENDED': {
      const until = context['suspendedUntil'] ?? context['until'];
      const date = typeof until === 'string' ? new Date(until) : undefined;
      return date && !Number.isNaN(date.getTime())
        ? `You can't comment until ${date.toLocaleString()}.`
        : "You can't comment right now: your account is suspended.";
    }
    case 'DUPLICATE_COMMENT':
      return "You've already posted this comment.";
    case 'AUTHOR_NAME_REQUIRED':
      return 'Enter a display name to comment.';
    case 'AUTHOR_NAME_INVALID':
      // The service says which rule the name broke ("Display names cannot claim to be a moderator…").
      return /^Display names [^<>]{1,120}$/.test(error.message)
        ? `Choose a different display name. ${error.message.replace(/\.?$/, '.')}`
        : 'Choose a different display name (1 to 50 characters, with at least one letter or digit).';
    case 'AUTHOR_TOKEN_INVALID':
      return 'Your guest session has expired. Enter your name and post again.';
    case 'SSO_TOKEN_EXPIRED':
      return 'Your sign-in has expired. Sign in again to comment.';
    case 'SSO_TOKEN_INVALID':
    case 'SSO_WRONG_SITE':
      return "Your sign-in isn't valid on this site. Sign in again to comment.";
    case 'SSO_NOT_CONFIGURED':
      return "This site doesn't support signing in to comment.";
    case 'EDIT_WINDOW_CLOSED':
      return 'The time to edit or delete this comment has passed.';
    case 'NOT_COMMENT_AUTHOR':
      return 'Only the author can change this comment.';
    case 'COMMENT_NOT_EDITABLE':
      return "This comment can't be changed any more.";
    case 'ALREADY_REPORTED':
      return "You've already reported this comment. Thank you.";
    case 'PARENT_NOT_FOUND':
    case 'PARENT_NOT_REPLYABLE':
    case 'COMMENT_NOT_FOUND':
      return 'That comment is no longer available.';
    case 'SITE_NOT_FOUND':
    case 'POST_NOT_FOUND':
    case 'ORIGIN_NOT_ALLOWED':
      return "Comments aren't set up for this page.";
    case 'PAYLOAD_TOO_LARGE':
      return 'Your comment is too long.';
    case 'SERVICE_UNAVAILABLE':
      return 'Comments are temporarily unavailable. Please try again shortly.';
    default:
      return 'Something went wrong. Please try again.';
  }
}
