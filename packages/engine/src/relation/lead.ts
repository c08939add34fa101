/**
 * Who leads: a coupling estimate between two players' local tempo (or loudness). Sampled on a
 * regular grid, each player's next change over a horizon h is regressed on the difference
 * between the players h earlier. The player who moves toward the other is following; the one
 * the pair moves toward is leading. Level offsets (one plays louder, or at double time) cancel,
 * because the regressions use covariances about the weighted means.
 */
import type { Seconds } from '../time/index.ts';

/** The leader/follower index of a pair with its confidence. */
export interface Lead {
  /** In [-1, 1]: +1 when the first player leads (the second follows), −1 when the second leads, 0 neither. */
  index: number;
  /** 0–1: how well the players' changes are explained by following, and how much evidence there is. */
  confidence: number;
  /** Seconds of paired samples the estimate stands on (weighted by the memory). */
  evidence: Seconds;
}

/** A neutral answer: no one leads, and nothing is known. */
export const NO_LEAD: Readonly<Lead> = Object.freeze({ index: 0, confidence: 0, evidence: 0 });

/** Settings of a {@link LeadEstimator}. */
export interface LeadOptions {
  /** Grid step between samples. */
  step: Seconds;
  /** Horizon h over which a player's change is measured after the difference is seen. */
  horizon: Seconds;
  /** Exponential memory of the sums (time constant); Infinity weighs the whole session equally. */
  memory: Seconds;
  /** Seconds of evidence at which confidence reaches 1 − 1/e of what the fit allows. */
  evidenceScale: Seconds;
  /** Fold differences into ±half this span: log tempo compared up to doubling (ln 2); 0 for none. */
  fold: number;
}

function folded(value: number, span: number): number {
  if (span <= 0) return value;
  return value - span * Math.round(value / span);
}

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
  // Weighted sums of D (difference a − b at n − lag), Δa and Δb (changes from n − lag to n).
  private w = 0;
  private sd = 0;
  private sdd = 0;
  private sa = 0;
  private saa = 0;
  private sb = 0;
  private sbb = 0;
  private sda = 0;
  private sdb = 0;

  constructor(private readonly options: LeadOptions) {
    this.lag = Math.max(1, Math.round(options.horizon / options.step));
    this.decay = Number.isFinite(options.memory) ? Math.exp(-options.step / options.memory) : 1;
    this.a = new Array(this.lag + 1).fill(null);
    this.b = new Array(this.lag + 1).fill(null);
  }

  /** Adds the two players' values at the next grid point (null where a player's value is unknown). */
  sample(a: number | null, b: number | null): void {
    const slot = this.n % (this.lag + 1);
    const past = (this.n + 1) % (this.lag + 1);
    this.a[slot] = a;
    this.b[slot] = b;
    this.n += 1;
    this.w *= this.decay;
    this.sd *= this.decay;
    this.sdd *= this.decay;
    this.sa *= this.decay;
    this.saa *= this.decay;
    this.sb *= this.decay;
    this.sbb *= this.decay;
    this.sda *= this.decay;
    this.sdb *= this.decay;
    if (this.n <= this.lag) return;
    const a0 = this.a[past];
    const b0 = this.b[past];
    if (a === null || b === null || a0 === null || a0 === undefined || b0 === null || b0 === undefined)
      return;
    const span = this.options.fold;
    const d = folded(a0 - b0, span);
    const da = folded(a - a0, span);
    const db = folded(b - b0, span);
    this.w += 1;
    this.sd += d;
    this.sdd += d * d;
    this.sa += da;
    this.saa += da * da;
    this.sb += db;
    this.sbb += db * db;
    this.sda += d * da;
    this.sdb += d * db;
  }

  /** The index and confidence from the samples so far. */
  lead(): Lead {
    const w = this.w;
    const evidence = w * this.options.step;
    if (w < 2) return { ...NO_LEAD, evidence };
    const varD = this.sdd / w - (this.sd / w) ** 2;
    const varA = this.saa / w - (this.sa / w) ** 2;
    const varB = this.sbb / w - (this.sb / w) ** 2;
    const covA = this.sda / w - (this.sd / w) * (this.sa / w);
    const covB = this.sdb / w - (this.sd / w) * (this.sb / w);
    const scale = Math.abs(covA) + Math.abs(covB);
    if (!(varD > 1e-12 && varA + varB > 1e-12 && scale > 1e-15)) return { ...NO_LEAD, evidence };
    // The second player following the first moves with D (covB > 0); the first moving away
    // from the second also moves with D (covA > 0). Both mean the first leads.
    const index = Math.max(-1, Math.min(1, (covA + covB) / scale));
    const explained = Math.min(1, (covA * covA + covB * covB) / (varD * (varA + varB)));
    const confidence = Math.sqrt(explained) * (1 - Math.exp(-evidence / this.options.evidenceScale));
    return { index, confidence, evidence };
  }
}
