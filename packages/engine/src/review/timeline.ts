/**
 * The review timeline of a session: one lane per participant (piano-roll notes, percussion hits,
 * the voice's pitch contour), one lane per companion voice, the therapist's steering as markers,
 * and the index marks, each indexed by time so that any window, from the whole hour to a single
 * bar, is found at once. A pure model: the review screen draws it and the replay reads it.
 */
import type { Midi, Seconds } from '../time/index.ts';
import {
  type LaneHit,
  type LaneNote,
  type LogEntry,
  type LogProblem,
  type ReadLog,
  readLog,
  type SteeringMarker,
  type VoicePoint,
} from './log.ts';
import type { Mark } from './marks.ts';
import { TimeIndex } from './time-index.ts';

/** What a participant's lane holds. */
export type LaneKind = 'pitched' | 'percussive' | 'voice' | 'mixed';

/** A participant's lane. */
export interface ParticipantLane {
  readonly participant: string;
  /** The name shown (a first name or initials), by default the participant id. */
  readonly name: string;
  readonly kind: LaneKind;
  readonly notes: TimeIndex<LaneNote>;
  readonly hits: TimeIndex<LaneHit>;
  readonly voice: TimeIndex<VoicePoint>;
}

/** A companion voice's lane. */
export interface CompanionLane {
  readonly voice: string;
  readonly notes: TimeIndex<LaneNote>;
}

/** Everything in a window of the timeline. */
export interface TimelineWindow {
  readonly from: Seconds;
  readonly to: Seconds;
  /** Per participant: notes sounding in the window, hits and voice frames in it. */
  readonly participants: readonly {
    readonly participant: string;
    readonly notes: LaneNote[];
    readonly hits: LaneHit[];
    readonly voice: VoicePoint[];
  }[];
  readonly companion: readonly { readonly voice: string; readonly notes: LaneNote[] }[];
  readonly steering: SteeringMarker[];
  /** Marks at a moment in the window, or spanning part of it. */
  readonly marks: Mark[];
}

/** A stretch of the voice contour drawn as one point: its pitch range and loudest frame. */
export interface ContourPoint {
  readonly t: Seconds;
  /** Lowest and highest voiced pitch in the stretch; null when unvoiced throughout. */
  readonly low: Midi | null;
  readonly high: Midi | null;
  readonly loudness: number;
}

/** Options of {@link buildTimeline}. */
export interface TimelineOptions {
  /** Display names, and the order of the lanes (others follow, the therapist first). */
  readonly participants?: readonly { readonly id: string; readonly name: string }[];
  /** Marks added or edited in review: a mark with a live mark's id replaces it. */
  readonly marks?: readonly Mark[];
  /** Ids of marks deleted in review (live or not). */
  readonly deletedMarks?: ReadonlySet<string>;
}

interface IndexedMark {
  readonly t: Seconds;
  readonly duration: Seconds;
  readonly mark: Mark;
}

/** The timeline of one session; build it with {@link buildTimeline}. */
export class Timeline {
  /** First and last moment of anything in the session (null when empty), and the length between. */
  readonly start: Seconds | null;
  readonly end: Seconds | null;
  readonly participants: readonly ParticipantLane[];
  readonly companion: readonly CompanionLane[];
  readonly steering: TimeIndex<SteeringMarker>;
  /** Entries of the log left out, and why. */
  readonly problems: readonly LogProblem[];
  /** Entries of types the review does not show, counted by type. */
  readonly ignored: ReadonlyMap<string, number>;
  private readonly markIndex: TimeIndex<IndexedMark>;

  constructor(parts: {
    participants: ParticipantLane[];
    companion: CompanionLane[];
    steering: SteeringMarker[];
    marks: Mark[];
    problems: LogProblem[];
    ignored: Map<string, number>;
  }) {
    this.participants = parts.participants;
    this.companion = parts.companion;
    this.steering = new TimeIndex(parts.steering);
    this.problems = parts.problems;
    this.ignored = parts.ignored;
    this.markIndex = new TimeIndex(
      parts.marks.map((mark) => ({ t: mark.t, duration: (mark.end ?? mark.t) - mark.t, mark })),
    );
    let start = Number.POSITIVE_INFINITY;
    let end = Number.NEGATIVE_INFINITY;
    const span = (index: TimeIndex<{ t: Seconds; duration?: Seconds }>): void => {
      const first = index.first();
      if (first === undefined) return;
      start = Math.min(start, first.t);
      // The last to start is not always the last to end: a long note may outlast later ones.
      for (const x of index.overlapping((index.last() as { t: Seconds }).t, Number.POSITIVE_INFINITY)) {
        end = Math.max(end, x.t + (x.duration ?? 0));
      }
    };
    for (const lane of this.participants)
      for (const index of [lane.notes, lane.hits, lane.voice]) span(index);
    for (const lane of this.companion) span(lane.notes);
    span(this.steering);
    span(this.markIndex);
    this.start = Number.isFinite(start) ? start : null;
    this.end = Number.isFinite(end) ? end : null;
  }

  /** Seconds from start to end (0 when empty). */
  get duration(): Seconds {
    return this.start === null || this.end === null ? 0 : this.end - this.start;
  }

  /** The marks in time order. */
  get marks(): Mark[] {
    return this.markIndex.all().map((x) => x.mark);
  }

  /** The lane of a participant, or undefined. */
  lane(participant: string): ParticipantLane | undefined {
    return this.participants.find((l) => l.participant === participant);
  }

  /**
   * Everything in [from, to): notes that sound in it (also those begun before), hits, voice
   * frames, steering and marks. O(log n + k) per lane.
   */
  window(from: Seconds, to: Seconds): TimelineWindow {
    if (!Number.isFinite(from) || !Number.isFinite(to)) {
      throw new RangeError(`a window needs finite times, got: ${from} to ${to}`);
    }
    return {
      from,
      to,
      participants: this.participants.map((lane) => ({
        participant: lane.participant,
        notes: lane.notes.overlapping(from, to),
        hits: lane.hits.startingIn(from, to),
        voice: lane.voice.startingIn(from, to),
      })),
      companion: this.companion.map((lane) => ({
        voice: lane.voice,
        notes: lane.notes.overlapping(from, to),
      })),
      steering: this.steering.startingIn(from, to),
      marks: this.markIndex.overlapping(from, to).map((x) => x.mark),
    };
  }

  /** The first mark after t, for "next mark"; undefined after the last. */
  nextMark(t: Seconds): Mark | undefined {
    return this.markIndex.after(t)?.mark;
  }

  /** The last mark before t, for "previous mark"; undefined before the first. */
  previousMark(t: Seconds): Mark | undefined {
    return this.markIndex.before(t)?.mark;
  }

  /**
   * A participant's voice contour in [from, to) drawn with at most `points` points: each the
   * pitch range and loudest frame of its stretch, so a whole hour of frames draws as a line.
   */
  contour(participant: string, from: Seconds, to: Seconds, points: number): ContourPoint[] {
    if (!(Number.isInteger(points) && points > 0)) {
      throw new RangeError(`points must be a positive whole number, got: ${points}`);
    }
    const frames = this.lane(participant)?.voice.startingIn(from, to) ?? [];
    if (frames.length === 0) return [];
    const step = (to - from) / points;
    const out: ContourPoint[] = [];
    let k = 0;
    for (let b = 0; b < points && k < frames.length; b++) {
      const bucketEnd = b === points - 1 ? to : from + (b + 1) * step;
      let low: number | null = null;
      let high: number | null = null;
      let loudness = 0;
      let any = false;
      for (; k < frames.length && (frames[k] as VoicePoint).t < bucketEnd; k++) {
        const f = frames[k] as VoicePoint;
        any = true;
        loudness = Math.max(loudness, f.loudness);
        if (f.pitch !== null) {
          low = low === null ? f.pitch : Math.min(low, f.pitch);
          high = high === null ? f.pitch : Math.max(high, f.pitch);
        }
      }
      if (any) out.push({ t: from + b * step, low, high, loudness });
    }
    return out;
  }
}

function laneKind(notes: number, hits: number, voice: number): LaneKind {
  const kinds = (notes > 0 ? 1 : 0) + (hits > 0 ? 1 : 0) + (voice > 0 ? 1 : 0);
  if (kinds > 1) return 'mixed';
  if (hits > 0) return 'percussive';
  if (voice > 0) return 'voice';
  return 'pitched';
}

/**
 * The timeline of a session from its log.
 * @example buildTimeline(entries).window(600, 610).participants[0]?.notes // the notes sounding 10:00–10:10
 */
export function buildTimeline(entries: readonly LogEntry[], options: TimelineOptions = {}): Timeline {
  return timelineFromLog(readLog(entries), options);
}

/** The timeline of a log already read (by {@link readLog}, or expanded from a session summary). */
export function timelineFromLog(log: ReadLog, options: TimelineOptions = {}): Timeline {
  const names = new Map((options.participants ?? []).map((p) => [p.id, p.name]));
  const ids = new Set([...log.notes.keys(), ...log.hits.keys(), ...log.voice.keys()]);
  const listed = (options.participants ?? []).map((p) => p.id).filter((id) => ids.has(id));
  const rest = [...ids]
    .filter((id) => !names.has(id))
    .sort((a, b) =>
      a === 'therapist' ? -1 : b === 'therapist' ? 1 : a.localeCompare(b, 'en', { numeric: true }),
    );
  const participants = [...listed, ...rest].map((id): ParticipantLane => {
    const notes = log.notes.get(id) ?? [];
    const hits = log.hits.get(id) ?? [];
    const voice = log.voice.get(id) ?? [];
    return {
      participant: id,
      name: names.get(id) ?? id,
      kind: laneKind(notes.length, hits.length, voice.length),
      notes: new TimeIndex(notes),
      hits: new TimeIndex(hits),
      voice: new TimeIndex(voice),
    };
  });
  const companion = [...log.companion.keys()].sort().map((voice) => ({
    voice,
    notes: new TimeIndex(log.companion.get(voice) ?? []),
  }));
  const deleted = options.deletedMarks ?? new Set<string>();
  const byId = new Map<string, Mark>();
  for (const mark of [...log.marks, ...(options.marks ?? [])]) byId.set(mark.id, mark);
  const marks = [...byId.values()].filter((m) => !deleted.has(m.id));
  return new Timeline({
    participants,
    companion,
    steering: log.steering,
    marks,
    problems: log.problems,
    ignored: log.ignored,
  });
}
