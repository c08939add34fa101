/**
 * How a simulated player realises its intents: motor noise in timing (independent jitter plus
 * a slowly wandering, lag-1 correlated drift, as real players show) and dynamics (a base level
 * with crescendo and diminuendo curves, accents and random spread).
 */
import type { Rng } from '../random/index.ts';
import type { Beats, Seconds, Velocity } from '../time/index.ts';
import { assertPositive, assertRange } from '../time/index.ts';

/**
 * One stretch of a dynamics curve: the level moves linearly from `from` (default: where the
 * previous stretch ended) to `to` (default: its start level) over `beats`. A rising `to` is a
 * crescendo, a falling one a diminuendo.
 */
export interface DynamicsSegment {
  readonly beats: Beats;
  readonly from?: Velocity;
  readonly to?: Velocity;
}

/**
 * The velocity level at each beat position of a base level and its dynamics segments; after
 * the last segment the level holds.
 * @example createDynamics(60, [{ beats: 8, to: 100 }])(4) // 80
 */
export function createDynamics(
  base: Velocity,
  segments: readonly DynamicsSegment[] = [],
): (pos: Beats) => number {
  assertRange('velocity', base, 1, 127);
  const pieces: Array<{ b0: Beats; beats: Beats; a: number; c: number }> = [];
  let b0 = 0;
  let level = base;
  segments.forEach((s, i) => {
    assertPositive(`dynamics[${i}].beats`, s.beats);
    if (s.from !== undefined) assertRange(`dynamics[${i}].from`, s.from, 1, 127);
    if (s.to !== undefined) assertRange(`dynamics[${i}].to`, s.to, 1, 127);
    const a = s.from ?? level;
    const c = s.to ?? a;
    pieces.push({ b0, beats: s.beats, a, c });
    b0 += s.beats;
    level = c;
  });
  return (pos) => {
    if (pos < 0) return base;
    const p = pieces.find((q) => pos < q.b0 + q.beats);
    if (p === undefined) return level;
    return p.a + ((p.c - p.a) * (pos - p.b0)) / p.beats;
  };
}

/** A velocity from a level, spread by a normal draw, rounded and kept within 1–127. */
export function drawVelocity(level: number, sd: number, rng: Rng): Velocity {
  const v = sd > 0 ? rng.normal(level, sd) : level;
  return Math.min(127, Math.max(1, Math.round(v)));
}

/** The motor noise of a player, in milliseconds. */
export interface MotorNoise {
  /** Independent timing jitter of each onset (standard deviation, ms). */
  readonly jitterMs: number;
  /** Standard deviation of the slow drift around the intended beat (ms); 0 for none. */
  readonly driftMs: number;
  /** Lag-1 correlation of the drift from one beat to the next, in [0, 1). */
  readonly driftCorrelation: number;
}

/**
 * Timing errors of a player: a drift that moves from beat to beat as a lag-1 autoregressive
 * process (stationary, with the given spread), interpolated between beats, plus independent
 * jitter per onset. Beats must be asked in increasing order for the drift to be reproducible.
 */
export function createMotor(noise: MotorNoise, rng: Rng): { offset(pos: Beats): Seconds } {
  const drift: number[] = [];
  const rho = noise.driftCorrelation;
  const driftAt = (k: number): number => {
    if (noise.driftMs === 0 || k < 0) return 0;
    while (drift.length <= k) {
      const prev = drift[drift.length - 1];
      // A new drift value keeps rho of the last one and adds fresh noise so the spread stays driftMs.
      drift.push(
        prev === undefined
          ? rng.normal(0, noise.driftMs)
          : rho * prev + Math.sqrt(1 - rho * rho) * rng.normal(0, noise.driftMs),
      );
    }
    return drift[k]!;
  };
  return {
    offset(pos) {
      const k = Math.floor(pos);
      const f = pos - k;
      const d = f === 0 ? driftAt(k) : (1 - f) * driftAt(k) + f * driftAt(k + 1);
      const j = noise.jitterMs > 0 ? rng.normal(0, noise.jitterMs) : 0;
      return (d + j) / 1000;
    },
  };
}

/** Checks motor noise settings, naming the bad value. */
export function checkMotorNoise(noise: MotorNoise): void {
  assertRange('jitterMs', noise.jitterMs, 0, 1000);
  assertRange('driftMs', noise.driftMs, 0, 1000);
  assertRange('driftCorrelation', noise.driftCorrelation, 0, 0.999);
}
