/**
 * Synchrony: how closely two players' near-coincident onsets line up. When an onset (chords
 * once) arrives, it is paired with the other player's latest onset if that one is still unpaired
 * and close enough; each pair gives one asynchrony, first player's time minus second's.
 */
import type { Seconds } from '../time/index.ts';

/** Asynchrony of a pair of players over their near-coincident onsets, in milliseconds. */
export interface Synchrony {
  /** Pairs of near-coincident onsets found. */
  pairs: number;
  /** Mean of (first player's onset − second player's onset), ms: negative when the first plays ahead. */
  meanSigned: number;
  /** Mean of |asynchrony|, ms. */
  meanAbsolute: number;
  /** Standard deviation of the signed asynchrony, ms. */
  sd: number;
  /** Share of the sparser player's onsets that found a partner (0–1). */
  coincidence: number;
  /** 0–1: 1 − exp(−pairs/20), how many pairs the means stand on. */
  confidence: number;
}

/** A neutral answer: no pairs. */
export const NO_SYNCHRONY: Readonly<Synchrony> = Object.freeze({
  pairs: 0,
  meanSigned: 0,
  meanAbsolute: 0,
  sd: 0,
  coincidence: 0,
  confidence: 0,
});

/** Running sums of the asynchronies of one pair, with an exponential memory. */
export class SynchronyMeter {
  private lastA: Seconds | null = null;
  private lastB: Seconds | null = null;
  private pairedA: Seconds | null = null;
  private pairedB: Seconds | null = null;
  private onsetsA = 0;
  private onsetsB = 0;
  private count = 0;
  private w = 0;
  private sum = 0;
  private sumAbs = 0;
  private sumSq = 0;
  private origin: Seconds | null = null;

  /** @param memory time constant of the weighting (Infinity: the whole session counts equally). */
  constructor(private readonly memory: Seconds) {}

  /**
   * Hears a new onset cluster of the first (`side` 'a') or second player at time t; `window`
   * is the largest asynchrony that still counts as playing together.
   */
  hear(side: 'a' | 'b', t: Seconds, window: Seconds): void {
    if (side === 'a') {
      this.onsetsA += 1;
      this.lastA = t;
      const other = this.lastB;
      if (other !== null && other !== this.pairedB && t - other <= window) {
        this.pairedB = other;
        this.pairedA = t;
        this.add(t, t - other);
      }
    } else {
      this.onsetsB += 1;
      this.lastB = t;
      const other = this.lastA;
      if (other !== null && other !== this.pairedA && t - other <= window) {
        this.pairedA = other;
        this.pairedB = t;
        this.add(t, other - t);
      }
    }
  }

  /** The synchrony so far. */
  synchrony(): Synchrony {
    if (this.count === 0 || this.w <= 0) return { ...NO_SYNCHRONY };
    const mean = this.sum / this.w;
    const sparser = Math.min(this.onsetsA, this.onsetsB);
    return {
      pairs: this.count,
      meanSigned: 1000 * mean,
      meanAbsolute: (1000 * this.sumAbs) / this.w,
      sd: 1000 * Math.sqrt(Math.max(0, this.sumSq / this.w - mean * mean)),
      coincidence: sparser > 0 ? Math.min(1, this.count / sparser) : 0,
      confidence: 1 - Math.exp(-this.count / 20),
    };
  }

  private add(t: Seconds, asynchrony: Seconds): void {
    if (this.origin !== null && Number.isFinite(this.memory)) {
      const d = Math.exp(-Math.max(0, t - this.origin) / this.memory);
      this.w *= d;
      this.sum *= d;
      this.sumAbs *= d;
      this.sumSq *= d;
    }
    this.origin = t;
    this.count += 1;
    this.w += 1;
    this.sum += asynchrony;
    this.sumAbs += Math.abs(asynchrony);
    this.sumSq += asynchrony * asynchrony;
  }
}
