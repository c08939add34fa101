/**
 * The measures of a session under its timeline: each participant's and the companion's playing
 * through the engine's analysis (the same code as `attune analyze`), giving the numbers and the
 * tempo, loudness and activity curves, and synchrony between each pair over time, window by
 * window, with the analysis's own synchrony meter and pairing rule.
 */
import { ActivityTracker } from '../activity/index.ts';
import {
  type AnalysisOptions,
  type AnalysisTrack,
  analyzePerformance,
  type PerformanceAnalysis,
  type TrackAnalysis,
} from '../analysis/index.ts';
import { type HitEvent, type NoteEvent, type Onset, toOnset } from '../events/index.ts';
import { type RelationOptions, relationOptions, SynchronyMeter } from '../relation/index.ts';
import { assertPositive, type Seconds } from '../time/index.ts';
import type { Timeline } from './timeline.ts';
import { voiceNotes } from './voice.ts';

/** The companion's track name in the analysis (all its voices together, as the room hears it). */
export const COMPANION_TRACK = 'companion';
/** One analysis track and where it came from. */
export interface ReviewTrack extends AnalysisTrack {
  /** The participant id, or 'companion'. */
  readonly participant: string;
  /** Voice onsets without a pitch (speech, breath): left out of the analysis, counted here. */
  readonly unpitchedVoiceOnsets: number;
}

/** The tracks of a timeline as the analysis takes them: one per participant, and the companion. */
export function reviewTracks(timeline: Timeline, companion = true): ReviewTrack[] {
  const tracks: ReviewTrack[] = timeline.participants.map((lane) => {
    const sung = voiceNotes(lane.voice.all());
    const events: Array<NoteEvent | HitEvent> = [
      ...lane.notes.all().map(
        (n): NoteEvent => ({
          type: 'note',
          t: n.t,
          pitch: n.pitch,
          velocity: n.velocity,
          duration: n.duration,
        }),
      ),
      ...lane.hits
        .all()
        .map((h): HitEvent => ({ type: 'hit', t: h.t, instrument: h.instrument, velocity: h.velocity })),
      ...sung.notes,
    ];
    events.sort((a, b) => a.t - b.t);
    return {
      name: lane.participant,
      participant: lane.participant,
      events,
      unpitchedVoiceOnsets: sung.unpitched,
    };
  });
  const voices = timeline.companion.flatMap((lane) => lane.notes.all());
  if (companion && voices.length > 0 && !tracks.some((t) => t.name === COMPANION_TRACK)) {
    const events = voices
      .map(
        (n): NoteEvent => ({
          type: 'note',
          t: n.t,
          pitch: n.pitch,
          velocity: n.velocity,
          duration: n.duration,
        }),
      )
      .sort((a, b) => a.t - b.t);
    tracks.push({ name: COMPANION_TRACK, participant: COMPANION_TRACK, events, unpitchedVoiceOnsets: 0 });
  }
  return tracks;
}

/** Synchrony of a pair over one window of time. */
export interface SynchronyWindow {
  readonly from: Seconds;
  readonly to: Seconds;
  /** Pairs of near-coincident onsets in the window. */
  readonly pairs: number;
  /** Mean asynchrony a − b in ms (negative: a ahead), null without pairs. */
  readonly meanSigned: number | null;
  readonly meanAbsolute: number | null;
  /** Share of the sparser player's onsets in the window that found a partner, null without pairs. */
  readonly coincidence: number | null;
}

/** Synchrony of one pair of tracks, window by window. */
export interface SynchronyCurve {
  readonly a: string;
  readonly b: string;
  readonly windows: readonly SynchronyWindow[];
}

/** Options of {@link synchronyCurves}. */
export interface SynchronyCurveOptions {
  /** Length of each window; default 10 s. */
  readonly window?: Seconds;
  /** Where the first window starts; default the first onset. */
  readonly start?: Seconds;
  /** The analysis's relation settings (activity, syncWindow, syncShare). */
  readonly relation?: Partial<RelationOptions>;
}

/**
 * Synchrony between each pair of tracks over time: the recording cut into windows, each pair's
 * near-coincident onsets measured afresh in each window with the analysis's synchrony meter and
 * its pairing rule (within min(syncWindow, syncShare × the shorter usual interval)). An onset just
 * after a window's start is not paired with one just before it.
 */
export function synchronyCurves(
  tracks: readonly AnalysisTrack[],
  options: SynchronyCurveOptions = {},
): SynchronyCurve[] {
  const width = options.window ?? 10;
  assertPositive('window', width);
  const o = relationOptions(options.relation);
  const onsets: Array<{ k: number; onset: Onset }> = [];
  tracks.forEach((track, k) => {
    for (const e of track.events) {
      const onset = toOnset(e);
      if (onset !== null && Number.isFinite(onset.t) && onset.velocity > 0) onsets.push({ k, onset });
    }
  });
  onsets.sort((x, y) => x.onset.t - y.onset.t || x.k - y.k);
  const first = onsets[0];
  if (first === undefined)
    return tracks.flatMap((a, i) => tracks.slice(i + 1).map((b) => ({ a: a.name, b: b.name, windows: [] })));
  const origin = options.start ?? first.onset.t;
  const last = (onsets[onsets.length - 1] as { onset: Onset }).onset.t;
  const count = Math.max(1, Math.floor((last - origin) / width) + 1);
  const activities = tracks.map(() => new ActivityTracker(o.activity));
  interface PairState {
    i: number;
    j: number;
    window: number;
    meter: SynchronyMeter;
    windows: SynchronyWindow[];
  }
  const pairs: PairState[] = [];
  for (let i = 0; i < tracks.length; i++) {
    for (let j = i + 1; j < tracks.length; j++)
      pairs.push({ i, j, window: 0, meter: new SynchronyMeter(Number.POSITIVE_INFINITY), windows: [] });
  }
  const close = (p: PairState): void => {
    const s = p.meter.synchrony();
    const has = s.pairs > 0;
    p.windows.push({
      from: origin + p.window * width,
      to: origin + (p.window + 1) * width,
      pairs: s.pairs,
      meanSigned: has ? s.meanSigned : null,
      meanAbsolute: has ? s.meanAbsolute : null,
      coincidence: has ? s.coincidence : null,
    });
  };
  const moveTo = (p: PairState, w: number): void => {
    while (p.window < w) {
      close(p);
      p.window += 1;
      p.meter = new SynchronyMeter(Number.POSITIVE_INFINITY);
    }
  };
  for (const { k, onset } of onsets) {
    if (onset.t < origin) continue;
    const activity = activities[k] as ActivityTracker;
    const before = activity.onsetCount;
    activity.hear(onset);
    // Chords count once: only the first onset of a cluster is paired, as in the analysis.
    if (activity.onsetCount === before) continue;
    const w = Math.min(count - 1, Math.floor((onset.t - origin) / width));
    const mine = activity.usualInterval();
    for (const p of pairs) {
      if (p.i !== k && p.j !== k) continue;
      moveTo(p, w);
      const other = (activities[p.i === k ? p.j : p.i] as ActivityTracker).usualInterval();
      const usual = Math.min(mine ?? Number.POSITIVE_INFINITY, other ?? Number.POSITIVE_INFINITY);
      const pairing = Math.min(o.syncWindow, Number.isFinite(usual) ? o.syncShare * usual : o.syncWindow);
      p.meter.hear(p.i === k ? 'a' : 'b', onset.t, pairing);
    }
  }
  return pairs.map((p) => {
    moveTo(p, count - 1);
    close(p);
    return {
      a: (tracks[p.i] as AnalysisTrack).name,
      b: (tracks[p.j] as AnalysisTrack).name,
      windows: p.windows,
    };
  });
}

/** A participant's curves, from the analysis. */
export interface ParticipantCurves {
  readonly participant: string;
  readonly tempo: TrackAnalysis['tempo']['curve'];
  readonly loudness: TrackAnalysis['dynamics']['curve'];
  /** Activity: onsets per second, smoothed. */
  readonly density: TrackAnalysis['density']['curve'];
}

/** The measures under a session's timeline. */
export interface ReviewMeasures {
  /** The analysis of every participant and the companion: numbers per track and per pair. */
  readonly analysis: PerformanceAnalysis;
  readonly curves: readonly ParticipantCurves[];
  readonly synchrony: readonly SynchronyCurve[];
  /** Voice onsets without a pitch, by participant, left out of the analysis. */
  readonly unpitchedVoiceOnsets: Readonly<Record<string, number>>;
}

/** Options of {@link reviewMeasures}. */
export interface ReviewMeasuresOptions {
  /** Settings of the analysis; the defaults are those of `attune analyze`. */
  readonly analysis?: Partial<AnalysisOptions>;
  /** Window of the synchrony curve; default 10 s. */
  readonly synchronyWindow?: Seconds;
  /** Whether the companion is analysed as a player; default true. */
  readonly companion?: boolean;
}

/**
 * The measures of a session for its review: the analysis (as `attune analyze` gives it), each
 * participant's tempo, loudness and activity curves, and synchrony over time between each pair.
 * @example reviewMeasures(buildTimeline(entries)).analysis.pairs // who leads, synchrony, answers
 */
export function reviewMeasures(timeline: Timeline, options: ReviewMeasuresOptions = {}): ReviewMeasures {
  const tracks = reviewTracks(timeline, options.companion ?? true);
  const analysis = analyzePerformance(tracks, options.analysis ?? {});
  const synchrony = synchronyCurves(tracks, {
    window: options.synchronyWindow ?? 10,
    ...(analysis.start === null ? {} : { start: analysis.start }),
    relation: options.analysis?.relation ?? {},
  });
  return {
    analysis,
    curves: analysis.tracks.map((t, i) => ({
      participant: (tracks[i] as ReviewTrack).participant,
      tempo: t.tempo.curve,
      loudness: t.dynamics.curve,
      density: t.density.curve,
    })),
    synchrony,
    unpitchedVoiceOnsets: Object.fromEntries(tracks.map((t) => [t.participant, t.unpitchedVoiceOnsets])),
  };
}
