/**
 * A MIDI file as a performance: the notes each track played, in seconds, and back again.
 */
import type { HitEvent, NoteEvent } from '../events/index.ts';
import type { Bpm, Seconds } from '../time/index.ts';
import { readMidi } from './read.ts';
import { endOfTrack, metaText, TempoMap, tempoMeta, tempoOf, textMeta } from './tempo.ts';
import { META, type MidiEvent, type MidiFile, type MidiLimits, type MidiTrack } from './types.ts';

/** The notes of one track of a file. */
export interface PerformanceTrack {
  /** The track's index in the file. */
  index: number;
  /** The track's name (its first track-name meta event), or '' when it has none. */
  name: string;
  /** Notes sorted by onset, each with its `channel`; channel 9 is General MIDI percussion. */
  notes: NoteEvent[];
}

/** What a MIDI file's players played: the tracks that hold notes, and the length of the piece. */
export interface Performance {
  tracks: PerformanceTrack[];
  /** Seconds from the start to the end of the last track (or the last note, if later). */
  duration: Seconds;
}

/** General MIDI's percussion channel (channel 10 counted from 1). */
export const PERCUSSION_CHANNEL = 9;

/**
 * The notes of a MIDI file in seconds, track by track (tracks without notes are left out).
 * A note-on with velocity 0 is a note-off; overlapping notes of one pitch and channel end
 * first-in first-out; notes still sounding when a track ends last until the track's end.
 * Format-2 tracks are separate pieces, each timed from 0 with its own tempo map.
 */
export function toPerformance(file: MidiFile): Performance {
  const shared = file.format === 2 ? null : TempoMap.of(file);
  const tracks: PerformanceTrack[] = [];
  let duration = 0;
  file.tracks.forEach((track, index) => {
    const tempo = shared ?? TempoMap.of(file, index);
    const { notes, end } = trackNotes(track, tempo);
    duration = Math.max(duration, end);
    if (notes.length > 0) tracks.push({ index, name: trackName(track), notes });
  });
  return { tracks, duration };
}

/**
 * Reads the bytes of a MIDI file as a performance; throws `MidiFileError` for a bad file.
 * @example readPerformance(bytes).tracks[0]?.notes[0] // { type: 'note', t: 0, pitch: 60, velocity: 100, duration: 0.5, channel: 0 }
 */
export function readPerformance(bytes: Uint8Array, limits?: Partial<MidiLimits>): Performance {
  return toPerformance(readMidi(bytes, limits));
}

function trackNotes(track: MidiTrack, tempo: TempoMap): { notes: NoteEvent[]; end: Seconds } {
  // Notes in onset order, as parallel arrays of small numbers (cheap for files of millions of notes).
  const onTick: number[] = [];
  const offTick: number[] = [];
  const pitch: number[] = [];
  const velocity: number[] = [];
  const channel: number[] = [];
  // Per channel and pitch, the sounding notes' indices, oldest first.
  const open = new Map<number, number[]>();
  let lastTick = 0;
  for (const e of track.events) {
    lastTick = Math.max(lastTick, e.tick);
    if (e.type !== 'noteOn' && e.type !== 'noteOff') continue;
    const key = e.channel * 128 + e.note;
    if (e.type === 'noteOn' && e.velocity > 0) {
      const queue = open.get(key);
      if (queue) queue.push(onTick.length);
      else open.set(key, [onTick.length]);
      onTick.push(e.tick);
      offTick.push(-1);
      pitch.push(e.note);
      velocity.push(e.velocity);
      channel.push(e.channel);
    } else {
      // The oldest sounding note of this pitch ends; a note-off with none sounding is ignored.
      const first = open.get(key)?.shift();
      if (first !== undefined) offTick[first] = e.tick;
    }
  }
  const notes: NoteEvent[] = new Array(onTick.length);
  for (let i = 0; i < onTick.length; i++) {
    const t = tempo.seconds(onTick[i] as number);
    const off = offTick[i] as number;
    notes[i] = {
      type: 'note',
      t,
      pitch: pitch[i] as number,
      velocity: velocity[i] as number,
      // Notes still sounding at the end of the track last until its end.
      duration: tempo.seconds(off < 0 ? lastTick : off) - t,
      channel: channel[i] as number,
    };
  }
  return { notes, end: tempo.seconds(lastTick) };
}

function trackName(track: MidiTrack): string {
  for (const e of track.events) {
    if (e.type === 'meta' && e.metaType === META.trackName) return metaText(e) ?? '';
  }
  return '';
}

/** A list of notes to write as one named track. */
export interface TrackNotes {
  name: string;
  notes: readonly NoteEvent[];
  /** Channel for every note of the track; otherwise each note's own channel, else 0. */
  channel?: number;
  /** General MIDI program (0–127) set on the track's channel at its start, so players choose the right sound. */
  program?: number;
}

/**
 * A type-1 MIDI file of note lists: a tempo track, then one named track per list. Times are
 * rounded to the nearest tick, so with the default 960 PPQ at 120 BPM they survive a round
 * trip within 0.26 ms. Pitches and velocities are rounded and kept within MIDI's ranges.
 * @example performanceToMidi([{ name: 'piano', notes }]).tracks.length // 2
 */
export function performanceToMidi(
  tracks: readonly TrackNotes[],
  options: { ppq?: number; bpm?: Bpm } = {},
): MidiFile {
  const ppq = options.ppq ?? 960;
  const bpm = options.bpm ?? 120;
  if (!(Number.isInteger(ppq) && ppq >= 1 && ppq <= 0x7fff))
    throw new RangeError(`ppq must be 1..32767, got: ${ppq}`);
  if (!(Number.isFinite(bpm) && bpm > 0)) throw new RangeError(`bpm must be a positive number, got: ${bpm}`);
  // Ticks follow the tempo as written (whole microseconds per quarter), so times survive exactly.
  const tempo = tempoMeta(0, bpm);
  const ticksPerSecond = (ppq * 1e6) / (tempoOf(tempo) as number);
  const toTick = (t: Seconds) => Math.round(t * ticksPerSecond);
  let lastTick = 0;
  const noteTracks = tracks.map((track): MidiTrack => {
    const timed = track.notes.map((note, order) => {
      if (!(Number.isFinite(note.t) && note.t >= 0 && Number.isFinite(note.duration) && note.duration >= 0)) {
        throw new RangeError(
          `note times must be finite and not negative, got: t ${note.t}, duration ${note.duration}`,
        );
      }
      const channel = track.channel ?? note.channel ?? 0;
      if (!(Number.isInteger(channel) && channel >= 0 && channel <= 15)) {
        throw new RangeError(`channel must be 0..15, got: ${channel}`);
      }
      const on = toTick(note.t);
      return {
        on,
        off: Math.max(on, toTick(note.t + note.duration)),
        order,
        channel,
        note: clamp(Math.round(note.pitch), 0, 127),
        velocity: clamp(Math.round(note.velocity), 1, 127),
      };
    });
    const events: Array<{ event: MidiEvent; rank: number; order: number }> = [];
    for (const n of timed) {
      events.push({
        event: { type: 'noteOn', tick: n.on, channel: n.channel, note: n.note, velocity: n.velocity },
        rank: 1,
        order: n.order,
      });
      // At one tick, earlier notes end before new ones start; a note of no length ends after it starts.
      const rank = n.off === n.on ? 2 : 0;
      events.push({
        event: { type: 'noteOff', tick: n.off, channel: n.channel, note: n.note, velocity: 0 },
        rank,
        order: n.order,
      });
    }
    events.sort((a, b) => a.event.tick - b.event.tick || a.rank - b.rank || a.order - b.order);
    const end = events.length > 0 ? (events[events.length - 1] as { event: MidiEvent }).event.tick : 0;
    lastTick = Math.max(lastTick, end);
    const head: MidiEvent[] = [textMeta(0, track.name)];
    if (track.program !== undefined) {
      if (!(Number.isInteger(track.program) && track.program >= 0 && track.program <= 127)) {
        throw new RangeError(`program must be 0..127, got: ${track.program}`);
      }
      const channel = track.channel ?? track.notes[0]?.channel ?? 0;
      head.push({ type: 'programChange', tick: 0, channel, program: track.program });
    }
    return { events: [...head, ...events.map((e) => e.event), endOfTrack(end)] };
  });
  const tempoTrack: MidiTrack = {
    events: [textMeta(0, 'tempo', META.trackName), tempo, endOfTrack(lastTick)],
  };
  return { format: 1, division: { type: 'ppq', ppq }, tracks: [tempoTrack, ...noteTracks] };
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

/** Whether a MIDI channel is General MIDI's percussion channel. */
export function isPercussionChannel(channel: number | undefined): boolean {
  return channel === PERCUSSION_CHANNEL;
}

/**
 * What a note from a MIDI file was as playing: a hit for the percussion channel (its pitch is
 * the drum), else the note itself.
 * @example noteToPlayed({ type: 'note', t: 1, pitch: 38, velocity: 90, duration: 0.1, channel: 9 }) // { type: 'hit', t: 1, instrument: 38, velocity: 90 }
 */
export function noteToPlayed(note: NoteEvent): NoteEvent | HitEvent {
  if (!isPercussionChannel(note.channel)) return note;
  return { type: 'hit', t: note.t, instrument: note.pitch, velocity: note.velocity };
}
