/**
 * Beat-tracking scores against annotated beats, as the mir_eval library defines them
 * (mir_eval.beat, after Davies, Degara and Plumbley 2009): F-measure, Cemgil, P-score and the
 * continuity scores CMLc, CMLt, AMLc, AMLt. Each function follows mir_eval's arithmetic step by
 * step, so a figure here can be compared with a figure in the literature.
 */
import type { Seconds } from '../time/index.ts';

/** Beats before this time are ignored: listeners need a few seconds to find the pulse. */
export const DEFAULT_IGNORE_BEFORE: Seconds = 5;

/** Tunable thresholds; the defaults are mir_eval's. */
export interface BeatScoreOptions {
  /** Beats before this time are dropped from both sequences (mir_eval `trim_beats`). Default 5 s. */
  ignoreBefore: Seconds;
  /** Half-width of the F-measure hit window. Default 0.07 s. */
  fMeasureWindow: Seconds;
  /** Standard deviation of Cemgil's Gaussian error window. Default 0.04 s. */
  cemgilSigma: Seconds;
  /** P-score window as a share of the median inter-beat interval. Default 0.2. */
  pScoreThreshold: number;
  /** Continuity: largest beat error as a share of the beat period. Default 0.175. */
  phaseThreshold: number;
  /** Continuity: largest relative difference between the two inter-beat intervals. Default 0.175. */
  periodThreshold: number;
}

const DEFAULTS: BeatScoreOptions = {
  ignoreBefore: DEFAULT_IGNORE_BEFORE,
  fMeasureWindow: 0.07,
  cemgilSigma: 0.04,
  pScoreThreshold: 0.2,
  phaseThreshold: 0.175,
  periodThreshold: 0.175,
};

/** Every beat score for one estimate against one reference; each is 0..1 (P-score may exceed 1 only for duplicated beats). */
export interface BeatScores {
  fMeasure: number;
  /** Cemgil accuracy at the annotated metrical level. */
  cemgil: number;
  /** Cemgil accuracy at the best of the annotated, off-beat, double and half levels. */
  cemgilBest: number;
  pScore: number;
  /** Longest continuously correct stretch at the annotated level, as a share of the beats. */
  cmlc: number;
  /** Share of correct beats at the annotated level. */
  cmlt: number;
  /** Like CMLc, allowing off-beat, double and half tempo. */
  amlc: number;
  /** Like CMLt, allowing off-beat, double and half tempo. */
  amlt: number;
}

/**
 * All beat scores of `estimated` against `reference`, after dropping beats before
 * `ignoreBefore` (5 s) from both. Inputs are sorted first; empty inputs score 0.
 * @example beatScores([5, 5.5, 6, 6.5], [5, 5.5, 6, 6.5]).fMeasure // 1
 */
export function beatScores(
  reference: readonly Seconds[],
  estimated: readonly Seconds[],
  options: Partial<BeatScoreOptions> = {},
): BeatScores {
  const o = { ...DEFAULTS, ...options };
  const ref = trimBeats(prepare('reference', reference), o.ignoreBefore);
  const est = trimBeats(prepare('estimated', estimated), o.ignoreBefore);
  const cemgil = cemgilScores(ref, est, o.cemgilSigma);
  return {
    fMeasure: beatFMeasure(ref, est, o.fMeasureWindow),
    cemgil: cemgil.cemgil,
    cemgilBest: cemgil.cemgilBest,
    pScore: pScore(ref, est, o.pScoreThreshold),
    ...continuity(ref, est, o.phaseThreshold, o.periodThreshold),
  };
}

/**
 * The mean of each score over several pieces, or all zeros for none.
 * @example meanBeatScores([a, b]).fMeasure // (a.fMeasure + b.fMeasure) / 2
 */
export function meanBeatScores(scores: readonly BeatScores[]): BeatScores {
  const sum: BeatScores = {
    fMeasure: 0,
    cemgil: 0,
    cemgilBest: 0,
    pScore: 0,
    cmlc: 0,
    cmlt: 0,
    amlc: 0,
    amlt: 0,
  };
  const keys = Object.keys(sum) as Array<keyof BeatScores>;
  for (const s of scores) for (const k of keys) sum[k] += s[k];
  if (scores.length > 0) for (const k of keys) sum[k] /= scores.length;
  return sum;
}

/**
 * The beats at or after `minTime` (mir_eval `trim_beats`).
 * @example trimBeats([1, 4.9, 5, 6]) // [5, 6]
 */
export function trimBeats(beats: readonly Seconds[], minTime: Seconds = DEFAULT_IGNORE_BEFORE): Seconds[] {
  return beats.filter((b) => b >= minTime);
}

/**
 * F-measure of beat hits: an estimated beat is a hit when it lies within `window` of a reference
 * beat, each beat used at most once (maximum matching). 0 when either list is empty.
 * @example beatFMeasure([1, 2, 3], [1.05, 2, 3.2]) // 2/3
 */
export function beatFMeasure(
  reference: readonly Seconds[],
  estimated: readonly Seconds[],
  window: Seconds = DEFAULTS.fMeasureWindow,
): number {
  if (reference.length === 0 || estimated.length === 0) return 0;
  const ref = sorted(reference);
  const est = sorted(estimated);
  const matched = countMatches(ref, est, window);
  const precision = matched / est.length;
  const recall = matched / ref.length;
  if (precision === 0 && recall === 0) return 0;
  return (2 * precision * recall) / (precision + recall);
}

/**
 * Size of a maximum matching between sorted reference and estimated times where a pair matches
 * when the reference lies in [e - window, e + window]. Each time's partners form a run that
 * moves forward with it, so matching every reference to its earliest free partner is maximal.
 */
function countMatches(ref: readonly Seconds[], est: readonly Seconds[], window: Seconds): number {
  let matched = 0;
  let j = 0;
  for (const r of ref) {
    while (j < est.length && r > (est[j] as number) + window) j++;
    if (j >= est.length) break;
    if (r >= (est[j] as number) - window) {
      matched++;
      j++;
    }
  }
  return matched;
}

/**
 * Cemgil's accuracy: a Gaussian (sigma 40 ms) of each reference beat's distance to the nearest
 * estimated beat, summed and divided by the mean of the two beat counts. `cemgilBest` is the best
 * over the annotated, off-beat, double and both half-tempo levels. 0 when either list is empty.
 * @example cemgilScores([1, 2], [1, 2]).cemgil // 1
 */
export function cemgilScores(
  reference: readonly Seconds[],
  estimated: readonly Seconds[],
  sigma: Seconds = DEFAULTS.cemgilSigma,
): { cemgil: number; cemgilBest: number } {
  if (reference.length === 0 || estimated.length === 0) return { cemgil: 0, cemgilBest: 0 };
  const est = sorted(estimated);
  const accuracies = metricalVariations(sorted(reference)).map((variation) => {
    let accuracy = 0;
    for (const beat of variation) {
      let nearest = Number.POSITIVE_INFINITY;
      for (const e of est) nearest = Math.min(nearest, Math.abs(beat - e));
      accuracy += Math.exp(-(nearest * nearest) / (2 * sigma * sigma));
    }
    return accuracy / (0.5 * (est.length + variation.length));
  });
  return { cemgil: accuracies[0] ?? 0, cemgilBest: Math.max(...accuracies) };
}

/**
 * McKinney's P-score: beats quantised to 10 ms impulse trains, cross-correlated within ±20% of
 * the median reference interval, divided by the larger beat count. 0 when either list has fewer
 * than two beats.
 * @example pScore([1, 2, 3], [1, 2, 3]) // 1
 */
export function pScore(
  reference: readonly Seconds[],
  estimated: readonly Seconds[],
  threshold: number = DEFAULTS.pScoreThreshold,
): number {
  if (reference.length <= 1 || estimated.length <= 1) return 0;
  const ref = sorted(reference);
  const est = sorted(estimated);
  const offset = Math.min(est[0] as number, ref[0] as number);
  // Impulse trains at 100 Hz: an impulse sits on the first 10 ms frame at or after the beat.
  const refFrames = uniqueFrames(ref, offset);
  const estFrames = uniqueFrames(est, offset);
  const intervals: number[] = [];
  for (let i = 1; i < refFrames.length; i++)
    intervals.push((refFrames[i] as number) - (refFrames[i - 1] as number));
  // With every reference beat in one frame there is no interval; the window is then that frame alone.
  const window = intervals.length === 0 ? 0 : roundHalfEven(threshold * median(intervals));
  let pairs = 0;
  let start = 0;
  for (const r of refFrames) {
    while (start < estFrames.length && (estFrames[start] as number) < r - window) start++;
    for (let j = start; j < estFrames.length && (estFrames[j] as number) <= r + window; j++) pairs++;
  }
  return pairs / Math.max(est.length, ref.length);
}

function uniqueFrames(beats: readonly Seconds[], offset: Seconds): number[] {
  const frames: number[] = [];
  for (const b of beats) {
    const frame = Math.ceil((b - offset) * 100);
    if (frames[frames.length - 1] !== frame) frames.push(frame);
  }
  return frames;
}

/**
 * The continuity scores of Hainsworth and Klapuri: an estimated beat is correct when it lies
 * within 17.5% of the beat period of an unused reference beat and its inter-beat interval is within
 * 17.5% of the reference interval. CMLc is the longest unbroken run of correct beats and CMLt the
 * share of correct beats, each over the larger beat count; AMLc and AMLt allow the off-beat,
 * double and half-tempo readings of the reference too. 0 when either list has fewer than two beats.
 * @example continuity([1, 2, 3, 4], [1, 2, 3, 4]).cmlt // 1
 */
export function continuity(
  reference: readonly Seconds[],
  estimated: readonly Seconds[],
  phaseThreshold: number = DEFAULTS.phaseThreshold,
  periodThreshold: number = DEFAULTS.periodThreshold,
): { cmlc: number; cmlt: number; amlc: number; amlt: number } {
  if (reference.length <= 1 || estimated.length <= 1) return { cmlc: 0, cmlt: 0, amlc: 0, amlt: 0 };
  const est = sorted(estimated);
  const continuous: number[] = [];
  const total: number[] = [];
  for (const ref of metricalVariations(sorted(reference))) {
    const count = Math.max(ref.length, est.length);
    const used = new Uint8Array(ref.length);
    const success = new Uint8Array(count);
    for (let m = 0; m < est.length; m++) {
      const e = est[m] as number;
      let nearest = 0;
      for (let i = 1; i < ref.length; i++) {
        if (Math.abs(e - (ref[i] as number)) < Math.abs(e - (ref[nearest] as number))) nearest = i;
      }
      if (used[nearest]) continue;
      const error = Math.abs(e - (ref[nearest] as number));
      let phase: number;
      let period: number;
      if (m === 0 || nearest === 0) {
        // At the start of either sequence, look at the interval that follows (or the last one).
        const refInterval =
          nearest + 1 < ref.length
            ? at(ref, nearest + 1) - at(ref, nearest)
            : at(ref, nearest) - at(ref, nearest - 1);
        const estInterval = m + 1 < est.length ? at(est, m + 1) - at(est, m) : at(est, m) - at(est, m - 1);
        if (refInterval === 0) {
          phase = error === 0 ? 1 : Number.POSITIVE_INFINITY;
          period = estInterval === 0 ? 0 : Number.POSITIVE_INFINITY;
        } else {
          phase = Math.abs(error / refInterval);
          period = Math.abs(1 - estInterval / refInterval);
        }
      } else {
        const refInterval = at(ref, nearest) - at(ref, nearest - 1);
        const estInterval = at(est, m) - at(est, m - 1);
        phase = Math.abs(error / refInterval);
        period = Math.abs(1 - estInterval / refInterval);
      }
      if (phase < phaseThreshold && period < periodThreshold) {
        used[nearest] = 1;
        success[m] = 1;
      }
    }
    let longest = 0;
    let run = 0;
    let hits = 0;
    for (const s of success) {
      run = s ? run + 1 : 0;
      hits += s;
      longest = Math.max(longest, run);
    }
    continuous.push(longest / count);
    total.push(hits / count);
  }
  return {
    cmlc: continuous[0] ?? 0,
    cmlt: total[0] ?? 0,
    amlc: Math.max(...continuous),
    amlt: Math.max(...total),
  };
}

/**
 * The reference beats read at other metrical levels: as annotated, on the off-beat, at double
 * tempo, and at half tempo on the odd and on the even beats.
 */
export function metricalVariations(reference: readonly Seconds[]): Seconds[][] {
  const double: Seconds[] = [];
  for (let i = 0; i < reference.length; i++) {
    if (i > 0) double.push((at(reference, i - 1) + at(reference, i)) / 2);
    double.push(at(reference, i));
  }
  return [
    [...reference],
    double.filter((_, i) => i % 2 === 1),
    double,
    reference.filter((_, i) => i % 2 === 0),
    reference.filter((_, i) => i % 2 === 1),
  ];
}

/** Element `i` of a list, wrapping negative indices from the end as Python does. */
function at(list: readonly number[], i: number): number {
  return list[i < 0 ? list.length + i : i] as number;
}

function sorted(beats: readonly Seconds[]): Seconds[] {
  return [...beats].sort((a, b) => a - b);
}

function prepare(name: string, beats: readonly Seconds[]): Seconds[] {
  for (const b of beats) {
    if (!Number.isFinite(b)) throw new RangeError(`${name} beats must be finite seconds, got: ${b}`);
  }
  return sorted(beats);
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Rounds to the nearest integer, halves to even (numpy's `round`). */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
