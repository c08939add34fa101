/**
 * The recent onset clusters a pulse tracker looks back over: a fixed ring of times and
 * saliences, so hearing an onset never allocates.
 */
import type { Seconds } from '../time/index.ts';
import { POSITIONS } from './salience.ts';

/** Closeness of an onset `error` seconds from a beat whose matching window is ±`window`. */
export function closeness(error: Seconds, window: Seconds): number {
  if (Math.abs(error) > window) return 0;
  const z = error / (0.5 * window);
  return Math.exp(-0.5 * z * z);
}

/** A ring of the most recent onset clusters, oldest first. */
export class ClusterHistory {
  private readonly times: Float64Array;
  private readonly saliences: Float64Array;
  /** Per cluster, POSITIONS log ratios of where its drum strokes put the beat. */
  readonly evidence: Float64Array;
  private readonly strokes: Float64Array;
  private start = 0;
  private count = 0;
  /** Drum strokes behind the position evidence of all remembered clusters. */
  private totalStrokes = 0;
  /** Per cluster, the largest of its position log ratios: no reading of it says more. */
  private readonly peaks: Float64Array;
  /**
   * The clusters seen from one anchor, by cluster index: their fades, and from each index on the
   * sums of fade × strokes and fade × peak. Every hypothesis tried at an anchor reads the same
   * ones, so each is computed once (see {@link fades}, {@link strokeBound}).
   */
  private readonly fadeCache: Float64Array;
  private readonly strokeSums: Float64Array;
  private readonly peakSums: Float64Array;
  private fadeAnchor: Seconds = Number.NaN;
  private fadeMemory: Seconds = Number.NaN;
  /** The cache holds the clusters from this index on; size when it holds none. */
  private fadeFrom = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.saliences = new Float64Array(capacity);
    this.evidence = new Float64Array(capacity * POSITIONS);
    this.strokes = new Float64Array(capacity);
    this.peaks = new Float64Array(capacity);
    this.fadeCache = new Float64Array(capacity);
    this.strokeSums = new Float64Array(capacity + 1);
    this.peakSums = new Float64Array(capacity + 1);
  }

  /** Where the i-th cluster (0 the oldest) is stored: a ring, read without a division. */
  private slot(i: number): number {
    const at = this.start + i;
    return at >= this.capacity ? at - this.capacity : at;
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
    this.totalStrokes = 0;
    this.fadeAnchor = Number.NaN;
  }

  /** Whether any remembered cluster holds drum strokes. */
  get hasStrokes(): boolean {
    return this.totalStrokes > 0;
  }

  push(t: Seconds, salience: number, evidence: Float64Array, strokes: number): void {
    this.fadeAnchor = Number.NaN;
    const at = this.slot(this.count);
    if (this.count === this.capacity) this.totalStrokes -= this.strokes[at] as number;
    this.totalStrokes += strokes;
    this.times[at] = t;
    this.saliences[at] = salience;
    this.evidence.set(evidence, at * POSITIONS);
    this.strokes[at] = strokes;
    let peak = 0;
    if (strokes > 0) {
      // Started from a ratio, not from −∞: the compiler keeps a plain double then, unboxed.
      peak = evidence[0] as number;
      for (let k = 1; k < POSITIONS; k++) peak = Math.max(peak, evidence[k] as number);
    }
    this.peaks[at] = peak;
    if (this.count < this.capacity) this.count++;
    else this.start = this.slot(1);
  }

  /** Time of the i-th cluster, 0 the oldest. */
  time(i: number): Seconds {
    return this.times[this.slot(i)] as number;
  }

  salience(i: number): number {
    return this.saliences[this.slot(i)] as number;
  }

  /** Where the i-th cluster's position evidence starts in {@link evidence}. */
  evidenceOffset(i: number): number {
    return this.slot(i) * POSITIONS;
  }

  /** How many drum strokes gave the i-th cluster's position evidence. */
  strokesOf(i: number): number {
    return this.strokes[this.slot(i)] as number;
  }

  /**
   * The fades `exp(−(anchor − t) / memory)` of the clusters from index `from` on, by cluster
   * index; valid until the next push or clear. Repeated calls for the same anchor reuse them.
   */
  fades(anchor: Seconds, memory: Seconds, from: number): Float64Array {
    if (anchor !== this.fadeAnchor || memory !== this.fadeMemory) {
      this.fadeAnchor = anchor;
      this.fadeMemory = memory;
      this.fadeFrom = this.count;
      this.strokeSums[this.count] = 0;
      this.peakSums[this.count] = 0;
    }
    for (let i = this.fadeFrom - 1; i >= from; i--) {
      const at = this.slot(i);
      const fade = Math.exp(-(anchor - (this.times[at] as number)) / memory);
      this.fadeCache[i] = fade;
      this.strokeSums[i] = fade * (this.strokes[at] as number) + (this.strokeSums[i + 1] as number);
      this.peakSums[i] = fade * (this.peaks[at] as number) + (this.peakSums[i + 1] as number);
    }
    if (from < this.fadeFrom) this.fadeFrom = from;
    return this.fadeCache;
  }

  /**
   * An upper bound on the mean position evidence per stroke that any reading of the clusters from
   * index `from` on can give, seen from `anchor` (see Hypothesis.positionScore): each cluster's
   * evidence at most its peak, the same shrinkage toward 0.
   */
  strokeBound(anchor: Seconds, memory: Seconds, from: number): number {
    this.fades(anchor, memory, from);
    return (this.peakSums[from] as number) / ((this.strokeSums[from] as number) + 2);
  }

  /** Index of the first cluster at or after `t` (size when none). */
  firstAtOrAfter(t: Seconds): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.time(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the most salient cluster within ±`window` of `t` at least `floor` salient, or −1. */
  firmestNear(t: Seconds, window: Seconds, floor: number): number {
    let best = -1;
    let bestSalience = floor;
    for (let i = this.firstAtOrAfter(t - window); i < this.count; i++) {
      if (this.time(i) > t + window) break;
      const s = this.salience(i);
      if (s >= bestSalience) {
        bestSalience = s;
        best = i;
      }
    }
    return best;
  }
}
