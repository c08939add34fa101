/**
 * Loading a MIDI file for the `attune` commands: every way the file can fail (missing, a
 * folder, too large, not MIDI, damaged, or without the track or channel asked for) becomes a
 * one-line `CliError`.
 */
import { readFile, stat } from 'node:fs/promises';
import { atStart, type HitEvent, type NoteEvent, type Onset, toOnset } from '@attune/engine/events';
import {
  DEFAULT_MIDI_LIMITS,
  MidiFileError,
  type MidiLimits,
  noteToPlayed,
  type Performance,
  readPerformance,
} from '@attune/engine/midi';
import { intOption, onePositional, type Parsed } from './args.ts';
import { CliError } from './io.ts';

/** Which notes of the file to take: one track (its index in the file), one channel (0–15), or both. */
export interface Selection {
  track?: number;
  channel?: number;
}

/** A file's performance together with the notes selected from it. */
export interface LoadedPerformance extends Performance {
  path: string;
  /** The selected notes, sorted by time. */
  notes: NoteEvent[];
  /** The selected notes as played: percussion-channel notes become hits. */
  played: Array<NoteEvent | HitEvent>;
}

/**
 * Reads a MIDI file and selects its notes (all tracks and channels unless told otherwise).
 * Throws `CliError` with a one-line reason for any file it cannot use.
 */
export async function loadPerformance(
  path: string,
  selection: Selection = {},
  limits: Partial<MidiLimits> = {},
): Promise<LoadedPerformance> {
  const performance = await readMidiFile(path, limits);
  const notes = select(performance, selection, path);
  return { ...performance, path, notes, played: notes.map(noteToPlayed) };
}

/**
 * Reads a MIDI file's performance, its tracks as they are, without selecting or sorting notes
 * (a command that takes every track as it is has no use for all the notes in one list).
 * Throws `CliError` with a one-line reason for any file it cannot read.
 */
export async function readMidiFile(path: string, limits: Partial<MidiLimits> = {}): Promise<Performance> {
  const maxBytes = limits.maxBytes ?? DEFAULT_MIDI_LIMITS.maxBytes;
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliError(`${path} is a folder, not a MIDI file`);
    if (info.size > maxBytes)
      throw new CliError(`${path} is ${info.size} bytes, more than the limit of ${maxBytes}`);
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${path}: ${reason(error)}`);
  }
  let performance: Performance;
  try {
    performance = readPerformance(bytes, limits);
  } catch (error) {
    if (error instanceof MidiFileError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
  return performance;
}

function select(performance: Performance, selection: Selection, path: string): NoteEvent[] {
  const { track, channel } = selection;
  let tracks = performance.tracks;
  if (track !== undefined) {
    tracks = tracks.filter((t) => t.index === track);
    if (tracks.length === 0) {
      const known = performance.tracks.map((t) => t.index).join(', ') || 'none';
      throw new CliError(`no track ${track} with notes in ${path} (tracks with notes: ${known})`);
    }
  }
  let notes = tracks.flatMap((t) => t.notes);
  if (channel !== undefined) {
    const channels = [...new Set(notes.map((n) => n.channel ?? 0))].sort((a, b) => a - b);
    notes = notes.filter((n) => (n.channel ?? 0) === channel);
    if (notes.length === 0) {
      const where = track === undefined ? path : `track ${track} of ${path}`;
      throw new CliError(
        `no notes on channel ${channel} in ${where} (channels: ${channels.join(', ') || 'none'})`,
      );
    }
  }
  if (notes.length === 0) throw new CliError(`${path} has no notes`);
  // Stable: notes of one instant keep their track order.
  return notes.sort((a, b) => a.t - b.t);
}

/** A short reason for a failed read, without the stack or the system call. */
function reason(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return error instanceof Error ? (error.message.split('\n')[0] ?? 'unknown error') : String(error);
  }
}

/** The options that select notes, shared by the commands that hear one part of a file. */
export const SELECTION_OPTIONS = {
  track: { type: 'string' },
  channel: { type: 'string' },
} as const;

/**
 * Loads FILE.mid (the one positional argument) with the `--track` and `--channel` selection,
 * and returns its notes as onsets heard at their start, the way a live room hears them: a
 * note's length is known only when it ends. `pitchedOnly` leaves drums out.
 */
export async function loadHeardOnsets(
  parsed: Parsed,
  options: { pitchedOnly?: boolean } = {},
): Promise<Onset[]> {
  const file = onePositional(parsed, 'FILE.mid');
  const track = intOption(parsed, 'track', 0, 65535);
  const channel = intOption(parsed, 'channel', 0, 15);
  const performance = await loadPerformance(file, {
    ...(track === undefined ? {} : { track }),
    ...(channel === undefined ? {} : { channel }),
  });
  return performance.played.flatMap((e) => {
    const onset = options.pitchedOnly && e.type !== 'note' ? null : toOnset(e);
    return onset === null ? [] : [atStart(onset)];
  });
}
