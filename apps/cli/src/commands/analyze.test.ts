import type { NoteEvent } from '@attune/engine/events';
import { createRng } from '@attune/engine/random';
import { simulatePlayer } from '@attune/engine/simulate';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, writeMidiFile } from '../test-support.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const notesOf = (events: ReadonlyArray<{ type: string }>) =>
  events.filter((e): e is NoteEvent => e.type === 'note');

/** A pianist at 90 BPM and a drummer at the same tempo, in two tracks. */
function duetFile(): string {
  const piano = simulatePlayer(
    { bpm: 90, bars: 16, style: 'piano', key: { tonic: 'G', mode: 'major' } },
    createRng(1),
  );
  const drums = simulatePlayer({ bpm: 90, bars: 16, style: 'drums', drumOutput: 'notes' }, createRng(2));
  const path = tmp.file('duet.mid');
  writeMidiFile(path, [
    { name: 'Piano', notes: notesOf(piano.events) },
    { name: 'Drums', notes: notesOf(drums.events), channel: 9 },
  ]);
  return path;
}

interface Analysis {
  tracks: Array<{ name: string; kind: string; tempo: { median: number | null } }>;
  pairs: Array<{ a: string; b: string; synchrony: unknown }>;
}

describe('attune analyze', () => {
  const path = duetFile();

  it('measures each track and the pair between them, as JSON', async () => {
    const run = await runCli(['analyze', path, '--json']);
    expect(run.status).toBe(0);
    const analysis = JSON.parse(run.stdout) as Analysis;
    expect(analysis.tracks.map((t) => [t.name, t.kind])).toEqual([
      ['Piano', 'pitched'],
      ['Drums', 'percussive'],
    ]);
    for (const track of analysis.tracks) expect(track.tempo.median).toBeCloseTo(90, -1);
    expect(analysis.pairs.map((p) => [p.a, p.b])).toEqual([['Piano', 'Drums']]);
  });

  it('splits players by channel when asked', async () => {
    const run = await runCli(['analyze', path, '--by', 'channel', '--json']);
    const analysis = JSON.parse(run.stdout) as Analysis;
    expect(analysis.tracks.map((t) => t.name)).toEqual(['channel 1', 'drums (channel 10)']);
  });

  it('prints plain-language measures without --json', async () => {
    const run = await runCli(['analyze', path]);
    expect(run.stdout).toContain('Track "Piano"');
    expect(run.stdout).toContain('Pair "Piano" and "Drums"');
  });

  it('refuses a bad --by with a usage error', async () => {
    const run = await runCli(['analyze', path, '--by', 'colour']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('attune analyze: --by must be track or channel, got: colour\n');
  });

  it('refuses a file without notes, or missing, with a one-line reason and nothing printed', async () => {
    const silent = tmp.file('silent.mid');
    writeMidiFile(silent, [{ name: 'Piano', notes: [] }]);
    const run = await runCli(['analyze', silent, '--json']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`attune analyze: ${silent} has no notes\n`);
    const missing = await runCli(['analyze', tmp.file('missing.mid')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`attune analyze: cannot read ${tmp.file('missing.mid')}: no such file\n`);
  });

  describe('with listening threads', () => {
    const withWorkers = async (workers: string, args: string[]) => {
      const before = process.env.ATTUNE_WORKERS;
      process.env.ATTUNE_WORKERS = workers;
      try {
        return await runCli(args);
      } finally {
        if (before === undefined) delete process.env.ATTUNE_WORKERS;
        else process.env.ATTUNE_WORKERS = before;
      }
    };

    it('prints the same measures whether the tracks are heard on one thread or three', async () => {
      const one = await withWorkers('0', ['analyze', path, '--json']);
      const three = await withWorkers('2', ['analyze', path, '--json']);
      expect(three.status).toBe(0);
      expect(three.stdout).toBe(one.stdout);
      expect(JSON.parse(one.stdout).tracks).toHaveLength(2);
    });

    it('stops its threads and says why when the file cannot be read', async () => {
      const run = await withWorkers('1', ['analyze', tmp.file('gone.mid'), '--json']);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`attune analyze: cannot read ${tmp.file('gone.mid')}: no such file\n`);
    });

    it('refuses a number of threads that is not a whole number, printing nothing', async () => {
      const run = await withWorkers('two', ['analyze', path, '--json']);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        'attune analyze: ATTUNE_WORKERS must be a whole number from 0 to 64, got: two\n',
      );
    });
  });
});
