import type { NoteEvent } from '@attune/engine/events';
import { createRng } from '@attune/engine/random';
import { simulatePlayer } from '@attune/engine/simulate';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, writeMidiFile } from '../test-support.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A drummer at 96 BPM for 24 bars, written as GM percussion on channel 10. */
function drumFile(): { path: string; beats: number[]; notes: NoteEvent[] } {
  const sim = simulatePlayer({ bpm: 96, bars: 24, style: 'drums', drumOutput: 'notes' }, createRng(5));
  const notes = sim.events.filter((e): e is NoteEvent => e.type === 'note');
  const path = tmp.file('drums.mid');
  writeMidiFile(path, [{ name: 'drums', notes, channel: 9 }]);
  return { path, beats: sim.beats, notes };
}

describe('attune beats', () => {
  const drums = drumFile();

  it('prints the committed beats as JSON, in time with the drummer after it locks on', async () => {
    const run = await runCli(['beats', drums.path, '--json']);
    expect(run.status).toBe(0);
    const { beats } = JSON.parse(run.stdout) as { beats: number[] };
    const late = beats.filter((b) => b > 5);
    expect(late.length).toBeGreaterThan(40);
    // Every committed beat after 5 s lies within 70 ms of a true beat (the F-measure window).
    for (const b of late) {
      const nearest = Math.min(...drums.beats.map((t) => Math.abs(t - b)));
      expect(nearest).toBeLessThan(0.07);
    }
  });

  it('is causal: the first T seconds of the file commit the same beats before T', async () => {
    const cut = 12;
    const path = tmp.file('drums-cut.mid');
    writeMidiFile(path, [{ name: 'drums', notes: drums.notes.filter((n) => n.t < cut), channel: 9 }]);
    const full = JSON.parse((await runCli(['beats', drums.path, '--json'])).stdout) as { beats: number[] };
    const part = JSON.parse((await runCli(['beats', path, '--json'])).stdout) as { beats: number[] };
    expect(part.beats.filter((b) => b < cut)).toEqual(full.beats.filter((b) => b < cut));
  });

  it('is causal on a pianist too: notes held across the cut, cut short there, change no beat before it', async () => {
    const sim = simulatePlayer({ bpm: 76, bars: 16, style: 'piano', articulation: 1 }, createRng(9));
    const notes = sim.events.filter((e): e is NoteEvent => e.type === 'note');
    const cut = 15;
    const full = tmp.file('piano.mid');
    const part = tmp.file('piano-cut.mid');
    writeMidiFile(full, [{ name: 'piano', notes }]);
    const clipped = notes
      .filter((n) => n.t < cut)
      .map((n) => ({ ...n, duration: Math.min(n.duration, cut - n.t) }));
    writeMidiFile(part, [{ name: 'piano', notes: clipped }]);
    const a = JSON.parse((await runCli(['beats', full, '--json'])).stdout) as { beats: number[] };
    const b = JSON.parse((await runCli(['beats', part, '--json'])).stdout) as { beats: number[] };
    expect(a.beats.filter((t) => t < cut).length).toBeGreaterThan(8);
    expect(b.beats.filter((t) => t < cut)).toEqual(a.beats.filter((t) => t < cut));
  });

  it('prints a readable table without --json', async () => {
    const run = await runCli(['beats', drums.path]);
    expect(run.stdout).toMatch(/^\d+ beats, median tempo 9\d\.\d BPM\n/);
    expect(run.stdout).toContain('beat  time (s)  tempo (BPM)');
  });

  it('refuses bad input with a one-line reason and a non-zero status', async () => {
    const notMidi = tmp.file('notes.txt');
    (await import('node:fs')).writeFileSync(notMidi, 'not a MIDI file');
    const cases: Array<[string[], RegExp, number]> = [
      [['beats'], /missing FILE\.mid/, 2],
      [['beats', tmp.file('absent.mid')], /no such file/, 1],
      [['beats', notMidi], /not a MIDI file/, 1],
      [['beats', drums.path, '--track', '7'], /no track 7/, 1],
      [['beats', drums.path, '--channel', '16'], /--channel must be a whole number from 0 to 15, got: 16/, 2],
      [['beats', drums.path, '--tempo', '3'], /tempo/, 2],
    ];
    for (const [args, message, status] of cases) {
      const run = await runCli(args);
      expect(run.status).toBe(status);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
  });
});

describe('attune', () => {
  it('lists its commands with --help and refuses an unknown one', async () => {
    const help = await runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/beats\s+the beats/);
    const unknown = await runCli(['dance']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'dance'");
  });
});
