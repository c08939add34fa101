import { describe, expect, it } from 'vitest';
import { Fft } from './fft.ts';
import { frequencyToMidi, YinPitch } from './pitch.ts';
import { addNoise, dbToAmplitude, toneSequence } from './signals.ts';

const cents = (a: number, b: number): number => Math.abs(a - b) * 100;

describe('Fft', () => {
  it('transforms an impulse to a flat spectrum and back', () => {
    const fft = new Fft(8);
    const re = new Float64Array([1, 0, 0, 0, 0, 0, 0, 0]);
    const im = new Float64Array(8);
    fft.transform(re, im);
    expect([...re]).toEqual(new Array(8).fill(1));
    fft.transform(re, im, true);
    expect(re[0]).toBeCloseTo(8, 10);
    expect(re[3]).toBeCloseTo(0, 10);
  });

  it('finds a cosine in its bin', () => {
    const fft = new Fft(64);
    const re = Float64Array.from({ length: 64 }, (_, n) => Math.cos((2 * Math.PI * 5 * n) / 64));
    const im = new Float64Array(64);
    fft.transform(re, im);
    expect(re[5]).toBeCloseTo(32, 8);
    expect(re[59]).toBeCloseTo(32, 8);
    expect(Math.abs(re[6] as number)).toBeLessThan(1e-9);
  });

  it('refuses a size that is not a power of two', () => {
    expect(() => new Fft(1000)).toThrow('got: 1000');
  });
});

describe('YinPitch', () => {
  for (const rate of [44_100, 48_000]) {
    it(`finds sine tones from C2 to C6 within 5 cents at ${rate} Hz`, () => {
      const yin = new YinPitch(rate);
      for (let pitch = 36.3; pitch <= 84; pitch += 2.9) {
        const signal = toneSequence([{ start: 0, duration: 0.1, pitch, amplitude: 0.3 }], rate, 0.1);
        const found = yin.estimate(signal.subarray(0, 4000));
        expect(found.frequency).not.toBeNull();
        expect(cents(frequencyToMidi(found.frequency as number), pitch)).toBeLessThan(5);
        expect(found.confidence).toBeGreaterThan(0.95);
      }
    });
  }

  it('hears the fundamental of a harmonic tone whose second harmonic is louder (no octave error)', () => {
    const yin = new YinPitch(48_000);
    for (const pitch of [45, 52, 57, 64, 69, 76]) {
      const signal = toneSequence(
        [{ start: 0, duration: 0.1, pitch, amplitude: 0.2, harmonics: [1.5, 0.8, 0.5, 0.3] }],
        48_000,
        0.1,
      );
      const found = yin.estimate(signal.subarray(0, 4000));
      expect(cents(frequencyToMidi(found.frequency as number), pitch)).toBeLessThan(20);
    }
  });

  it('finds a tone 20 dB above noise within 20 cents in one window', () => {
    const yin = new YinPitch(48_000);
    const signal = toneSequence(
      [{ start: 0, duration: 0.1, pitch: 57, amplitude: dbToAmplitude(-40) }],
      48_000,
      0.1,
    );
    addNoise(signal, dbToAmplitude(-40 - 3 - 20), 3);
    const found = yin.estimate(signal.subarray(0, 4000));
    expect(cents(frequencyToMidi(found.frequency as number), 57)).toBeLessThan(20);
    expect(found.confidence).toBeGreaterThan(0.9);
  });

  it('finds a tone 10 dB above noise within 20 cents over a note (median of windows), with lower confidence', () => {
    const yin = new YinPitch(48_000);
    const signal = toneSequence(
      [{ start: 0, duration: 0.3, pitch: 57, amplitude: dbToAmplitude(-40) }],
      48_000,
      0.3,
    );
    addNoise(signal, dbToAmplitude(-40 - 3 - 10), 3);
    const estimates = Array.from({ length: 15 }, (_, i) =>
      yin.estimate(signal.subarray(i * 512, i * 512 + 3000)),
    );
    const pitches = estimates.map((e) => frequencyToMidi(e.frequency as number)).sort((a, b) => a - b);
    expect(cents(pitches[7] as number, 57)).toBeLessThan(20);
    for (const e of estimates) {
      expect(e.confidence).toBeGreaterThan(0.8);
      expect(e.confidence).toBeLessThan(0.97);
    }
  });

  it('gives white noise a low confidence and silence no pitch', () => {
    const yin = new YinPitch(48_000);
    for (let seed = 1; seed <= 20; seed++) {
      const noise = addNoise(new Float32Array(3000), 0.05, seed);
      expect(yin.estimate(noise).confidence).toBeLessThan(0.75);
    }
    expect(yin.estimate(new Float32Array(3000))).toEqual({ frequency: null, confidence: 0 });
  });

  it('needs a full window and refuses an impossible range', () => {
    expect(new YinPitch(48_000).estimate(new Float32Array(100)).frequency).toBeNull();
    expect(() => new YinPitch(48_000, { minFrequency: 500, maxFrequency: 400 })).toThrow('500–400');
    expect(() => new YinPitch(100)).toThrow('got: 100');
  });
});
