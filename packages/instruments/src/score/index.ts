/**
 * What a MIDI file asks the instruments to play: its notes (paired as the engine pairs them),
 * each with the General MIDI program in force on its channel when it starts, and held on by
 * the sustain pedal (controller 64) as a piano's dampers would be.
 */
import type { Seconds } from '@attune/engine';
import { type MidiFile, type MidiTrack, TempoMap, toPerformance } from '@attune/engine/midi';
import { gmSource, PERCUSSION_CHANNEL, type SoundSource } from '../catalogue/index.ts';
import type { PlannedNote } from '../planner/index.ts';

/** A note of a file with the sound it asks for. */
export interface ScoreNote extends PlannedNote {
  readonly source: SoundSource;
  readonly channel: number;
  readonly track: number;
}

/** Controller 64: the sustain (damper) pedal; down from 64 on. */
const SUSTAIN = 64;

interface Change {
  readonly t: Seconds;
  readonly value: number;
}

/** The value in force at `t` in time-sorted changes (changes at the same instant as `t` count). */
function valueAt(changes: readonly Change[], t: Seconds, initial: number): number {
  let lo = 0;
  let hi = changes.length - 1;
  let value = initial;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = changes[mid]!;
    if (c.t <= t + 1e-9) {
      value = c.value;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return value;
}

/** When the pedal down at `t` (if it is) comes up; `t` itself when it is up. */
function pedalUp(pedal: readonly Change[], t: Seconds): Seconds {
  if (valueAt(pedal, t, 0) < 64) return t;
  for (const c of pedal) if (c.t > t + 1e-9 && c.value < 64) return c.t;
  return pedal.at(-1)?.t ?? t;
}

function channelChanges(
  tracks: readonly MidiTrack[],
  tempo: (track: number) => TempoMap,
): { programs: Change[][]; pedals: Change[][] } {
  const programs: Change[][] = Array.from({ length: 16 }, () => []);
  const pedals: Change[][] = Array.from({ length: 16 }, () => []);
  tracks.forEach((track, index) => {
    const map = tempo(index);
    for (const e of track.events) {
      if (e.type === 'programChange') programs[e.channel]!.push({ t: map.seconds(e.tick), value: e.program });
      else if (e.type === 'controlChange' && e.controller === SUSTAIN) {
        pedals[e.channel]!.push({ t: map.seconds(e.tick), value: e.value });
      }
    }
  });
  for (const list of [...programs, ...pedals]) list.sort((a, b) => a.t - b.t);
  return { programs, pedals };
}

/**
 * The notes of a MIDI file with their sounds: the program in force on the note's channel when it
 * starts (0, the grand piano, before any program change), channel 10 on the drum kit, and the
 * sustain pedal holding released notes until it comes up.
 * @example scoreOf(file).notes[0] // { t: 0, key: 60, velocity: 90, duration: 0.5, channel: 0, source: { kind: 'piano' }, … }
 */
export function scoreOf(file: MidiFile): { notes: ScoreNote[]; duration: Seconds } {
  const performance = toPerformance(file);
  const shared = file.format === 2 ? null : TempoMap.of(file);
  const perTrack = new Map<number, TempoMap>();
  const tempo = (track: number) => {
    if (shared) return shared;
    let map = perTrack.get(track);
    if (!map) {
      map = TempoMap.of(file, track);
      perTrack.set(track, map);
    }
    return map;
  };
  // Format-2 tracks are separate pieces: each keeps its own programs and pedal.
  const scopes = new Map<number, { programs: Change[][]; pedals: Change[][] }>();
  const scope = (track: number) => {
    const key = shared ? -1 : track;
    let s = scopes.get(key);
    if (!s) {
      s = channelChanges(shared ? file.tracks : [file.tracks[track]!], shared ? tempo : () => tempo(track));
      scopes.set(key, s);
    }
    return s;
  };
  const notes: ScoreNote[] = [];
  let duration = performance.duration;
  for (const track of performance.tracks) {
    const { programs, pedals } = scope(track.index);
    for (const note of track.notes) {
      const channel = note.channel ?? 0;
      const program = valueAt(programs[channel]!, note.t, 0);
      const end = note.t + note.duration;
      const held = channel === PERCUSSION_CHANNEL ? end : pedalUp(pedals[channel]!, end);
      duration = Math.max(duration, held);
      notes.push({
        t: note.t,
        key: note.pitch,
        velocity: note.velocity,
        duration: held - note.t,
        channel,
        track: track.index,
        group: shared ? `${channel}` : `${track.index}:${channel}`,
        source: gmSource(channel, program),
      });
    }
  }
  notes.sort((a, b) => a.t - b.t);
  return { notes, duration };
}
