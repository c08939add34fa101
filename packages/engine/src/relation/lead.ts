/**
 * Who leads: a Granger-style coupling estimate between two players' local tempo (or loudness).
 * Both are sampled on a regular grid. For each player, the change over the next horizon h is
 * compared with the other player's level h earlier, with the player's own level held fixed
 * (a partial correlation): a follower's next change goes toward where the other player is,
 * beyond what its own level predicts. A player merely drifting back to its own habit, or both
 * changing together, shows no following. Level offsets (one plays louder, or at double time)
 * cancel, because every statistic is taken about the weighted means.
 */
import type { Seconds } from '../time/index.ts';

/** The leader/follower index of a pair with its confidence. */
export interface Lead {
  /** In [-1, 1]: +1 when the first player leads (the second follows), −1 when the second leads, 0 neither. */
  index: number;
  /**
   * 0–1: the stronger of the two following correlations beyond twice its standard error under
   * no coupling, m = 2/√n for n = evidence / decorrelation: max(0, (|r| − m) / (1 − m)).
   */
  confidence: number;
  /** Seconds of paired samples the estimate stands on (weighted by the memory). */
  evidence: Seconds;
  /** Partial correlation of the second player's next change with the first's level (second follows first). */
  secondFollows: number;
  /** Partial correlation of the first player's next change with the second's level (first follows second). */
  firstFollows: number;
}

/** A neutral answer: no one leads, and nothing is known. */
export const NO_LEAD: Readonly<Lead> = Object.freeze({
  index: 0,
  confidence: 0,
  evidence: 0,
  secondFollows: 0,
  firstFollows: 0,
});

/** Settings of a {@link LeadEstimator}. */
export interface LeadOptions {
  /** Grid step between samples. */
  step: Seconds;
  /** Horizon h over which a player's change is measured after the levels are seen. */
  horizon: Seconds;
  /** Exponential memory of the sums (time constant); Infinity weighs the whole session equally. */
  memory: Seconds;
  /** Seconds of sampling per independent observation (tempo and loudness estimates are smooth). */
  decorrelation: Seconds;
  /**
   * The level a player is said to follow must vary by at least this much (standard deviation
   * beyond what the follower's own level explains), in the series' units; a near-constant level
   * carries no evidence however well its small wobbles correlate.
   */
  minSpread: number;
  /**
   * Jumps of a whole multiple of this span in one player's series are not changes (ln 2: a pulse
   * heard at double or half time is the same tempo); each series is unwrapped to stay
   * continuous. 0 for none.
   */
  fold: number;
}

function folded(value: number, span: number): number {
  if (span <= 0) return value;
  return value - span * Math.round(value / span);
}

// Indices of the four sampled variables: levels of a and b, then their changes.
const A = 0;
const B = 1;
const DA = 2;
const DB = 3;

/**
 * Estimates who leads from two series sampled on a grid, either value null when not known.
 * Feed `sample` once per grid step, in order.
 */
export class LeadEstimator {
  private readonly lag: number;
  private readonly decay: number;
  private readonly a: (number | null)[];
  private readonly b: (number | null)[];
  private n = 0;
  private w = 0;
  private refA: number | null = null;
  private refB: number | null = null;
  private readonly sums = new Float64Array(4);
  private readonly products = new Float64Array(16);
  private readonly u = new Float64Array(4);

  constructor(private readonly options: LeadOptions) {
    this.lag = Math.max(1, Math.round(options.horizon / options.step));
    this.decay = Number.isFinite(options.memory) ? Math.exp(-options.step / options.memory) : 1;
    this.a = new Array(this.lag + 1).fill(null);
    this.b = new Array(this.lag + 1).fill(null);
  }

  /** Adds the two players' values at the next grid point (null where a player's value is unknown). */
  sample(rawA: number | null, rawB: number | null): void {
    const span = this.options.fold;
    // Unwrap each series toward its own previous value: a level switch is not a change.
    const a = rawA === null ? null : this.refA === null ? rawA : this.refA + folded(rawA - this.refA, span);
    const b = rawB === null ? null : this.refB === null ? rawB : this.refB + folded(rawB - this.refB, span);
    if (a !== null) this.refA = a;
    if (b !== null) this.refB = b;
    const slot = this.n % (this.lag + 1);
    const past = (this.n + 1) % (this.lag + 1);
    this.a[slot] = a;
    this.b[slot] = b;
    this.n += 1;
    if (this.decay !== 1) {
      this.w *= this.decay;
      for (let i = 0; i < 4; i++) this.sums[i] = (this.sums[i] as number) * this.decay;
      for (let i = 0; i < 16; i++) this.products[i] = (this.products[i] as number) * this.decay;
    }
    if (this.n <= this.lag) return;
    const a0 = this.a[past];
    const b0 = this.b[past];
    if (a === null || b === null || a0 == null || b0 == null) return;
    const u = this.u;
    u[A] = a0;
    u[B] = b0;
    u[DA] = a - a0;
    u[DB] = b - b0;
    this.w += 1;
    for (let i = 0; i < 4; i++) {
      this.sums[i] = (this.sums[i] as number) + (u[i] as number);
      for (let j = i; j < 4; j++) {
        this.products[4 * i + j] = (this.products[4 * i + j] as number) + (u[i] as number) * (u[j] as number);
      }
    }
  }

  /** The index and confidence from the samples so far. */
  lead(): Lead {
    const w = this.w;
    const evidence = w * this.options.step;
    if (w < 3) return { ...NO_LEAD, evidence };
    const c = (i: number, j: number): number => {
      const [lo, hi] = i <= j ? [i, j] : [j, i];
      return (
        (this.products[4 * lo + hi] as number) / w -
        ((this.sums[i] as number) / w) * ((this.sums[j] as number) / w)
      );
    };
    const spread = this.options.minSpread;
    const secondFollows = partial(c, DB, A, B, spread);
    const firstFollows = partial(c, DA, B, A, spread);
    const scale = Math.abs(secondFollows) + Math.abs(firstFollows);
    if (scale < 1e-12) return { ...NO_LEAD, evidence };
    const index = Math.max(-1, Math.min(1, (secondFollows - firstFollows) / scale));
    const strength = Math.max(Math.abs(secondFollows), Math.abs(firstFollows));
    // Correlations of a few independent observations are large by chance: count only the excess.
    const margin = Math.min(1, 2 / Math.sqrt(evidence / this.options.decorrelation));
    const confidence = margin < 1 ? Math.max(0, (strength - margin) / (1 - margin)) : 0;
    return { index, confidence, evidence, secondFollows, firstFollows };
  }
}

/**
 * Partial correlation of x and y with z held fixed, from covariances; 0 when undefined or when
 * y's spread beyond z is under `spread`.
 */
function partial(
  c: (i: number, j: number) => number,
  x: number,
  y: number,
  z: number,
  spread: number,
): number {
  const zz = c(z, z);
  const xx = c(x, x) * zz - c(x, z) ** 2;
  const yy = c(y, y) * zz - c(y, z) ** 2;
  const scale = Math.max(c(x, x) * zz, c(y, y) * zz, 1e-300);
  // Variables that are (nearly) constant, or fully explained by z, carry no evidence.
  if (!(zz > 1e-14 && xx > 1e-9 * scale && yy > 1e-9 * scale)) return 0;
  if (yy / zz < spread * spread) return 0;
  const r = (c(x, y) * zz - c(x, z) * c(y, z)) / Math.sqrt(xx * yy);
  return Math.max(-1, Math.min(1, r));
}
