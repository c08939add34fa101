/**
 * One candidate pulse: a period and the time of its next beat, rewarded by salient onsets near
 * its beats and corrected gently toward them.
 */
import type { Seconds } from '../time/index.ts';
import { type ClusterHistory, closeness } from './history.ts';
import { CYCLE, positionEvidence } from './salience.ts';

/** A gap shorter than this is part of the playing, not a pause, however slow the pulse. */
export const SILENCE: Seconds = 2.5;

/** How a hypothesis follows and judges the playing. */
export interface FollowParams {
  /** Share of a beat's timing error taken into the phase. */
  phaseGain: number;
  /** Share of a beat's timing error taken into the period. */
  periodGain: number;
  /** Matching window as a share of the period, bounded by minWindow and maxWindow. */
  windowShare: number;
  minWindow: Seconds;
  maxWindow: Seconds;
  /** Weight of the newest beat in the running strength (1 − forgetting per beat). */
  beatWeight: number;
  minPeriod: Seconds;
  maxPeriod: Seconds;
}

/** The matching window of a period. */
export function windowOf(period: Seconds, p: FollowParams): Seconds {
  return Math.min(p.maxWindow, Math.max(p.minWindow, p.windowShare * period));
}

/** A pulse hypothesis. Its pending beat is at `next`; its window closes at `next + window`. */
export class Hypothesis {
  period: Seconds = 1;
  next: Seconds = 0;
  /** Running mean of how well its beats were marked by onsets. */
  strength = 0;
  /**
   * Leaky sums of the position evidence of drum strokes, read against this pulse's beats over a
   * bar-long cycle, one for each beat of the cycle the pending beat might be (its {@link cycleBeat}
   * counted on from the reading's start).
   */
  readonly metrics = new Float64Array(CYCLE);
  /** Which beat of its cycle the pending beat is, counted at each beat. */
  cycleBeat = 0;
  /** Leaky count of the strokes behind {@link metrics}. */
  strokes = 0;
  /** The tracker's judgement of this hypothesis at the latest cluster (see PulseTracker). */
  score = 0;
  /** The tactus preference for {@link priorPeriod}, kept while the period stays the same. */
  prior = 0;
  priorPeriod: Seconds = Number.NaN;
  /** The tracker's doubt about a slow pulse for {@link fillOnsets} onsets per beat, kept likewise. */
  fill = 1;
  fillOnsets = Number.NaN;
  /** Beats judged so far (silent beats are not judged). */
  beats = 0;
  /** Best match of the pending beat. */
  bestValue = 0;
  bestError: Seconds = 0;
  bestWeight = 0;
  /** Timing errors of the last two closed beats, newest first (NaN for a beat no onset marked). */
  lastError: Seconds = Number.NaN;
  lastError2: Seconds = Number.NaN;

  reset(period: Seconds, next: Seconds, strength: number, beats: number): void {
    this.period = period;
    this.next = next;
    this.strength = strength;
    this.beats = beats;
    this.metrics.fill(0);
    this.cycleBeat = 0;
    this.strokes = 0;
    this.bestValue = 0;
    this.bestError = 0;
    this.bestWeight = 0;
    this.lastError = Number.NaN;
    this.lastError2 = Number.NaN;
  }

  window(p: FollowParams): Seconds {
    return windowOf(this.period, p);
  }

  /** The pending beat's corrected time and period, as they will be when its window closes. */
  private correctedPeriod(p: FollowParams): Seconds {
    return clampPeriod(this.period + p.periodGain * this.bestError * this.bestWeight, p);
  }

  private correctedNext(p: FollowParams): Seconds {
    return this.next + p.phaseGain * this.bestError * this.bestWeight;
  }

  /**
   * Closes every beat whose window ended before `t`. A beat with no onset since 1.5 periods
   * (and at least {@link SILENCE}) before it falls in a pause, which neither confirms nor refutes
   * the pulse.
   */
  closeBefore(t: Seconds, lastOnset: Seconds, p: FollowParams): void {
    let w = this.window(p);
    while (this.next + w < t) {
      const silent = this.next - lastOnset > Math.max(1.5 * this.period, SILENCE);
      if (silent) {
        // Every later beat is silent too: jump over them at once.
        const skip = Math.floor((t - w - this.next) / this.period) + 1;
        this.next += skip * this.period;
        this.cycleBeat = (this.cycleBeat + skip) % CYCLE;
        this.bestValue = 0;
        this.bestWeight = 0;
        this.lastError = Number.NaN;
        this.lastError2 = Number.NaN;
        return;
      }
      const period = this.correctedPeriod(p);
      const next = this.correctedNext(p);
      // A plain mean over the first beats, a running mean after.
      this.strength += Math.max(p.beatWeight, 1 / (this.beats + 1)) * (this.bestValue - this.strength);
      this.beats++;
      this.lastError2 = this.lastError;
      this.lastError = this.bestValue > 0 ? this.bestError : Number.NaN;
      this.period = period;
      this.next = next + period;
      this.cycleBeat = (this.cycleBeat + 1) % CYCLE;
      this.bestValue = 0;
      this.bestError = 0;
      this.bestWeight = 0;
      w = this.window(p);
    }
  }

  /** Scores an onset cluster at `t` (after closeBefore(t)) against the pending beat. */
  hear(t: Seconds, salience: number, p: FollowParams): void {
    // Closeness is at most 1: a cluster no more salient than the best match cannot beat it.
    if (salience <= this.bestValue) return;
    const e = t - this.next;
    const c = closeness(e, this.window(p));
    if (c <= 0) return;
    const value = c * salience;
    if (value > this.bestValue) {
      this.bestValue = value;
      this.bestError = e;
      this.bestWeight = Math.sqrt(c) * Math.min(1, salience);
    }
  }

  /**
   * Reads a cluster's drum strokes against this pulse (after closeBefore(t)): where in the beat
   * they fall, and how likely drummers are to play them there. `decay` fades older evidence.
   */
  hearPositions(t: Seconds, evidence: Float64Array, offset: number, strokes: number, decay: number): void {
    const m = this.metrics;
    for (let k = 0; k < CYCLE; k++) m[k] = (m[k] as number) * decay;
    this.strokes *= decay;
    if (strokes <= 0) return;
    const phase = (t - this.next) / this.period + this.cycleBeat;
    for (let k = 0; k < CYCLE; k++) m[k] = (m[k] as number) + positionEvidence(evidence, offset, phase + k);
    this.strokes += strokes;
  }

  /**
   * The mean position evidence per stroke, on the likelier of the two readings of which beats
   * begin the cycle, shrunk toward 0 while there are few strokes.
   */
  positionScore(): number {
    // Started from a reading, not from −∞: the compiler keeps a plain double then, unboxed.
    let best = this.metrics[0] as number;
    for (let k = 1; k < CYCLE; k++) best = Math.max(best, this.metrics[k] as number);
    return best / (this.strokes + 2);
  }

  /** The first beat at or after `t` (t at or after the pending beat's time minus a period). */
  beatAtOrAfter(t: Seconds, p: FollowParams): Seconds {
    if (t <= this.next) return this.next;
    const period = this.correctedPeriod(p);
    const first = this.correctedNext(p) + period;
    if (t <= first) return first;
    return first + Math.ceil((t - first) / period - 1e-9) * period;
  }

  /**
   * Judges a new hypothesis on the remembered past: walks back from a beat at `anchor` with
   * `period`, following the onsets as it would have going forward, and sets its state, all but
   * the drum strokes' evidence of where the beat is (see {@link readStrokes}).
   */
  induceBeats(
    period: Seconds,
    anchor: Seconds,
    anchorSalience: number,
    history: ClusterHistory,
    maxBeats: number,
    p: FollowParams,
  ): void {
    // `× 1` makes these plain doubles for the compiler from the start: started from the arguments
    // as they are, the walk's every step stored a boxed number (an allocation per beat).
    let beat = anchor * 1;
    let q = period * 1;
    let strength = 0;
    let weight = 0;
    let judged = 0;
    let age = 1;
    const size = history.size;
    const oldest = size > 0 ? history.time(0) : anchor;
    // The clusters before `end` are the ones up to the current beat's window: the beats walk
    // back, so `end` steps back with them instead of being searched for at each beat.
    let end = size;
    for (let k = 1; k <= maxBeats; k++) {
      beat -= q;
      if (beat < oldest) break;
      const w = windowOf(q, p);
      const to = beat + w;
      while (end > 0 && history.time(end - 1) > to) end--;
      while (end < size && history.time(end) <= to) end++;
      // Only beats since the playing resumed are judged: the last onset up to the window's end
      // must lie within 1.5 periods (and SILENCE) before the beat.
      if (end === 0 || history.time(end - 1) < beat - Math.max(1.5 * q, SILENCE)) continue;
      // The best cluster within ±w of the beat: salience times closeness (written out here, as
      // this is the innermost loop of induction).
      let value = 0;
      let error = 0;
      let near = 0;
      let salience = 0;
      for (let i = end - 1; i >= 0; i--) {
        const u = history.time(i);
        if (u < beat - w) break;
        const s = history.salience(i);
        // Closeness is at most 1: a cluster less salient than the best so far cannot beat it.
        if (s < value) continue;
        const c = closeness(u - beat, w);
        const v = c * s;
        // Read backwards, so the earliest of equally good clusters wins, as reading forwards.
        if (v > value || (v === value && v > 0)) {
          value = v;
          error = u - beat;
          near = c;
          salience = s;
        }
      }
      strength += age * value;
      weight += age;
      age *= 1 - p.beatWeight;
      judged++;
      if (value > 0) {
        const e = error * near * Math.min(1, salience);
        beat += p.phaseGain * e;
        q = clampPeriod(q - p.periodGain * e, p);
      }
    }
    this.reset(q, anchor, weight > 0 ? strength / weight : 0, judged);
    this.bestValue = anchorSalience;
    this.bestError = 0;
    this.bestWeight = Math.min(1, anchorSalience);
  }

  /**
   * Judges a new hypothesis on the remembered past as {@link induceBeats} does, and reads the
   * remembered drum strokes against it.
   */
  induce(
    period: Seconds,
    anchor: Seconds,
    anchorSalience: number,
    history: ClusterHistory,
    maxBeats: number,
    p: FollowParams,
    positionMemory: Seconds,
  ): void {
    this.induceBeats(period, anchor, anchorSalience, history, maxBeats, p);
    if (history.hasStrokes) this.readStrokes(period, anchor, history, maxBeats, positionMemory);
  }

  /**
   * Completes {@link induceBeats} with the position evidence of the drum strokes of the last
   * `maxBeats` periods remembered, read against the grid of `period` through the anchor.
   */
  readStrokes(
    period: Seconds,
    anchor: Seconds,
    history: ClusterHistory,
    maxBeats: number,
    positionMemory: Seconds,
  ): void {
    const size = history.size;
    const first = history.firstAtOrAfter(anchor - maxBeats * period);
    // Every candidate tried at this anchor fades the same clusters: computed once for all.
    const fades = history.fades(anchor, positionMemory, first);
    const evidence = history.evidence;
    const metrics = this.metrics;
    for (let i = first; i < size; i++) {
      const n = history.strokesOf(i);
      if (n <= 0) continue;
      const fade = fades[i] as number;
      const phase = (history.time(i) - anchor) / period;
      const offset = history.evidenceOffset(i);
      for (let k = 0; k < CYCLE; k++) {
        metrics[k] = (metrics[k] as number) + fade * positionEvidence(evidence, offset, phase + k);
      }
      this.strokes += fade * n;
    }
  }
}

function clampPeriod(period: Seconds, p: FollowParams): Seconds {
  return Math.min(p.maxPeriod, Math.max(p.minPeriod, period));
}
