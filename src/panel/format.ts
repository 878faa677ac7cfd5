import { panelTranslator, t } from './i18n';

/** "just now", "4 min. ago", "3 hr. ago", "2 days ago" (Intl, short style): short enough for a queue card. */
export function formatAge(iso: string, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 45) return t('time.justNow');
  if (seconds < 3600) return panelTranslator.formatRelative(-Math.round(seconds / 60), 'minute');
  if (seconds < 86_400) return panelTranslator.formatRelative(-Math.round(seconds / 3600), 'hour');
  return panelTranslator.formatRelative(-Math.round(seconds / 86_400), 'day');
}

/** A median time to decision: "42 s", "7 min", "2.5 h"; an em dash when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 90) return t('duration.seconds', { value: Math.round(seconds) });
  if (seconds < 5400) return t('duration.minutes', { value: Math.round(seconds / 60) });
  return t('duration.hours', { value: new Intl.NumberFormat(panelTranslator.lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(seconds / 3600) });
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : panelTranslator.formatDate(date, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The value of an `<input type="datetime-local">` for a moment `hours` from now, in local time. */
export function localDateTimeInput(hoursFromNow: number, now: number = Date.now()): string {
  const date = new Date(now + hoursFromNow * 3_600_000);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Splits a word-list textarea (one per line or comma separated) into clean entries. */
export function parseWordList(text: string): string[] {
  const words = text
    .split(/[\n,]/)
    .map((word) => word.trim())
    .filter((word) => word !== '');
  return [...new Set(words)];
}
