import { formatFullDate, formatRelativeTime } from '../relative-time';

export function RelativeTimeLabel({ iso, now }: { iso: string; now: Date }) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const full = formatFullDate(date);
  return (
    <time dateTime={date.toISOString()} title={full}>
      {formatRelativeTime(date, now)}
    </time>
  );
}
