import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate.ts';
import { ManualScheduler } from './scheduler.ts';

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const bucket = new TokenBucket(3, 2);
    expect([0, 0, 0, 0].map(() => bucket.take(10))).toEqual([true, true, true, false]);
    expect(bucket.take(10.4)).toBe(false);
    expect(bucket.take(10.5)).toBe(true);
    // Refill never exceeds the capacity, however long the pause.
    expect([0, 0, 0, 0].map(() => bucket.take(1000))).toEqual([true, true, true, false]);
  });

  it('leaves the bucket as it was when a cost is refused, and ignores time going backwards', () => {
    const bucket = new TokenBucket(10, 1);
    expect(bucket.take(0, 11)).toBe(false);
    expect(bucket.take(0, 10)).toBe(true);
    expect(bucket.take(-100)).toBe(false);
    expect(() => new TokenBucket(0, 1)).toThrow('got: 0, 1');
  });
});

describe('ManualScheduler', () => {
  it('runs timers in time order as time is advanced, with now at each timer', () => {
    const clock = new ManualScheduler();
    const ran: Array<[string, number]> = [];
    clock.setTimeout(() => ran.push(['b', clock.now]), 200);
    const cancelled = clock.setTimeout(() => ran.push(['x', clock.now]), 100);
    clock.setTimeout(() => {
      ran.push(['a', clock.now]);
      clock.setTimeout(() => ran.push(['c', clock.now]), 50);
    }, 50);
    clock.clearTimeout(cancelled);
    clock.advance(0.15);
    expect(ran).toEqual([
      ['a', 0.05],
      ['c', 0.1],
    ]);
    clock.advance(1);
    expect(ran.at(-1)).toEqual(['b', 0.2]);
    expect(clock.now).toBeCloseTo(1.15, 9);
    expect(clock.pending).toBe(0);
    expect(() => clock.advance(-1)).toThrow('got: -1');
  });
});
