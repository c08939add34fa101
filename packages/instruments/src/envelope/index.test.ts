import { describe, expect, it } from 'vitest';
import { type Envelope, envelopePoints, SILENT_LEVEL, timecentsToSeconds, valueAt } from './index.ts';

const FLAT: Envelope = { delay: 0, attack: 0, hold: 0, decay: 0, sustain: 1, release: 1 };

describe('timecentsToSeconds', () => {
  it('doubles every 1200 timecents and treats the minimum as no time', () => {
    expect(timecentsToSeconds(0)).toBe(1);
    expect(timecentsToSeconds(1200)).toBe(2);
    expect(timecentsToSeconds(-1200)).toBe(0.5);
    expect(timecentsToSeconds(-12000)).toBe(0);
    expect(timecentsToSeconds(-32768)).toBe(0);
    expect(timecentsToSeconds(Number.NaN)).toBe(0);
  });
});

describe('envelopePoints', () => {
  it('a flat envelope starts at its peak on its time and falls 100 dB over its release', () => {
    const { points, end } = envelopePoints(FLAT, 2, 0.5, 3);
    expect(valueAt(points, 2)).toBe(0.5);
    expect(valueAt(points, 2.99)).toBe(0.5);
    expect(end).toBeCloseTo(4, 12);
    // Half the release is 50 dB down.
    expect(valueAt(points, 3.5)).toBeCloseTo(0.5 * 10 ** (-50 / 20), 9);
    expect(valueAt(points, 4)).toBeCloseTo(0.5 * SILENT_LEVEL, 12);
  });

  it('draws delay, linear attack, hold and a decay to the sustain level', () => {
    const env: Envelope = { delay: 0.1, attack: 0.2, hold: 0.1, decay: 1, sustain: 0.1, release: 1 };
    const { points, end } = envelopePoints(env, 0, 1, null);
    expect(end).toBe(Number.POSITIVE_INFINITY);
    expect(valueAt(points, 0.05)).toBe(0);
    expect(valueAt(points, 0.2)).toBeCloseTo(0.5, 12);
    expect(valueAt(points, 0.35)).toBe(1);
    // Sustain 0.1 is 20 dB down: the decay (1 s per 100 dB) reaches it in 0.2 s.
    expect(valueAt(points, 0.5)).toBeCloseTo(10 ** (-10 / 20), 9);
    expect(valueAt(points, 0.6)).toBeCloseTo(0.1, 9);
    expect(valueAt(points, 10)).toBeCloseTo(0.1, 9);
  });

  it('releases from wherever the level is, at the same rate in decibels', () => {
    const env: Envelope = { delay: 0, attack: 1, hold: 0, decay: 0, sustain: 1, release: 2 };
    const { points, end } = envelopePoints(env, 0, 1, 0.1);
    expect(valueAt(points, 0.1)).toBeCloseTo(0.1, 12);
    // From 0.1 (-20 dB) to -100 dB is 80 dB: 1.6 s at 2 s per 100 dB.
    expect(end).toBeCloseTo(1.7, 12);
    expect(valueAt(points, 0.5)).toBeLessThan(0.1);
  });

  it('a sound decaying to silence ends when the decay does, held or not', () => {
    const env: Envelope = { delay: 0, attack: 0, hold: 0, decay: 2, sustain: 0, release: 5 };
    expect(envelopePoints(env, 1, 1, null).end).toBeCloseTo(3, 12);
    expect(envelopePoints(env, 1, 1, 10).end).toBeCloseTo(3, 12);
  });

  it('refuses a bad peak', () => {
    expect(() => envelopePoints(FLAT, 0, -1, null)).toThrow(/got: -1/);
    expect(() => envelopePoints(FLAT, 0, Number.NaN, null)).toThrow(/got: NaN/);
  });
});

describe('valueAt', () => {
  it('follows Web Audio: hold before the first point and after the last', () => {
    const points = [
      { t: 1, v: 0.2, ramp: 'set' as const },
      { t: 2, v: 0.4, ramp: 'linear' as const },
    ];
    expect(valueAt(points, 0)).toBe(0.2);
    expect(valueAt(points, 1.5)).toBeCloseTo(0.3, 12);
    expect(valueAt(points, 3)).toBe(0.4);
    expect(valueAt([], 1)).toBe(0);
  });
});
