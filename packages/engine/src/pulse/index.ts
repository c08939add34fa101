/**
 * Pulse: causal, incremental beat tracking. Fed onsets in time order, a {@link PulseTracker}
 * keeps a small bank of competing pulse hypotheses (period and next beat), each rewarded by
 * salient onsets near its beats and corrected gently toward them. New hypotheses come from a
 * leaky inter-onset-interval histogram and are judged at once on the remembered past; the one
 * that best explains the playing, weighed by a preference for a tactus near 120 BPM, is chosen
 * under hysteresis, so the beat neither flips metrical level nor jumps phase on thin evidence.
 * A beat is committed once the clock passes it, from what was heard before it.
 */
import { byTime, type Onset } from '../events/index.ts';
import type { Bpm, Seconds } from '../time/index.ts';
import { ClusterHistory } from './history.ts';
import { type FollowParams, Hypothesis, windowOf } from './hypothesis.ts';
import { DEFAULT_PULSE_OPTIONS, type PulseOptions } from './options.ts';
import { PeriodHistogram } from './periodicity.ts';
import { addPositionEvidence, POSITIONS, SalienceModel } from './salience.ts';

export { DEFAULT_PULSE_OPTIONS, type PulseOptions } from './options.ts';
export { drumClass, drumWeight, onsetSalience, onsetWeight, SalienceModel } from './salience.ts';

/** What the tracker believes about the pulse at a moment. */
export interface PulseEstimate {
  bpm: Bpm;
  period: Seconds;
  /** The next predicted beat after the moment asked about. */
  nextBeat: Seconds;
  /** 0..1: near 1 for a steady, well-marked pulse, near 0 for playing with no pulse to speak of. */
  confidence: number;
}

/** Salience of a cluster is relative to a running mean over about this many clusters. */
const SALIENCE_MEMORY = 12;
/** A normalised cluster salience is capped here so one loud accent cannot dominate. */
const SALIENCE_CAP = 4;
/** Only clusters at least this salient (relative to the mean) seed new hypotheses. */
const SEED_SALIENCE = 1;
/** Histogram peaks tried as periods at each seeding. */
const PEAKS = 4;
/** Periods are followed this far beyond the tempo range. */
const RANGE_MARGIN = 1.06;
/** The least weight the tactus preference gives any tempo in range. */
const PREFERENCE_FLOOR = 0.35;
/** A tempo jump is told at an onset at least this salient (relative to the mean)... */
const JUMP_SALIENCE = 1;
/** ...after a chain of earlier onsets at least this salient... */
const JUMP_LINK = 0.5;
/** ...this many intervals long, the intervals alike... */
const JUMP_CHAIN = 3;
/** ...and changing the period by at least this share and at most this share... */
const JUMP_STEP_MIN = 0.05;
const JUMP_STEP_MAX = 0.27;
/** ...while the chosen beats miss the latest onsets by at least this much. */
const JUMP_ERROR: Seconds = 0.04;
/** Jumps are looked for while at least this share of what is heard is drum strokes. */
const JUMP_DRUMS = 0.5;
/** Intervals of a chain agree within this share. */
const JUMP_TOLERANCE = 0.04;
/** ...or within this much, a drummer's timing from stroke to stroke. */
const JUMP_SLACK: Seconds = 0.044;
/** The mix of drum strokes and pitched notes is a running mean over about this many clusters. */
const MIX_MEMORY = 16;
/**
 * A rival ahead of the chosen pulse by the pitched-playing margin but not by the drumming one
 * takes over once it has stayed ahead this many beats: a drummer's beat is not given up to a
 * fill, nor held on the off-beat it was first heard on.
 */
const PERSIST_BEATS = 8;
/** What {@link PulseTracker.advance} returns when no beat is due. */
const NO_BEATS: readonly Seconds[] = Object.freeze([]);
/** Room for rounding when a bound decides that work can be skipped. */
const BOUND_SLACK = 1e-9;
/** Onset density is measured over this recent span. */
const DENSITY_SPAN: Seconds = 4;

/** A causal, incremental pulse tracker. Same onsets and options, same beats. */
export class PulseTracker {
  private readonly o: PulseOptions;
  private readonly follow: FollowParams;
  private readonly history = new ClusterHistory(512);
  private readonly histogram: PeriodHistogram;
  private readonly bank: Hypothesis[] = [];
  private readonly spare: Hypothesis = new Hypothesis();
  private readonly periods: number[] = [];
  private readonly salience = new SalienceModel();
  private active = 0;
  /**
   * The weakest hypothesis of the bank, a candidate's rival for its place (see tryHypothesis);
   * known while the bank and its scores stay as they were.
   */
  private weakest = -1;
  private weakestScore = 0;
  private weakestKnown = false;
  private chosen: Hypothesis | null = null;
  private confidence = 0;
  /** Onset clusters per second over the recent past. */
  private density = 0;
  /**
   * Onsets per beat (relative to `onsetsPerBeat`) from which the doubt about a slow pulse is at
   * its floor, a little beyond where it reaches it: the score need not work it out there.
   */
  private readonly fillFloorAt: number;

  private clusterOpen = false;
  private clusterStart: Seconds = 0;
  /** When the cluster's most salient note sounded: a flam is heard where its main stroke is. */
  private clusterPeak: Seconds = 0;
  private clusterPeakSalience = 0;
  private clusterOnsets = 0;
  private clusterDrums = 0;
  /** Running share of drum strokes among the onsets heard, or −1 before any. */
  private drumShare = -1;
  /** The margin a rival at the same level needs to take over, for the mix of what is heard. */
  private switchMargin: number;
  /** A rival ahead of the chosen pulse by less than the margin, and since when. */
  private challenger: Hypothesis | null = null;
  private challengerPeriod: Seconds = 0;
  private challengeSince: Seconds = 0;
  private readonly clusterEvidence = new Float64Array(POSITIONS);
  private clusterStrokes = 0;
  private meanSalience = 0;
  private lastHeard: Seconds = Number.NEGATIVE_INFINITY;
  private lastOnset: Seconds = Number.NEGATIVE_INFINITY;
  private lastApplied: Seconds = Number.NEGATIVE_INFINITY;
  private lastCommitted: Seconds = Number.NEGATIVE_INFINITY;
  private readonly committed: Seconds[] = [];

  constructor(options: Partial<PulseOptions> = {}) {
    this.o = { ...DEFAULT_PULSE_OPTIONS, ...options };
    const o = this.o;
    if (!(o.minBpm > 0 && o.maxBpm > o.minBpm && Number.isFinite(o.maxBpm))) {
      throw new RangeError(`tempo range must satisfy 0 < minBpm < maxBpm, got: ${o.minBpm}..${o.maxBpm}`);
    }
    if (!(Number.isInteger(o.hypotheses) && o.hypotheses >= 1)) {
      throw new RangeError(`hypotheses must be a whole number ≥ 1, got: ${o.hypotheses}`);
    }
    this.switchMargin = o.pitchedSwitchMargin;
    this.follow = {
      phaseGain: o.phaseGain,
      periodGain: o.periodGain,
      windowShare: o.windowShare,
      minWindow: o.minWindow,
      maxWindow: o.maxWindow,
      beatWeight: o.beatWeight,
      // A little room beyond the range, so a pulse right at its edge can wobble.
      minPeriod: 60 / o.maxBpm / RANGE_MARGIN,
      maxPeriod: (60 / o.minBpm) * RANGE_MARGIN,
    };
    // exp(−z²/2) = floor at z = √(−2 ln floor), z = log2(onsets) / width.
    this.fillFloorAt = 2 ** (1.001 * Math.sqrt(-2 * Math.log(PREFERENCE_FLOOR)) * o.onsetsPerBeatWidth);
    this.histogram = new PeriodHistogram(this.follow.minPeriod, this.follow.maxPeriod, o.histogramMemory);
    for (let i = 0; i < o.hypotheses; i++) this.bank.push(new Hypothesis());
  }

  /** Hears one onset; onsets must come in time order (an earlier one, or one without velocity, is ignored). */
  hear(onset: Onset): void {
    const t = onset.t;
    if (!Number.isFinite(t) || t < this.lastHeard || !(onset.velocity > 0)) return;
    this.lastHeard = t;
    if (!(this.clusterOpen && t - this.clusterStart <= this.o.clusterWindow)) {
      if (this.clusterOpen) this.applyCluster();
      this.clusterOpen = true;
      this.clusterStart = t;
      this.salience.begin();
      this.clusterPeakSalience = 0;
      this.clusterOnsets = 0;
      this.clusterDrums = 0;
      this.clusterEvidence.fill(0);
      this.clusterStrokes = 0;
    }
    const s = this.salience.add(onset);
    this.clusterOnsets++;
    if (onset.percussive) this.clusterDrums++;
    if (s > this.clusterPeakSalience) {
      this.clusterPeakSalience = s;
      this.clusterPeak = t;
    }
    if (addPositionEvidence(onset, this.clusterEvidence)) this.clusterStrokes++;
  }

  /** Commits and returns the beats in (previous now, now], each decided from onsets before it. */
  advance(now: Seconds): readonly Seconds[] {
    if (!Number.isFinite(now)) return NO_BEATS;
    if (this.clusterOpen && this.clusterStart + this.o.clusterWindow <= now) this.applyCluster();
    this.commitUntil(now);
    let n = 0;
    while (n < this.committed.length && (this.committed[n] as number) <= now) n++;
    // Asked every few milliseconds live, and mostly with no beat due: no list made for nothing.
    return n === 0 ? NO_BEATS : this.committed.splice(0, n);
  }

  /** The pulse as known at `now`, or null when there is no pulse to speak of. */
  estimate(now: Seconds): PulseEstimate | null {
    const h = this.chosen;
    if (h === null || !Number.isFinite(now) || this.silentTooLong(now, h)) return null;
    const hold = this.holdOf(h);
    const silence = Math.max(0, now - this.lastOnset);
    const confidence = this.confidence * Math.max(0, 1 - silence / hold);
    return {
      bpm: 60 / h.period,
      period: h.period,
      nextBeat: h.beatAtOrAfter(Math.max(now, this.lastApplied) + 1e-6, this.follow),
      confidence,
    };
  }

  /** The next `count` predicted beats after `now` (none when there is no pulse). */
  predict(now: Seconds, count: number): Seconds[] {
    const h = this.chosen;
    const beats: Seconds[] = [];
    if (h === null || !Number.isFinite(now) || this.silentTooLong(now, h)) return beats;
    let b = Math.max(now, this.lastApplied);
    for (let i = 0; i < count; i++) {
      b = h.beatAtOrAfter(b + 1e-6, this.follow);
      beats.push(b);
    }
    return beats;
  }

  private holdOf(h: Hypothesis): Seconds {
    return Math.max(this.o.holdSeconds, this.o.holdBeats * h.period);
  }

  private silentTooLong(now: Seconds, h: Hypothesis): boolean {
    return now - this.lastOnset > this.holdOf(h);
  }

  /** Commits the chosen hypothesis's beats up to `limit` that lie after its last change. */
  private commitUntil(limit: Seconds): void {
    const h = this.chosen;
    if (h === null || this.confidence < this.o.minConfidence) return;
    const end = Math.min(limit, this.lastOnset + this.holdOf(h));
    const from = Math.max(this.lastApplied, this.lastCommitted + 0.5 * h.period) + 1e-9;
    let b = h.beatAtOrAfter(from, this.follow);
    while (b <= end) {
      this.committed.push(b);
      this.lastCommitted = b;
      b = h.beatAtOrAfter(b + 0.5 * h.period, this.follow);
    }
  }

  private applyCluster(): void {
    this.clusterOpen = false;
    const t = this.clusterPeak;
    const at = this.clusterStart + this.o.clusterWindow;
    this.commitUntil(at);
    if (this.chosen !== null && this.silentTooLong(t, this.chosen)) this.letGo();
    else if (this.chosen === null && t - this.lastOnset > this.o.holdSeconds) this.letGo();

    const raw = this.salience.value();
    const s = this.meanSalience > 0 ? Math.min(SALIENCE_CAP, raw / this.meanSalience) : 1;
    this.meanSalience += (raw - this.meanSalience) / (this.meanSalience > 0 ? SALIENCE_MEMORY : 1);

    this.blendFollowing(this.clusterDrums / Math.max(1, this.clusterOnsets));
    const decay = Number.isFinite(this.lastOnset)
      ? Math.exp(-(t - this.lastOnset) / this.o.positionMemory)
      : 1;
    this.hearCluster(t, s, decay);
    this.histogram.add(t, s, this.history);
    // Drummers change tempo at a stroke; pianists' rubato is followed by the gains instead.
    const jump = s >= JUMP_SALIENCE && this.drumShare >= JUMP_DRUMS ? this.jumpPeriod(t) : 0;
    this.history.push(t, s, this.clusterEvidence, this.clusterStrokes);
    if (jump > 0) this.followJump(jump, t, s);
    this.density = (this.history.size - this.history.firstAtOrAfter(t - DENSITY_SPAN)) / DENSITY_SPAN;
    this.rescore();
    if (s >= SEED_SALIENCE) this.seed(t, s);
    this.prune();
    this.choose(t);
    this.lastOnset = t;
    this.lastApplied = at;
  }

  /**
   * Every hypothesis hears the cluster at `t`. (Kept apart from applyCluster, like
   * {@link rescore}: a loop run for every hypothesis at every cluster is compiled best on its own.)
   */
  private hearCluster(t: Seconds, s: number, decay: number): void {
    const f = this.follow;
    const last = this.lastOnset;
    const evidence = this.clusterEvidence;
    const strokes = this.clusterStrokes;
    for (let i = 0; i < this.active; i++) {
      const h = this.bank[i] as Hypothesis;
      // Most clusters close no beat: the test is made here, where it costs least.
      if (h.next + windowOf(h.period, f) < t) h.closeBefore(t, last, f);
      h.hear(t, s, f);
      h.hearPositions(t, evidence, 0, strokes, decay);
    }
  }

  /** Scores every hypothesis afresh. */
  private rescore(): void {
    for (let i = 0; i < this.active; i++) {
      const h = this.bank[i] as Hypothesis;
      h.score = this.score(h);
    }
  }

  /**
   * A sudden change of tempo: the firm onsets leading to `t` recur every x seconds, x a clear
   * step away from the chosen period, and the chosen beats miss the latest of them. Returns x,
   * or 0 when there is no such change (only remembered clusters, before `t` is added, are read).
   */
  private jumpPeriod(t: Seconds): Seconds {
    const h = this.chosen;
    if (h === null || h.beats < JUMP_CHAIN + 2) return 0;
    const p = h.period;
    if (Math.abs(offBeat(h, t)) < JUMP_ERROR) return 0;
    const history = this.history;
    for (let i = history.firstAtOrAfter(t - (1 + JUMP_STEP_MAX) * p); i < history.size; i++) {
      const u = history.time(i);
      const x = t - u;
      if (x < (1 - JUMP_STEP_MAX) * p) break;
      const step = Math.abs(x / p - 1);
      if (step < JUMP_STEP_MIN || history.salience(i) < JUMP_LINK) continue;
      // The onset before `t` is off the chosen beats too, and so was one of its last two beats.
      if (Math.abs(offBeat(h, u)) < JUMP_ERROR) continue;
      if (!(drifting(h.lastError, x - p) || drifting(h.lastError2, x - p))) continue;
      const tolerance = Math.max(JUMP_SLACK, JUMP_TOLERANCE * x);
      let at = u;
      let links = 1;
      while (links < JUMP_CHAIN) {
        const j = history.firmestNear(at - x, tolerance, JUMP_LINK);
        if (j < 0) break;
        at = history.time(j);
        links++;
      }
      if (links >= JUMP_CHAIN) return (t - at) / links;
    }
    return 0;
  }

  /**
   * Judges a pulse at the new period on the beats since the change alone: it takes the chosen
   * pulse's place at once when it explains the playing better, else it joins the bank.
   */
  private followJump(period: Seconds, t: Seconds, s: number): void {
    const h = this.chosen as Hypothesis;
    const f = this.follow;
    if (period < f.minPeriod || period > f.maxPeriod) return;
    this.weakestKnown = false;
    const c = this.spare;
    c.induce(period, t, s, this.history, JUMP_CHAIN, f, this.o.positionMemory);
    c.score = this.score(c);
    if (c.score > h.score) copyInto(h, c);
    else this.tryHypothesis(period, t, s, JUMP_CHAIN);
  }

  /** Follows drumming steadily and pitched playing more freely, as the mix of what is heard says. */
  private blendFollowing(drums: number): void {
    this.drumShare = this.drumShare < 0 ? drums : this.drumShare + (drums - this.drumShare) / MIX_MEMORY;
    const o = this.o;
    const d = this.drumShare;
    const f = this.follow;
    f.phaseGain = o.pitchedPhaseGain + d * (o.phaseGain - o.pitchedPhaseGain);
    f.periodGain = o.pitchedPeriodGain + d * (o.periodGain - o.pitchedPeriodGain);
    f.windowShare = o.pitchedWindowShare + d * (o.windowShare - o.pitchedWindowShare);
    f.maxWindow = o.pitchedMaxWindow + d * (o.maxWindow - o.pitchedMaxWindow);
    this.switchMargin = o.pitchedSwitchMargin + d * (o.switchMargin - o.pitchedSwitchMargin);
  }

  private letGo(): void {
    this.active = 0;
    this.chosen = null;
    this.confidence = 0;
    this.history.clear();
    this.histogram.clear();
  }

  /** Tries the strongest histogram periods and their double and half as beats anchored at `t`. */
  private seed(t: Seconds, s: number): void {
    this.weakestKnown = false;
    const peaks = this.histogram.peaks(PEAKS, this.periods);
    if (this.chosen !== null) peaks.push(this.chosen.period);
    const n = peaks.length;
    for (let i = 0; i < n; i++) {
      const p = peaks[i] as number;
      this.tryHypothesis(p, t, s);
      this.tryHypothesis(2 * p, t, s);
      this.tryHypothesis(0.5 * p, t, s);
    }
  }

  /** Tries a pulse of `period` with a beat at `t`, judged on the `beats` before it. */
  private tryHypothesis(period: Seconds, t: Seconds, s: number, beats = this.o.inductionBeats): void {
    const f = this.follow;
    if (period < f.minPeriod || period > f.maxPeriod) return;
    const near = 0.04 * period;
    for (let i = 0; i < this.active; i++) {
      const h = this.bank[i] as Hypothesis;
      if (Math.abs(h.period - period) > near) continue;
      const w = windowOf(h.period, f);
      const d = wrap(t - h.next, h.period);
      if (d < w || h.period - d < w) return;
    }
    const c = this.spare;
    const history = this.history;
    const memory = this.o.positionMemory;
    c.induceBeats(period, t, s, history, beats, f);
    if (this.active < this.bank.length) {
      if (history.hasStrokes) c.readStrokes(period, t, history, beats, memory);
      c.score = this.score(c);
      copyInto(this.bank[this.active] as Hypothesis, c);
      this.active++;
      this.weakestKnown = false;
      return;
    }
    // Most candidates lose and leave the bank as it was: its weakest is found once for them all.
    if (!this.weakestKnown) this.findWeakest();
    const worst = this.weakest;
    const worstScore = this.weakestScore;
    if (worst < 0) return;
    if (history.hasStrokes) {
      // Reading the strokes is most of the cost of a candidate: skip it when even the best the
      // strokes could say would not lift the candidate above the weakest in the bank.
      const from = history.firstAtOrAfter(t - beats * period);
      const bound = history.strokeBound(t, memory, from) + BOUND_SLACK;
      if (this.scoreWith(c, bound) * (1 + BOUND_SLACK) <= worstScore) return;
      c.readStrokes(period, t, history, beats, memory);
    }
    c.score = this.score(c);
    if (c.score > worstScore) {
      copyInto(this.bank[worst] as Hypothesis, c);
      this.weakestKnown = false;
    }
  }

  /** Finds the weakest hypothesis in the bank other than the chosen one (−1 when none). */
  private findWeakest(): void {
    let worst = -1;
    let worstScore = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.active; i++) {
      const h = this.bank[i] as Hypothesis;
      if (h === this.chosen) continue;
      const v = h.score;
      if (v < worstScore) {
        worstScore = v;
        worst = i;
      }
    }
    this.weakest = worst;
    this.weakestScore = worstScore;
    this.weakestKnown = true;
  }

  /** Drops hypotheses that have converged on the same period and phase as a stronger one. */
  private prune(): void {
    const f = this.follow;
    for (let i = 0; i < this.active; i++) {
      const a = this.bank[i] as Hypothesis;
      const period = a.period;
      const near = 0.03 * period;
      for (let j = i + 1; j < this.active; j++) {
        const b = this.bank[j] as Hypothesis;
        if (Math.abs(period - b.period) > near) continue;
        const d = Math.abs(a.next - b.next);
        const w = 0.5 * windowOf(period, f);
        if (d > w && Math.abs(d - period) > w) continue;
        const loser = b === this.chosen || (a !== this.chosen && a.strength < b.strength) ? i : j;
        this.remove(loser);
        if (loser === i) {
          i--;
          break;
        }
        j--;
      }
    }
  }

  private remove(index: number): void {
    const last = this.active - 1;
    const gone = this.bank[index] as Hypothesis;
    this.bank[index] = this.bank[last] as Hypothesis;
    this.bank[last] = gone;
    this.active--;
  }

  /**
   * How well a hypothesis explains the playing, weighed by the tactus preference.
   */
  private score(h: Hypothesis): number {
    return this.scoreWith(h, h.positionScore());
  }

  /**
   * The score a hypothesis would have with `positionScore` for its own (an upper bound on it,
   * say). Kept short, so that it compiles into the loops that call it: the rarer work is apart.
   */
  private scoreWith(h: Hypothesis, positionScore: number): number {
    if (h.period !== h.priorPeriod) this.updatePrior(h);
    const maturity = Math.min(1, (h.beats + 1) / 4);
    let fill = 1;
    const onsets = (this.density * h.period) / this.o.onsetsPerBeat;
    if (this.o.onsetsPerBeatWidth > 0 && this.density > 0 && onsets > 1) {
      if (onsets >= this.fillFloorAt) fill = PREFERENCE_FLOOR;
      else {
        // The density moves in steps (clusters in a span) and the period once a beat: most
        // clusters ask again about the same number of onsets per beat.
        if (onsets !== h.fillOnsets) {
          h.fillOnsets = onsets;
          h.fill = this.fillOf(onsets);
        }
        fill = h.fill;
      }
    }
    // Pitched playing gives no position evidence: exp(0) is 1.
    const position = positionScore === 0 ? 1 : Math.exp(this.o.positionWeight * positionScore);
    return h.strength * h.prior * fill * maturity * position;
  }

  /** The tactus preference for a hypothesis's period. */
  private updatePrior(h: Hypothesis): void {
    const octaves = Math.log2(60 / h.period / this.o.preferredBpm) / this.o.preferenceWidth;
    // Far from the preferred tactus the preference levels off, so a pulse as slow as 30 BPM
    // still wins over a faster level that half its beats would not mark.
    const prior = Math.max(PREFERENCE_FLOOR, Math.exp(-0.5 * octaves * octaves));
    // x ** 1 is x: the power (a library call) only for another weight.
    h.prior = this.o.preferenceWeight === 1 ? prior : prior ** this.o.preferenceWeight;
    h.priorPeriod = h.period;
  }

  /**
   * Players fill a tactus beat with a few onsets, rarely more than six: a pulse with eight onsets
   * to the beat is likely twice too slow. (Fewer is common: one stroke a beat.) `onsets` is per
   * beat relative to `onsetsPerBeat`, more than 1.
   */
  private fillOf(onsets: number): number {
    const z = Math.log2(onsets) / this.o.onsetsPerBeatWidth;
    return Math.max(PREFERENCE_FLOOR, Math.exp(-0.5 * z * z));
  }

  private choose(at: Seconds): void {
    let best: Hypothesis | null = null;
    let bestScore = 0;
    for (let i = 0; i < this.active; i++) {
      const h = this.bank[i] as Hypothesis;
      const v = h.score;
      if (v > bestScore) {
        bestScore = v;
        best = h;
      }
    }
    const current = this.chosen;
    if (best !== null && best !== current) {
      const still = current !== null && this.bank.indexOf(current) < this.active;
      if (!still || current === null) this.chosen = best;
      else if (isRelative(best, current)) {
        if (bestScore > current.score * (1 + this.o.levelMargin)) this.chosen = best;
      } else if (bestScore > current.score * (1 + this.switchMargin)) this.chosen = best;
      else if (bestScore > current.score * (1 + this.o.pitchedSwitchMargin)) {
        // A rival ahead by the smaller margin takes over once it has stayed ahead a while.
        if (best !== this.challenger || Math.abs(best.period - this.challengerPeriod) > 0.03 * best.period) {
          this.challenger = best;
          this.challengerPeriod = best.period;
          this.challengeSince = at;
        } else if (at - this.challengeSince >= PERSIST_BEATS * current.period) this.chosen = best;
      } else this.challenger = null;
    } else this.challenger = null;
    if (this.chosen !== current) this.challenger = null;
    this.confidence = this.chosen === null ? 0 : this.confidenceOf(this.chosen);
  }

  /**
   * Confidence: how much better the chosen beats are marked than beats placed at random would
   * be, given how densely the playing fills time.
   */
  private confidenceOf(h: Hypothesis): number {
    const density = this.density;
    const w = windowOf(h.period, this.follow);
    // The chance that a random instant has an onset within the ±w window.
    const chance = 1 - Math.exp(-density * 2 * w);
    const strength = Math.min(1, h.strength);
    const maturity = Math.min(1, h.beats / 4);
    return Math.max(0, Math.min(1, ((strength - chance) / (1 - chance)) * maturity));
  }
}

/**
 * `((x % m) + m) % m` bit for bit, without the floating-point remainder (a library call) in the
 * usual case |x| < m: there `x % m` is x, and the sum rounds as it would.
 */
function wrap(x: number, m: number): number {
  if (!(Math.abs(x) < m)) return ((x % m) + m) % m;
  let y = x + m;
  if (y >= m) y -= m;
  if (y >= m) y -= m;
  return y;
}

/** How far `t` lies from the nearest beat of a hypothesis's grid (negative: before it). */
function offBeat(h: Hypothesis, t: Seconds): Seconds {
  return t - h.next - Math.round((t - h.next) / h.period) * h.period;
}

/** Whether a beat's timing error (NaN: unmarked) fits a tempo jump that changes the period by `step`. */
function drifting(error: Seconds, step: Seconds): boolean {
  return Number.isNaN(error) || (error * step > 0 && Math.abs(error) >= JUMP_ERROR);
}

/** Whether two hypotheses are the same pulse at different metrical levels (×2, ×3, ×½, ×⅓). */
function isRelative(a: Hypothesis, b: Hypothesis): boolean {
  const r = a.period > b.period ? a.period / b.period : b.period / a.period;
  return Math.abs(r - 2) < 0.1 || Math.abs(r - 3) < 0.15 || Math.abs(r - 1.5) < 0.08 || Math.abs(r - 4) < 0.2;
}

function copyInto(target: Hypothesis, source: Hypothesis): void {
  target.period = source.period;
  target.next = source.next;
  target.strength = source.strength;
  target.beats = source.beats;
  target.score = source.score;
  target.metrics.set(source.metrics);
  target.cycleBeat = source.cycleBeat;
  target.strokes = source.strokes;
  target.bestValue = source.bestValue;
  target.bestError = source.bestError;
  target.bestWeight = source.bestWeight;
}

/**
 * Tracks beats through a whole performance: feeds the onsets in time order and returns every
 * committed beat, each decided only from onsets before it.
 * @example trackBeats(onsetsOfAPerformance) // [0.52, 1.17, 1.82, …]
 */
export function trackBeats(onsets: readonly Onset[], options: Partial<PulseOptions> = {}): Seconds[] {
  const tracker = new PulseTracker(options);
  const sorted = byTime(onsets);
  const beats: Seconds[] = [];
  for (const onset of sorted) {
    for (const b of tracker.advance(onset.t)) beats.push(b);
    tracker.hear(onset);
  }
  const last = sorted[sorted.length - 1];
  if (last !== undefined) {
    for (const b of tracker.advance(last.t + (options.clusterWindow ?? DEFAULT_PULSE_OPTIONS.clusterWindow)))
      beats.push(b);
  }
  return beats;
}
