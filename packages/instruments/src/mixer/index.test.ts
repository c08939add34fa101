import { describe, expect, it } from 'vitest';
import { type Envelope, envelopePoints, valueAt } from '../envelope/index.ts';
import type { VoiceCommand } from '../planner/index.ts';
import type { PcmBuffer } from '../sample/index.ts';
import { envelopeRun, OfflineMixer, panGains } from './index.ts';

const FLAT: Envelope = { delay: 0, attack: 0, hold: 0, decay: 0, sustain: 1, release: 0.01 };
const SR = 1000;

function voice(overrides: Partial<VoiceCommand>): VoiceCommand {
  return {
    sample: 'a',
    start: 0,
    offset: 0,
    rate: 1,
    pan: 0,
    loop: null,
    envelope: FLAT,
    envelopeStart: overrides.start ?? 0,
    peak: 1,
    release: null,
    stop: 1,
    exclusiveClass: 0,
    group: '',
    ...overrides,
  };
}

const mono = (data: number[] | Float32Array, sampleRate = SR): PcmBuffer => ({
  channels: [Float32Array.from(data)],
  sampleRate,
});

function mix(voices: VoiceCommand[], buffers: Record<string, PcmBuffer>, frames: number, block = frames) {
  const mixer = new OfflineMixer(voices, (id) => buffers[id], SR, { masterGain: 1 });
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let at = 0; at < frames; at += block) {
    const n = Math.min(block, frames - at);
    mixer.renderInto(left.subarray(at, at + n), right.subarray(at, at + n));
  }
  return { left, right, mixer };
}

describe('OfflineMixer', () => {
  it('starts a voice on its exact (sub-sample) time, as Web Audio does', () => {
    const impulse = mono([1, 0, 0, 0]);
    const { left } = mix([voice({ start: 0.01025, stop: 0.05 })], { a: impulse }, 30);
    const c = Math.SQRT1_2;
    expect(left[10]).toBe(0);
    // At frame 11 the buffer is read 0.75 frames in: a quarter of the impulse.
    expect(left[11]).toBeCloseTo(0.25 * c, 6);
    expect(left[12]).toBe(0);
  });

  it('plays a buffer at its own rate and at the output rate alike', () => {
    const ramp = mono(
      Array.from({ length: 100 }, (_, i) => i / 100),
      500,
    );
    const { left } = mix([voice({ stop: 1 })], { a: ramp }, 200);
    // A 500 Hz buffer advances half a frame per 1000 Hz output frame.
    expect(left[10]).toBeCloseTo((5 / 100) * Math.SQRT1_2, 6);
    // It ends where the buffer does, though its stop is later.
    expect(left[197]).toBeCloseTo((98.5 / 100) * Math.SQRT1_2, 5);
    expect(left[199]).toBe(0);
  });

  it('loops a sustained sound seamlessly past its length', () => {
    const period = 50;
    const sine = mono(Array.from({ length: 200 }, (_, i) => Math.sin((2 * Math.PI * i) / period)));
    const { left } = mix([voice({ loop: { start: 0.05, end: 0.15 }, stop: 2 })], { a: sine }, 2000);
    let worst = 0;
    for (let i = 0; i < 2000; i++)
      worst = Math.max(worst, Math.abs(left[i]! - Math.SQRT1_2 * Math.sin((2 * Math.PI * i) / period)));
    expect(worst).toBeLessThan(1e-5);
  });

  it('draws the envelope exactly as the automation curve it plans for Web Audio', () => {
    const ones = mono(new Float32Array(3000).fill(1));
    const env: Envelope = { delay: 0.1, attack: 0.3, hold: 0.2, decay: 2, sustain: 0.2, release: 0.8 };
    const v = voice({ start: 0.05, envelopeStart: 0.05, envelope: env, peak: 0.8, release: 1.7, stop: 3 });
    const { points } = envelopePoints(env, 0.05, 0.8, 1.7);
    const { left } = mix([v], { a: ones }, 2900, 64);
    for (let i = 51; i < 2900; i++) expect(left[i]).toBeCloseTo(valueAt(points, i / SR) * Math.SQRT1_2, 5);
  });

  it('renders the same mix whatever the block size', () => {
    const noise = mono(Array.from({ length: 500 }, (_, i) => Math.sin(i * i)));
    const voices = [
      voice({ start: 0.0031, rate: 1.3, stop: 0.4, pan: -0.3 }),
      voice({ start: 0.2, rate: 0.7, loop: { start: 0.1, end: 0.3 }, stop: 0.9, release: 0.6, pan: 0.6 }),
    ];
    const one = mix(voices, { a: noise }, 1000);
    const small = mix(voices, { a: noise }, 1000, 37);
    for (let i = 0; i < 1000; i++) expect(small.left[i]).toBeCloseTo(one.left[i]!, 6);
    expect(one.mixer.endFrame).toBe(900);
  });

  it('refuses an unusable sample rate', () => {
    expect(() => new OfflineMixer([], () => undefined, 44100.5)).toThrow(/got: 44100.5/);
  });
});

describe('panGains', () => {
  it('pans as a StereoPannerNode: equal power for mono, balance for stereo', () => {
    const centre = panGains(0, false);
    expect(centre.ll).toBeCloseTo(Math.SQRT1_2, 12);
    expect(centre.rr).toBeCloseTo(Math.SQRT1_2, 12);
    expect(panGains(-1, false).rr).toBeCloseTo(0, 12);
    expect(panGains(0, true)).toEqual({ ll: 1, rl: expect.closeTo(0, 12), lr: 0, rr: 1 });
    const left = panGains(-1, true);
    expect([left.ll, left.rl, left.lr]).toEqual([1, 1, 0]);
    expect(left.rr).toBeCloseTo(0, 12);
  });
});

describe('envelopeRun', () => {
  it('gives runs whose recurrence follows the curve', () => {
    const { points } = envelopePoints({ ...FLAT, attack: 0.1, decay: 1, sustain: 0.5 }, 0, 1, null);
    const run = envelopeRun(points, 0.02, 0.001, 1000);
    expect(run.frames).toBe(80);
    expect(run.gain).toBeCloseTo(0.2, 12);
    expect(run.d).toBeCloseTo(0.01, 12);
  });
});
