import { describe, expect, it } from 'vitest';
import { asPrepared, fromPcm16, MAX_FONT_ONSET, peakOf, prepareSample } from './index.ts';

const SR = 1000;
/** 300 frames of silence, a 200-frame quiet lead (0.01), then a loud note (1.0) decaying. */
function recorded(): Float32Array {
  const x = new Float32Array(3000);
  for (let i = 300; i < 500; i++) x[i] = 0.01;
  for (let i = 500; i < 3000; i++) x[i] = Math.exp(-(i - 500) / 500) * (i % 2 ? 1 : -1);
  return x;
}

describe('prepareSample', () => {
  const options = { attackLevel: 0.1, silenceLevel: 0.003, maxLeadIn: 0.1, maxLength: 10, fadeOut: 0.5 };

  it('cuts the silence, keeps a bounded lead-in and reports where the attack is', () => {
    const p = prepareSample({ channels: [recorded()], sampleRate: SR }, options);
    // The attack (frame 500) keeps 100 frames of lead-in: the buffer starts at frame 400.
    expect(p.onset).toBeCloseTo(0.1, 12);
    expect(p.channels[0]!.length).toBe(2600);
    expect(p.channels[0]![0]).toBe(0);
    expect(Math.abs(p.channels[0]![100]!)).toBe(1);
    const long = prepareSample({ channels: [recorded()], sampleRate: SR }, { ...options, maxLeadIn: 1 });
    // The whole quiet lead is kept, never the silence before it.
    expect(long.onset).toBeCloseTo(0.2, 12);
  });

  it('caps the length with a fade-out', () => {
    const p = prepareSample({ channels: [recorded()], sampleRate: SR }, { ...options, maxLength: 1 });
    const c = p.channels[0]!;
    expect(c.length).toBe(1000);
    expect(c[999]).toBeCloseTo(0, 12);
    expect(Math.abs(c[750]!)).toBeLessThan(Math.exp(-650 / 500) * 0.51);
  });

  it('leaves silence alone', () => {
    expect(prepareSample({ channels: [new Float32Array(10)], sampleRate: SR }, options).onset).toBe(0);
  });
});

describe('asPrepared', () => {
  it('finds a SoundFont sample attack only when it comes quickly', () => {
    const quick = new Float32Array(100);
    quick[5] = 1;
    expect(asPrepared({ channels: [quick], sampleRate: SR }).onset).toBe(0.005);
    const slow = new Float32Array(100);
    slow[50] = 1;
    expect(50 / SR).toBeGreaterThan(MAX_FONT_ONSET);
    expect(asPrepared({ channels: [slow], sampleRate: SR }).onset).toBe(0);
  });

  it('converts 16-bit PCM and measures peaks', () => {
    const b = fromPcm16(Int16Array.of(0, 16384, -32768), 22050);
    expect([...b.channels[0]!]).toEqual([0, 0.5, -1]);
    expect(peakOf(b)).toBe(1);
  });
});
