/**
 * A session's summary: what the review screen needs to open a recording, worked out once from its
 * log. The lanes as read from the log, kept as columns of numbers (an hour of four players is a
 * few megabytes of JSON, a fraction of that compressed), and the review's measures (the analysis
 * of `attune analyze`, its curves as columns, synchrony over time). Expanding a summary gives the
 * very timeline and measures the engine computes from the log: the review draws from it without
 * reading or analysing the log again.
 */
import type { TrackAnalysis } from '../analysis/index.ts';
import type { LaneHit, LaneNote, LogEntry, LogProblem, ReadLog, SteeringMarker, VoicePoint } from './log.ts';
import { readLog } from './log.ts';
import type { Mark } from './marks.ts';
import { type ParticipantCurves, type ReviewMeasures, reviewMeasures } from './measures.ts';
import { type Timeline, type TimelineOptions, timelineFromLog } from './timeline.ts';

/** The summary format's version: a summary of another version is made again. */
export const SUMMARY_VERSION = 1;

/**
 * Sequence numbers as the differences between neighbours (an absent one as −1 before
 * differencing), so the log's runs of numbers compress to almost nothing.
 */
type SeqColumn = number[];

/** Notes as columns. */
export interface NoteColumns {
  readonly t: number[];
  readonly pitch: number[];
  readonly velocity: number[];
  readonly duration: number[];
  readonly seq: SeqColumn;
}

/** Hits as columns. */
export interface HitColumns {
  readonly t: number[];
  readonly instrument: number[];
  readonly velocity: number[];
  readonly seq: SeqColumn;
}

/** Voice frames as columns: pitch −1 when unvoiced, onset 1 or 0. */
export interface VoiceColumns {
  readonly t: number[];
  readonly pitch: number[];
  readonly loudness: number[];
  readonly onset: number[];
  readonly seq: SeqColumn;
}

/** A log as read for review, in columns. */
export interface CompactLog {
  readonly participants: readonly {
    readonly id: string;
    readonly notes: NoteColumns;
    readonly hits: HitColumns;
    readonly voice: VoiceColumns;
  }[];
  readonly companion: readonly { readonly voice: string; readonly notes: NoteColumns }[];
  readonly steering: readonly SteeringMarker[];
  /** Marks made live (the log's `mark` entries). */
  readonly marks: readonly Mark[];
  readonly problems: readonly LogProblem[];
  readonly ignored: readonly (readonly [string, number])[];
}

/** A curve as columns: its times and, by name, its values. */
interface CurveColumns {
  readonly t: number[];
  readonly [value: string]: number[];
}

/** A track's analysis with its three curves as columns. */
type CompactTrack = Omit<TrackAnalysis, 'tempo' | 'dynamics' | 'density'> & {
  readonly tempo: Omit<TrackAnalysis['tempo'], 'curve'> & { readonly curve: CurveColumns };
  readonly dynamics: Omit<TrackAnalysis['dynamics'], 'curve'> & { readonly curve: CurveColumns };
  readonly density: Omit<TrackAnalysis['density'], 'curve'> & { readonly curve: CurveColumns };
};

/** The review's measures with the curves as columns (each participant's curves are its track's). */
export interface CompactMeasures {
  readonly analysis: Omit<ReviewMeasures['analysis'], 'tracks'> & {
    readonly tracks: readonly CompactTrack[];
  };
  readonly synchrony: ReviewMeasures['synchrony'];
  readonly unpitchedVoiceOnsets: ReviewMeasures['unpitchedVoiceOnsets'];
}

/** A session's summary, as stored and sent: plain JSON. */
export interface SessionSummary {
  readonly version: typeof SUMMARY_VERSION;
  /** How many entries of the log it was made from (a longer log makes it stale). */
  readonly events: number;
  readonly log: CompactLog;
  readonly measures: CompactMeasures;
}

function seqColumn(seqs: readonly (number | null)[]): SeqColumn {
  let previous = 0;
  return seqs.map((s) => {
    const value = s ?? -1;
    const d = value - previous;
    previous = value;
    return d;
  });
}

function seqValues(column: SeqColumn): (number | null)[] {
  let value = 0;
  return column.map((d) => {
    value += d;
    return value === -1 ? null : value;
  });
}

function noteColumns(notes: readonly LaneNote[]): NoteColumns {
  return {
    t: notes.map((n) => n.t),
    pitch: notes.map((n) => n.pitch),
    velocity: notes.map((n) => n.velocity),
    duration: notes.map((n) => n.duration),
    seq: seqColumn(notes.map((n) => n.seq)),
  };
}

function notesOf(c: NoteColumns): LaneNote[] {
  const seq = seqValues(c.seq);
  return c.t.map((t, i) => ({
    t,
    pitch: c.pitch[i] as number,
    velocity: c.velocity[i] as number,
    duration: c.duration[i] as number,
    seq: seq[i] ?? null,
  }));
}

function hitColumns(hits: readonly LaneHit[]): HitColumns {
  return {
    t: hits.map((h) => h.t),
    instrument: hits.map((h) => h.instrument),
    velocity: hits.map((h) => h.velocity),
    seq: seqColumn(hits.map((h) => h.seq)),
  };
}

function hitsOf(c: HitColumns): LaneHit[] {
  const seq = seqValues(c.seq);
  return c.t.map((t, i) => ({
    t,
    instrument: c.instrument[i] as number,
    velocity: c.velocity[i] as number,
    seq: seq[i] ?? null,
  }));
}

function voiceColumns(frames: readonly VoicePoint[]): VoiceColumns {
  return {
    t: frames.map((f) => f.t),
    pitch: frames.map((f) => f.pitch ?? -1),
    loudness: frames.map((f) => f.loudness),
    onset: frames.map((f) => (f.onset ? 1 : 0)),
    seq: seqColumn(frames.map((f) => f.seq)),
  };
}

function voiceOf(c: VoiceColumns): VoicePoint[] {
  const seq = seqValues(c.seq);
  return c.t.map((t, i) => {
    const pitch = c.pitch[i] as number;
    return {
      t,
      pitch: pitch < 0 ? null : pitch,
      loudness: c.loudness[i] as number,
      onset: c.onset[i] === 1,
      seq: seq[i] ?? null,
    };
  });
}

/** A log read for review, in columns. */
export function compactLog(log: ReadLog): CompactLog {
  const ids = [...new Set([...log.notes.keys(), ...log.hits.keys(), ...log.voice.keys()])];
  return {
    participants: ids.map((id) => ({
      id,
      notes: noteColumns(log.notes.get(id) ?? []),
      hits: hitColumns(log.hits.get(id) ?? []),
      voice: voiceColumns(log.voice.get(id) ?? []),
    })),
    companion: [...log.companion].map(([voice, notes]) => ({ voice, notes: noteColumns(notes) })),
    steering: log.steering,
    marks: log.marks,
    problems: log.problems,
    ignored: [...log.ignored],
  };
}

/** The log read for review back from its columns (a lane with nothing of a kind has no entry of it). */
export function expandLog(c: CompactLog): ReadLog {
  const log: ReadLog = {
    notes: new Map(),
    hits: new Map(),
    voice: new Map(),
    companion: new Map(c.companion.map((lane) => [lane.voice, notesOf(lane.notes)])),
    steering: [...c.steering],
    marks: [...c.marks],
    problems: [...c.problems],
    ignored: new Map(c.ignored),
  };
  for (const p of c.participants) {
    if (p.notes.t.length > 0) log.notes.set(p.id, notesOf(p.notes));
    if (p.hits.t.length > 0) log.hits.set(p.id, hitsOf(p.hits));
    if (p.voice.t.length > 0) log.voice.set(p.id, voiceOf(p.voice));
  }
  return log;
}

function columns<T extends { t: number }>(points: readonly T[]): CurveColumns {
  const out: Record<string, number[]> = {};
  for (const point of points)
    for (const [key, value] of Object.entries(point)) {
      const column = out[key] ?? [];
      column.push(value as number);
      out[key] = column;
    }
  return { t: [], ...out } as CurveColumns;
}

function points<T>(c: CurveColumns): T[] {
  const keys = Object.keys(c);
  return c.t.map((_, i) => Object.fromEntries(keys.map((k) => [k, (c[k] as number[])[i]])) as T);
}

/** The review's measures with the curves as columns. */
export function compactMeasures(m: ReviewMeasures): CompactMeasures {
  return {
    analysis: {
      ...m.analysis,
      tracks: m.analysis.tracks.map((t) => ({
        ...t,
        tempo: { ...t.tempo, curve: columns(t.tempo.curve) },
        dynamics: { ...t.dynamics, curve: columns(t.dynamics.curve) },
        density: { ...t.density, curve: columns(t.density.curve) },
      })),
    },
    synchrony: m.synchrony,
    unpitchedVoiceOnsets: m.unpitchedVoiceOnsets,
  };
}

/** The review's measures back from their columns. */
export function expandMeasures(c: CompactMeasures): ReviewMeasures {
  const tracks: TrackAnalysis[] = c.analysis.tracks.map((t) => ({
    ...t,
    tempo: { ...t.tempo, curve: points(t.tempo.curve) },
    dynamics: { ...t.dynamics, curve: points(t.dynamics.curve) },
    density: { ...t.density, curve: points(t.density.curve) },
  }));
  // A review track is named by its participant (or 'companion'), so its curves are the participant's.
  const curves: ParticipantCurves[] = tracks.map((t) => ({
    participant: t.name,
    tempo: t.tempo.curve,
    loudness: t.dynamics.curve,
    density: t.density.curve,
  }));
  return {
    analysis: { ...c.analysis, tracks },
    curves,
    synchrony: c.synchrony,
    unpitchedVoiceOnsets: c.unpitchedVoiceOnsets,
  };
}

/**
 * The summary of a session from its log: read once, measured once.
 * @example summarise(entries).measures.analysis.pairs // who leads, synchrony, answers
 */
export function summarise(entries: readonly LogEntry[]): SessionSummary {
  const log = readLog(entries);
  return {
    version: SUMMARY_VERSION,
    events: entries.length,
    log: compactLog(log),
    measures: compactMeasures(reviewMeasures(timelineFromLog(log))),
  };
}

/** What the review opens with: the timeline (with review's marks merged) and the measures. */
export function expandSummary(
  summary: SessionSummary,
  options: TimelineOptions = {},
): { timeline: Timeline; measures: ReviewMeasures } {
  if (summary.version !== SUMMARY_VERSION)
    throw new RangeError(
      `a session summary of version ${SUMMARY_VERSION} is needed, got: ${summary.version}`,
    );
  return {
    timeline: timelineFromLog(expandLog(summary.log), options),
    measures: expandMeasures(summary.measures),
  };
}
