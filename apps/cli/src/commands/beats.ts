/** `attune beats`: the beats the pulse tracker commits while fed a MIDI file in time order. */
import { trackBeats } from '@attune/engine/pulse';
import { parse } from '../args.ts';
import { loadHeardOnsets, SELECTION_OPTIONS } from '../input.ts';
import type { Command, Io } from '../io.ts';

const options = { ...SELECTION_OPTIONS, json: { type: 'boolean' } } as const;

export const beatsCommand: Command = {
  name: 'beats',
  summary: 'the beats the pulse tracker commits, fed the file in time order',
  help: `Usage: attune beats FILE.mid [--track N] [--channel N] [--json]

Feeds the notes of FILE.mid (all tracks, or one track or channel) to Attune's pulse tracker in
time order, as a live session would, and prints the beats it commits. Causal: a beat at time b
depends only on notes before b, so the first T seconds of a file give the same beats before T
as the whole file does. Channel 10 (--channel 9, counting from 0) is heard as drums.

Options:
  --track N     only track N (0 is the first track of the file)
  --channel N   only MIDI channel N, 0-15
  --json        print {"beats":[seconds,...]}
`,
  async run(args: readonly string[], io: Io) {
    const parsed = parse(args, options);
    const onsets = await loadHeardOnsets(parsed);
    const beats = trackBeats(onsets).map(roundTime);
    if (parsed.values.json) {
      io.stdout.write(`${JSON.stringify({ beats })}\n`);
      return;
    }
    if (beats.length === 0) {
      io.stdout.write('No steady pulse was found.\n');
      return;
    }
    const lines = beats.map((b, i) => {
      const previous = beats[i - 1];
      const bpm = previous === undefined ? '' : (60 / (b - previous)).toFixed(1);
      return `${String(i + 1).padStart(4)}  ${b.toFixed(3).padStart(8)}  ${bpm.padStart(11)}\n`;
    });
    io.stdout.write(
      `${beats.length} beats, median tempo ${medianBpm(beats).toFixed(1)} BPM\nbeat  time (s)  tempo (BPM)\n${lines.join('')}`,
    );
  },
};

/** Milliseconds are finer than any beat annotation; more digits are noise in the output. */
function roundTime(t: number): number {
  return Math.round(t * 1e4) / 1e4;
}

function medianBpm(beats: readonly number[]): number {
  const periods = beats
    .slice(1)
    .map((b, i) => b - (beats[i] as number))
    .sort((a, b) => a - b);
  const mid = periods[Math.floor(periods.length / 2)];
  return mid === undefined || mid <= 0 ? 0 : 60 / mid;
}
