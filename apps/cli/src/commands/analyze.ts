/** `attune analyze`: the measures of a recording, per track and between tracks. */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { type AnalysisTrack, finishAnalysis, formatAnalysis, prepareAnalysis } from '@attune/engine/analysis';
import { noteToPlayed, type Performance } from '@attune/engine/midi';
import { onePositional, parse } from '../args.ts';
import { readMidiFile } from '../input.ts';
import { CliError, type Command, type Io } from '../io.ts';
import { startListeners } from '../listening/pool.ts';

const options = { json: { type: 'boolean' }, by: { type: 'string' } } as const;

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'measures of a recording per track (player), and between tracks',
  help: `Usage: attune analyze FILE.mid [--by track|channel] [--json]

Computes, for each player in FILE.mid, the measures of one recording: tempo curve and pulse
stability, dynamics, note density, pitch range, silences, phrases and tonal clarity; and between
each pair of players, synchrony and who leads. docs/MEASURES.md defines every measure.

Options:
  --by track     one player per MIDI track with notes (the default; a single-track file with
                 several channels is split by channel)
  --by channel   one player per MIDI channel
  --json         print the measures as JSON

Each player's pulse and key are heard on their own thread for a large file (one per spare
processor core); ATTUNE_WORKERS=N sets how many threads besides the main one (0: one thread).
The measures are the same either way.
`,
  async run(args: readonly string[], io: Io) {
    const parsed = parse(args, options);
    const file = onePositional(parsed, 'FILE.mid');
    const by = parsed.values.by ?? 'track';
    if (by !== 'track' && by !== 'channel')
      throw new CliError(`--by must be track or channel, got: ${String(by)}`, 2);
    const listeners = startListeners(await workersFor(file));
    try {
      const performance = await readMidiFile(file);
      if (performance.tracks.every((t) => t.notes.length === 0)) throw new CliError(`${file} has no notes`);
      const prepared = prepareAnalysis(players(performance, by));
      const analysis = finishAnalysis(prepared, await listeners.listen(prepared));
      for (const failure of listeners.failures)
        io.stderr.write(
          `attune analyze: a listening thread failed (${failure.message}); its tracks were heard on the main thread\n`,
        );
      io.stdout.write(parsed.values.json ? `${JSON.stringify(analysis)}\n` : formatAnalysis(analysis));
    } finally {
      await listeners.close();
    }
  },
};

/** A file this large (about ten thousand notes) has enough work to share with another thread. */
const SHARED_FROM_BYTES = 64 * 1024;

/**
 * How many threads besides this one listen to the tracks: one per spare core for a large file,
 * none for a small one (a thread takes longer to start than a short file takes to hear).
 * ATTUNE_WORKERS sets the number (0: everything on one thread).
 */
async function workersFor(file: string): Promise<number> {
  const asked = process.env.ATTUNE_WORKERS;
  if (asked !== undefined && asked !== '') {
    const n = Number(asked);
    if (!Number.isInteger(n) || n < 0 || n > 64)
      throw new CliError(`ATTUNE_WORKERS must be a whole number from 0 to 64, got: ${asked}`, 2);
    return n;
  }
  const size = await stat(file).then(
    (info) => (info.isFile() ? info.size : 0),
    () => 0,
  );
  return size >= SHARED_FROM_BYTES ? Math.min(3, availableParallelism() - 1) : 0;
}

/** The players of a file: its tracks with notes, or its channels. */
export function players(performance: Performance, by: 'track' | 'channel'): AnalysisTrack[] {
  const tracks = performance.tracks.filter((t) => t.notes.length > 0);
  const channelsOf = (notes: Performance['tracks'][number]['notes']) =>
    new Set(notes.map((n) => n.channel ?? 0));
  const single = tracks.length === 1 && tracks[0] !== undefined && channelsOf(tracks[0].notes).size > 1;
  if (by === 'channel' || single) {
    const all = tracks.flatMap((t) => t.notes).sort((a, b) => a.t - b.t);
    return [...channelsOf(all)]
      .sort((a, b) => a - b)
      .map((channel) => ({
        name: channel === 9 ? 'drums (channel 10)' : `channel ${channel + 1}`,
        events: all.filter((n) => (n.channel ?? 0) === channel).map(noteToPlayed),
      }));
  }
  return tracks.map((t) => ({
    name: t.name.trim() || `track ${t.index}`,
    events: t.notes.map(noteToPlayed),
  }));
}
