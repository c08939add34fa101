/** `attune key`: the key or mode in force over time, as the tonality tracker hears a MIDI file. */
import { trackKeys } from '@attune/engine/key';
import { parse } from '../args.ts';
import { loadHeardOnsets, SELECTION_OPTIONS } from '../input.ts';
import type { Command, Io } from '../io.ts';

const options = { ...SELECTION_OPTIONS, json: { type: 'boolean' } } as const;

export const keyCommand: Command = {
  name: 'key',
  summary: 'the key or mode in force over time, heard causally',
  help: `Usage: attune key FILE.mid [--track N] [--channel N] [--json]

Feeds the pitched notes of FILE.mid to Attune's tonality tracker in time order and prints each
change of key or mode: the estimate in force from time t on, from what was heard up to t.
Modes: major, minor, dorian, phrygian, lydian, mixolydian, major-pentatonic, minor-pentatonic
(a mode other than major or minor is named only on clear evidence).

Options:
  --track N     only track N (0 is the first track of the file)
  --channel N   only MIDI channel N, 0-15
  --json        print {"keys":[{"t":seconds,"tonic":"F#","mode":"minor","confidence":0.8},...]}
`,
  async run(args: readonly string[], io: Io) {
    const parsed = parse(args, options);
    // Drums have no key: only pitched notes are heard.
    const onsets = await loadHeardOnsets(parsed, { pitchedOnly: true });
    const keys = trackKeys(onsets).map((k) => ({
      t: Math.round(k.t * 1e4) / 1e4,
      tonic: k.tonic,
      mode: k.mode,
      confidence: Math.round(k.confidence * 1000) / 1000,
    }));
    if (parsed.values.json) {
      io.stdout.write(`${JSON.stringify({ keys })}\n`);
      return;
    }
    if (keys.length === 0) {
      io.stdout.write('No pitched notes to hear a key in.\n');
      return;
    }
    const lines = keys.map(
      (k) =>
        `${k.t.toFixed(2).padStart(8)}  ${`${k.tonic} ${k.mode}`.padEnd(20)}  ${k.confidence.toFixed(2)}\n`,
    );
    io.stdout.write(`from (s)  key                   confidence\n${lines.join('')}`);
  },
};
