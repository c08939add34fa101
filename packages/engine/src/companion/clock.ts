/**
 * The companion's beat clock: where its next beat falls, decided one beat at a time from the
 * tempo policy and the client's pulse. Following, it phase-locks to the beats the pulse tracker
 * predicts; holding, it keeps an exact grid whatever the client does; guiding, it first follows
 * until the two are together and then moves the tempo toward the target at a pace the client can
 * follow, waiting whenever they fall behind.
 */
import { leadStep } from '../technique/index.ts';
import type { Bpm, Seconds } from '../time/index.ts';
import type { TempoPolicy } from './settings.ts';

/** What the pulse tracker reports at the moment a beat is decided. */
export interface PulseView {
  readonly period: Seconds;
  readonly confidence: number;
  /** The client's next predicted beat times, in order. */
  readonly predicted: readonly Seconds[];
}

/** The clock at one beat. */
export interface ClockState {
  /** Beats since the companion started; beat 0 is its first. */
  readonly index: number;
  /** The time of this beat. */
  readonly time: Seconds;
  /** The beat period in force from this beat on. */
  readonly period: Seconds;
  /** The beat a held grid counts from. */
  readonly anchor: { readonly index: number; readonly time: Seconds };
  /** Consecutive beats on which the client was together with the companion. */
  readonly together: number;
  /** Whether guiding has begun (the pair was together long enough). */
  readonly leading: boolean;
  /** Whether the companion has taken up the client's pulse (guiding starts from it and then keeps steady). */
  readonly found: boolean;
  /** Beats left of following the client's own onsets after a sudden change of tempo (0: following the tracker). */
  readonly own: number;
  /**
   * While following the client's onsets: their beats heard since the change, one per beat up to
   * the one before this (null where none was heard), oldest first.
   */
  readonly strokes: readonly (Seconds | null)[];
}

/** A sudden change of tempo heard in the client's onsets: where their next beat falls, and their new period. */
export interface Retiming {
  readonly time: Seconds;
  readonly period: Seconds;
  /** The client's beats the new grid was drawn through, one per beat (null where none was heard). */
  readonly strokes: readonly (Seconds | null)[];
}

/** Beats at most that the companion follows the client's onsets itself after a sudden change. */
export const OWN_BEATS = 8;

/** The closest a beat placed on the client's own onsets may follow the one before (share of a beat). */
const CLOSEST_RETIMED = 0.3;

/** Below this confidence the client has no pulse to follow. */
export const PULSE_CONFIDENCE = 0.3;
/** Beats together before the companion starts to lead. */
export const TOGETHER_BEATS = 4;
/** Relative tempo difference within which the client counts as having followed. */
export const FOLLOW_TOLERANCE = 0.05;
/** How fast guiding moves the tempo: a share of the tempo per beat. */
export const LEAD_RATE = 0.008;

/** The clock at the companion's first beat. */
export function startClock(
  at: Seconds,
  policy: TempoPolicy,
  startTempo: Bpm,
  pulse: PulseView | null,
): ClockState {
  let time = at;
  let period = 60 / (policy.kind === 'hold' ? policy.bpm : startTempo);
  const found = policy.kind !== 'hold' && pulse !== null && pulse.confidence >= PULSE_CONFIDENCE;
  if (found) {
    // Come in on the client's next beat, at their tempo.
    period = pulse.period;
    time = pulse.predicted.find((b) => b >= at) ?? at;
  }
  return {
    index: 0,
    time,
    period,
    anchor: { index: 0, time },
    together: 0,
    leading: false,
    found,
    own: 0,
    strokes: [],
  };
}

/**
 * The client's beat the companion's next beat should fall on: the predicted beat nearest to `t`,
 * when one is within 55% of a period (so a companion half a beat off the client is always drawn
 * back to one side, never left on the off-beat). The tracker predicts from now on, so the client's beat a
 * period before its first prediction is a candidate too; when that one is nearest but already
 * out of reach (before `reachable`: the companion is late by nearly half a beat), the next one
 * is taken, so a companion that fell behind the client by a fraction of a beat waits for their
 * next beat instead of staying behind for good.
 */
function nearestBeat(pulse: PulseView, t: Seconds, period: Seconds, reachable: Seconds): Seconds | null {
  const first = pulse.predicted[0];
  if (first === undefined) return null;
  const candidates = [first - pulse.period, ...pulse.predicted];
  let best: Seconds | null = null;
  for (const b of candidates) if (best === null || Math.abs(b - t) < Math.abs(best - t)) best = b;
  if (best === null || Math.abs(best - t) >= 0.55 * period) return null;
  if (best >= reachable) return best;
  const next = candidates.find((b) => b >= reachable);
  return next !== undefined && next - t < 0.8 * period ? next : null;
}

/**
 * The clock at the next beat. `lock` is the share of the phase error to the client's predicted
 * beat that is corrected at once (1 when synchronising); the beat never falls before `earliest`.
 */
export function nextBeat(
  clock: ClockState,
  policy: TempoPolicy,
  pulse: PulseView | null,
  lock: number,
  earliest: Seconds,
  retiming: Retiming | null = null,
): ClockState {
  const index = clock.index + 1;
  const expected = clock.time + clock.period;
  const confident = pulse !== null && pulse.confidence >= PULSE_CONFIDENCE;
  const minimum = Math.max(earliest, clock.time + 0.5 * clock.period);
  const heard = confident ? nearestBeat(pulse, expected, clock.period, minimum) : null;
  const done = (
    time: Seconds,
    period: Seconds,
    rest: Partial<ClockState> = {},
    closest = minimum,
  ): ClockState => {
    const t = Math.max(time, closest);
    // Only a held grid keeps its anchor; any other beat (or a held beat pushed late) is the new anchor.
    const anchor = rest.anchor !== undefined && t === time ? rest.anchor : { index, time: t };
    return { ...clock, ...rest, index, time: t, period, anchor };
  };

  if (policy.kind === 'hold') {
    // A rock-steady grid counted from the anchor, so rounding never accumulates.
    const period = 60 / policy.bpm;
    const anchor = sameGrid(clock, period) ? clock.anchor : { index: clock.index, time: clock.time };
    return done(anchor.time + (index - anchor.index) * period, period, { anchor });
  }

  if (retiming !== null && lock >= 1 && policy.kind === 'follow') {
    const own = clock.own > 0 ? clock.own - 1 : OWN_BEATS;
    // A client heard to have sped up is met on their next beat even when the companion's last
    // beat came late: then the two beats may lie closer than half a beat.
    const closest = Math.max(earliest, clock.time + CLOSEST_RETIMED * clock.period);
    return done(
      retiming.time,
      retiming.period,
      { together: 0, found: true, own, strokes: retiming.strokes },
      closest,
    );
  }
  if (!confident || pulse === null) return done(expected, clock.period, { together: 0, own: 0, strokes: [] });
  const error = heard === null ? 0 : heard - expected;
  const together =
    heard !== null &&
    Math.abs(pulse.period - clock.period) <= FOLLOW_TOLERANCE * clock.period &&
    Math.abs(error) < 0.15 * clock.period
      ? clock.together + 1
      : 0;

  if (policy.kind === 'follow' || !clock.found) {
    return done(expected + lock * error, pulse.period, { together, found: true, own: 0, strokes: [] });
  }

  if (!clock.leading) {
    // Before guiding, keep the client's tempo steadily and let them settle with the companion:
    // two partners who both chase each other's beat drift together, usually slower.
    const leading = together >= TOGETHER_BEATS;
    return done(expected + 0.5 * beyond(error, clock.period), clock.period, { together, leading });
  }

  // Guiding: step the tempo toward the target only while the client keeps up in tempo and in
  // phase; otherwise hold it and meet them half way in phase, so the pair never comes apart.
  const bpm = 60 / clock.period;
  const keepingUp = Math.abs(error) < 0.12 * clock.period;
  const clientBpm = keepingUp ? 60 / pulse.period : Number.POSITIVE_INFINITY;
  const next = leadStep(bpm, clientBpm, policy.bpm, Math.max(0.3, LEAD_RATE * bpm), FOLLOW_TOLERANCE * bpm);
  return done(expected + 0.5 * beyond(error, clock.period), 60 / next, { together });
}

/**
 * The part of a phase error beyond a small dead band (8% of a beat): a partner who is a little
 * behind is not chased, or the pair would drift slower together; one who falls further is waited for.
 */
function beyond(error: Seconds, period: Seconds): Seconds {
  const band = 0.08 * period;
  return Math.sign(error) * Math.max(0, Math.abs(error) - band);
}

function sameGrid(clock: ClockState, period: Seconds): boolean {
  return Math.abs(clock.period - period) < 1e-9;
}
