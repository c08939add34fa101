/** `attune techniques`: the companion's techniques, one line each. */
import { TECHNIQUE_SUMMARIES, TECHNIQUES } from '@attune/engine/technique';
import { parse } from '../args.ts';
import type { Command, Io } from '../io.ts';

export const techniquesCommand: Command = {
  name: 'techniques',
  summary: 'list the techniques the companion can use',
  help: `Usage: attune techniques

Lists every technique (what the companion does with what it hears) with a line each. Combine
them with commas in 'attune accompany --technique ground,match'.
`,
  run(args: readonly string[], io: Io) {
    parse(args, {});
    const width = Math.max(...TECHNIQUES.map((t) => t.length));
    for (const name of TECHNIQUES) io.stdout.write(`${name.padEnd(width)}  ${TECHNIQUE_SUMMARIES[name]}\n`);
  },
};
