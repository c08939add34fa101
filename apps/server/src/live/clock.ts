/**
 * The session clock of a room: seconds since the session started, read from the process's
 * monotonic clock so that a change of the wall clock cannot move it. A room reopened after a
 * restart continues where the session would be by the wall clock, never before its last logged
 * event, and never so late that a day-long session clock runs out at once.
 */
import type { Seconds } from '@attune/engine';
import { MAX_SESSION_TIME } from '@attune/protocol';

/** Room left on the session clock after a resume: a resumed room always has an hour to run. */
const HEADROOM: Seconds = 3600;

/**
 * Where a resumed session's clock starts: the wall-clock time since the session started, but not
 * before the latest logged event, and, for a session left open very long, just after that event.
 * @example resumeAt(12.5, Date.parse('2026-01-01T10:00:00Z'), Date.parse('2026-01-01T10:01:00Z')) // 60
 */
export function resumeAt(lastT: Seconds | null, startedAtMs: number, nowMs: number): Seconds {
  const last = lastT ?? 0;
  const elapsed = Math.max(0, (nowMs - startedAtMs) / 1000);
  const wanted = Math.max(last, elapsed);
  if (wanted <= MAX_SESSION_TIME - HEADROOM) return wanted;
  return Math.min(last + 1, MAX_SESSION_TIME);
}

/** A session clock reading `from` now and running on with `monotonic` (seconds). */
export function sessionClock(from: Seconds, monotonic: () => Seconds): () => Seconds {
  const origin = monotonic();
  return () => from + (monotonic() - origin);
}
