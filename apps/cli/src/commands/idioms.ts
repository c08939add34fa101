/** `attune idioms`: the idioms the companion plays in, one line each. */
import { allIdioms } from '@attune/engine/idiom';
import { parse } from '../args.ts';
import type { Command, Io } from '../io.ts';

export const idiomsCommand: Command = {
  name: 'idioms',
  summary: 'list the idioms the companion can play in',
  help: `Usage: attune idioms

Lists every idiom (a scale, a chord vocabulary, harmonic motion and textures) with a line each.
Pass a name to 'attune accompany --idiom NAME'.
`,
  run(args: readonly string[], io: Io) {
    parse(args, {});
    const idioms = allIdioms();
    const width = Math.max(...idioms.map((i) => i.name.length));
    for (const idiom of idioms) io.stdout.write(`${idiom.name.padEnd(width)}  ${idiom.description}\n`);
  },
};
