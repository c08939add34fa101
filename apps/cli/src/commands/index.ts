import type { Command } from '../io.ts';
import { accompanyCommand } from './accompany.ts';
import { analyzeCommand } from './analyze.ts';
import { beatsCommand } from './beats.ts';
import { idiomsCommand } from './idioms.ts';
import { keyCommand } from './key.ts';
import { render } from './render.ts';
import { techniquesCommand } from './techniques.ts';

/** Every command of the tool, in the order `--help` lists them. */
export const commands: readonly Command[] = [
  beatsCommand,
  keyCommand,
  analyzeCommand,
  accompanyCommand,
  render,
  idiomsCommand,
  techniquesCommand,
];

/** The text of `attune --help`. */
export function usage(): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `attune: Attune's engine on MIDI files: perception, analysis, the companion and the instruments\n\nUsage: attune COMMAND [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'attune COMMAND --help' for a command's options.\n`;
}
