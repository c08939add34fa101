/**
 * Tonality: which key or mode a player is in, heard causally and incrementally.
 *
 * Each pitched onset adds to a pitch-class vector that fades with a half-life, weighted by the
 * note's length and loudness, more in the bass and more in the music's first phrase. At each new
 * onset time the vector is correlated with major and minor key profiles; the first bass note of
 * the music adds evidence for its own tonic; the key in force keeps a bonus so that a stray note
 * does not move it. A short memory watches for a modulation: when another key fits the recent
 * notes clearly better for a few seconds, the long memory starts again from the recent notes. A
 * church mode or pentatonic collection replaces the major or minor answer only when the notes
 * keep to it and its characteristic degree is clearly heard.
 */
import type { Onset } from '../events/index.ts';
import { assertPositive, assertRange, type Seconds } from '../time/index.ts';
import { DEFAULT_MODAL_THRESHOLDS, type ModalThresholds, type Mode, modalReading } from './modes.ts';
import { correlations, type ProfileName, profilePair, standardise } from './profiles.ts';
import { spellTonic } from './spelling.ts';

export type { ModalThresholds, Mode } from './modes.ts';
export { MODE_DEGREES, MODES } from './modes.ts';
export type { ProfileName } from './profiles.ts';
export { profilePair } from './profiles.ts';
export { keySignature, spellTonic } from './spelling.ts';

/** A key or mode in force, with how sure the tracker is of it (0..1). */
export interface KeyEstimate {
  /** The tonic's name, spelled by the key signature with fewer accidentals: 'F#', 'Bb'. */
  tonic: string;
  /** The tonic's pitch class, C = 0. */
  tonicPc: number;
  mode: Mode;
  confidence: number;
}

/** How the tracker listens. */
export interface KeyOptions {
  /** Time over which a note's evidence halves: longer is steadier, shorter follows modulation sooner. */
  halfLife: Seconds;
  /** The key profiles the heard pitch classes are compared with. */
  profile: ProfileName;
  /** Extra weight (0 = none) of the notes heard within `primacySpan` of the first: the first phrase states the key. */
  primacyWeight: number;
  primacySpan: Seconds;
  /** Half-life of the short memory that notices a modulation. */
  shortHalfLife: Seconds;
  /** How much better (in correlation units) a key must fit the short memory than the key in force to challenge it. */
  switchMargin: number;
  /** How long a challenger must keep that lead before the long memory is replaced by the short one. */
  switchAfter: Seconds;
  /** Time from the first note during which the opening's key is settled and not challenged. */
  settleTime: Seconds;
  /** Bonus of the key in force, in correlation units: another key must beat it by this much. */
  stay: number;
  /** Extra weight (0 = none) of a note with no lower note sounding: the bass. */
  bassWeight: number;
  /** Bonus, in correlation units, of the key whose tonic is the first bass note of the music. */
  openingWeight: number;
  /** Time over which the opening bonus halves. */
  openingHalfLife: Seconds;
  /** How much of the opening bonus a single-line opening gives the key whose fifth its lowest note is (0–1; 1 = half). */
  monophonicOpening: number;
  /** Longest note length that still adds weight (a held note counts this long at most). */
  durationCap: Seconds;
  /** How a note's weight grows with its velocity (0 = not at all, 1 = in proportion). */
  velocityExponent: number;
  /** How a note's weight grows with its length (0 = not at all, 1 = in proportion). */
  durationExponent: number;
  /** The first bass note is the lowest note heard within this time of the first onset. */
  openingSpan: Seconds;
  /** Length assumed for an onset that carries none (live note-ons). */
  defaultDuration: Seconds;
  /** Whether to label church modes and pentatonic collections when the evidence is clear. */
  modes: boolean;
  /** Least number of recent notes before a modal label is given. */
  modalMinNotes: number;
  modalThresholds: ModalThresholds;
}

export const DEFAULT_KEY_OPTIONS: KeyOptions = {
  halfLife: 20,
  profile: 'combined',
  stay: 0.04,
  primacyWeight: 2,
  primacySpan: 2,
  shortHalfLife: 5,
  switchMargin: 0.1,
  switchAfter: 4,
  settleTime: 15,
  bassWeight: 0.5,
  openingWeight: 0.15,
  openingHalfLife: 30,
  monophonicOpening: 1,
  durationCap: 1,
  velocityExponent: 0.5,
  durationExponent: 0.5,
  openingSpan: 0.5,
  defaultDuration: 0.3,
  modes: true,
  modalMinNotes: 40,
  modalThresholds: DEFAULT_MODAL_THRESHOLDS,
};

/** Correlation-to-probability sharpness for the confidence. */
const CONFIDENCE_SHARPNESS = 25;

/** Tonic evidence, as a share of the heard weight, of being the opening's lowest note. */
const OPENING_TONIC_EVIDENCE = 0.1;

/** A note still sounding. */
interface HeardNote {
  pitch: number;
  start: Seconds;
  end: Seconds;
}

/** Onsets closer than this sound as one chord. */
const CHORD_SPREAD: Seconds = 0.06;
/** A note still sounding this long after a new onset is held under it, not a legato overlap. */
const HELD_UNDER: Seconds = 0.15;

/**
 * Follows the key or mode of one player's pitched onsets. Feed onsets in time order with
 * `hear`; `estimate(now)` answers from the onsets heard before `now`.
 * @example
 * const tracker = new KeyTracker();
 * for (const onset of onsets) tracker.hear(onset);
 * tracker.estimate(10) // { tonic: 'G', tonicPc: 7, mode: 'major', confidence: 0.8 }
 */
export class KeyTracker {
  private readonly options: KeyOptions;
  private readonly profiles: Float64Array[];
  private readonly decayRate: number;
  /** Faded pitch-class weights, as of `lastTime`. */
  private readonly weights = new Float64Array(12);
  /** The same weights with a short memory. */
  private readonly recent = new Float64Array(12);
  private readonly shortDecayRate: number;
  /** A key that fits the recent notes clearly better than the key in force, and since when. */
  private challenger: { index: number; since: Seconds } | null = null;
  private noteCount = 0;
  private lastTime: Seconds = Number.NEGATIVE_INFINITY;
  /** Notes still sounding, for telling the bass of each new onset. */
  private sounding: HeardNote[] = [];
  private firstTime: Seconds | null = null;
  /** The lowest pitch of the music's first moments. */
  private openingLow: number | null = null;
  /** False once a modulation has been followed: the opening then says nothing more. */
  private openingOpen = true;
  /** 1 while the opening has been a single line, 2 once two voices sounded together. */
  private openingVoices = 1;
  /** Onset time whose notes are heard but not yet weighed into a decision. */
  private pendingTime: Seconds | null = null;
  private current: KeyEstimate | null = null;
  private readonly scores = new Float64Array(24);
  private readonly recentScores = new Float64Array(24);
  private readonly shares = new Float64Array(12);
  private readonly tonicEvidence = new Float64Array(12);

  constructor(options: Partial<KeyOptions> = {}) {
    this.options = { ...DEFAULT_KEY_OPTIONS, ...options };
    const o = this.options;
    assertPositive('halfLife', o.halfLife);
    assertPositive('openingHalfLife', o.openingHalfLife);
    assertPositive('shortHalfLife', o.shortHalfLife);
    assertRange('switchMargin', o.switchMargin, 0, 2);
    assertRange('switchAfter', o.switchAfter, 0, 600);
    assertRange('settleTime', o.settleTime, 0, 3600);
    assertPositive('durationCap', o.durationCap);
    assertPositive('defaultDuration', o.defaultDuration);
    assertRange('stay', o.stay, 0, 2);
    assertRange('primacyWeight', o.primacyWeight, 0, 100);
    assertRange('primacySpan', o.primacySpan, 0, 600);
    assertRange('bassWeight', o.bassWeight, 0, 100);
    assertRange('openingWeight', o.openingWeight, 0, 2);
    assertRange('openingSpan', o.openingSpan, 0, 60);
    assertRange('monophonicOpening', o.monophonicOpening, 0, 1);
    assertRange('modalMinNotes', o.modalMinNotes, 0, 1e6);
    const [major, minor] = profilePair(o.profile);
    this.profiles = [standardise(major), standardise(minor)];
    this.decayRate = Math.LN2 / o.halfLife;
    this.shortDecayRate = Math.LN2 / o.shortHalfLife;
  }

  /** Hears one onset; unpitched onsets and onsets earlier than the last one heard are ignored. */
  hear(onset: Onset): void {
    const { pitch, t } = onset;
    if (pitch === undefined || onset.percussive === true || !Number.isFinite(pitch) || !Number.isFinite(t))
      return;
    if (t < this.lastTime) return;
    if (this.pendingTime !== null && t > this.pendingTime) this.decide();
    this.fadeTo(t);
    const o = this.options;
    const velocity = Math.max(1, Math.min(127, onset.velocity)) / 127;
    const duration = Math.min(o.durationCap, Math.max(0.05, onset.duration ?? o.defaultDuration));
    const weight = velocity ** o.velocityExponent * duration ** o.durationExponent;
    const note = { pitch: Math.round(pitch), start: t, end: t + (onset.duration ?? o.defaultDuration) };
    // The lowest sounding note carries the harmony's root or its inversion: it counts more.
    let isBass = true;
    let kept = 0;
    const opening = this.firstTime === null || t - this.firstTime <= o.openingSpan;
    for (const other of this.sounding) {
      if (other.end <= t) continue;
      if (other.pitch < note.pitch) isBass = false;
      // Two voices at once in the opening: a chord or a held note under a new one, not a
      // single line's legato overlap.
      if (opening && (t - other.start < CHORD_SPREAD || other.end - t > HELD_UNDER)) this.openingVoices = 2;
      this.sounding[kept++] = other;
    }
    this.sounding.length = kept;
    const pc = ((note.pitch % 12) + 12) % 12;
    // The music's first phrase states its key before any modulation: it is remembered more.
    const first = this.firstTime === null || t - this.firstTime < o.primacySpan ? 1 + o.primacyWeight : 1;
    this.weights[pc]! += first * weight * (isBass ? 1 + o.bassWeight : 1);
    this.recent[pc]! += weight * (isBass ? 1 + o.bassWeight : 1);
    this.noteCount += 1;
    this.sounding.push(note);
    if (this.firstTime === null) this.firstTime = t;
    // The first bass note of the music, within its first moments, is usually its tonic.
    if (
      t - this.firstTime <= o.openingSpan &&
      this.openingOpen &&
      (this.openingLow === null || note.pitch < this.openingLow)
    ) {
      this.openingLow = note.pitch;
    }
    this.pendingTime = t;
  }

  /**
   * The key or mode in force at `now`, from the onsets heard before it; null before any. Asking
   * changes nothing: the answer is the same however often it is asked.
   */
  estimate(now: Seconds): KeyEstimate | null {
    if (this.pendingTime !== null && this.pendingTime < now) this.decide();
    return this.current === null ? null : { ...this.current };
  }

  /** Fades the evidence to time t. */
  private fadeTo(t: Seconds): void {
    if (Number.isFinite(this.lastTime) && t > this.lastTime) {
      const keep = Math.exp(-this.decayRate * (t - this.lastTime));
      const keepRecent = Math.exp(-this.shortDecayRate * (t - this.lastTime));
      for (let pc = 0; pc < 12; pc++) {
        this.recent[pc]! *= keepRecent;
        this.weights[pc]! *= keep;
      }
      this.noteCount *= keep;
    }
    this.lastTime = t;
  }

  /** Weighs the notes of the latest onset time into the key in force. */
  private decide(): void {
    const t = this.pendingTime!;
    this.pendingTime = null;
    this.watchForModulation(t);
    const w = this.weights;
    let total = 0;
    for (let pc = 0; pc < 12; pc++) total += w[pc]!;
    if (total <= 0) return;
    const o = this.options;
    const openingBonus =
      this.firstTime === null ? 0 : o.openingWeight * 2 ** (-(t - this.firstTime) / o.openingHalfLife);
    const openingPc = this.openingLow === null ? -1 : this.openingLow % 12;
    // Under a texture the first bass note is the tonic; a single line (a fugue subject) may as
    // well start on the fifth, so the key a fifth below shares the evidence.
    const openingShare = this.openingVoices > 1 ? 1 : 1 - o.monophonicOpening / 2;
    const openingFifthBelow = openingPc < 0 ? -1 : (openingPc + 5) % 12;
    const currentIndex = this.current === null ? -1 : tonalIndex(this.current);
    const scores = correlations(w, this.profiles, this.scores);
    let bestIndex = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let index = 0; index < 24; index++) {
      if (index % 12 === openingPc) scores[index]! += openingBonus * openingShare;
      if (index % 12 === openingFifthBelow) scores[index]! += openingBonus * (1 - openingShare);
      const held = index === currentIndex ? scores[index]! + o.stay : scores[index]!;
      if (held > bestScore) {
        bestScore = held;
        bestIndex = index;
      }
    }
    const confidence = this.confidenceOf(bestIndex);
    const tonal = { tonicPc: bestIndex % 12, mode: (bestIndex < 12 ? 'major' : 'minor') as Mode };
    const chosen =
      o.modes && this.noteCount >= o.modalMinNotes ? (this.modal(tonal, total, openingPc) ?? tonal) : tonal;
    this.current = {
      tonic: spellTonic(chosen.tonicPc, chosen.mode),
      tonicPc: chosen.tonicPc,
      mode: chosen.mode,
      confidence,
    };
  }

  /**
   * A modulation: when another key fits the recent notes clearly better than the key in force,
   * and keeps doing so for a while, the long memory starts again from the recent notes.
   */
  private watchForModulation(t: Seconds): void {
    const o = this.options;
    if (this.current === null || this.firstTime === null || t - this.firstTime < o.settleTime) return;
    const scores = correlations(this.recent, this.profiles, this.recentScores);
    let best = 0;
    for (let i = 1; i < 24; i++) if (scores[i]! > scores[best]!) best = i;
    const current = tonalIndex(this.current);
    // A challenge lasts while the challenger fits the recent notes better than the key in force;
    // it starts, and wins, only with a clear lead.
    if (this.challenger !== null && scores[this.challenger.index]! <= scores[current]!)
      this.challenger = null;
    const lead = scores[best]! - scores[current]!;
    if (best === current || lead < o.switchMargin) return;
    if (this.challenger === null || this.challenger.index !== best) {
      if (this.challenger === null) this.challenger = { index: best, since: t };
      return;
    }
    if (t - this.challenger.since < o.switchAfter) return;
    this.weights.set(this.recent);
    this.challenger = null;
    // After a modulation the opening's tonic is no longer evidence for the key in force.
    this.openingLow = null;
    this.openingOpen = false;
  }

  /** Softmax share of the best key among the 24, scaled down while little has been heard. */
  private confidenceOf(bestIndex: number): number {
    const best = this.scores[bestIndex]!;
    let sum = 0;
    for (let i = 0; i < 24; i++) sum += Math.exp(CONFIDENCE_SHARPNESS * (this.scores[i]! - best));
    const evidence = 1 - Math.exp(-this.noteCount / 4);
    return Math.round((evidence / sum) * 1000) / 1000;
  }

  private modal(tonal: { tonicPc: number; mode: Mode }, total: number, openingPc: number) {
    for (let pc = 0; pc < 12; pc++) this.shares[pc] = this.weights[pc]! / total;
    for (let pc = 0; pc < 12; pc++) {
      // A resting tone sounds often, is supported by its fifth, and was the opening's bass.
      this.tonicEvidence[pc] =
        this.shares[pc]! +
        0.5 * this.shares[(pc + 7) % 12]! +
        (pc === openingPc ? OPENING_TONIC_EVIDENCE : 0);
    }
    return modalReading(this.shares, tonal, this.tonicEvidence, this.options.modalThresholds);
  }
}

/** Index 0–23 of a tonal key (major 0–11, minor 12–23) for a key in force; modes map to their tonal kin. */
function tonalIndex(key: KeyEstimate): number {
  const minorLike =
    key.mode === 'minor' ||
    key.mode === 'dorian' ||
    key.mode === 'phrygian' ||
    key.mode === 'minor-pentatonic';
  return (minorLike ? 12 : 0) + key.tonicPc;
}

/**
 * The keys in force over a performance: one entry each time the key or mode changes, in force
 * from just after its `t` on, decided from the onsets at or before `t` (so `estimate(now)` of a
 * tracker fed the same onsets gives, for any now, the last entry with `t < now`).
 * @example trackKeys(onsets) // [{ t: 0, tonic: 'C', tonicPc: 0, mode: 'major', confidence: 0.2 }, { t: 31.5, tonic: 'G', ... }]
 */
export function trackKeys(
  onsets: readonly Onset[],
  options: Partial<KeyOptions> = {},
): Array<KeyEstimate & { t: Seconds }> {
  const tracker = new KeyTracker(options);
  const sorted = [...onsets].sort((a, b) => a.t - b.t);
  const result: Array<KeyEstimate & { t: Seconds }> = [];
  for (let i = 0; i < sorted.length; i++) {
    const onset = sorted[i]!;
    tracker.hear(onset);
    const next = sorted[i + 1];
    if (next !== undefined && next.t <= onset.t) continue;
    // Asked just after this onset time, the tracker has weighed every note at it.
    const key = tracker.estimate(next === undefined ? Number.POSITIVE_INFINITY : next.t);
    if (key === null) continue;
    const last = result[result.length - 1];
    if (last !== undefined && last.tonicPc === key.tonicPc && last.mode === key.mode) continue;
    result.push({ t: onset.t, ...key });
  }
  return result;
}
