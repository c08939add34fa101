/**
 * Tempo induction: a leaky histogram of inter-onset intervals on a log-period axis, weighted by
 * the salience of both onsets. Its peaks are the periods worth trying as a beat.
 */
import type { Seconds } from '../time/index.ts';
import type { ClusterHistory } from './history.ts';

/** Relative width of one histogram bin (2%). */
const BIN_RATIO = 1.02;
const LOG_BIN = Math.log(BIN_RATIO);

/** A leaky inter-onset-interval histogram over periods in [minPeriod, maxPeriod]. */
export class PeriodHistogram {
  private readonly bins: Float64Array;
  private readonly smooth: Float64Array;
  /** The period at the centre of each bin. */
  private readonly centres: Float64Array;
  private readonly strengths: number[] = [];
  private lastTime: Seconds = Number.NEGATIVE_INFINITY;

  constructor(
    readonly minPeriod: Seconds,
    readonly maxPeriod: Seconds,
    /** Time constant of forgetting. */
    readonly memory: Seconds,
  ) {
    const n = Math.ceil(Math.log(maxPeriod / minPeriod) / LOG_BIN) + 1;
    this.bins = new Float64Array(n);
    this.smooth = new Float64Array(n);
    this.centres = new Float64Array(n);
    for (let i = 0; i < n; i++) this.centres[i] = minPeriod * BIN_RATIO ** i;
  }

  clear(): void {
    this.bins.fill(0);
    this.lastTime = Number.NEGATIVE_INFINITY;
  }

  /** Period at the centre of bin i. */
  periodOf(bin: number): Seconds {
    return this.centres[bin] ?? this.minPeriod * BIN_RATIO ** bin;
  }

  /** Adds the intervals from every remembered cluster to a new one at `t` with salience `s`. */
  add(t: Seconds, s: number, history: ClusterHistory): void {
    if (Number.isFinite(this.lastTime)) {
      const decay = Math.exp(-(t - this.lastTime) / this.memory);
      for (let i = 0; i < this.bins.length; i++) this.bins[i] = (this.bins[i] as number) * decay;
    }
    this.lastTime = t;
    const last = this.bins.length - 1;
    for (let i = history.firstAtOrAfter(t - this.maxPeriod); i < history.size; i++) {
      const ioi = t - history.time(i);
      if (ioi < this.minPeriod) break;
      const x = Math.log(ioi / this.minPeriod) / LOG_BIN;
      const lo = Math.floor(x);
      const frac = x - lo;
      const w = s * history.salience(i);
      if (lo >= 0 && lo <= last) this.bins[lo] = (this.bins[lo] as number) + w * (1 - frac);
      if (lo + 1 >= 0 && lo + 1 <= last) this.bins[lo + 1] = (this.bins[lo + 1] as number) + w * frac;
    }
  }

  /**
   * The `count` strongest periods, strongest first, written into `out` (which is returned with
   * its length set). A period's strength sums its own bin and, at half weight, its double's: a
   * beat recurs at two beats' distance too.
   */
  peaks(count: number, out: number[]): number[] {
    const bins = this.bins;
    const smooth = this.smooth;
    const n = bins.length;
    const octave = Math.round(Math.log(2) / LOG_BIN);
    for (let i = 0; i < n; i++) {
      const left = i > 0 ? (bins[i - 1] as number) : 0;
      const right = i + 1 < n ? (bins[i + 1] as number) : 0;
      const a = left * 0.5 + (bins[i] as number) + right * 0.5;
      const d = i + octave < n ? (bins[i + octave] as number) : 0;
      smooth[i] = a + 0.5 * d;
    }
    out.length = 0;
    const strengths = this.strengths;
    strengths.length = 0;
    for (let i = 1; i < n - 1; i++) {
      const v = this.smooth[i] as number;
      if (v <= 0 || v < (this.smooth[i - 1] as number) || v < (this.smooth[i + 1] as number)) continue;
      let at = strengths.length;
      while (at > 0 && (strengths[at - 1] as number) < v) at--;
      if (at >= count) continue;
      // Insert at `at`, dropping the weakest beyond `count` (in place: this runs at every seeding).
      let j = Math.min(strengths.length, count - 1);
      for (; j > at; j--) {
        strengths[j] = strengths[j - 1] as number;
        out[j] = out[j - 1] as number;
      }
      strengths[at] = v;
      out[at] = this.periodOf(i);
    }
    return out;
  }
}
