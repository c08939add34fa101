import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NoteEvent } from '@attune/engine/events';
import { performanceToMidi, writeMidi } from '@attune/engine/midi';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPerformance } from './input.ts';
import { CliError } from './io.ts';

const dir = mkdtempSync(join(tmpdir(), 'attune-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const note = (t: number, pitch: number, channel: number): NoteEvent => ({
  type: 'note',
  t,
  pitch,
  velocity: 80,
  duration: 0.25,
  channel,
});

/** Track 1: piano on channel 0 with two notes; track 2: drums on channel 9 with one note (a kick). */
const DUO = join(dir, 'duo.mid');
writeFileSync(
  DUO,
  writeMidi(
    performanceToMidi([
      { name: 'Piano', notes: [note(0, 60, 0), note(1, 64, 0)] },
      { name: 'Drums', notes: [note(0.5, 36, 9)] },
    ]),
  ),
);

async function failure(promise: Promise<unknown>): Promise<CliError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).not.toMatch(/\n/);
    return error as CliError;
  }
  throw new Error('expected a CliError');
}

describe('loadPerformance', () => {
  it('takes every note of every track by default, in time order, drums as hits', async () => {
    const p = await loadPerformance(DUO);
    expect(p.path).toBe(DUO);
    expect(p.tracks.map((t) => t.name)).toEqual(['Piano', 'Drums']);
    expect(p.notes.map((n) => n.pitch)).toEqual([60, 36, 64]);
    expect(p.played.map((e) => e.type)).toEqual(['note', 'hit', 'note']);
    expect(p.played[1]).toEqual({ type: 'hit', t: 0.5, instrument: 36, velocity: 80 });
    expect(p.duration).toBe(1.25);
  });

  it('selects a track by its index in the file, and a channel', async () => {
    expect((await loadPerformance(DUO, { track: 1 })).notes.map((n) => n.pitch)).toEqual([60, 64]);
    expect((await loadPerformance(DUO, { channel: 9 })).played.map((e) => e.type)).toEqual(['hit']);
    expect((await loadPerformance(DUO, { track: 2, channel: 9 })).notes).toHaveLength(1);
  });

  it('says which tracks and channels exist when the one asked for does not', async () => {
    expect((await failure(loadPerformance(DUO, { track: 0 }))).message).toBe(
      `no track 0 with notes in ${DUO} (tracks with notes: 1, 2)`,
    );
    expect((await failure(loadPerformance(DUO, { channel: 3 }))).message).toBe(
      `no notes on channel 3 in ${DUO} (channels: 0, 9)`,
    );
    expect((await failure(loadPerformance(DUO, { track: 1, channel: 9 }))).message).toMatch(
      /no notes on channel 9 in track 1 of .*\(channels: 0\)/,
    );
  });

  it('refuses a missing file, a folder and an empty path with a one-line reason', async () => {
    const missing = join(dir, 'nope.mid');
    expect((await failure(loadPerformance(missing))).message).toBe(`cannot read ${missing}: no such file`);
    expect((await failure(loadPerformance(dir))).message).toBe(`${dir} is a folder, not a MIDI file`);
    expect((await failure(loadPerformance(''))).message).toMatch(/^cannot read : no such file/);
  });

  it('refuses a file that is not MIDI, a damaged one and one without notes', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'C D E F G\n');
    expect((await failure(loadPerformance(text))).message).toBe(`${text}: not a MIDI file (no MThd header)`);
    const cut = join(dir, 'cut.mid');
    const whole = writeMidi(performanceToMidi([{ name: 'x', notes: [note(0, 60, 0)] }]));
    writeFileSync(cut, whole.subarray(0, whole.length - 5));
    expect((await failure(loadPerformance(cut))).message).toMatch(
      /cut\.mid: chunk 'MTrk' at byte \d+ claims/,
    );
    const silent = join(dir, 'silent.mid');
    writeFileSync(silent, writeMidi(performanceToMidi([{ name: 'x', notes: [] }])));
    expect((await failure(loadPerformance(silent))).message).toBe(`${silent} has no notes`);
  });

  it('refuses a file larger than the limit before reading it', async () => {
    expect((await failure(loadPerformance(DUO, {}, { maxBytes: 50 }))).message).toMatch(
      /duo\.mid is \d+ bytes, more than the limit of 50/,
    );
  });
});
