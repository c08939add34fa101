/**
 * Exponential time-decay accumulators. Every onset heard at time t_i carries the weight
 * w_i(now) = exp(-(now - t_i) / tau); sums are kept relative to the latest onset, so each update
 * and each query is O(1) and the numbers stay small over an hour-long session.
 */
import type { Seconds } from '../time/index.ts';

/** A time-weighted mean and spread of a value: mean = Σ w_i x_i / Σ w_i. */
export class DecayingMean {
  private weight = 0;
  private sum = 0;
  private sumSquares = 0;
  private origin: Seconds | null = null;

  constructor(private readonly tau: Seconds) {}

  /** Adds a value observed at time t (t never earlier than the previous call). */
  add(t: Seconds, value: number): void {
    this.decayTo(t);
    this.weight += 1;
    this.sum += value;
    this.sumSquares += value * value;
  }

  /** Replaces the value last added (at the latest time) by another, as when a chord grows louder. */
  replaceLast(previous: number, value: number): void {
    this.sum += value - previous;
    this.sumSquares += value * value - previous * previous;
  }

  /** The weighted mean, or null before anything was added. Unchanged by time alone. */
  mean(): number | null {
    return this.weight > 0 ? this.sum / this.weight : null;
  }

  /** The weighted standard deviation (0 before two values). */
  sd(): number {
    if (this.weight <= 0) return 0;
    const m = this.sum / this.weight;
    return Math.sqrt(Math.max(0, this.sumSquares / this.weight - m * m));
  }

  /** Σ w_i at time now: the effective number of recent observations. */
  effectiveCount(now: Seconds): number {
    if (this.origin === null) return 0;
    return this.weight * Math.exp(-Math.max(0, now - this.origin) / this.tau);
  }

  private decayTo(t: Seconds): void {
    if (this.origin !== null) {
      const d = Math.exp(-Math.max(0, t - this.origin) / this.tau);
      this.weight *= d;
      this.sum *= d;
      this.sumSquares *= d;
    }
    this.origin = t;
  }
}

/**
 * A time-weighted least-squares line through (t_i, x_i); its slope is the trend in value units
 * per second. Uniform decay leaves the slope unchanged, so it holds between onsets.
 */
export class DecayingSlope {
  private w = 0;
  private st = 0;
  private stt = 0;
  private sx = 0;
  private stx = 0;
  private origin: Seconds | null = null;
  private count = 0;

  constructor(private readonly tau: Seconds) {}

  /** Adds a value observed at time t (t never earlier than the previous call). */
  add(t: Seconds, value: number): void {
    if (this.origin !== null) {
      const delta = Math.max(0, t - this.origin);
      const d = Math.exp(-delta / this.tau);
      this.w *= d;
      this.st *= d;
      this.stt *= d;
      this.sx *= d;
      this.stx *= d;
      // Move the time origin to t: sums over (t_i - origin) become sums over (t_i - t).
      this.stt = this.stt - 2 * delta * this.st + delta * delta * this.w;
      this.stx = this.stx - delta * this.sx;
      this.st = this.st - delta * this.w;
    }
    this.origin = t;
    this.w += 1;
    this.sx += value;
    this.count += 1;
  }

  /** Replaces the value last added (at the latest time) by another. */
  replaceLast(previous: number, value: number): void {
    // The latest point sits at the origin (t - origin = 0), so only Σ w x changes.
    this.sx += value - previous;
  }

  /** The slope in value units per second; 0 before three points or when they share one instant. */
  slope(): number {
    if (this.count < 3) return 0;
    const denominator = this.w * this.stt - this.st * this.st;
    if (!(denominator > 1e-9 * this.w * this.w)) return 0;
    return (this.w * this.stx - this.st * this.sx) / denominator;
  }
}

/** A decaying count: rate(now) = Σ exp(-(now - t_i)/tau) / tau events per second. */
export class DecayingRate {
  private sum = 0;
  private origin: Seconds | null = null;

  constructor(private readonly tau: Seconds) {}

  /** Counts one event at time t. */
  add(t: Seconds): void {
    if (this.origin !== null) this.sum *= Math.exp(-Math.max(0, t - this.origin) / this.tau);
    this.origin = t;
    this.sum += 1;
  }

  /** Events per second at time now; decays toward 0 when nothing more is added. */
  rate(now: Seconds): number {
    if (this.origin === null) return 0;
    return (this.sum * Math.exp(-Math.max(0, now - this.origin) / this.tau)) / this.tau;
  }
}
