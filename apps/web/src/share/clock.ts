/**
 * Times of a clip as a therapist types and reads them: minutes and seconds (`2:05.5`), or plain
 * seconds (`125.5`); and the life of a link in words.
 */

/**
 * Seconds from `m:ss`, `m:ss.s`, `h:mm:ss` or plain seconds; null when it is none of these.
 * @example readClock('2:05.5') // 125.5
 * @example readClock('90') // 90
 */
export function readClock(text: string): number | null {
  const parts = text.trim().split(':');
  if (parts.length > 3 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) return null;
  const numbers = parts.map(Number);
  // Only the last part may hold a fraction, and every part after the first is under 60.
  if (numbers.slice(0, -1).some((n) => !Number.isInteger(n))) return null;
  if (numbers.slice(1).some((n) => n >= 60)) return null;
  return numbers.reduce((total, n) => total * 60 + n, 0);
}

/**
 * A time as `m:ss.s` (tenths), or `h:mm:ss.s` past an hour.
 * @example clockOf(125.5) // '2:05.5'
 */
export function clockOf(seconds: number): string {
  const tenths = Math.round(Math.max(0, seconds) * 10);
  const h = Math.floor(tenths / 36_000);
  const m = Math.floor((tenths % 36_000) / 600);
  const s = (tenths % 600) / 10;
  const ss = s.toFixed(1).padStart(4, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * A length in words, to the second.
 * @example lengthInWords(75) // '1 minute 15 seconds'
 */
export function lengthInWords(seconds: number): string {
  const whole = Math.round(seconds);
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  const words: string[] = [];
  if (m > 0) words.push(`${m} ${m === 1 ? 'minute' : 'minutes'}`);
  if (s > 0 || m === 0) words.push(`${s} ${s === 1 ? 'second' : 'seconds'}`);
  return words.join(' ');
}

/**
 * A day as a family reads it, in their own language and time zone.
 * @example dayInWords('2026-12-02T10:00:00.000Z', 'en-GB') // 'Wednesday, 2 December 2026'
 */
export function dayInWords(iso: string, locale?: string): string {
  return new Date(iso).toLocaleDateString(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}
