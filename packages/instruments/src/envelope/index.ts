/**
 * Volume envelopes in the SoundFont manner (delay, linear attack, hold, decay and release
 * falling at a constant rate in decibels) and the automation points that draw them. The same
 * points drive a Web Audio `GainNode` live and the offline mixer, so both sound alike.
 */
import type { Seconds } from '@attune/engine';

/** Stage times in seconds; `sustain` is the linear level held after the decay (0…1). */
export interface Envelope {
  readonly delay: Seconds;
  readonly attack: Seconds;
  readonly hold: Seconds;
  /** Seconds for the level to fall 100 dB; the decay stops at the sustain level. */
  readonly decay: Seconds;
  readonly sustain: number;
  /** Seconds for the level to fall 100 dB after the note is released. */
  readonly release: Seconds;
}

/** One automation event, as Web Audio draws it: `set` jumps, the ramps end at `t` with value `v`. */
export interface EnvelopePoint {
  readonly t: Seconds;
  readonly v: number;
  readonly ramp: 'set' | 'linear' | 'exp';
}

/** The level counted as silence: 100 dB below full scale. */
export const SILENT_LEVEL = 1e-5;

const MIN_TIMECENTS = -12000;

/**
 * Seconds of a SoundFont time in timecents; the specification's minimum (-12000 and below) is
 * taken as no time at all, so a zero-length stage does not delay the onset.
 * @example timecentsToSeconds(0) // 1
 */
export function timecentsToSeconds(timecents: number): Seconds {
  if (!Number.isFinite(timecents) || timecents <= MIN_TIMECENTS) return 0;
  return 2 ** (timecents / 1200);
}

/** Decibels of a linear level (-100 for silence). */
function toDb(level: number): number {
  return 20 * Math.log10(Math.max(SILENT_LEVEL, level));
}

/**
 * The automation points of an envelope starting at `start` scaled to `peak`, released at
 * `releaseAt` (null while the note is held), and the time the level reaches silence (Infinity
 * while held at a sustain above silence).
 * @example envelopePoints({ delay: 0, attack: 0, hold: 0, decay: 0, sustain: 1, release: 1 }, 2, 0.5, 3).end // 4
 */
export function envelopePoints(
  env: Envelope,
  start: Seconds,
  peak: number,
  releaseAt: Seconds | null,
): { points: EnvelopePoint[]; end: Seconds } {
  if (!(Number.isFinite(peak) && peak >= 0))
    throw new RangeError(`peak must be a finite level >= 0, got: ${peak}`);
  const held = heldPoints(env, start, peak);
  const heldEnd =
    env.sustain <= SILENT_LEVEL || peak === 0 ? (held.at(-1)?.t ?? start) : Number.POSITIVE_INFINITY;
  if (releaseAt === null || releaseAt >= heldEnd) return { points: held, end: heldEnd };
  const at = Math.max(start, releaseAt);
  const level = valueAt(held, at);
  const points = held.filter((p) => p.t < at);
  points.push({ t: at, v: level, ramp: 'set' });
  // The release falls at the envelope's constant rate in decibels, from wherever it was.
  const relative = peak > 0 ? level / peak : 0;
  const span = (env.release * Math.max(0, toDb(relative) + 100)) / 100;
  const end = at + span;
  if (span > 0 && level > 0) points.push({ t: end, v: SILENT_LEVEL * peak, ramp: 'exp' });
  return { points, end };
}

function heldPoints(env: Envelope, start: Seconds, peak: number): EnvelopePoint[] {
  const points: EnvelopePoint[] = [];
  const attackStart = start + env.delay;
  if (env.attack > 0) {
    points.push({ t: start, v: 0, ramp: 'set' });
    if (env.delay > 0) points.push({ t: attackStart, v: 0, ramp: 'set' });
    points.push({ t: attackStart + env.attack, v: peak, ramp: 'linear' });
  } else {
    points.push({ t: start, v: env.delay > 0 ? 0 : peak, ramp: 'set' });
    if (env.delay > 0) points.push({ t: attackStart, v: peak, ramp: 'set' });
  }
  const decayStart = attackStart + env.attack + env.hold;
  const sustain = Math.max(SILENT_LEVEL, Math.min(1, env.sustain));
  if (sustain < 1 && peak > 0) {
    if (env.hold > 0) points.push({ t: decayStart, v: peak, ramp: 'set' });
    const span = (env.decay * -toDb(sustain)) / 100;
    if (span > 0) points.push({ t: decayStart + span, v: sustain * peak, ramp: 'exp' });
    else points.push({ t: decayStart, v: sustain * peak, ramp: 'set' });
  }
  return points;
}

/**
 * The level of an automation curve at time `t`, with Web Audio's rules: before the first point
 * the first value, a ramp runs from the previous point's time and value to its own.
 */
export function valueAt(points: readonly EnvelopePoint[], t: Seconds): number {
  const first = points[0];
  if (!first || t < first.t) return first?.v ?? 0;
  for (let i = 1; i < points.length; i++) {
    const p = points[i]!;
    if (t >= p.t) continue;
    const q = points[i - 1]!;
    if (p.ramp === 'set') return q.v;
    const x = (t - q.t) / (p.t - q.t);
    if (p.ramp === 'linear') return q.v + (p.v - q.v) * x;
    if (q.v <= 0 || p.v <= 0) return q.v;
    return q.v * (p.v / q.v) ** x;
  }
  return points.at(-1)!.v;
}
