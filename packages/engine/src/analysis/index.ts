/**
 * Analysis: the measures of one recording, per track and between each pair of tracks, as
 * `attune analyze` prints them and researchers export them. One pass in time order through every
 * track together, with the same causal trackers the live companion uses, so a measure of a
 * recording means what it meant live. Definitions in docs/MEASURES.md.
 */
import type { ActivityTracker } from '../activity/index.ts';
import { type HitEvent, type NoteEvent, type Onset, toOnset } from '../events/index.ts';
import {
  type PlayerSample,
  type RelationOptions,
  RelationTracker,
  relationOptions,
} from '../relation/index.ts';
import { assertPositive, assertRange, type Seconds } from '../time/index.ts';
import {
  CurveClock,
  gridSize,
  type ListenPlan,
  listenTrack,
  PulseReplay,
  type TrackListening,
} from './listen.ts';
import { hearTrack, sampleTrack, summarise, type TrackState, trackState } from './track.ts';
import {
  type AnalysisOptions,
  type AnalysisTrack,
  DEFAULT_ANALYSIS_OPTIONS,
  type PerformanceAnalysis,
} from './types.ts';

export { formatAnalysis } from './format.ts';
export {
  LISTENING,
  type ListenPlan,
  listenTrack,
  newListening,
  PulseReplay,
  type TrackListening,
} from './listen.ts';
export {
  type AnalysisOptions,
  type AnalysisTrack,
  DEFAULT_ANALYSIS_OPTIONS,
  type PairAnalysis,
  type PerformanceAnalysis,
  type TrackAnalysis,
} from './types.ts';

function checkOptions(options: Partial<AnalysisOptions>): AnalysisOptions {
  const o = { ...DEFAULT_ANALYSIS_OPTIONS, ...options };
  assertPositive('curveStep', o.curveStep);
  assertRange('confidentPulse', o.confidentPulse, 0, 1);
  return o;
}

function uniqueNames(tracks: readonly AnalysisTrack[]): string[] {
  const used = new Set<string>();
  return tracks.map((track, i) => {
    const base = track.name.trim() === '' ? `track ${i + 1}` : track.name.trim();
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

/** A recording made ready for the pass: its tracks' onsets, and the plan every track is listened to by. */
export interface PreparedAnalysis {
  options: AnalysisOptions;
  relation: Partial<RelationOptions>;
  names: string[];
  /** Each track's onsets, in time order. */
  onsets: Onset[][];
  plan: ListenPlan;
  /** First onset and last sound of any track; null when there is none. */
  start: Seconds | null;
  end: Seconds | null;
}

/** Checks the options and orders each track's onsets; the first half of {@link analyzePerformance}. */
export function prepareAnalysis(
  tracks: readonly AnalysisTrack[],
  options: Partial<AnalysisOptions> = {},
): PreparedAnalysis {
  const o = checkOptions(options);
  const onsets = tracks.map((track) => onsetsOf(track.events));
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const list of onsets) {
    for (const x of list) {
      start = Math.min(start, x.t);
      end = Math.max(end, x.t + (x.duration ?? 0));
    }
  }
  const any = Number.isFinite(start);
  const relation: Partial<RelationOptions> = {
    memory: Number.POSITIVE_INFINITY,
    ...o.relation,
    activity: { ...(any ? { start } : {}), ...o.relation.activity },
  };
  const checked = relationOptions(relation);
  const plan: ListenPlan = {
    origin: any ? start : 0,
    step: checked.step,
    end: any ? end : 0,
    points: 0,
    curveStep: o.curveStep,
    pulse: checked.pulse,
    key: o.key,
  };
  plan.points = any ? gridSize(plan) : 0;
  return {
    options: o,
    relation,
    names: uniqueNames(tracks),
    onsets,
    plan,
    start: any ? start : null,
    end: any ? end : null,
  };
}

/**
 * The measures of a recording with one or more tracks, in one linear pass.
 * @example analyzePerformance([{ name: 'client', events }]).tracks[0]?.tempo.median // 96.2
 */
export function analyzePerformance(
  tracks: readonly AnalysisTrack[],
  options: Partial<AnalysisOptions> = {},
): PerformanceAnalysis {
  const prepared = prepareAnalysis(tracks, options);
  return finishAnalysis(
    prepared,
    prepared.onsets.map((onsets) => listenTrack(onsets, prepared.plan)),
  );
}

/**
 * The pass through every track together, given each track's listening (from {@link listenTrack},
 * on this thread or another); the second half of {@link analyzePerformance}.
 */
export function finishAnalysis(
  prepared: PreparedAnalysis,
  listenings: readonly TrackListening[],
): PerformanceAnalysis {
  const { options: o, names, plan } = prepared;
  if (listenings.length !== names.length)
    throw new RangeError(`one listening per track, got: ${listenings.length} for ${names.length}`);

  const end = prepared.end ?? 0;
  const clock = new CurveClock(plan.origin, o.curveStep);
  let index = 0;
  const listen = (t: Seconds, samples: readonly PlayerSample[]): void => {
    const onCurve = clock.at(t);
    samples.forEach((sample, k) => {
      sampleTrack(states[k] as TrackState, index, t, sample, onCurve, o);
    });
    index += 1;
  };
  // A listening another thread failed to finish is listened to again here.
  const replays = listenings.map(
    (l, k) => new PulseReplay(l, plan, () => listenTrack(prepared.onsets[k] as Onset[], plan)),
  );
  const states: TrackState[] = names.map((name, i) =>
    trackState(name, prepared.onsets[i] as Onset[], o.key, replays[i] as PulseReplay),
  );
  const relation = new RelationTracker(names, prepared.relation, listen, replays);
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
  const final = relation.snapshot(end);
  for (const s of states) if (s.clusterVelocity > 0) s.velocity.add(s.clusterVelocity);

  const duration = end - (prepared.start ?? 0);
  const trackResults = states.map((s, k) =>
    summarise(s, activities[k] as ActivityTracker, relation.beatsOf(s.name), end, duration),
  );
  return {
    start: prepared.start,
    end: prepared.end,
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
