import { ApiError } from './api-client';
import type { WidgetTranslator } from './i18n';

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

function waitPhrase(context: Readonly<Record<string, unknown>>, translator: WidgetTranslator): string {
  const wait = seconds(context);
  if (wait === undefined) return translator.t('error.wait.moment');
  if (wait < 90) return translator.t('error.wait.seconds', { count: wait });
  // Long waits read better in minutes (slow mode is often set to several).
  const minutes = Math.round(wait / 60);
  return wait < 3600 ? translator.t('error.wait.minutes', { count: minutes }) : translator.t('error.wait.later');
}

/** Whether a validation failure names the e-mail field (the subscription route's). */
function isAboutEmail(context: Readonly<Record<string, unknown>>): boolean {
  const issues = context['issues'];
  return Array.isArray(issues) && issues.some((issue: unknown) => typeof issue === 'object' && issue !== null && String((issue as Record<string, unknown>)['path']).startsWith('email'));
}

/** Plain words for a failed request, shown next to the form that sent it, in the reader's language. */
export function describeError(error: unknown, translator: WidgetTranslator): string {
  const { t } = translator;
  if (!(error instanceof ApiError)) return t('error.generic');
  const context = error.context;
  switch (error.code) {
    case 'OFFLINE':
      // A refused CORS request looks like a network failure: only say "offline" when the browser is.
      return typeof navigator !== 'undefined' && navigator.onLine === false ? t('error.offline') : t('error.unreachable');
    case 'RATE_LIMITED':
      return t('error.rateLimited', { wait: waitPhrase(context, translator) });
    case 'SLOW_MODE':
      return t('error.slowMode', { wait: waitPhrase(context, translator) });
    case 'COMMENT_TOO_LONG': {
      const max = numberIn(context, ['maxLength', 'max', 'limit']);
      return max ? t('error.tooLongMax', { count: max }) : t('error.tooLong');
    }
    case 'COMMENT_EMPTY':
      return t('error.empty');
    case 'COMMENT_TOO_MANY_LINKS': {
      const max = numberIn(context, ['maxLinks', 'max', 'limit']);
      return max !== undefined ? t('error.tooManyLinksMax', { count: max }) : t('error.tooManyLinks');
    }
    case 'POST_CLOSED':
      return t('error.postClosed');
    case 'AUTHOR_BANNED':
    case 'AUTHOR_SUSPENDED': {
      // Refused for the device or network a banned guest used, not for this reader's own account.
      const clientUntil = typeof context['until'] === 'string' ? new Date(context['until']) : undefined;
      if (context['scope'] === 'client' && clientUntil && !Number.isNaN(clientUntil.getTime())) {
        return t('error.clientBlockedUntil', { date: translator.formatDate(clientUntil, { dateStyle: 'medium', timeStyle: 'short' }) });
      }
      if (error.code === 'AUTHOR_BANNED') return t('error.banned');
      const until = context['suspendedUntil'] ?? context['until'];
      const date = typeof until === 'string' ? new Date(until) : undefined;
      return date && !Number.isNaN(date.getTime())
        ? t('error.suspendedUntil', { date: translator.formatDate(date, { dateStyle: 'medium', timeStyle: 'short' }) })
        : t('error.suspended');
    }
    case 'DUPLICATE_COMMENT':
      return t('error.duplicate');
    case 'AUTHOR_NAME_REQUIRED':
      return t('error.nameRequired');
    case 'AUTHOR_NAME_INVALID':
      // The service says which rule the name broke; each is phrased in the reader's language.
      switch (context['rule']) {
        case 'invisible':
          return t('error.nameInvisible');
        case 'staff':
          return t('error.nameStaff');
        case 'imitates-moderator':
          return t('error.nameImitatesModerator');
        default:
          return t('error.nameInvalid');
      }
    case 'AUTHOR_TOKEN_INVALID':
      return t('error.guestExpired');
    case 'SSO_TOKEN_EXPIRED':
      return t('error.ssoExpired');
    case 'SSO_TOKEN_INVALID':
    case 'SSO_WRONG_SITE':
      return t('error.ssoInvalid');
    case 'SSO_NOT_CONFIGURED':
      return t('error.ssoNotConfigured');
    case 'EDIT_WINDOW_CLOSED':
      return t('error.editWindowClosed');
    case 'NOT_COMMENT_AUTHOR':
      return t('error.notAuthor');
    case 'COMMENT_NOT_EDITABLE':
      return t('error.notEditable');
    case 'ALREADY_REPORTED':
      return t('error.alreadyReported');
    case 'OWN_COMMENT_REACTION':
      return t('error.ownReaction');
    case 'DOWNVOTES_DISABLED':
      return t('error.downvotesDisabled');
    case 'PARENT_NOT_FOUND':
    case 'PARENT_NOT_REPLYABLE':
    case 'COMMENT_NOT_FOUND':
      return t('error.commentGone');
    case 'SITE_NOT_FOUND':
      return t('error.siteNotSetUp');
    case 'ORIGIN_NOT_ALLOWED':
      return t('error.originNotAllowed');
    case 'POST_NOT_FOUND':
      return t('error.notSetUp');
    case 'PAYLOAD_TOO_LARGE':
      return t('error.tooLong');
    case 'SERVICE_UNAVAILABLE':
      return t('error.unavailable');
    case 'MAIL_DISABLED':
      return t('error.mailDisabled');
    case 'VALIDATION_FAILED':
      return isAboutEmail(context) ? t('error.emailRefused') : t('error.generic');
    default:
      return t('error.generic');
  }
}

/**
 * What the blog's owner must do when the thread cannot load because of its
 * setup, said in the console (readers see only a calm sentence); undefined
 * for every other failure.
 */
export function describeSetupProblem(error: unknown, setup: { site: string; base: string; origin: string }): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const panel = `${setup.base}/moderate`;
  if (error.code === 'SITE_NOT_FOUND') {
    return `Parley: there is no site "${setup.site}" on ${setup.base}. Fix: sign in at ${panel}, open Sites, create the site "${setup.site}" with the origin ${setup.origin} (or correct data-site on the thread element).`;
  }
  if (error.code === 'ORIGIN_NOT_ALLOWED') {
    return `Parley: the site "${setup.site}" does not list this page's origin ${setup.origin}. Fix: sign in at ${panel}, open Sites, and add ${setup.origin} to the origins of "${setup.site}" (and check data-url, which must be on one of them).`;
  }
  return undefined;
}
