/**
 * Hearing a sudden change of tempo before the pulse tracker follows it. A musician hears at once
 * that the partner's beats come ever earlier (or later) than their own and moves with them; the
 * tracker, weighing the remembered past, takes some beats longer.
 *
 * The jump is heard in the client's own strokes, whatever they play (drums, single hits, a
 * melody, a pianist's chords): their firmest stroke near each of the companion's last three
 * beats marks their beat there. When the two intervals between those three strokes agree with
 * each other (within a tenth of a beat) and both disagree with the companion's period the same
 * way (each by 7% of a beat or more, on average by 10%), while the companion's last two beats
 * both missed the client's the same way, and a grid at the new period explains the client's
 * recent strokes 1.3 times better than the tracker's, the companion re-phases its own grid on
 * the client's latest stroke at the new period (`follow` keeps it there).
 *
 * The hysteresis is in the agreement: one early stroke, a push into a fill or a single
 * syncopation shortens one interval and lengthens the next, and does not count; a figure across
 * the beat (dotted quarters, 3 + 3 + 2; a hemiola) puts every other stroke on the companion's
 * beat, or one early and the next late, and does not count either. A new period is believed from
 * 0.7 to 1.4 of the old one. Measured on simulated steady players with rubato, syncopation,
 * dotted and triplet rhythms and 18 ms of timing noise, a jump is heard about 0.4 times in a
 * hundred beats (see docs/BENCHMARKS.md).
 */
import type { Seconds } from '../time/index.ts';
import type { ClockState, PulseView, Retiming } from './clock.ts';
import type { Ear, Stroke } from './listen.ts';

/** How far from a companion beat the client's firmest stroke is looked for (share of a beat): past half a beat, so a client who slowed down is still found on the second beat after the change. */
const WINDOW = 0.6;
/** How far the companion's present beat must have missed the client's for a jump to be heard (share of a beat). */
const MISSED = 0.1;
/** How far the companion's beat before must have missed the client's too, the same way (share of a beat). */
const EARLIER = 0.04;
/** How far both of the client's last two intervals must differ from the companion's period (share of a beat). */
const EACH_APART = 0.07;
/** How far their mean must differ from it (share of a beat): a change of tempo of about a tenth or more. */
const MEAN_APART = 0.1;
/** How closely the two intervals must agree with each other (share of a beat). */
const AGREE = 0.1;
/** The client's stroke at the latest beat must be at least this share as firm as those at the two before it. */
const FIRM = 0.5;
/** The longest new period believed (share of the old one): longer is a figure across the beat. */
const SLOWEST = 1.4;
/** The shortest new period believed (share of the old one). */
const FASTEST = 0.7;
/** How much better (in onset salience) the new grid must explain the last beats than the tracker's. */
const CLEARLY_BETTER = 1.3;
/** Once following, how far from a followed beat the client's onset is looked for (share of a beat). */
const FOLLOW_WINDOW = 0.25;
/** Once following the client's onsets, the most of their beats their grid is fitted to. */
const FIT_BEATS = 8;
/** The tracker's prediction agrees with the companion's own beat within this share of a beat: hand back. */
const AGREED = 0.02;
/** ... and its period agrees within this share. */
const SAME_TEMPO = 0.04;

/**
 * Where the next beat falls after a sudden change of tempo, or null to follow the tracker: see the
 * module comment for how a jump is heard. Once retimed (`clock.own` > 0) the companion follows
 * the client's beats itself (see `follow`) until the tracker agrees with it.
 * @example retime(ear, [8.8, 9.4, 10], clock, () => pulse) // { time: 10.3, period: 0.5, strokes: [8.8, 9.3, 9.8] } when strokes at 8.8, 9.3, 9.8 answered beats at 8.8, 9.4, 10
 */
export function retime(
  ear: Ear,
  beats: readonly Seconds[],
  clock: ClockState,
  pulseNow: () => PulseView | null,
): Retiming | null {
  if (clock.own > 0) return follow(ear, clock, pulseNow);
  const p = clock.period;
  const window = WINDOW * p;
  const b2 = clock.time;
  const o2 = ear.stroke(b2, window);
  if (o2 === null || Math.abs(o2.t - b2) < MISSED * p) return null;
  // The client's strokes at the companion's beats before, each a distinct stroke at least the
  // shortest believable period earlier: a companion running faster than a client who slowed down
  // finds the same stroke near two of its beats, and that stroke counts once.
  const earlier = (after: Stroke, from: number): { stroke: Stroke; at: number } | null => {
    for (let k = from; k >= Math.max(0, from - 2); k--) {
      const o = ear.stroke(beats[k] as Seconds, window);
      if (o !== null && o.t <= after.t - FASTEST * p) return { stroke: o, at: k };
    }
    return null;
  };
  const s1 = earlier(o2, beats.length - 2);
  const s0 = s1 === null ? null : earlier(s1.stroke, s1.at - 1);
  if (s1 === null || s0 === null) return null;
  const o1 = s1.stroke;
  const o0 = s0.stroke;
  const b1 = beats[s1.at] as Seconds;
  const i0 = o1.t - o0.t;
  const i1 = o2.t - o1.t;
  if (Math.min(i0, i1) < FASTEST * p || Math.max(i0, i1) > SLOWEST * p) return null;
  const d0 = i0 - p;
  const d1 = i1 - p;
  const period = (i0 + i1) / 2;
  const a1 = o1.t - b1;
  const a2 = o2.t - b2;
  const jump =
    Math.sign(a1) === Math.sign(a2) &&
    Math.abs(a1) >= EARLIER * p &&
    Math.sign(d0) === Math.sign(d1) &&
    Math.min(Math.abs(d0), Math.abs(d1)) >= EACH_APART * p &&
    Math.abs(period - p) >= MEAN_APART * p &&
    Math.abs(i1 - i0) <= AGREE * p &&
    o2.firmness >= FIRM * Math.min(o0.firmness, o1.firmness);
  if (!jump) return null;
  // The new grid must explain the client's last beats clearly better than the tracker's does.
  const pulse = pulseNow();
  const tracked = pulse?.predicted.find((b) => b > b2 + 0.5 * p) ?? null;
  const mine = [0, 1, 2].map((j) => o2.t - j * period);
  const theirs = tracked === null || pulse === null ? [] : [1, 2, 3].map((j) => tracked - j * pulse.period);
  const tolerance = 0.05 * p;
  if (ear.support(mine, tolerance) < CLEARLY_BETTER * ear.support(theirs, tolerance)) return null;
  return { time: o2.t + period, period, strokes: [o0.t, o1.t, o2.t] };
}

/**
 * Following the client's beats after a jump: a straight line (least squares) through the client's
 * beats since the last steady one before the change (the three that showed the jump, then their
 * firmest onset near each beat the companion followed, if any) gives their new period and phase;
 * the next beat is the line's next point. Hands back to the tracker once it agrees, in phase
 * within 2% of a beat and in tempo within 4%.
 */
function follow(ear: Ear, clock: ClockState, pulseNow: () => PulseView | null): Retiming | null {
  const p = clock.period;
  // The beat being played now was the line's prediction: the client's onset is looked for near it.
  const latest = ear.stroke(clock.time, FOLLOW_WINDOW * p);
  const strokes = [...clock.strokes, latest === null ? null : latest.t].slice(-FIT_BEATS);
  const xs: number[] = [];
  const ts: Seconds[] = [];
  strokes.forEach((t, k) => {
    if (t !== null) {
      xs.push(k);
      ts.push(t);
    }
  });
  const line = fitLine(xs, ts);
  const period = line === null ? p : Math.max(FASTEST * p, Math.min(SLOWEST * p, line.slope));
  const time = line === null ? clock.time + p : line.at + period * strokes.length;
  const pulse = pulseNow();
  const tracked = pulse?.predicted.find((b) => b > clock.time + 0.5 * p) ?? null;
  const caughtUp =
    pulse !== null &&
    tracked !== null &&
    Math.abs(tracked - time) < AGREED * p &&
    Math.abs(pulse.period - period) < SAME_TEMPO * period;
  return caughtUp ? null : { time, period, strokes };
}

/** The least-squares line t = at + slope × x through the points, or null for fewer than two. */
function fitLine(xs: readonly number[], ts: readonly Seconds[]): { at: Seconds; slope: Seconds } | null {
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const mt = ts.reduce((s, t) => s + t, 0) / n;
  let sxx = 0;
  let sxt = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    sxx += dx * dx;
    sxt += dx * ((ts[i] as number) - mt);
  }
  if (sxx === 0) return null;
  const slope = sxt / sxx;
  return { at: mt - slope * mx, slope };
}
