/**
 * `attune accompany FILE.mid --out OUT.mid`: the companion plays with one track of a MIDI file,
 * hearing it exactly as a live room would (each note at its time, a plan every 25 ms with the
 * live lookahead), and the client's notes and the companion's voices are written to OUT.mid.
 */
import { writeFile } from 'node:fs/promises';
import {
  accompany,
  type CompanionSettings,
  LIVE_LOOP,
  type PlannedNote,
  parseTempo,
  VOICES,
  type Voice,
} from '@attune/engine/companion';
import type { NoteEvent } from '@attune/engine/events';
import { idiomNames } from '@attune/engine/idiom';
import { performanceToMidi, type TrackNotes, writeMidi } from '@attune/engine/midi';
import { parseTechniques } from '@attune/engine/technique';
import { intOption, numberOption, onePositional, type Parsed, parse } from '../args.ts';
import { loadPerformance } from '../input.ts';
import { CliError, type Command, type Io } from '../io.ts';

const OPTIONS = {
  track: { type: 'string' },
  idiom: { type: 'string' },
  key: { type: 'string' },
  technique: { type: 'string' },
  tempo: { type: 'string' },
  energy: { type: 'string' },
  voices: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
} as const;

/** General MIDI's percussion channel (channel 10, counted from 1). */
const PERCUSSION = 9;
/**
 * The MIDI channel of each companion voice: 11–15 (counted from 1), clear of the channels a
 * client's file usually uses, so a program set for a companion voice never changes the client's sound.
 */
const CHANNEL: Readonly<Record<Voice, number>> = {
  'piano-left': 10,
  'piano-right': 11,
  bass: 12,
  mallets: 13,
  pad: 14,
  percussion: PERCUSSION,
};

/** The General MIDI program each pitched voice sounds with (drums need none). */
const PROGRAM: Readonly<Partial<Record<Voice, number>>> = {
  'piano-left': 0, // Acoustic Grand Piano
  'piano-right': 0,
  bass: 32, // Acoustic Bass
  mallets: 12, // Marimba
  pad: 48, // String Ensemble 1
};

/** The companion's settings from the command line, each bad value a one-line usage error. */
export function settingsFrom(parsed: Parsed): Partial<CompanionSettings> {
  const values = parsed.values;
  const settings: { -readonly [K in keyof CompanionSettings]?: CompanionSettings[K] } = {};
  const text = (name: string): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  const idiom = text('idiom');
  if (idiom !== undefined) {
    if (!idiomNames().includes(idiom as never)) {
      throw new CliError(`unknown idiom '${idiom}' (known: ${idiomNames().join(', ')})`, 2);
    }
    settings.idiom = idiom;
  }
  const key = text('key');
  if (key !== undefined) {
    if (!/^[A-G](#|b)?$/.test(key))
      throw new CliError(`--key must be a tonic such as C, F# or Bb, got: ${key}`, 2);
    settings.key = key;
  }
  const technique = text('technique');
  if (technique !== undefined) settings.techniques = usage(() => parseTechniques(technique));
  const tempo = text('tempo');
  if (tempo !== undefined) settings.tempo = usage(() => parseTempo(tempo));
  const voices = text('voices');
  if (voices !== undefined) {
    const list = voices.split(',').map((v) => v.trim());
    for (const v of list) {
      if (!(VOICES as readonly string[]).includes(v)) {
        throw new CliError(`unknown voice '${v}' (known: ${VOICES.join(', ')})`, 2);
      }
    }
    settings.voices = list as Voice[];
  }
  const energy = numberOption(parsed, 'energy', 0, 1);
  if (energy !== undefined) settings.energy = energy;
  return settings;
}

function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), 2);
  }
}

/** The tracks of OUT.mid: the client's notes unchanged, then one track per companion voice. */
export function outputTracks(client: readonly NoteEvent[], notes: readonly PlannedNote[]): TrackNotes[] {
  const tracks: TrackNotes[] = [{ name: 'client', notes: [...client] }];
  for (const voice of VOICES) {
    const mine = notes.filter((n) => n.voice === voice);
    if (mine.length === 0) continue;
    tracks.push({
      name: `companion:${voice}`,
      channel: CHANNEL[voice],
      ...(PROGRAM[voice] === undefined ? {} : { program: PROGRAM[voice] }),
      notes: mine.map((n) => ({
        type: 'note',
        t: n.start,
        pitch: n.pitch,
        velocity: n.velocity,
        duration: n.duration,
      })),
    });
  }
  return tracks;
}

export const accompanyCommand: Command = {
  name: 'accompany',
  summary: 'play the companion with a track of a MIDI file, as a live room would',
  help: `Usage: attune accompany FILE.mid --out OUT.mid [options]

The companion hears the chosen track note by note at its time and plays with it, planning every
25 ms with a 100 ms lookahead, exactly as in a live session. OUT.mid holds the client's notes
unchanged (track 'client') and one track per companion voice ('companion:<voice>'); unpitched
percussion is on MIDI channel 10.

Options:
  --track N                   the track to accompany (default: every track)
  --idiom NAME                ${idiomNames().join(', ')} (default: from the client's key)
  --key TONIC                 C, F#, Bb ... (default: from the client)
  --technique NAME[,NAME]     see 'attune techniques' (default: synchronise,match)
  --tempo follow|hold:BPM|guide:BPM   (default: follow)
  --energy 0..1               (default: 0.5)
  --voices VOICE[,VOICE]      ${VOICES.join(', ')} (default: piano-left,piano-right)
  --seed N                    (default: 1)
  --out OUT.mid               where to write
`,
  async run(args: readonly string[], io: Io) {
    const parsed = parse(args, OPTIONS);
    const file = onePositional(parsed, 'FILE.mid');
    const out = parsed.values.out;
    if (typeof out !== 'string' || out === '') throw new CliError('missing --out OUT.mid', 2);
    const settings = settingsFrom(parsed);
    const seed = intOption(parsed, 'seed', 0, 2 ** 31 - 1) ?? 1;
    const trackIndex = intOption(parsed, 'track', 0, 65535);

    const loaded = await loadPerformance(file, trackIndex === undefined ? {} : { track: trackIndex });
    const result = accompany(loaded.played, settings, seed, { ...LIVE_LOOP, until: loaded.duration + 2 });
    const midi = performanceToMidi(outputTracks(loaded.notes, result.notes));
    await writeFile(out, writeMidi(midi));
    const voices = [...new Set(result.notes.map((n) => n.voice))].join(', ') || 'none';
    io.stdout.write(
      `accompanied ${loaded.notes.length} client notes with ${result.notes.length} companion notes (${voices}) -> ${out}\n`,
    );
  },
};
