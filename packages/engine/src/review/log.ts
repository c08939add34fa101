/**
 * Reading a session log for review. The log holds what the room recorded: a participant's
 * played events ('play', payload `{ event }`), the companion's notes ('companion', payload
 * `{ pitch, velocity, duration, voice }` at `t`), the therapist's steering ('steer', payload
 * `{ control }`) and live index marks ('mark', payload `{ note, tags }`). Each entry is checked
 * as it is read: a malformed one is left out and named, never guessed at, so one bad entry does
 * not cost the review of the session. Entry types the review does not show are counted.
 */
import type { Midi, Seconds, Velocity } from '../time/index.ts';
import type { Mark } from './marks.ts';

/** One entry of the session log as the store returns it. */
export interface LogEntry {
  /** The log's sequence number, where known. */
  readonly seq?: number;
  readonly participant: string;
  readonly t: Seconds;
  readonly type: string;
  readonly payload: unknown;
}

/** A note in a lane (a participant's or a companion voice's). */
export interface LaneNote {
  readonly t: Seconds;
  readonly pitch: Midi;
  readonly velocity: Velocity;
  readonly duration: Seconds;
  readonly seq: number | null;
}

/** A percussive hit; `instrument` is a General MIDI percussion key. */
export interface LaneHit {
  readonly t: Seconds;
  readonly instrument: Midi;
  readonly velocity: Velocity;
  readonly seq: number | null;
}

/** A frame of the voice's pitch contour (pitch null when unvoiced). */
export interface VoicePoint {
  readonly t: Seconds;
  readonly pitch: Midi | null;
  readonly loudness: number;
  readonly onset: boolean;
  readonly seq: number | null;
}

/** A steering control as a marker on the timeline. */
export interface SteeringMarker {
  readonly t: Seconds;
  readonly seq: number | null;
  readonly participant: string;
  /** The control as logged: `{ type: 'tempo', tempo: { kind: 'hold', bpm: 90 } }`, … */
  readonly control: { readonly type: string } & Readonly<Record<string, unknown>>;
  /** A short label: 'Tempo: hold 90 BPM'. */
  readonly label: string;
}

/** An entry the review left out, and why. */
export interface LogProblem {
  /** The entry's position in the list given. */
  readonly index: number;
  readonly seq: number | null;
  readonly message: string;
}

/** What a log holds, sorted into what the review shows. */
export interface ReadLog {
  readonly notes: Map<string, LaneNote[]>;
  readonly hits: Map<string, LaneHit[]>;
  readonly voice: Map<string, VoicePoint[]>;
  /** Companion notes by voice. */
  readonly companion: Map<string, LaneNote[]>;
  readonly steering: SteeringMarker[];
  readonly marks: Mark[];
  readonly problems: LogProblem[];
  /** Entries of types the review does not show, counted by type. */
  readonly ignored: Map<string, number>;
}

const MAX_TIME = 86_400;
const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const inRange = (x: unknown, lo: number, hi: number): x is number => finite(x) && x >= lo && x <= hi;
const time = (x: unknown): x is number => inRange(x, 0, MAX_TIME);

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A short label of a steering control, as the console names it. */
export function steeringLabel(
  control: { readonly type: string } & Readonly<Record<string, unknown>>,
): string {
  const c = control as Record<string, unknown>;
  switch (control.type) {
    case 'idiom':
      return `Idiom: ${String(c.idiom)}`;
    case 'key':
      return `Key: ${String(c.key)}`;
    case 'techniques':
      return `Techniques: ${Array.isArray(c.techniques) ? c.techniques.join(', ') : '?'}`;
    case 'tempo': {
      const tempo = isObject(c.tempo) ? c.tempo : {};
      if (tempo.kind === 'hold') return `Tempo: hold ${String(tempo.bpm)} BPM`;
      if (tempo.kind === 'guide') return `Tempo: guide toward ${String(tempo.bpm)} BPM`;
      return 'Tempo: follow';
    }
    case 'energy':
      return `Energy: ${finite(c.energy) ? Math.round(c.energy * 100) : '?'} %`;
    case 'register':
      return c.register === null
        ? 'Register: follow the client'
        : `Register: around MIDI ${String(c.register)}`;
    case 'voices':
      return `Voices: ${Array.isArray(c.voices) ? c.voices.join(', ') : '?'}`;
    case 'start':
      return 'Start';
    case 'fade-out':
      return `Fade out over ${String(c.bars)} bars`;
    case 'end':
      return c.cadence === true ? 'End with a cadence' : 'End';
    default:
      return control.type;
  }
}

const STEERING_TYPES = new Set([
  'idiom',
  'key',
  'techniques',
  'tempo',
  'energy',
  'register',
  'voices',
  'start',
  'fade-out',
  'end',
]);

/** Why a played event is malformed, or null. */
function playedProblem(e: Record<string, unknown>): string | null {
  if (!time(e.t)) return `a played event needs a time from 0 to ${MAX_TIME} s, got: ${String(e.t)}`;
  switch (e.type) {
    case 'note':
      if (!inRange(e.pitch, 0, 127)) return `a note needs a pitch 0–127, got: ${String(e.pitch)}`;
      if (!inRange(e.velocity, 1, 127)) return `a note needs a velocity 1–127, got: ${String(e.velocity)}`;
      if (!inRange(e.duration, 0, 60)) return `a note needs a duration of 0–60 s, got: ${String(e.duration)}`;
      return null;
    case 'hit':
      if (!inRange(e.instrument, 0, 127))
        return `a hit needs an instrument 0–127, got: ${String(e.instrument)}`;
      if (!inRange(e.velocity, 1, 127)) return `a hit needs a velocity 1–127, got: ${String(e.velocity)}`;
      return null;
    case 'voice':
      if (e.pitch !== null && !inRange(e.pitch, 0, 127))
        return `a voice frame needs a pitch 0–127 or null, got: ${String(e.pitch)}`;
      if (!inRange(e.loudness, 0, 1)) return `a voice frame needs a loudness 0–1, got: ${String(e.loudness)}`;
      if (typeof e.onset !== 'boolean')
        return `a voice frame needs onset true or false, got: ${String(e.onset)}`;
      return null;
    default:
      return `unknown played event type: ${String(e.type)}`;
  }
}

/** Sorts one entry into `out`; returns why it was left out, or null. */
function readEntry(entry: LogEntry, index: number, seq: number | null, out: ReadLog): string | null {
  if (
    !isObject(entry) ||
    typeof entry.participant !== 'string' ||
    entry.participant === '' ||
    typeof entry.type !== 'string'
  ) {
    return 'an entry needs a participant, a type and a payload';
  }
  const who = entry.participant;
  const p = entry.payload;
  switch (entry.type) {
    case 'play': {
      const e = isObject(p) && isObject(p.event) ? p.event : null;
      if (e === null) return 'a play entry needs a payload { event }';
      const why = playedProblem(e);
      if (why !== null) return why;
      const t = e.t as number;
      if (e.type === 'note') {
        push(out.notes, who, {
          t,
          pitch: e.pitch as number,
          velocity: e.velocity as number,
          duration: e.duration as number,
          seq,
        });
      } else if (e.type === 'hit') {
        push(out.hits, who, { t, instrument: e.instrument as number, velocity: e.velocity as number, seq });
      } else {
        push(out.voice, who, {
          t,
          pitch: e.pitch as number | null,
          loudness: e.loudness as number,
          onset: e.onset as boolean,
          seq,
        });
      }
      return null;
    }
    case 'companion': {
      if (!isObject(p)) return 'a companion entry needs a payload { pitch, velocity, duration, voice }';
      if (!time(entry.t))
        return `a companion note needs a time from 0 to ${MAX_TIME} s, got: ${String(entry.t)}`;
      if (!inRange(p.pitch, 0, 127)) return `a companion note needs a pitch 0–127, got: ${String(p.pitch)}`;
      if (!inRange(p.velocity, 0, 127))
        return `a companion note needs a velocity 0–127, got: ${String(p.velocity)}`;
      if (!inRange(p.duration, 0, 60))
        return `a companion note needs a duration of 0–60 s, got: ${String(p.duration)}`;
      if (typeof p.voice !== 'string' || p.voice === '')
        return `a companion note needs a voice, got: ${String(p.voice)}`;
      // The room logs the planned velocity; it sounds rounded into 1–127.
      const velocity = Math.max(1, Math.min(127, Math.round(p.velocity)));
      push(out.companion, p.voice, { t: entry.t, pitch: p.pitch, velocity, duration: p.duration, seq });
      return null;
    }
    case 'steer': {
      const control = isObject(p) && isObject(p.control) ? p.control : null;
      if (control === null || typeof control.type !== 'string' || !STEERING_TYPES.has(control.type)) {
        return `a steer entry needs a known control, got: ${String(JSON.stringify(control)).slice(0, 80)}`;
      }
      if (!time(entry.t))
        return `a steer entry needs a time from 0 to ${MAX_TIME} s, got: ${String(entry.t)}`;
      const c = control as { type: string } & Record<string, unknown>;
      out.steering.push({ t: entry.t, seq, participant: who, control: c, label: steeringLabel(c) });
      return null;
    }
    case 'mark': {
      if (!isObject(p) || typeof p.note !== 'string') return 'a mark entry needs a payload { note, tags }';
      if (!time(entry.t)) return `a mark needs a time from 0 to ${MAX_TIME} s, got: ${String(entry.t)}`;
      const tags = Array.isArray(p.tags) ? p.tags.filter((x): x is string => typeof x === 'string') : [];
      out.marks.push({
        id: seq === null ? `live-#${index}` : `live-${seq}`,
        t: entry.t,
        end: null,
        note: p.note,
        tags,
        source: 'live',
        author: who,
      });
      return null;
    }
    default:
      out.ignored.set(entry.type, (out.ignored.get(entry.type) ?? 0) + 1);
      return null;
  }
}

/**
 * Sorts the entries of a session log into lanes, steering and marks, naming every entry left out.
 * Live marks get the id `live-<seq>` (or `live-#<position>` without a sequence number).
 */
export function readLog(entries: readonly LogEntry[]): ReadLog {
  const out: ReadLog = {
    notes: new Map(),
    hits: new Map(),
    voice: new Map(),
    companion: new Map(),
    steering: [],
    marks: [],
    problems: [],
    ignored: new Map(),
  };
  entries.forEach((entry, index) => {
    const seq = isObject(entry) && Number.isInteger(entry.seq) ? (entry.seq as number) : null;
    const message = readEntry(entry, index, seq, out);
    if (message !== null) out.problems.push({ index, seq, message });
  });
  return out;
}
