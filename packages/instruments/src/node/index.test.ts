import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogueEntry, gmSource, type SoundSource } from '../catalogue/index.ts';
import { OfflineMixer } from '../mixer/index.ts';
import { type PlannedNote, planNotes, samplesNeeded } from '../planner/index.ts';
import { NodeSampleLibrary, renderToWavFile } from './index.ts';

const libraries = new Map<number, NodeSampleLibrary>();
function library(rate: number): NodeSampleLibrary {
  let lib = libraries.get(rate);
  if (!lib) {
    lib = NodeSampleLibrary.open(rate);
    libraries.set(rate, lib);
  }
  return lib;
}

/** Renders notes on one sound offline and returns the left+right channels. */
async function render(rate: number, source: SoundSource, notes: PlannedNote[], seconds?: number) {
  const lib = library(rate);
  const instrument = lib.instrument(source);
  const withInstrument = notes.map((n) => ({ ...n, instrument }));
  await lib.load(samplesNeeded(withInstrument));
  const voices = planNotes(withInstrument, (id) => lib.info(id));
  const mixer = new OfflineMixer(voices, (id) => lib.sample(id), rate);
  const frames = seconds === undefined ? mixer.endFrame : Math.round(seconds * rate);
  const [left, right] = mixer.render(frames);
  return { left, right, voices, instrument };
}

function peak(left: Float32Array, right: Float32Array, from = 0, to = left.length): number {
  let p = 0;
  for (let i = from; i < to; i++) p = Math.max(p, Math.abs(left[i]!), Math.abs(right[i]!));
  return p;
}

/** The first frame at which the audio reaches `level` of its own peak. */
function onsetFrame(left: Float32Array, right: Float32Array, level: number): number {
  const threshold = peak(left, right) * level;
  for (let i = 0; i < left.length; i++)
    if (Math.abs(left[i]!) >= threshold || Math.abs(right[i]!) >= threshold) return i;
  return -1;
}

function rms(x: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, to - from));
}

describe('timing: a note starts within 1 ms of its time, offline', () => {
  // Times chosen off the 128-frame render quantum at every rate.
  const times = [0.1, 0.2503, 0.3337777];
  const cases: Array<[string, SoundSource, number]> = [
    ['piano', { kind: 'piano' }, 60],
    ['piano (pitch-shifted key)', { kind: 'piano' }, 61],
    ['marimba', catalogueEntry('marimba').source, 67],
    ['drums (snare)', catalogueEntry('drums').source, 38],
    ['drums (kick)', catalogueEntry('drums').source, 36],
    ['vibraphone', catalogueEntry('vibraphone').source, 72],
  ];
  for (const rate of [44100, 48000, 22050]) {
    for (const [name, source, key] of cases) {
      it(`${name} at ${rate} Hz`, async () => {
        for (const t of times) {
          expect(((t * rate) / 128) % 1).not.toBe(0);
          // Soft and loud: soft drum hits have a short envelope attack of their own.
          for (const velocity of [30, 100]) {
            const { left, right } = await render(rate, source, [{ t, key, velocity, duration: 0.3 }]);
            const frame = onsetFrame(left, right, 0.1);
            expect(Math.abs(frame - t * rate)).toBeLessThanOrEqual(rate / 1000);
          }
        }
      });
    }
  }

  it('a sustained sound (strings, pad) is silent before its time and sounds from its frame on', async () => {
    for (const rate of [44100, 48000]) {
      for (const source of [catalogueEntry('strings').source, catalogueEntry('warm-pad').source]) {
        const t = 0.2503;
        const { left, right } = await render(rate, source, [{ t, key: 60, velocity: 100, duration: 1 }]);
        const first = left.findIndex((x, i) => x !== 0 || right[i] !== 0);
        expect(first).toBe(Math.ceil(t * rate));
      }
    }
  });

  it('simultaneous notes on different instruments keep their own times', async () => {
    const rate = 48000;
    const a = await render(rate, { kind: 'piano' }, [{ t: 0.5, key: 60, velocity: 100, duration: 0.2 }]);
    const b = await render(rate, catalogueEntry('drums').source, [
      { t: 0.5, key: 38, velocity: 100, duration: 0.2 },
    ]);
    const fa = onsetFrame(a.left, a.right, 0.1);
    const fb = onsetFrame(b.left, b.right, 0.1);
    expect(Math.abs(fa - fb)).toBeLessThanOrEqual(rate / 1000);
  });
});

describe('sound', () => {
  it('louder piano layers are louder', async () => {
    const levels: number[] = [];
    const layers: string[] = [];
    for (const velocity of [30, 64, 96, 127]) {
      const { left, right, voices } = await render(48000, { kind: 'piano' }, [
        { t: 0.05, key: 60, velocity, duration: 1 },
      ]);
      levels.push(peak(left, right));
      layers.push(voices[0]!.sample);
    }
    expect(new Set(layers).size).toBe(4);
    for (let i = 1; i < levels.length; i++) expect(levels[i]!).toBeGreaterThan(levels[i - 1]! * 1.2);
  });

  it('a held pad sounds past the end of its sample without clicks, looping', async () => {
    const rate = 48000;
    const { left, right, voices } = await render(rate, catalogueEntry('strings').source, [
      { t: 0.1, key: 60, velocity: 100, duration: 8 },
    ]);
    const lib = library(rate);
    const longest = Math.max(...voices.map((v) => lib.info(v.sample)!.duration));
    expect(8).toBeGreaterThan(longest + 2);
    // Still sounding well past the sample's end, at a steady level.
    const late = rms(left, Math.round(7 * rate), Math.round(8 * rate));
    const mid = rms(left, Math.round(3 * rate), Math.round(4 * rate));
    expect(late).toBeGreaterThan(mid * 0.5);
    // No clicks: no step between frames much larger than the signal's own largest steps.
    let steps = 0;
    let maxStep = 0;
    for (let i = Math.round(1 * rate); i < Math.round(8 * rate); i++) {
      const d = Math.abs(left[i]! - left[i - 1]!);
      steps += d;
      maxStep = Math.max(maxStep, d);
    }
    const meanStep = steps / (7 * rate);
    expect(maxStep).toBeLessThan(meanStep * 12);
    expect(peak(left, right)).toBeGreaterThan(0.01);
  });

  it('a note-off releases the note', async () => {
    const rate = 48000;
    const held = await render(
      rate,
      catalogueEntry('strings').source,
      [{ t: 0.1, key: 60, velocity: 100, duration: 3 }],
      4,
    );
    const short = await render(
      rate,
      catalogueEntry('strings').source,
      [{ t: 0.1, key: 60, velocity: 100, duration: 0.5 }],
      4,
    );
    const after = Math.round(2.5 * rate);
    expect(rms(short.left, after, after + rate / 2)).toBeLessThan(
      rms(held.left, after, after + rate / 2) * 0.05,
    );
    const piano = await render(rate, { kind: 'piano' }, [{ t: 0.1, key: 60, velocity: 100, duration: 0.3 }]);
    // The released piano falls silent within its release, long before its 10 s recording ends.
    expect(piano.left.length).toBeLessThan(2 * rate);
  });

  it('channel 10 plays the drum kit, whatever the program', async () => {
    const lib = library(48000);
    expect(lib.instrument(gmSource(9, 0)).name).toBe('Standard');
    expect(lib.instrument(gmSource(9, 0)).zones.some((z) => z.keyLo <= 38 && z.keyHi >= 38)).toBe(true);
    expect(lib.instrument(gmSource(9, 99)).name).toBe('Standard');
    expect(lib.instrument(gmSource(0, 0)).id).toBe('piano');
    expect(lib.instrument(gmSource(0, 48)).name).toBe('Strings');
    expect(lib.instrument(gmSource(3, 12)).name).toBe('Marimba');
  });

  it('renders the same bytes twice', async () => {
    const a = await render(44100, catalogueEntry('vibraphone').source, [
      { t: 0.01, key: 64, velocity: 90, duration: 0.2 },
    ]);
    const b = await render(44100, catalogueEntry('vibraphone').source, [
      { t: 0.01, key: 64, velocity: 90, duration: 0.2 },
    ]);
    expect(Buffer.from(a.left.buffer).equals(Buffer.from(b.left.buffer))).toBe(true);
  });
});

describe('renderToWavFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attune-render-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a valid 16-bit stereo WAV of the whole sound', async () => {
    const path = join(dir, 'out.wav');
    const progress: number[] = [];
    const summary = await renderToWavFile(
      [
        { t: 0, key: 60, velocity: 80, duration: 0.5, source: { kind: 'piano' } },
        { t: 0.5, key: 38, velocity: 100, duration: 0.1, source: gmSource(9, 0) },
      ],
      path,
      { sampleRate: 44100, library: library(44100), onProgress: (done) => progress.push(done) },
    );
    const bytes = readFileSync(path);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WAVE');
    expect(view.getUint32(4, true)).toBe(bytes.length - 8);
    expect(view.getUint16(22, true)).toBe(2);
    expect(view.getUint32(24, true)).toBe(44100);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(summary.frames * 4);
    expect(bytes.length).toBe(44 + summary.frames * 4);
    expect(summary.seconds).toBeGreaterThan(1);
    expect(summary.peak).toBeGreaterThan(0.05);
    expect(progress.at(-1)).toBeCloseTo(summary.seconds, 6);
  });

  it('writes the same bytes mixed on one thread or shared between two', async () => {
    // Long enough (over 30 s) to be shared; notes ring across the seam between the stretches.
    const notes = Array.from({ length: 40 }, (_, i) => ({
      t: i * 0.8,
      key: 48 + ((i * 5) % 24),
      velocity: 40 + ((i * 17) % 80),
      duration: 1.5,
      source: i % 3 === 0 ? catalogueEntry('strings').source : ({ kind: 'piano' } as const),
    }));
    const one = join(dir, 'one.wav');
    const two = join(dir, 'two.wav');
    const a = await renderToWavFile(notes, one, { sampleRate: 22050, library: library(22050), threads: 1 });
    const b = await renderToWavFile(notes, two, { sampleRate: 22050, library: library(22050), threads: 2 });
    expect([a.threads, b.threads]).toEqual([1, 2]);
    expect(readFileSync(one).equals(readFileSync(two))).toBe(true);
  });

  it('fails on a path it cannot write', async () => {
    await expect(
      renderToWavFile([], join(dir, 'missing-folder', 'out.wav'), {
        sampleRate: 44100,
        library: library(44100),
      }),
    ).rejects.toThrow(/ENOENT/);
  });
});
