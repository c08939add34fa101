/**
 * Onsets of a voice from its energy: the rise of the short-time level (dB) over its lowest point
 * of the last 30 ms, against a threshold that adapts to how much the level has been moving
 * lately. A sung syllable, a hummed re-attack or a clap rises by many dB within tens of
 * milliseconds; steady sound and the small ripples of room noise do not. After an onset the
 * threshold is raised for a while (the rise itself lifts its running mean), so one attack is one
 * onset. The onset time is where the rise began, not where it crossed the threshold.
 */
import type { Seconds } from '@attune/engine';

/** How the detector reads the level. */
export interface OnsetOptions {
  /** How far back the rise is measured from (seconds): the length of a quick attack. */
  readonly lookback?: Seconds;
  /** Smallest rise (dB) that can be an onset, however still the level has been. */
  readonly minRise?: number;
  /** The threshold is minRise plus this times the recent mean rise. */
  readonly adapt?: number;
  /** Time constant (seconds) of the recent mean rise. */
  readonly memory?: Seconds;
  /** No second onset within this time of the first (seconds). */
  readonly refractory?: Seconds;
}

/** The detector's settings; docs/INPUTS.md says why. */
export const ONSET_DEFAULTS = {
  lookback: 0.03,
  minRise: 6,
  adapt: 1.5,
  memory: 0.25,
  refractory: 0.06,
} as const satisfies Required<OnsetOptions>;

/** Levels below this (dB) are read as this: digital silence must not make every click an onset. */
const BOTTOM = -100;
/** A level within this of the lowest (dB) still counts as the bottom the rise starts from. */
const BOTTOM_WIDTH = 1.5;

/** Finds onsets in a sequence of short-time levels. */
export class OnsetDetector {
  private readonly options: Required<OnsetOptions>;
  private readonly levels: number[] = [];
  private readonly times: number[] = [];
  private readonly keep: number;
  private meanRise = 0;
  private readonly decay: number;
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    /** Seconds between levels. */
    readonly step: Seconds,
    options: OnsetOptions = {},
  ) {
    if (!(step > 0 && Number.isFinite(step))) throw new RangeError(`onset step must be > 0 s, got: ${step}`);
    this.options = { ...ONSET_DEFAULTS, ...options };
    this.keep = Math.max(2, Math.round(this.options.lookback / step) + 1);
    this.decay = Math.exp(-step / this.options.memory);
  }

  /** The rise (dB) an onset needs now. */
  get threshold(): number {
    return this.options.minRise + this.options.adapt * this.meanRise;
  }

  /**
   * Takes the level (dB) of the window ending at time `t`; returns the time the rise began when
   * this level completes an onset, else null.
   */
  update(t: Seconds, level: number): Seconds | null {
    const value = Math.max(BOTTOM, level);
    let lowest = Number.POSITIVE_INFINITY;
    for (const l of this.levels) lowest = Math.min(lowest, l);
    const rise = this.levels.length > 0 ? Math.max(0, value - lowest) : 0;
    const threshold = this.threshold;
    let found: Seconds | null = null;
    if (rise >= threshold && t - this.last >= this.options.refractory) {
      // The rise began after the last level still at the bottom.
      let from = 0;
      for (let i = this.levels.length - 1; i >= 0; i--) {
        if ((this.levels[i] as number) <= lowest + BOTTOM_WIDTH) {
          from = i;
          break;
        }
      }
      found = (this.times[from] as number) + this.step / 2;
      this.last = t;
    }
    this.meanRise = this.decay * this.meanRise + (1 - this.decay) * rise;
    this.levels.push(value);
    this.times.push(t);
    if (this.levels.length > this.keep) {
      this.levels.shift();
      this.times.shift();
    }
    return found;
  }
}
