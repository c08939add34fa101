/**
 * What a share may be: a span of the recording at least a second and at most ten minutes long,
 * inside what was played; a note for the family of bounded length; a link that lasts whole days,
 * 1 to 90. Each refusal is a records refusal with a sentence naming what was sent; nothing is
 * stored.
 */
import { RecordsError } from '../records/checks.ts';

/** The longest clip, in seconds: a highlight, not the session. */
export const MAX_CLIP = 600;
/** The shortest clip, in seconds. */
export const MIN_CLIP = 1;
/** The longest note for the family. */
export const MAX_SHARE_NOTE = 2000;
/** The longest a link lives, in days. */
export const MAX_EXPIRY_DAYS = 90;
/** The lives the therapist is offered, in days. */
export const EXPIRY_CHOICES = [1, 7, 30] as const;

const DAY_MS = 86_400_000;

function invalid(message: string): RecordsError {
  return new RecordsError(400, 'invalid-span', message);
}

const seconds = (x: number) => `${Math.round(x * 10) / 10} s`;

/**
 * A span of a recording that ends at `end` seconds, checked: from before to, both inside the
 * recording, at least {@link MIN_CLIP} and at most {@link MAX_CLIP} seconds long.
 * @example checkSpan(10, 40, 120) // { from: 10, to: 40 }
 */
export function checkSpan(from: number, to: number, end: number | null): { from: number; to: number } {
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw invalid('The clip’s start and end must be numbers of seconds.');
  if (end === null || end <= 0) throw invalid('This session has nothing recorded to share.');
  if (from < 0) throw invalid(`The clip cannot start before the recording does, got: ${seconds(from)}.`);
  if (to <= from) throw invalid(`The clip must end after it starts, got ${seconds(from)} to ${seconds(to)}.`);
  if (to - from < MIN_CLIP) throw invalid(`The clip must last at least ${MIN_CLIP} second.`);
  if (to - from > MAX_CLIP)
    throw invalid(
      `A clip may last at most ${MAX_CLIP / 60} minutes, got ${seconds(to - from)}: choose a shorter span.`,
    );
  // A millisecond's grace: the span is often dragged to the recording's very end.
  if (to > end + 0.001)
    throw invalid(
      `The clip must end within the recording, which ends at ${seconds(end)}, got: ${seconds(to)}.`,
    );
  return { from, to: Math.min(to, end) };
}

/**
 * When a link made at `now` (ISO) lasting `days` whole days expires (ISO).
 * @example expiryOf('2026-11-25T10:00:00.000Z', 7) // '2026-12-02T10:00:00.000Z'
 */
export function expiryOf(now: string, days: number): string {
  if (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRY_DAYS)
    throw new RecordsError(
      400,
      'invalid-expiry',
      `A link lasts 1 to ${MAX_EXPIRY_DAYS} whole days, got: ${JSON.stringify(days)}.`,
    );
  return new Date(Date.parse(now) + days * DAY_MS).toISOString();
}

/** A note for the family kept as written, within {@link MAX_SHARE_NOTE} characters. */
export function checkNote(note: string): string {
  if (note.length > MAX_SHARE_NOTE)
    throw new RecordsError(400, 'invalid', `The note may have at most ${MAX_SHARE_NOTE} characters.`);
  return note;
}
