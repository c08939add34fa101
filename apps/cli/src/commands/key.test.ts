import type { NoteEvent } from '@attune/engine/events';
import { createRng } from '@attune/engine/random';
import { simulatePlayer } from '@attune/engine/simulate';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir, writeMidiFile } from '../test-support.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function pianoFile(name: string, tonic: string, mode: 'major' | 'minor'): string {
  const sim = simulatePlayer({ bpm: 84, bars: 12, style: 'piano', key: { tonic, mode } }, createRng(11));
  const path = tmp.file(name);
  writeMidiFile(path, [
    { name: 'piano', notes: sim.events.filter((e): e is NoteEvent => e.type === 'note') },
  ]);
  return path;
}

describe('attune key', () => {
  it('names the key a player is in, as JSON entries in force from t on', async () => {
    const run = await runCli(['key', pianoFile('e-minor.mid', 'E', 'minor'), '--json']);
    expect(run.status).toBe(0);
    const { keys } = JSON.parse(run.stdout) as {
      keys: Array<{ t: number; tonic: string; mode: string; confidence: number }>;
    };
    expect(keys.length).toBeGreaterThan(0);
    const times = keys.map((k) => k.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const last = keys[keys.length - 1];
    expect(last).toMatchObject({ tonic: 'E', mode: 'minor' });
    expect(last?.confidence).toBeGreaterThan(0);
    expect(last?.confidence).toBeLessThanOrEqual(1);
  });

  it('is causal: a file cut at T, its held notes cut short, gives the same keys before T', async () => {
    const sim = simulatePlayer(
      { bpm: 70, bars: 16, style: 'piano', key: { tonic: 'A', mode: 'minor' }, articulation: 1 },
      createRng(4),
    );
    const notes = sim.events.filter((e): e is NoteEvent => e.type === 'note');
    const cut = 20;
    const full = tmp.file('full.mid');
    const part = tmp.file('part.mid');
    writeMidiFile(full, [{ name: 'piano', notes }]);
    const clipped = notes
      .filter((n) => n.t < cut)
      .map((n) => ({ ...n, duration: Math.min(n.duration, cut - n.t) }));
    expect(clipped.some((n, i) => n.duration < (notes[i] as NoteEvent).duration)).toBe(true);
    writeMidiFile(part, [{ name: 'piano', notes: clipped }]);
    type Keys = { keys: Array<{ t: number }> };
    const a = JSON.parse((await runCli(['key', full, '--json'])).stdout) as Keys;
    const b = JSON.parse((await runCli(['key', part, '--json'])).stdout) as Keys;
    expect(b.keys.filter((k) => k.t < cut)).toEqual(a.keys.filter((k) => k.t < cut));
  });

  it('spells flat keys as musicians do', async () => {
    const run = await runCli(['key', pianoFile('bb-major.mid', 'Bb', 'major'), '--json']);
    const { keys } = JSON.parse(run.stdout) as { keys: Array<{ tonic: string; mode: string }> };
    expect(keys[keys.length - 1]).toMatchObject({ tonic: 'Bb', mode: 'major' });
  });

  it('prints a readable table without --json, and refuses a file with no notes on the channel', async () => {
    const path = pianoFile('c.mid', 'C', 'major');
    const run = await runCli(['key', path]);
    expect(run.stdout).toContain('C major');
    const bad = await runCli(['key', path, '--channel', '5']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/no notes on channel 5/);
  });
});
