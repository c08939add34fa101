/**
 * Dates and durations as the session list shows them: the day and time a session started, in the
 * device's own language and time zone, and how long it lasted in minutes.
 */

/**
 * When a session started, e.g. 'Tue 4 Mar, 14:05'.
 * @example startedLabel('2025-03-04T14:05:00Z', 'en-GB', 'UTC') // 'Tue 4 Mar, 14:05'
 */
export function startedLabel(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

/**
 * How long a session lasted, in whole minutes ('under a minute' below one); null while it runs.
 * @example lengthLabel('2025-03-04T14:05:00Z', '2025-03-04T14:47:30Z') // '42 min'
 */
export function lengthLabel(startedAt: string, endedAt: string | null): string | null {
  if (endedAt === null) return null;
  const ms = new Date(endedAt).getTime() - new Date(startedAt).getTime();
  if (!Number.isFinite(ms) || ms < 0) return null;
  const minutes = Math.floor(ms / 60_000);
  return minutes < 1 ? 'under a minute' : `${minutes} min`;
}
