import { describe, expect, it } from 'vitest';
import { createRng } from './index.ts';

describe('createRng', () => {
  it('replays the same sequence for the same seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });
  it('draws uniformly in [0, 1)', () => {
    const rng = createRng(1);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });
  it('draws normals with the asked mean and spread', () => {
    const rng = createRng(7);
    const xs = Array.from({ length: 50_000 }, () => rng.normal(10, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
  });
  it('keeps whole numbers inside their bounds and reaches both ends', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(rng.int(1, 4));
    expect([...seen].sort()).toEqual([1, 2, 3, 4]);
  });
  it('refuses a seed that is not a number and an empty pick', () => {
    expect(() => createRng(Number.NaN)).toThrow('got: NaN');
    expect(() => createRng(1).pick([])).toThrow('non-empty');
  });
});
