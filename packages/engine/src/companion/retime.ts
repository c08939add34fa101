/**
 * Hearing a sudden change of tempo before the pulse tracker follows it. A musician hears at once
 * that the partner's beats come ever earlier (or later) than their own and moves with them; the
 * tracker, weighing the remembered past, takes some beats longer.
 */
import type { Seconds } from '../time/index.ts';
import type { ClockState, PulseView, Retiming } from './clock.ts';
import type { Ear } from './listen.ts';

/** How far from a companion beat the client's firmest onset is looked for (share of a beat). */
const WINDOW = 0.55;
/** How much better (in onset salience) the new grid must explain the last beats than the tracker's. */
const CLEARLY_BETTER = 1.3;

/**
 * Where the next beat falls after a sudden change of tempo, or null to follow the tracker: two
 * beats running at which the client's firmest onsets came early (or late), the second more so,
 * and a grid at the period they imply that explains the client's last three beats clearly better
 * than the tracker's. Once retimed (`clock.own` > 0) each beat falls a period after the client's
 * latest onset, the period taking 60% of each error, until the tracker agrees within 2% of a beat.
 * @example retime(ear, [9.4, 10], clock, () => pulse) // { time: 10.3, period: 0.5 } when strokes at 9.3, 9.8 answered beats at 9.4, 10
 */
export function retime(
  ear: Ear,
  beats: readonly Seconds[],
  clock: ClockState,
  pulseNow: () => PulseView | null,
): Retiming | null {
  const b1 = beats[beats.length - 2];
  if (b1 === undefined) return null;
  const b2 = clock.time;
  const p = clock.period;
  const window = WINDOW * p;
  const a2 = ear.asynchrony(b2, window);
  if (clock.own === 0 && (a2 === null || Math.abs(a2) < 0.1 * p)) return null;
  const pulse = pulseNow();
  const tracked = pulse?.predicted.find((b) => b > b2 + 0.5 * p) ?? null;
  if (clock.own > 0) {
    const a = a2 ?? 0;
    const period = Math.max(0.6 * p, Math.min(1.6 * p, p + 0.6 * a));
    const time = b2 + a + period;
    // The tracker has caught up: hand back to it.
    if (tracked !== null && Math.abs(tracked - time) < 0.02 * p) return null;
    return { time, period };
  }
  const a1 = ear.asynchrony(b1, window);
  if (a1 === null || a2 === null) return null;
  const sudden =
    Math.abs(a2) >= 0.1 * p &&
    Math.abs(a1) >= 0.04 * p &&
    Math.sign(a1) === Math.sign(a2) &&
    Math.abs(a2) > Math.abs(a1) + 0.03 * p;
  if (!sudden) return null;
  const period = Math.max(0.6 * p, Math.min(1.6 * p, b2 - b1 + (a2 - a1)));
  const latest = b2 + a2;
  const mine = [0, 1, 2].map((j) => latest - j * period);
  const theirs = tracked === null || pulse === null ? [] : [1, 2, 3].map((j) => tracked - j * pulse.period);
  const tolerance = 0.05 * p;
  if (ear.support(mine, tolerance) < CLEARLY_BETTER * ear.support(theirs, tolerance)) return null;
  return { time: latest + period, period };
}
