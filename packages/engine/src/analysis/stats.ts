/** Linear-time summaries the analysis keeps while it streams through a recording. */

/** Counts of whole numbers 0–127 (velocities, pitches): mean, spread and percentiles in one pass. */
export class Histogram {
  private readonly counts = new Float64Array(128);
  private n = 0;
  private sum = 0;
  private sumSquares = 0;
  private low = Number.POSITIVE_INFINITY;
  private high = Number.NEGATIVE_INFINITY;

  /** Adds a value (fractional values are kept exactly in the mean and extremes, binned to the nearest whole number). */
  add(value: number): void {
    const bin = Math.max(0, Math.min(127, Math.round(value)));
    this.counts[bin] = (this.counts[bin] as number) + 1;
    this.n += 1;
    this.sum += value;
    this.sumSquares += value * value;
    if (value < this.low) this.low = value;
    if (value > this.high) this.high = value;
  }

  /** How many values were added. */
  get count(): number {
    return this.n;
  }

  /** The mean, or null without values. */
  mean(): number | null {
    return this.n > 0 ? this.sum / this.n : null;
  }

  /** The standard deviation (population), or null without values. */
  sd(): number | null {
    if (this.n === 0) return null;
    const m = this.sum / this.n;
    return Math.sqrt(Math.max(0, this.sumSquares / this.n - m * m));
  }

  /** The smallest value, or null. */
  min(): number | null {
    return this.n > 0 ? this.low : null;
  }

  /** The largest value, or null. */
  max(): number | null {
    return this.n > 0 ? this.high : null;
  }

  /** The smallest bin with at least share q (0–1) of the values at or below it. */
  quantile(q: number): number | null {
    if (this.n === 0) return null;
    const target = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let bin = 0; bin < 128; bin++) {
      seen += this.counts[bin] as number;
      if (seen >= target) return bin;
    }
    return 127;
  }
}

/** Mean, spread and count of a stream of numbers. */
export class Moments {
  private n = 0;
  private sum = 0;
  private sumSquares = 0;

  /** Adds a value. */
  add(value: number): void {
    this.n += 1;
    this.sum += value;
    this.sumSquares += value * value;
  }

  /** How many values were added. */
  get count(): number {
    return this.n;
  }

  /** The mean, or null without values. */
  mean(): number | null {
    return this.n > 0 ? this.sum / this.n : null;
  }

  /** Coefficient of variation sd / mean, or null without values or with a zero mean. */
  cv(): number | null {
    if (this.n < 2 || this.sum === 0) return null;
    const m = this.sum / this.n;
    return Math.sqrt(Math.max(0, this.sumSquares / this.n - m * m)) / Math.abs(m);
  }
}

/** The median of a list of numbers (null when empty); sorts a copy. */
export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  // A typed array sorts numbers in place without calling out for each comparison: an hour's
  // tempo samples are sorted in a fraction of the time a plain array with a comparator takes.
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
