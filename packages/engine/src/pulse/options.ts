/** The tuning of the pulse tracker, with defaults measured on real drumming and piano playing. */
import type { Bpm, Seconds } from '../time/index.ts';

/** Tuning of the pulse tracker; every field has a default. */
export interface PulseOptions {
  /** Slowest and fastest tempo considered. */
  minBpm: Bpm;
  maxBpm: Bpm;
  /** Centre of the preferred tactus. */
  preferredBpm: Bpm;
  /** Spread of the tactus preference, in octaves (standard deviation of log2 tempo). */
  preferenceWidth: number;
  /** How strongly the preference weighs against the evidence (exponent; 0 ignores it). */
  preferenceWeight: number;
  /** Notes closer than this to the first of a group sound as one onset. */
  clusterWindow: Seconds;
  /** Share of a beat's timing error taken into the phase, and into the period. */
  phaseGain: number;
  periodGain: number;
  /** Matching window around a predicted beat: this share of the period, within [minWindow, maxWindow]. */
  windowShare: number;
  minWindow: Seconds;
  maxWindow: Seconds;
  /**
   * The gains and window for pitched playing (piano, melody), which breathes more than drumming
   * does; the tracker blends these with the ones above by the share of drum strokes it hears.
   */
  pitchedPhaseGain: number;
  pitchedPeriodGain: number;
  pitchedWindowShare: number;
  pitchedMaxWindow: Seconds;
  /** Weight of the newest beat in a hypothesis's running strength. */
  beatWeight: number;
  /** Largest number of competing hypotheses. */
  hypotheses: number;
  /** Beats a new hypothesis is judged on, looking back. */
  inductionBeats: number;
  /** Forgetting time of the inter-onset-interval histogram. */
  histogramMemory: Seconds;
  /** The pulse is held through silence this long, or this many beats if longer, then let go. */
  holdSeconds: Seconds;
  holdBeats: number;
  /**
   * A rival must beat the chosen hypothesis by this share to take over (drumming: a drummer to a
   * click keeps the beat, and a rival is mostly a fill or a syncopation)...
   */
  switchMargin: number;
  /** ...by this share in pitched playing, whose pulse moves more (blended by the share of drum strokes)... */
  pitchedSwitchMargin: number;
  /** ...and by this share when it is a metrical relative (double, half, triple) of it. */
  levelMargin: number;
  /** Onset clusters per beat of the tactus beyond which a slower pulse is doubted (real playing has 1 to 6). */
  onsetsPerBeat: number;
  /** How fast that doubt grows, in octaves of excess; 0 or less ignores it. */
  onsetsPerBeatWidth: number;
  /** How much where drum strokes fall within the beat counts (0 ignores it). */
  positionWeight: number;
  /** Fading time of that evidence. */
  positionMemory: Seconds;
  /** Beats are committed only while confidence is at least this. */
  minConfidence: number;
}

/** The defaults, tuned on drummers playing to a click and on expressive piano. */
export const DEFAULT_PULSE_OPTIONS: Readonly<PulseOptions> = Object.freeze({
  minBpm: 30,
  maxBpm: 240,
  preferredBpm: 120,
  preferenceWidth: 0.9,
  preferenceWeight: 1,
  clusterWindow: 0.04,
  phaseGain: 0.5,
  periodGain: 0.15,
  windowShare: 0.18,
  minWindow: 0.04,
  maxWindow: 0.16,
  pitchedPhaseGain: 0.8,
  pitchedPeriodGain: 0.5,
  pitchedWindowShare: 0.3,
  pitchedMaxWindow: 0.25,
  beatWeight: 0.15,
  hypotheses: 24,
  inductionBeats: 8,
  histogramMemory: 6,
  holdSeconds: 4,
  holdBeats: 3,
  switchMargin: 0.4,
  pitchedSwitchMargin: 0.1,
  levelMargin: 0.35,
  minConfidence: 0.15,
  onsetsPerBeat: 3.5,
  onsetsPerBeatWidth: 1.2,
  positionWeight: 1.5,
  positionMemory: 8,
});
