/** The shapes of an analysis: options, per-track and per-pair measures (plain JSON). */
import type { HitEvent, NoteEvent } from '../events/index.ts';
import type { PairLead, RelationOptions, Responses, Synchrony } from '../relation/index.ts';
import type { Bpm, Midi, Seconds } from '../time/index.ts';

/** A track of a recording: a player's notes and hits. */
export interface AnalysisTrack {
  name: string;
  events: readonly (NoteEvent | HitEvent)[];
}

/** Settings of {@link analyzePerformance}. */
export interface AnalysisOptions {
  /** Settings of the trackers; by default the leader index and synchrony weigh the whole recording equally. */
  relation: Partial<RelationOptions>;
  /** Step of the tempo, loudness and density curves. */
  curveStep: Seconds;
  /** A pulse counts as confident (steady pulse share, tempo median, period variation) from this confidence. */
  confidentPulse: number;
  /** Whether to follow the key of pitched tracks for tonal clarity. */
  key: boolean;
}

/** The defaults of `attune analyze`. */
export const DEFAULT_ANALYSIS_OPTIONS: Readonly<AnalysisOptions> = Object.freeze({
  relation: {},
  curveStep: 1,
  confidentPulse: 0.5,
  key: true,
});

/** The measures of one track. Every number is finite; unknown values are null. */
export interface TrackAnalysis {
  name: string;
  kind: 'pitched' | 'percussive' | 'mixed' | 'empty';
  /** Notes and hits in the track. */
  events: number;
  /** Onsets, chords counted once. */
  onsets: number;
  /** First onset and last sound of the track (null when empty). */
  start: Seconds | null;
  end: Seconds | null;
  tempo: {
    /** Median BPM over the time with a confident pulse while playing. */
    median: Bpm | null;
    /**
     * Coefficient of variation (sd / mean, unitless) of the beat period over that time, each
     * period first moved by octaves to the metrical level of the median (a tracker's switch
     * between half and double time is not unsteadiness).
     */
    periodCv: number | null;
    /** Mean |difference of successive beat intervals| / their mean, over committed beats (unitless). */
    beatToBeat: number | null;
    /** Share of the playing time (not silent) with a confident pulse (0–1). */
    confidentShare: number;
    /** Beats committed by the pulse tracker. */
    beats: number;
    /** The tracker's tempo every curveStep seconds while playing and a pulse is known. */
    curve: { t: Seconds; bpm: Bpm; confidence: number }[];
  };
  dynamics: {
    /** Mean onset velocity (a chord as its loudest note). */
    mean: number | null;
    sd: number | null;
    /** 5th and 95th percentile velocity, and the span between them. */
    low: number | null;
    high: number | null;
    range: number | null;
    min: number | null;
    max: number | null;
    accents: number;
    accentsPerMinute: number;
    /** Loudness level every curveStep seconds while playing. */
    curve: { t: Seconds; loudness: number }[];
  };
  density: {
    /** Onsets per second over the whole recording. */
    overall: number;
    /** Onsets per second of the time the player was not silent. */
    playing: number | null;
    /** Smoothed density every curveStep seconds. */
    curve: { t: Seconds; density: number }[];
  };
  /** Pitches of the notes (null for hits only). */
  pitch: { lowest: Midi; highest: Midi; low: Midi; high: Midi; range: number; mean: Midi } | null;
  silence: {
    /** Share of the recording in which the player was silent (0–1). */
    share: number;
    count: number;
    longest: Seconds;
  };
  phrases: {
    count: number;
    meanLength: Seconds | null;
    medianLength: Seconds | null;
    meanOnsets: number | null;
  };
  /** Tonal clarity: mean key confidence while playing pitched notes, and the key held longest. */
  tonal: { clarity: number; key: string | null; keyShare: number } | null;
}

/** The measures between two tracks `a` and `b`. */
export interface PairAnalysis {
  a: string;
  b: string;
  /** Asynchrony, a's onset minus b's, in ms. */
  synchrony: Synchrony;
  /** Positive when a leads. */
  lead: PairLead;
  bAnswersA: Responses;
  aAnswersB: Responses;
}

/** The measures of a recording: JSON-friendly (plain objects, finite numbers and nulls). */
export interface PerformanceAnalysis {
  start: Seconds | null;
  end: Seconds | null;
  duration: Seconds;
  tracks: TrackAnalysis[];
  pairs: PairAnalysis[];
  group: { anyone: Seconds; together: Seconds; overlapShare: number; turns: number; turnsPerMinute: number };
}
