/** One track's share of an analysis: what it keeps while the pass streams, and its summary. */
import type { ActivityTracker } from '../activity/index.ts';
import type { Onset } from '../events/index.ts';
import type { PlayerSample } from '../relation/index.ts';
import type { Bpm, Seconds } from '../time/index.ts';
import { keyAt, type PulseReplay } from './listen.ts';
import { Histogram, Moments, medianOf } from './stats.ts';
import type { AnalysisOptions, TrackAnalysis } from './types.ts';

/** What the pass keeps of one track. */
export interface TrackState {
  name: string;
  onsets: Onset[];
  notes: number;
  hits: number;
  velocity: Histogram;
  pitch: Histogram;
  clusterVelocity: number;
  /** Whether the key is followed (a track with notes); its answers are in the listening. */
  tonal: boolean;
  /** The track's pulse and key trackers' answers, heard alone, played back. */
  replay: PulseReplay;
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

/** A fresh state for a track with its onsets in time order. */
export function trackState(
  name: string,
  onsets: Onset[],
  followKey: boolean,
  replay: PulseReplay,
): TrackState {
  const notes = onsets.filter((x) => !x.percussive).length;
  return {
    name,
    onsets,
    notes,
    hits: onsets.length - notes,
    velocity: new Histogram(),
    pitch: new Histogram(),
    clusterVelocity: 0,
    tonal: followKey && notes > 0,
    replay,
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
}

/** Takes one onset of the track into its summaries. */
export function hearTrack(s: TrackState, onset: Onset, newCluster: boolean): void {
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
  }
}

/** Takes the track's state at grid point `index` (at time t) into its curves and shares. */
export function sampleTrack(
  s: TrackState,
  index: number,
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
  if (onCurve && s.tonal && activity.register !== null) {
    const key = keyAt(s.replay.listening, index);
    s.clarity.add(key?.confidence ?? 0);
    if (key !== null) s.keyTime.set(key.label, (s.keyTime.get(key.label) ?? 0) + o.curveStep);
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

/** The measures of the track once the pass is over. */
export function summarise(
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
    tonal: !s.tonal
      ? null
      : { clarity: s.clarity.mean() ?? 0, key: bestKey, keyShare: keyTotal > 0 ? bestTime / keyTotal : 0 },
  };
}
