/** Helpers for the command's tests: run it with string sinks, and write MIDI files to a temporary folder. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NoteEvent } from '@attune/engine/events';
import { performanceToMidi, writeMidi } from '@attune/engine/midi';
import { main } from './main.ts';

/** What a run of the command printed and returned. */
export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `attune ARGS` in-process. */
export async function runCli(args: readonly string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { status, stdout, stderr };
}

/** A temporary folder that `cleanup` removes. */
export function tempDir(): { dir: string; file(name: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'attune-cli-'));
  return {
    dir,
    file: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Writes a type-1 MIDI file with one named track per list of notes. */
export function writeMidiFile(
  path: string,
  tracks: Array<{ name: string; notes: NoteEvent[]; channel?: number }>,
): void {
  writeFileSync(path, writeMidi(performanceToMidi(tracks)));
}
