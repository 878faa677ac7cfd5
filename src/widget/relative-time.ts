import type { WidgetTranslator } from './i18n';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "2 minutes ago", "3 hours ago", "yesterday", "5 days ago", then the date; in the reader's language. */
export function formatRelativeTime(date: Date, now: Date, translator: WidgetTranslator): string {
  const elapsed = now.getTime() - date.getTime();
  if (elapsed < 45_000) return translator.t('time.justNow');
  if (elapsed < HOUR) return translator.formatRelative(-Math.max(1, Math.round(elapsed / MINUTE)), 'minute');
  if (elapsed < DAY) return translator.formatRelative(-Math.floor(elapsed / HOUR), 'hour');
  const days = Math.floor(elapsed / DAY);
  if (days < 7) return translator.formatRelative(-days, 'day');
  return translator.formatDate(date, {
    day: 'numeric',
    month: 'short',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
}

export function formatFullDate(date: Date, translator: WidgetTranslator): string {
  return translator.formatDate(date, { dateStyle: 'full', timeStyle: 'short' });
}
