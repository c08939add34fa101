import { describe, expect, it } from 'vitest';
import { Histogram, Moments, medianOf } from './stats.ts';

describe('medianOf', () => {
  it('is the middle value, or the mean of the two middle values, of the list in order', () => {
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, -1, 10, 2])).toBe(3);
    expect(medianOf([96.5])).toBe(96.5);
    expect(medianOf([])).toBeNull();
  });

  it('orders numbers by value, not as text, and leaves the list as it was', () => {
    const bpms = [100, 95.5, 9, 120, 1000];
    expect(medianOf(bpms)).toBe(100);
    expect(bpms).toEqual([100, 95.5, 9, 120, 1000]);
  });
});

describe('Histogram and Moments', () => {
  it('give the mean, spread, extremes and percentiles of what was added', () => {
    const h = new Histogram();
    const m = new Moments();
    for (const v of [60, 64, 64, 70, 90]) {
      h.add(v);
      m.add(v);
    }
    expect(h.mean()).toBeCloseTo(69.6, 10);
    expect(h.quantile(0.5)).toBe(64);
    expect(h.min()).toBe(60);
    expect(h.max()).toBe(90);
    expect(m.mean()).toBeCloseTo(69.6, 10);
    expect(m.cv()).toBeCloseTo((h.sd() as number) / 69.6, 10);
  });
});
