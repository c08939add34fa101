/**
 * Analysis: the measures of one recording, per track and between each pair of tracks, as
 * `attune analyze` prints them and researchers export them. One pass in time order through every
 * track together, with the same causal trackers the live companion uses, so a measure of a
 * recording means what it meant live. Definitions in docs/MEASURES.md.
 */
import type { ActivityTracker } from '../activity/index.ts';
import { type HitEvent, type NoteEvent, type Onset, toOnset } from '../events/index.ts';
import { KeyTracker } from '../key/index.ts';
import {
  type PairLead,
  type PlayerSample,
  type RelationOptions,
  RelationTracker,
  type Responses,
  type Synchrony,
} from '../relation/index.ts';
import { assertPositive, assertRange, type Bpm, type Midi, type Seconds } from '../time/index.ts';
import { Histogram, Moments, medianOf } from './stats.ts';

export { formatAnalysis } from './format.ts';

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

interface TrackState {
  name: string;
  onsets: Onset[];
  notes: number;
  hits: number;
  velocity: Histogram;
  pitch: Histogram;
  clusterVelocity: number;
  key: KeyTracker | null;
  keyTime: Map<string, number>;
  clarity: Moments;
  bpms: number[];
  playingSamples: number;
  confidentSamples: number;
  tempoCurve: TrackAnalysis['tempo']['curve'];
  loudnessCurve: TrackAnalysis['dynamics']['curve'];
  densityCurve: TrackAnalysis['density']['curve'];
  first: Seconds | null;
  last: Seconds | null;
}

function checkOptions(options: Partial<AnalysisOptions>): AnalysisOptions {
  const o = { ...DEFAULT_ANALYSIS_OPTIONS, ...options };
  assertPositive('curveStep', o.curveStep);
  assertRange('confidentPulse', o.confidentPulse, 0, 1);
  return o;
}

function uniqueNames(tracks: readonly AnalysisTrack[]): string[] {
  const used = new Set<string>();
  return tracks.map((track, i) => {
    const base = track.name.trim() === '' ? `track ${i + 1}` : track.name;
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base} (${k})`;
    used.add(name);
    return name;
  });
}

function onsetsOf(events: readonly (NoteEvent | HitEvent)[]): Onset[] {
  const out: Onset[] = [];
  let sorted = true;
  for (const e of events) {
    const o = toOnset(e);
    if (o === null || !Number.isFinite(o.t) || !(o.velocity > 0)) continue;
    if (out.length > 0 && o.t < (out[out.length - 1] as Onset).t) sorted = false;
    out.push(o);
  }
  // Recordings come in time order; a stable sort mends the rare one that does not.
  return sorted ? out : out.sort((a, b) => a.t - b.t);
}

/**
 * The measures of a recording with one or more tracks, in one linear pass.
 * @example analyzePerformance([{ name: 'client', events }]).tracks[0]?.tempo.median // 96.2
 */
export function analyzePerformance(
  tracks: readonly AnalysisTrack[],
  options: Partial<AnalysisOptions> = {},
): PerformanceAnalysis {
  const o = checkOptions(options);
  const names = uniqueNames(tracks);
  const states: TrackState[] = tracks.map((track, i) => {
    const onsets = onsetsOf(track.events);
    const notes = onsets.filter((x) => !x.percussive).length;
    return {
      name: names[i] as string,
      onsets,
      notes,
      hits: onsets.length - notes,
      velocity: new Histogram(),
      pitch: new Histogram(),
      clusterVelocity: 0,
      key: o.key && notes > 0 ? new KeyTracker() : null,
      keyTime: new Map(),
      clarity: new Moments(),
      bpms: [],
      playingSamples: 0,
      confidentSamples: 0,
      tempoCurve: [],
      loudnessCurve: [],
      densityCurve: [],
      first: null,
      last: null,
    };
  });

  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const s of states) {
    for (const x of s.onsets) {
      start = Math.min(start, x.t);
      end = Math.max(end, x.t + (x.duration ?? 0));
    }
  }
  const any = Number.isFinite(start);
  const relationOptions: Partial<RelationOptions> = {
    memory: Number.POSITIVE_INFINITY,
    ...o.relation,
    activity: { ...(any ? { start } : {}), ...o.relation.activity },
  };
  let nextCurve = any ? start : 0;
  const listen = (t: Seconds, samples: readonly PlayerSample[]): void => {
    const onCurve = t >= nextCurve - 1e-9;
    if (onCurve) nextCurve += o.curveStep;
    samples.forEach((sample, k) => {
      sampleTrack(states[k] as TrackState, t, sample, onCurve, o);
    });
  };
  const relation = new RelationTracker(names, relationOptions, listen);
  const activities = names.map((name) => relation.activity(name));

  // Merge the tracks in time order (a k-way merge: linear in the events for a few tracks).
  const heads = new Array<number>(states.length).fill(0);
  for (;;) {
    let k = -1;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < states.length; i++) {
      const x = (states[i] as TrackState).onsets[heads[i] as number];
      if (x !== undefined && x.t < best) {
        best = x.t;
        k = i;
      }
    }
    if (k < 0) break;
    const s = states[k] as TrackState;
    const onset = s.onsets[heads[k] as number] as Onset;
    heads[k] = (heads[k] as number) + 1;
    const activity = activities[k] as ActivityTracker;
    const before = activity.onsetCount;
    relation.hear(s.name, onset);
    hearTrack(s, onset, activity.onsetCount > before);
  }
  const final = relation.snapshot(any ? end : 0);
  for (const s of states) if (s.clusterVelocity > 0) s.velocity.add(s.clusterVelocity);

  const duration = any ? end - start : 0;
  const trackResults = states.map((s, k) =>
    summarise(s, activities[k] as ActivityTracker, relation.beatsOf(s.name), any ? end : 0, duration),
  );
  return {
    start: any ? start : null,
    end: any ? end : null,
    duration,
    tracks: trackResults,
    pairs: final.pairs.map((p) => ({ ...p })),
    group: {
      anyone: final.anyone,
      together: final.together,
      overlapShare: final.overlapShare,
      turns: final.turns,
      turnsPerMinute: duration > 0 ? final.turns / (duration / 60) : 0,
    },
  };
}

function hearTrack(s: TrackState, onset: Onset, newCluster: boolean): void {
  if (s.first === null) s.first = onset.t;
  s.last = Math.max(s.last ?? onset.t, onset.t + (onset.duration ?? 0));
  // A chord's loudness is its loudest note, as the activity tracker hears it.
  if (newCluster) {
    if (s.clusterVelocity > 0) s.velocity.add(s.clusterVelocity);
    s.clusterVelocity = Math.min(127, onset.velocity);
  } else {
    s.clusterVelocity = Math.max(s.clusterVelocity, Math.min(127, onset.velocity));
  }
  if (!onset.percussive && onset.pitch !== undefined) {
    s.pitch.add(onset.pitch);
    s.key?.hear(onset);
  }
}

function sampleTrack(
  s: TrackState,
  t: Seconds,
  { pulse, activity }: PlayerSample,
  onCurve: boolean,
  o: AnalysisOptions,
): void {
  const playing = activity.lastOnset !== null && !activity.silent;
  if (onCurve) s.densityCurve.push({ t, density: activity.density });
  if (!playing) return;
  s.playingSamples += 1;
  if (pulse !== null && pulse.confidence >= o.confidentPulse) {
    s.confidentSamples += 1;
    s.bpms.push(pulse.bpm);
  }
  if (onCurve) {
    s.loudnessCurve.push({ t, loudness: activity.loudness });
    if (pulse !== null) s.tempoCurve.push({ t, bpm: pulse.bpm, confidence: pulse.confidence });
  }
  // Tonal clarity is sampled on the curve points: the key changes slowly.
  if (onCurve && s.key !== null && activity.register !== null) {
    const key = s.key.estimate(t);
    s.clarity.add(key?.confidence ?? 0);
    if (key !== null) {
      const label = `${key.tonic} ${key.mode}`;
      s.keyTime.set(label, (s.keyTime.get(label) ?? 0) + o.curveStep);
    }
  }
}

/** Coefficient of variation of beat periods, each folded by octaves toward the median tempo. */
function foldedPeriodCv(bpms: readonly Bpm[]): number | null {
  const median = medianOf(bpms);
  if (median === null) return null;
  const m = new Moments();
  for (const bpm of bpms) m.add((60 / bpm) * 2 ** Math.round(Math.log2(bpm / median)));
  return m.cv();
}

/** Mean relative difference of successive beat intervals, skipping intervals across a break. */
function beatToBeat(beats: readonly Seconds[]): number | null {
  const m = new Moments();
  for (let i = 2; i < beats.length; i++) {
    const a = (beats[i - 1] as number) - (beats[i - 2] as number);
    const b = (beats[i] as number) - (beats[i - 1] as number);
    // An interval half again as long as its neighbour spans a break or a change of level, not a beat.
    if (a > 0 && b > 0 && Math.abs(Math.log(b / a)) < Math.log(1.5)) m.add(Math.abs(b - a) / ((a + b) / 2));
  }
  return m.mean();
}

function summarise(
  s: TrackState,
  activity: ActivityTracker,
  beats: readonly Seconds[],
  end: Seconds,
  duration: Seconds,
): TrackAnalysis {
  const onsets = activity.onsetCount;
  const silences = activity.silences(end);
  const silent = silences.reduce((sum, x) => sum + Math.max(0, Math.min(end, x.end) - x.start), 0);
  const longest = silences.reduce((m, x) => Math.max(m, x.end - x.start), 0);
  const phrases = activity.phrases(Number.POSITIVE_INFINITY);
  const lengths = phrases.map((p) => p.end - p.start);
  const v = s.velocity;
  const low = v.quantile(0.05);
  const high = v.quantile(0.95);
  const minutes = duration / 60;
  let bestKey: string | null = null;
  let bestTime = 0;
  let keyTotal = 0;
  for (const [label, time] of s.keyTime) {
    keyTotal += time;
    if (time > bestTime) {
      bestTime = time;
      bestKey = label;
    }
  }
  const p = s.pitch;
  const kind =
    s.onsets.length === 0 ? 'empty' : s.hits === 0 ? 'pitched' : s.notes === 0 ? 'percussive' : 'mixed';
  return {
    name: s.name,
    kind,
    events: s.onsets.length,
    onsets,
    start: s.first,
    end: s.last,
    tempo: {
      median: medianOf(s.bpms),
      periodCv: foldedPeriodCv(s.bpms),
      beatToBeat: beatToBeat(beats),
      confidentShare: s.playingSamples > 0 ? s.confidentSamples / s.playingSamples : 0,
      beats: beats.length,
      curve: s.tempoCurve,
    },
    dynamics: {
      mean: v.mean(),
      sd: v.sd(),
      low,
      high,
      range: low !== null && high !== null ? high - low : null,
      min: v.min(),
      max: v.max(),
      accents: activity.accents().length,
      accentsPerMinute: minutes > 0 ? activity.accents().length / minutes : 0,
      curve: s.loudnessCurve,
    },
    density: {
      overall: duration > 0 ? onsets / duration : 0,
      playing: duration - silent > 0 && onsets > 0 ? onsets / (duration - silent) : null,
      curve: s.densityCurve,
    },
    pitch:
      p.count > 0
        ? {
            lowest: p.min() as number,
            highest: p.max() as number,
            low: p.quantile(0.05) as number,
            high: p.quantile(0.95) as number,
            range: (p.max() as number) - (p.min() as number),
            mean: p.mean() as number,
          }
        : null,
    silence: { share: duration > 0 ? Math.min(1, silent / duration) : 0, count: silences.length, longest },
    phrases: {
      count: phrases.length,
      meanLength: lengths.length > 0 ? lengths.reduce((a, b) => a + b, 0) / lengths.length : null,
      medianLength: medianOf(lengths),
      meanOnsets: phrases.length > 0 ? phrases.reduce((a, x) => a + x.onsets, 0) / phrases.length : null,
    },
    tonal:
      s.key === null
        ? null
        : { clarity: s.clarity.mean() ?? 0, key: bestKey, keyShare: keyTotal > 0 ? bestTime / keyTotal : 0 },
  };
}
