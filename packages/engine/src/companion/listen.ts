/**
 * The companion's ear: the perception trackers (pulse, key, activity) fed with what the clients
 * play, read out as the summaries the techniques and the beat clock use.
 */
import { ActivityTracker, type Phrase } from '../activity/index.ts';
import type { Onset } from '../events/index.ts';
import { type KeyEstimate, KeyTracker } from '../key/index.ts';
import { onsetSalience, type PulseOptions, PulseTracker } from '../pulse/index.ts';
import type { Listening } from '../technique/index.ts';
import type { Seconds } from '../time/index.ts';
import type { PulseView } from './clock.ts';

/** How many predicted client beats the clock looks at. */
const PREDICTED_BEATS = 4;
/** The longest a note counts as sounding for the companion's sense of silence (a held pedal is not a phrase). */
const LONGEST_SOUND: Seconds = 2;
/** How many onsets of the client's latest phrase are remembered for an answer. */
const PHRASE_MEMORY = 32;

/** What the companion can ask about the clients it hears. */
export interface Ear {
  hear(onset: Onset): void;
  pulse(now: Seconds): PulseView | null;
  key(now: Seconds): KeyEstimate | null;
  listening(now: Seconds): Listening;
  /** The onsets of the client's current or latest phrase, oldest first. */
  phrase(): readonly Onset[];
  /** The client's phrases as the activity tracker divides them: those ended by `now`, and the one in progress. */
  phrasing?(now: Seconds): Phrasing;
  /**
   * Where the client's beat fell near one of the companion's: their firmest onset within `window`
   * of `beat` (of two alike, the nearer) with the notes sounding with it, or null when they played
   * nothing there.
   */
  stroke(beat: Seconds, window: Seconds): Stroke | null;
  /** How well a grid of beats explains the client's recent playing: the salience of onsets within `window` of them. */
  support(beats: readonly Seconds[], window: Seconds): number;
}

/**
 * A stroke of the client's: the time of their firmest onset near a beat taken with the notes of
 * its chord (the mean of the onsets within 50 ms of it, weighted by firmness, so a rolled or
 * uneven chord marks its centre), and the firmness of that onset.
 */
export interface Stroke {
  readonly t: Seconds;
  readonly firmness: number;
}

/** Onsets this close to the firmest one sound with it, as one chord or one kit stroke. */
const CHORD: Seconds = 0.05;

/** The client's phrases at a moment: each from its first onset to the end of its last sound. */
export interface Phrasing {
  readonly ended: readonly Phrase[];
  readonly current: Phrase | null;
}

/** An ear built on the engine's pulse, key and activity trackers. */
export class TrackerEar implements Ear {
  private readonly pulseTracker: PulseTracker;
  private readonly keyTracker = new KeyTracker();
  private readonly activity = new ActivityTracker();
  private readonly recent: Onset[] = [];
  private soundingUntil: Seconds = Number.NEGATIVE_INFINITY;
  private latest: Seconds = Number.NEGATIVE_INFINITY;

  constructor(pulse: Partial<PulseOptions> = {}) {
    this.pulseTracker = new PulseTracker(pulse);
  }

  hear(onset: Onset): void {
    if (!(Number.isFinite(onset.t) && onset.velocity > 0) || onset.t < this.latest) return;
    // A rest of more than a second and a half starts a new phrase in the companion's memory.
    if (onset.t - this.soundingUntil > 1.5) this.recent.length = 0;
    this.latest = onset.t;
    this.recent.push(onset);
    if (this.recent.length > PHRASE_MEMORY) this.recent.shift();
    const length = onset.percussive ? 0 : Math.min(onset.duration ?? 0, LONGEST_SOUND);
    this.soundingUntil = Math.max(this.soundingUntil, onset.t + length);
    this.pulseTracker.hear(onset);
    this.keyTracker.hear(onset);
    this.activity.hear(onset);
  }

  pulse(now: Seconds): PulseView | null {
    this.pulseTracker.advance(now);
    const estimate = this.pulseTracker.estimate(now);
    if (estimate === null) return null;
    return {
      period: estimate.period,
      confidence: estimate.confidence,
      predicted: this.pulseTracker.predict(now, PREDICTED_BEATS),
    };
  }

  key(now: Seconds): KeyEstimate | null {
    return this.keyTracker.estimate(now);
  }

  listening(now: Seconds): Listening {
    const started = this.latest > Number.NEGATIVE_INFINITY;
    const snap = started ? this.activity.snapshot(Math.max(now, this.latest)) : null;
    const estimate = started ? this.pulseTracker.estimate(now) : null;
    return {
      now,
      started,
      pulse: estimate ? { period: estimate.period, confidence: estimate.confidence } : null,
      loudness: snap?.loudness ?? 0,
      density: snap?.density ?? 0,
      register: snap?.register ?? null,
      silentFor: started ? Math.max(0, now - this.soundingUntil) : Number.POSITIVE_INFINITY,
      phraseStart: this.recent[0]?.t ?? null,
    };
  }

  phrase(): readonly Onset[] {
    return this.recent;
  }

  phrasing(now: Seconds): Phrasing {
    // The activity tracker's phrase boundary: a gap clearly longer than the client's usual interval.
    const at = Math.max(now, this.latest);
    return { ended: this.activity.phrases(at), current: this.activity.currentPhrase(at) };
  }

  stroke(beat: Seconds, window: Seconds): Stroke | null {
    let best: Onset | null = null;
    let bestWeight = 0;
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const o = this.recent[i] as Onset;
      if (o.t < beat - window) break;
      if (o.t > beat + window) continue;
      // The firmest onset marks the beat; of two alike, the nearer.
      const weight = onsetSalience(o) * (1 - (0.3 * Math.abs(o.t - beat)) / window);
      if (weight > bestWeight) {
        best = o;
        bestWeight = weight;
      }
    }
    if (best === null) return null;
    let sum = 0;
    let weights = 0;
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const o = this.recent[i] as Onset;
      if (o.t < best.t - CHORD) break;
      if (o.t > best.t + CHORD) continue;
      const w = onsetSalience(o);
      sum += w * o.t;
      weights += w;
    }
    return { t: weights > 0 ? sum / weights : best.t, firmness: onsetSalience(best) };
  }

  support(beats: readonly Seconds[], window: Seconds): number {
    let total = 0;
    for (const o of this.recent) {
      if (beats.some((b) => Math.abs(o.t - b) <= window)) total += onsetSalience(o);
    }
    return total;
  }
}
