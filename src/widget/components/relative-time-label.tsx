import { formatFullDate, formatRelativeTime } from '../relative-time';
import { useWidget } from './widget-context';

export function RelativeTimeLabel({ iso, now }: { iso: string; now: Date }) {
  const { translator } = useWidget();
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const full = formatFullDate(date, translator);
  return (
    <time dateTime={date.toISOString()} title={full}>
      {formatRelativeTime(date, now, translator)}
    </time>
  );
}
