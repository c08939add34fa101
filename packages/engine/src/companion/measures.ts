/**
 * Measures of how the companion played with a client, as the companion is judged: on the beat,
 * in the idiom, at the client's loudness, out of the way of their phrases, on a steady grid.
 * Each takes the client's truth or playing and the companion's notes and returns plain numbers.
 */
import type { Seconds } from '../time/index.ts';

/** A companion note as the measures need it. */
export interface MeasuredNote {
  readonly start: Seconds;
  readonly duration: Seconds;
  readonly velocity: number;
  readonly pitch: number;
  readonly voice: string;
}

/** How the companion's onsets sit on the client's beats. */
export interface SyncScore {
  /** Share of the client's beats (after `ignoreBefore`) with a companion onset within the window. */
  readonly onBeats: number;
  /** Mean absolute distance in seconds from those beats to their nearest companion onset. */
  readonly meanError: Seconds;
  /** Beats counted. */
  readonly beats: number;
}

/** Sorted distinct onset times of a list of notes. */
export function onsetTimes(notes: readonly { readonly start: Seconds }[]): Seconds[] {
  const times = notes.map((n) => n.start).sort((a, b) => a - b);
  return times.filter((t, i) => i === 0 || t - (times[i - 1] as number) > 1e-4);
}

/** The element of a sorted list nearest to `t` (binary search), or null for an empty list. */
export function nearest(sorted: readonly number[], t: number): number | null {
  if (sorted.length === 0) return null;
  let lo = 0;
  let hi = sorted.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < t) lo = mid;
    else hi = mid;
  }
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return Math.abs(a - t) <= Math.abs(b - t) ? a : b;
}

/**
 * How the companion plays on the client's beats: the share of beats after `ignoreBefore` with a
 * companion onset within `window` (default 70 ms), and the mean distance of those onsets.
 * @example syncScore([1, 2, 3], [{ start: 1.01, ... }, ...]).onBeats
 */
export function syncScore(
  beats: readonly Seconds[],
  notes: readonly MeasuredNote[],
  options: { ignoreBefore?: Seconds; window?: Seconds; until?: Seconds } = {},
): SyncScore {
  const { ignoreBefore = 5, window = 0.07, until = Number.POSITIVE_INFINITY } = options;
  const onsets = onsetTimes(notes);
  let hit = 0;
  let total = 0;
  let error = 0;
  for (const b of beats) {
    if (b < ignoreBefore || b > until) continue;
    total++;
    const n = nearest(onsets, b);
    if (n !== null && Math.abs(n - b) <= window) {
      hit++;
      error += Math.abs(n - b);
    }
  }
  return {
    onBeats: total === 0 ? 0 : hit / total,
    meanError: hit === 0 ? Number.NaN : error / hit,
    beats: total,
  };
}

/**
 * Beats after `change` until the companion is back in time: the first beat from which `run`
 * consecutive beats each have a companion onset within `window` (30 ms), counted from the change.
 * Returns Infinity when it never settles.
 */
export function recoveryBeats(
  beats: readonly Seconds[],
  notes: readonly MeasuredNote[],
  change: Seconds,
  options: { window?: Seconds; run?: number } = {},
): number {
  const { window = 0.03, run = 3 } = options;
  const onsets = onsetTimes(notes);
  const after = beats.filter((b) => b >= change);
  let streak = 0;
  for (let i = 0; i < after.length; i++) {
    const b = after[i] as number;
    const n = nearest(onsets, b);
    streak = n !== null && Math.abs(n - b) <= window ? streak + 1 : 0;
    if (streak >= run) return i + 1 - run;
  }
  return Number.POSITIVE_INFINITY;
}

/** Share of pitched companion notes (every voice but percussion) whose pitch class is in `scale`. */
export function scaleShare(notes: readonly MeasuredNote[], scale: readonly number[]): number {
  const pitched = notes.filter((n) => n.voice !== 'percussion');
  if (pitched.length === 0) return Number.NaN;
  const inScale = pitched.filter((n) => scale.includes(((Math.round(n.pitch) % 12) + 12) % 12)).length;
  return inScale / pitched.length;
}

/**
 * The velocity of onsets smoothed with a Gaussian window (`width` seconds, standard deviation)
 * and sampled every `step` seconds over [from, to); a sample with no onset near it is NaN.
 */
export function smoothedVelocity(
  onsets: readonly { readonly t: Seconds; readonly velocity: number }[],
  from: Seconds,
  to: Seconds,
  step = 0.5,
  width = 1,
): number[] {
  const sorted = [...onsets].sort((a, b) => a.t - b.t);
  const out: number[] = [];
  let lo = 0;
  for (let t = from; t < to; t += step) {
    while (lo < sorted.length && (sorted[lo] as { t: number }).t < t - 3 * width) lo++;
    let sum = 0;
    let weight = 0;
    for (let i = lo; i < sorted.length && (sorted[i] as { t: number }).t <= t + 3 * width; i++) {
      const o = sorted[i] as { t: number; velocity: number };
      const w = Math.exp(-0.5 * ((o.t - t) / width) ** 2);
      sum += w * o.velocity;
      weight += w;
    }
    out.push(weight > 0.05 ? sum / weight : Number.NaN);
  }
  return out;
}

/** Pearson correlation of two series over the positions where both are numbers (NaN when flat). */
export function correlation(a: readonly number[], b: readonly number[]): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (Number.isFinite(x) && Number.isFinite(y)) {
      xs.push(x);
      ys.push(y);
    }
  }
  const n = xs.length;
  if (n < 3) return Number.NaN;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/** Share of the companion's sounding time that falls inside the client's phrases. */
export function overlapShare(
  phrases: readonly { readonly start: Seconds; readonly end: Seconds }[],
  notes: readonly MeasuredNote[],
): number {
  let total = 0;
  let inside = 0;
  for (const n of notes) {
    const end = n.start + n.duration;
    total += n.duration;
    for (const p of phrases) inside += Math.max(0, Math.min(end, p.end) - Math.max(n.start, p.start));
  }
  return total === 0 ? 0 : inside / total;
}

/**
 * For each phrase followed by a gap, how long after its end the companion's first onset in that
 * gap came (null when it did not answer before the next phrase).
 */
export function answerDelays(
  phrases: readonly { readonly start: Seconds; readonly end: Seconds }[],
  notes: readonly MeasuredNote[],
): Array<Seconds | null> {
  const onsets = onsetTimes(notes);
  return phrases.map((p, i) => {
    const next = phrases[i + 1]?.start ?? Number.POSITIVE_INFINITY;
    const first = onsets.find((t) => t >= p.end - 1e-6);
    return first !== undefined && first < next ? first - p.end : null;
  });
}

/**
 * Share of onsets within `tolerance` of a steady grid of `period` seconds, its phase fitted to the
 * onsets (the circular mean of their positions in the grid).
 */
export function gridShare(onsets: readonly Seconds[], period: Seconds, tolerance = 0.01): number {
  if (onsets.length === 0) return Number.NaN;
  let sx = 0;
  let sy = 0;
  for (const t of onsets) {
    const angle = (2 * Math.PI * t) / period;
    sx += Math.cos(angle);
    sy += Math.sin(angle);
  }
  const phase = ((Math.atan2(sy, sx) / (2 * Math.PI)) * period + period) % period;
  const near = onsets.filter((t) => {
    const r = (((t - phase) % period) + period) % period;
    return Math.min(r, period - r) <= tolerance;
  }).length;
  return near / onsets.length;
}

/** The median of a list of numbers, NaN for none. */
export function median(values: readonly number[]): number {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return Number.NaN;
  const mid = xs.length / 2;
  return xs.length % 2 === 1
    ? (xs[Math.floor(mid)] as number)
    : ((xs[mid - 1] as number) + (xs[mid] as number)) / 2;
}

/**
 * How far, in beats, one player's beats fell behind (or ran ahead of) the companion's at most,
 * beyond the offset they started with: 0 for a pair that stays together, 1 for a beat lost.
 */
export function beatsApart(client: readonly Seconds[], companion: readonly Seconds[]): number {
  if (client.length < 2 || companion.length < 2) return Number.NaN;
  const first = companion[0] as number;
  const last = companion[companion.length - 1] as number;
  let i = 0;
  const offsets: number[] = [];
  let k = 0;
  for (const t of client) {
    if (t < first || t > last) continue;
    while (i < companion.length - 2 && (companion[i + 1] as number) <= t) i++;
    const a = companion[i] as number;
    const b = companion[i + 1] as number;
    offsets.push(k - (i + (t - a) / (b - a)));
    k++;
  }
  if (offsets.length === 0) return Number.NaN;
  const start = offsets[0] as number;
  return Math.max(...offsets.map((o) => Math.abs(o - start)));
}
