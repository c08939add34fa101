import { readFileSync } from 'node:fs';
import type { NoteEvent } from '@attune/engine/events';
import { readMidi, readPerformance } from '@attune/engine/midi';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError, type Io } from '../io.ts';
import { tempDir, writeMidiFile } from '../test-support.ts';
import { accompanyCommand } from './accompany.ts';
import { idiomsCommand } from './idioms.ts';
import { techniquesCommand } from './techniques.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function sinks(): Io & { out: () => string } {
  let out = '';
  return { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, out: () => out };
}

/** A drummer on the percussion channel: snare on every beat at 100 BPM for 12 s. */
function drums(): NoteEvent[] {
  const notes: NoteEvent[] = [];
  for (let k = 0; k < 20; k++) {
    notes.push({
      type: 'note',
      t: 0.5 + k * 0.6,
      pitch: k % 2 ? 38 : 36,
      velocity: 70 + (k % 4) * 10,
      duration: 0.1,
      channel: 9,
    });
  }
  return notes;
}

describe('attune accompany', () => {
  const input = tmp.file('drums.mid');
  writeMidiFile(input, [{ name: 'kit', notes: drums(), channel: 9 }]);

  it('writes the client unchanged and one track per companion voice, percussion on channel 10', async () => {
    const out = tmp.file('out.mid');
    const io = sinks();
    await accompanyCommand.run(
      [
        input,
        '--technique',
        'ground,match',
        '--voices',
        'bass,piano-right,percussion',
        '--seed',
        '3',
        '--out',
        out,
      ],
      io,
    );
    expect(io.out()).toMatch(/^accompanied 20 client notes with \d+ companion notes .* -> /);
    const perf = readPerformance(readFileSync(out));
    const names = perf.tracks.map((t) => t.name);
    expect(names[0]).toBe('client');
    expect(names.slice(1).sort()).toEqual([
      'companion:bass',
      'companion:percussion',
      'companion:piano-right',
    ]);
    const client = perf.tracks[0]?.notes ?? [];
    expect(client.map((n) => [n.pitch, n.channel, n.velocity])).toEqual(
      drums().map((n) => [n.pitch, 9, n.velocity]),
    );
    for (const [i, n] of client.entries()) expect(n.t).toBeCloseTo((drums()[i] as NoteEvent).t, 3);
    const percussion = perf.tracks.find((t) => t.name === 'companion:percussion');
    expect(percussion?.notes.every((n) => n.channel === 9)).toBe(true);
    const bass = perf.tracks.find((t) => t.name === 'companion:bass');
    expect(bass?.notes.every((n) => n.channel === 12)).toBe(true);
    // The bass sounds as a bass: its track sets General MIDI program 32 (Acoustic Bass; 33 counted from 1) on its channel.
    const raw = readMidi(readFileSync(out));
    const bassTrack = raw.tracks.find((t) => t.events.some((e) => e.type === 'noteOn' && e.channel === 12));
    expect(bassTrack?.events.find((e) => e.type === 'programChange')).toMatchObject({
      channel: 12,
      program: 32,
    });
  });

  it('gives the same file for the same seed', async () => {
    const a = tmp.file('a.mid');
    const b = tmp.file('b.mid');
    await accompanyCommand.run([input, '--seed', '7', '--out', a], sinks());
    await accompanyCommand.run([input, '--seed', '7', '--out', b], sinks());
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it.each([
    [['--idiom', 'bebop'], "unknown idiom 'bebop'"],
    [['--key', 'H'], 'got: H'],
    [['--technique', 'groove'], "unknown technique 'groove'"],
    [['--technique', ''], 'at least one'],
    [['--tempo', 'fast'], "got: 'fast'"],
    [['--tempo', 'hold:900'], 'got: 900'],
    [['--energy', '1.7'], 'got: 1.7'],
    [['--voices', 'kazoo'], "unknown voice 'kazoo'"],
    [['--seed', 'x'], 'got: x'],
    [['--track', '5'], 'no track 5'],
  ])('refuses %j with a one-line reason', async (extra, message) => {
    const run = accompanyCommand.run([input, ...extra, '--out', tmp.file('x.mid')], sinks());
    await expect(run).rejects.toThrow(CliError);
    await expect(
      accompanyCommand.run([input, ...extra, '--out', tmp.file('x.mid')], sinks()),
    ).rejects.toThrow(message);
  });

  it('needs a file and --out', async () => {
    await expect(accompanyCommand.run([input], sinks())).rejects.toThrow('missing --out');
    await expect(accompanyCommand.run(['--out', tmp.file('y.mid')], sinks())).rejects.toThrow(
      'missing FILE.mid',
    );
    await expect(
      accompanyCommand.run([tmp.file('none.mid'), '--out', tmp.file('y.mid')], sinks()),
    ).rejects.toThrow('no such file');
  });
});

describe('attune idioms and attune techniques', () => {
  it('list every idiom and technique with a line each', async () => {
    const idioms = sinks();
    await idiomsCommand.run([], idioms);
    const names = idioms
      .out()
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/)[0]);
    for (const n of [
      'major',
      'minor',
      'pentatonic',
      'dorian',
      'mixolydian',
      'phrygian',
      'whole-tone',
      'organum',
      'blues',
      'clusters',
    ]) {
      expect(names).toContain(n);
    }
    const techniques = sinks();
    await techniquesCommand.run([], techniques);
    expect(
      techniques
        .out()
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual([
      'synchronise',
      'match',
      'reflect',
      'ground',
      'frame',
      'dialogue',
      'lead',
      'calm',
      'intensify',
      'make-space',
    ]);
    expect(() => techniquesCommand.run(['--all'], sinks())).toThrow(CliError);
  });
});
