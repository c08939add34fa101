import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEntry } from '@attune/engine';
import { NodeSampleLibrary } from '@attune/instruments/node';
import { afterAll, describe, expect, it } from 'vitest';
import { voiceSource } from '../../../web/src/audio/voices.ts';
import {
  COMPANION_SOURCES,
  PERCUSSION,
  RING_OUT,
  renderSessionWav,
  resolveSpan,
  sessionRenderNotes,
  VOICES,
} from './session-audio.ts';
import { readWav } from './test-wav.ts';

const RATE = 22050;
const library = NodeSampleLibrary.open(RATE);
const dir = mkdtempSync(join(tmpdir(), 'attune-session-audio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let seq = 0;
const note = (participant: string, t: number, pitch: number, duration = 0.5): LogEntry => ({
  seq: ++seq,
  participant,
  t,
  type: 'play',
  payload: { event: { type: 'note', t, pitch, velocity: 100, duration } },
});
const hit = (participant: string, t: number, instrument: number): LogEntry => ({
  seq: ++seq,
  participant,
  t,
  type: 'play',
  payload: { event: { type: 'hit', t, instrument, velocity: 100 } },
});
const sung = (participant: string, t: number, pitch: number | null, onset: boolean): LogEntry => ({
  seq: ++seq,
  participant,
  t,
  type: 'play',
  payload: { event: { type: 'voice', t, pitch, loudness: 0.6, onset } },
});
const companion = (t: number, pitch: number, voice: string): LogEntry => ({
  seq: ++seq,
  participant: 'companion',
  t,
  type: 'companion',
  payload: { pitch, velocity: 90, duration: 0.5, voice },
});

/** A WAV file the renderer wrote, read back (left + right interleaved). */
const readWavFile = (path: string) => readWav(readFileSync(path));

/** The loudest sample among frames [from, to). */
function peak(samples: Float32Array, from: number, to: number): number {
  let p = 0;
  for (let i = from * 2; i < Math.min(samples.length, to * 2); i++) p = Math.max(p, Math.abs(samples[i]!));
  return p;
}

/** The first frame at or above `level` of the file's peak. */
function onsetFrame(samples: Float32Array, level: number): number {
  const threshold = peak(samples, 0, samples.length / 2) * level;
  for (let i = 0; i < samples.length; i++) if (Math.abs(samples[i]!) >= threshold) return Math.floor(i / 2);
  return -1;
}

describe('renderSessionWav', () => {
  it('a note at 2 s in the span 1..3 s sounds at 1 s in a file exactly 2 s long, and nothing from outside sounds', async () => {
    const log = [
      // Held from before the span into it: a recording cut at 1 s does not restart it.
      note('p1', 0.2, 48, 1.5),
      note('p1', 2, 60),
      // After the span.
      note('p2', 3.2, 72),
    ];
    const path = join(dir, 'span.wav');
    const shares: number[] = [];
    const summary = await renderSessionWav(log, path, {
      from: 1,
      to: 3,
      sampleRate: RATE,
      library,
      onProgress: (s) => shares.push(s),
    });
    expect(summary).toMatchObject({ from: 1, to: 3, frames: 2 * RATE, notes: 1 });
    const wav = readWavFile(path);
    expect(wav).toMatchObject({ riff: 'RIFF', wave: 'WAVE', channels: 2, sampleRate: RATE, bits: 16 });
    expect(wav.frames).toBe(2 * RATE);
    expect(wav.fileSize).toBe(44 + 2 * RATE * 4);
    expect(wav.riffSize).toBe(wav.fileSize - 8);
    // Silence up to the note (whose recording starts a few milliseconds before its attack), then
    // the note's attack within a millisecond of 1 s.
    expect(peak(wav.samples, 0, Math.round(0.9 * RATE))).toBe(0);
    expect(Math.abs(onsetFrame(wav.samples, 0.1) - RATE)).toBeLessThanOrEqual(RATE / 1000);
    expect(peak(wav.samples, RATE, 2 * RATE)).toBeGreaterThan(0.05);
    expect(shares.at(-1)).toBe(1);
    for (let i = 1; i < shares.length; i++) expect(shares[i]!).toBeGreaterThanOrEqual(shares[i - 1]!);
  });

  it('a sound still ringing at the end of the span is cut there, and the header says so', async () => {
    const path = join(dir, 'cut.wav');
    await renderSessionWav([note('p1', 0.1, 60, 4)], path, { from: 0, to: 0.5, sampleRate: RATE, library });
    const wav = readWavFile(path);
    expect(wav.frames).toBe(RATE / 2);
    expect(wav.fileSize).toBe(44 + (RATE / 2) * 4);
    expect(peak(wav.samples, RATE / 4, RATE / 2)).toBeGreaterThan(0.05);
  });

  it('a span with nothing in it is a silent file of the span’s length', async () => {
    const path = join(dir, 'silent.wav');
    const summary = await renderSessionWav([note('p1', 10, 60)], path, {
      from: 1,
      to: 2.5,
      sampleRate: RATE,
      library,
    });
    expect(summary.notes).toBe(0);
    const wav = readWavFile(path);
    expect(wav.frames).toBe(1.5 * RATE);
    expect(peak(wav.samples, 0, wav.frames)).toBe(0);
  });

  it('without a span, the whole session plays, ringing out for two seconds past the last sound', async () => {
    const path = join(dir, 'whole.wav');
    const summary = await renderSessionWav([note('p1', 0.5, 60, 1), hit('p2', 1, 38)], path, {
      sampleRate: RATE,
      library,
    });
    expect(summary).toMatchObject({ from: 0, to: 1.5 + RING_OUT, notes: 2 });
    expect(readWavFile(path).frames).toBe(Math.round((1.5 + RING_OUT) * RATE));
  });

  it('leaves out the lanes it is told to, never the companion', async () => {
    const log = [note('p1', 0.5, 60), note('p2', 0.5, 64), companion(0.5, 48, 'bass')];
    const notes = sessionRenderNotes(log, { from: 0, to: 2 }, { keep: (p) => p !== 'p2' });
    expect(notes.map((n) => n.group).sort()).toEqual(['companion:bass', 'p1']);
  });
});

describe('sessionRenderNotes: each lane with the sound it was played with', () => {
  it('notes on the piano, hits on the drum kit, singing on the voices, companion voices on their own', () => {
    const log = [
      note('p1', 1, 60),
      hit('p2', 1.5, 38),
      sung('p3', 2, 67, true),
      sung('p3', 2.4, null, false),
      companion(2.5, 40, 'bass'),
      companion(2.6, 72, 'mallets'),
    ];
    const notes = sessionRenderNotes(log, { from: 0, to: 10 });
    expect(notes.map((n) => [n.group, n.t, n.key, n.source])).toEqual([
      ['p1', 1, 60, { kind: 'piano' }],
      ['p2', 1.5, 38, PERCUSSION],
      ['p3', 2, 67, VOICES],
      ['companion:bass', 2.5, 40, COMPANION_SOURCES.bass],
      ['companion:mallets', 2.6, 72, COMPANION_SOURCES.mallets],
    ]);
    // The sung note lasts until the voice fell silent.
    expect(notes[2]!.duration).toBeCloseTo(0.4, 6);
  });

  it('companion voices sound as the web app plays them live', () => {
    for (const [voice, source] of Object.entries(COMPANION_SOURCES)) {
      expect(source).toEqual(voiceSource(voice as Parameters<typeof voiceSource>[0]));
    }
  });
});

describe('resolveSpan', () => {
  it('refuses a span that ends before it starts, or starts before the session', () => {
    expect(() => resolveSpan([], { from: 2, to: 1 })).toThrow('to must be later than from (2 s), got: 1');
    expect(() => resolveSpan([], { from: -1 })).toThrow('from must be 0 s or later, got: -1');
    expect(() => resolveSpan([], { from: Number.NaN })).toThrow('from must be 0 s or later');
  });

  it('an empty session is two seconds of silence', () => {
    expect(resolveSpan([])).toEqual({ from: 0, to: RING_OUT });
  });
});
