/**
 * Activity: what the engine hears of one player besides pulse and key. Loudness and its trend,
 * accents, note density, register and range, silences and phrases, for pitched playing and for
 * hits. Causal and incremental: onsets are heard in time order and every answer at `now` depends
 * only on onsets heard before it. The measures are defined in docs/MEASURES.md.
 */
import type { Onset } from '../events/index.ts';
import { assertPositive, type Midi, type Seconds, TIME_EPSILON } from '../time/index.ts';
import { DecayingMean, DecayingRate, DecayingSlope } from './smoothing.ts';
import { RecentMedian, SlidingRange } from './window.ts';

/** Settings of an {@link ActivityTracker}; every time is in seconds. */
export interface ActivityOptions {
  /** Session time from which the player is listened to (silence before the first onset counts from here). */
  start: Seconds;
  /** Onsets within this time of a cluster's first onset belong to it (a chord, a flam): one onset. */
  chordWindow: Seconds;
  /** Time constant τ_L of the loudness level (exponential time-decay weights exp(-age/τ_L)). */
  loudnessTime: Seconds;
  /** Time constant τ_T of the weighted regression line whose slope is the loudness trend. */
  trendTime: Seconds;
  /** Time constant τ_D of the density (decaying onset count divided by τ_D). */
  densityTime: Seconds;
  /** Time constant τ_R of the register (time-weighted mean pitch). */
  registerTime: Seconds;
  /** The range covers pitches played in this window up to the latest pitched onset. */
  rangeWindow: Seconds;
  /** How many recent inter-onset intervals (shorter than phraseCeiling) the usual interval is the median of. */
  ioiCount: number;
  /** The usual interval assumed before any interval was heard. */
  defaultIoi: Seconds;
  /** Silent once the time since the last sound exceeds silenceFactor × usual interval… */
  silenceFactor: number;
  /** …but never before silenceFloor seconds… */
  silenceFloor: Seconds;
  /** …and always after silenceCeiling seconds. */
  silenceCeiling: Seconds;
  /** A phrase ends at an inter-onset interval of phraseFactor × usual interval or more… */
  phraseFactor: number;
  /** …never shorter than phraseFloor… */
  phraseFloor: Seconds;
  /** …and always at phraseCeiling or more. */
  phraseCeiling: Seconds;
  /** An accent is at least this many velocity units above the loudness level before it… */
  accentMargin: number;
  /** …and at least this many weighted standard deviations of recent velocities above it. */
  accentDeviations: number;
  /** The snapshot reports an accent for this long after it (or until the next onset). */
  accentHold: Seconds;
}

/** The defaults, chosen for clinical improvisation from about 40 to 200 BPM. */
export const DEFAULT_ACTIVITY_OPTIONS: Readonly<ActivityOptions> = Object.freeze({
  start: 0,
  chordWindow: 0.05,
  loudnessTime: 2,
  trendTime: 4,
  densityTime: 2,
  registerTime: 4,
  rangeWindow: 10,
  ioiCount: 16,
  defaultIoi: 0.5,
  silenceFactor: 2.5,
  silenceFloor: 1,
  silenceCeiling: 4,
  phraseFactor: 2.5,
  phraseFloor: 0.5,
  phraseCeiling: 3,
  accentMargin: 10,
  accentDeviations: 2,
  accentHold: 0.5,
});

/** What one player is doing at a moment (see docs/MEASURES.md for each definition). */
export interface ActivitySnapshot {
  /** Loudness level 0–127: time-weighted mean onset velocity (τ_L); holds through a silence. */
  loudness: number;
  /** Loudness as heard now: the level, fading with τ_L once the usual interval has passed without sound. */
  sounding: number;
  /** Loudness trend in velocity units per second (weighted regression slope, τ_T), fading like `sounding`. */
  loudnessTrend: number;
  /** Onsets per second (chords once), decaying count with τ_D; falls toward 0 in a silence. */
  density: number;
  /** Recent mean pitch (time-weighted, τ_R), or null before any pitched note. */
  register: Midi | null;
  /** Lowest and highest pitch in the last rangeWindow seconds of pitched playing, or null. */
  range: [Midi, Midi] | null;
  /** Seconds since the last note stopped sounding (onset plus duration; a hit sounds for an instant). */
  silentFor: Seconds;
  /** Whether silentFor has passed the player's silence threshold. */
  silent: boolean;
  /** The silence threshold in force: clamp(silenceFactor × usual interval, floor, ceiling). */
  silenceThreshold: Seconds;
  /** The usual inter-onset interval: median of recent intervals under phraseCeiling, or null before one. */
  ioi: Seconds | null;
  /** Time of the latest onset, or null before any. */
  lastOnset: Seconds | null;
  /** Start of the phrase in progress, or null when none is in progress. */
  phraseStart: Seconds | null;
  /** Whether the latest onset was an accent (within accentHold of it). */
  accent: boolean;
  /** 0–1: how much recent playing the level, trend and register stand on, 1 − exp(−n/3) for n weighted onsets. */
  confidence: number;
}

/** A phrase: from its first onset to the end of its last sounding note. */
export interface Phrase {
  start: Seconds;
  end: Seconds;
  /** Onsets in the phrase, chords counted once. */
  onsets: number;
}

/** A silence: from the end of the last sound to the next onset (or to `now`). */
export interface Silence {
  start: Seconds;
  end: Seconds;
}

/** Checks every option and fills in the defaults. */
export function activityOptions(options: Partial<ActivityOptions> = {}): ActivityOptions {
  const merged = { ...DEFAULT_ACTIVITY_OPTIONS, ...options };
  for (const [name, value] of Object.entries(merged)) {
    if (name === 'start') {
      if (!Number.isFinite(value)) throw new RangeError(`start must be a finite time, got: ${value}`);
    } else {
      assertPositive(name, value);
    }
  }
  if (merged.silenceFloor > merged.silenceCeiling) {
    throw new RangeError(`silenceFloor must not exceed silenceCeiling, got: ${merged.silenceFloor}`);
  }
  if (merged.phraseFloor > merged.phraseCeiling) {
    throw new RangeError(`phraseFloor must not exceed phraseCeiling, got: ${merged.phraseFloor}`);
  }
  return merged;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/**
 * Follows one player's dynamics, density, register, silences and phrases as onsets arrive.
 * @example
 * const a = new ActivityTracker();
 * a.hear({ t: 0, velocity: 60 }); a.hear({ t: 0.5, velocity: 64 });
 * a.snapshot(0.6).loudness // ≈ 62
 */
export class ActivityTracker {
  readonly options: ActivityOptions;
  private readonly level: DecayingMean;
  private readonly trend: DecayingSlope;
  private readonly rate: DecayingRate;
  private readonly pitch: DecayingMean;
  private readonly pitches: SlidingRange;
  private readonly intervals: RecentMedian;
  private clusterStart: Seconds | null = null;
  private clusterVelocity = 0;
  private before = { mean: 0, sd: 0, settled: false };
  private clusterAccent = false;
  private latest: Seconds | null = null;
  private soundingUntil: Seconds;
  private phraseFrom: Seconds | null = null;
  private phraseUntil: Seconds = 0;
  private phraseOnsets = 0;
  private readonly closedPhrases: Phrase[] = [];
  private readonly closedSilences: Silence[] = [];
  private readonly accentTimes: Seconds[] = [];
  private clusters = 0;

  constructor(options: Partial<ActivityOptions> = {}) {
    this.options = activityOptions(options);
    const o = this.options;
    this.level = new DecayingMean(o.loudnessTime);
    this.trend = new DecayingSlope(o.trendTime);
    this.rate = new DecayingRate(o.densityTime);
    this.pitch = new DecayingMean(o.registerTime);
    this.pitches = new SlidingRange(o.rangeWindow);
    this.intervals = new RecentMedian(Math.max(1, Math.round(o.ioiCount)));
    this.soundingUntil = o.start;
  }

  /** Hears one onset; onsets come in time order. Onsets without a positive velocity are not sounds. */
  hear(onset: Onset): void {
    const { t, velocity } = onset;
    if (!(Number.isFinite(t) && Number.isFinite(velocity) && velocity > 0)) return;
    if (this.latest !== null && t < this.latest - TIME_EPSILON) {
      throw new RangeError(`onsets must come in time order: ${t} after ${this.latest}`);
    }
    const v = Math.min(127, velocity);
    const ends = t + (onset.duration !== undefined && onset.duration > 0 ? onset.duration : 0);
    this.latest = t;

    if (this.clusterStart !== null && t - this.clusterStart <= this.options.chordWindow) {
      // A chord (or flam) sounds as one onset as loud as its loudest note.
      if (v > this.clusterVelocity) {
        this.level.replaceLast(this.clusterVelocity, v);
        this.trend.replaceLast(this.clusterVelocity, v);
        this.clusterVelocity = v;
        this.judgeAccent();
      }
    } else {
      this.beginCluster(t, v);
    }
    if (onset.pitch !== undefined && !onset.percussive && Number.isFinite(onset.pitch)) {
      this.pitch.add(t, onset.pitch);
      this.pitches.add(t, onset.pitch);
    }
    this.soundingUntil = Math.max(this.soundingUntil, ends);
    this.phraseUntil = Math.max(this.phraseUntil, ends);
  }

  /** What the player is doing at `now` (not earlier than the latest onset heard). */
  snapshot(now: Seconds): ActivitySnapshot {
    const o = this.options;
    const silentFor = Math.max(0, now - this.soundingUntil);
    const ioi = this.intervals.median();
    const threshold = this.silenceThreshold();
    const usual = ioi ?? o.defaultIoi;
    // Past the usual interval without a sound, what was heard fades toward silence.
    const fade = Math.exp(-Math.max(0, silentFor - usual) / o.loudnessTime);
    const loudness = this.level.mean() ?? 0;
    const phraseOver = this.clusterStart === null || now - this.clusterStart >= this.phraseThreshold();
    const n = this.level.effectiveCount(now);
    return {
      loudness,
      sounding: loudness * fade,
      loudnessTrend: this.trend.slope() * fade,
      density: this.rate.rate(now),
      register: this.pitch.mean(),
      range: this.pitches.range(),
      silentFor,
      silent: silentFor >= threshold,
      silenceThreshold: threshold,
      ioi,
      lastOnset: this.latest,
      phraseStart: phraseOver ? null : this.phraseFrom,
      accent: this.clusterAccent && this.clusterStart !== null && now - this.clusterStart <= o.accentHold,
      confidence: 1 - Math.exp(-n / 3),
    };
  }

  /** The phrases so far; with `now`, also the latest one once it has ended by then. */
  phrases(now?: Seconds): Phrase[] {
    const list = [...this.closedPhrases];
    if (now !== undefined && this.clusterStart !== null && this.phraseFrom !== null) {
      if (now - this.clusterStart >= this.phraseThreshold()) {
        list.push({ start: this.phraseFrom, end: this.phraseUntil, onsets: this.phraseOnsets });
      }
    }
    return list;
  }

  /** The phrase in progress at `now` (from its first onset to its latest sound), or null. */
  currentPhrase(now: Seconds): Phrase | null {
    if (this.clusterStart === null || this.phraseFrom === null) return null;
    if (now - this.clusterStart >= this.phraseThreshold()) return null;
    return { start: this.phraseFrom, end: this.phraseUntil, onsets: this.phraseOnsets };
  }

  /** The silences between onsets so far; with `now`, also the one in progress if it counts already. */
  silences(now?: Seconds): Silence[] {
    const list = [...this.closedSilences];
    if (now !== undefined && now - this.soundingUntil >= this.silenceThreshold()) {
      list.push({ start: this.soundingUntil, end: now });
    }
    return list;
  }

  /** Times of the accents heard so far. */
  accents(): readonly Seconds[] {
    return this.accentTimes;
  }

  /** Onsets heard so far, chords counted once. */
  get onsetCount(): number {
    return this.clusters;
  }

  /** The usual inter-onset interval (median of recent ones under phraseCeiling), or null before one. */
  usualInterval(): Seconds | null {
    return this.intervals.median();
  }

  /** Seconds without sound after which the player counts as silent: clamp(factor × usual interval). */
  silenceThreshold(): Seconds {
    const o = this.options;
    const usual = this.intervals.median() ?? o.defaultIoi;
    return clamp(o.silenceFactor * usual, o.silenceFloor, o.silenceCeiling);
  }

  /** The inter-onset interval at which a phrase ends: clamp(factor × usual interval). */
  phraseThreshold(): Seconds {
    const o = this.options;
    const usual = this.intervals.median() ?? o.defaultIoi;
    return clamp(o.phraseFactor * usual, o.phraseFloor, o.phraseCeiling);
  }

  private beginCluster(t: Seconds, v: number): void {
    let resumed = true;
    if (this.clusterStart === null) {
      if (t - this.soundingUntil >= this.silenceThreshold()) {
        this.closedSilences.push({ start: this.soundingUntil, end: t });
      }
      this.phraseFrom = t;
      this.phraseUntil = t;
    } else {
      const interval = t - this.clusterStart;
      const gap = t - this.soundingUntil;
      resumed = gap >= this.silenceThreshold();
      if (resumed) this.closedSilences.push({ start: this.soundingUntil, end: t });
      if (interval >= this.phraseThreshold()) {
        // A gap clearly longer than the usual interval (a rest, or a long last note) ends a phrase.
        this.closedPhrases.push({
          start: this.phraseFrom ?? this.clusterStart,
          end: this.phraseUntil,
          onsets: this.phraseOnsets,
        });
        this.phraseFrom = t;
        this.phraseOnsets = 0;
        this.phraseUntil = t;
      }
      // A slow player's long intervals are their usual pace; only intervals past the ceiling are not.
      if (interval < this.options.phraseCeiling) this.intervals.add(interval);
    }
    // A recent level exists once two onsets were heard and the player has not just come out of a silence.
    this.before = {
      mean: this.level.mean() ?? 0,
      sd: this.level.sd(),
      settled: this.clusters >= 2 && !resumed,
    };
    this.level.add(t, v);
    this.trend.add(t, v);
    this.rate.add(t);
    this.clusterStart = t;
    this.clusterVelocity = v;
    this.clusterAccent = false;
    this.phraseOnsets += 1;
    this.clusters += 1;
    this.judgeAccent();
  }

  /** An accent is clearly louder than the level of the recent playing before it. */
  private judgeAccent(): void {
    const o = this.options;
    const { mean, sd, settled } = this.before;
    const accent =
      settled && this.clusterVelocity >= mean + Math.max(o.accentMargin, o.accentDeviations * sd);
    if (accent && !this.clusterAccent && this.clusterStart !== null) this.accentTimes.push(this.clusterStart);
    this.clusterAccent = accent;
  }
}
