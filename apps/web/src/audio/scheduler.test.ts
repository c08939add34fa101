import { describe, expect, it } from 'vitest';
import { LookaheadScheduler, type Timer } from './scheduler.ts';

/** A timer the test advances by hand, and a clock it moves. */
function fakeTime() {
  let now = 0;
  let pending: { run: () => void; at: number } | null = null;
  const delays: number[] = [];
  const timer: Timer = {
    setTimeout: (run, ms) => {
      delays.push(ms);
      pending = { run, at: now + ms / 1000 };
      return pending;
    },
    clearTimeout: (handle) => {
      if (handle === pending) pending = null;
    },
  };
  return {
    timer,
    delays,
    now: () => now,
    /** Moves the clock to the pending tick plus `late` seconds and runs it. */
    fire(late = 0) {
      const p = pending;
      if (!p) throw new Error('no tick pending');
      pending = null;
      now = p.at + late;
      p.run();
    },
    get pending() {
      return pending !== null;
    },
  };
}

/** Items every 50 ms, as a plan that returns overlapping windows' items again (windows half-open). */
const grid = (from: number, to: number) => {
  const items = [];
  for (let k = 0; k / 20 < to; k++) if (k / 20 >= from) items.push({ start: k / 20 });
  return items;
};

describe('LookaheadScheduler', () => {
  it('hands over each item exactly once, ahead of its time, across overlapping windows', () => {
    const time = fakeTime();
    const played: number[] = [];
    const handedAt: number[] = [];
    const s = new LookaheadScheduler({
      now: time.now,
      plan: grid,
      play: (items) => {
        for (const i of items) {
          played.push(Math.round(i.start * 1000));
          handedAt.push(time.now());
        }
      },
      timer: time.timer,
    });
    s.start();
    for (let i = 0; i < 40; i++) time.fire(i % 3 === 0 ? 0.01 : 0);
    const expected = Array.from({ length: played.length }, (_, k) => k * 50);
    expect(played).toEqual(expected);
    expect(played.length).toBeGreaterThan(20);
    played.forEach((ms, k) => {
      expect(ms / 1000).toBeGreaterThanOrEqual((handedAt[k] as number) - 1e-9);
    });
    expect(new Set(time.delays)).toEqual(new Set([25]));
  });

  it('keeps going when one window fails to plan, reporting the error', () => {
    const time = fakeTime();
    const errors: unknown[] = [];
    let calls = 0;
    const s = new LookaheadScheduler({
      now: time.now,
      plan: (from, to) => {
        calls++;
        if (calls === 2) throw new Error('broken window');
        return grid(from, to);
      },
      play: () => {},
      timer: time.timer,
      onError: (e) => errors.push(e),
    });
    s.start();
    time.fire();
    time.fire();
    expect(errors).toHaveLength(1);
    expect(calls).toBe(3);
    expect(time.pending).toBe(true);
  });

  it('stops chaining ticks when stopped', () => {
    const time = fakeTime();
    const s = new LookaheadScheduler({ now: time.now, plan: grid, play: () => {}, timer: time.timer });
    s.start();
    expect(s.active).toBe(true);
    s.stop();
    expect(s.active).toBe(false);
    expect(time.pending).toBe(false);
  });

  it('rejects an interval that is not positive and a lookahead no longer than the interval', () => {
    const base = { now: () => 0, plan: grid, play: () => {} };
    expect(() => new LookaheadScheduler({ ...base, interval: 0 })).toThrow(/got: 0/);
    expect(() => new LookaheadScheduler({ ...base, interval: Number.NaN })).toThrow(/got: NaN/);
    expect(() => new LookaheadScheduler({ ...base, interval: 0.05, lookahead: 0.05 })).toThrow(/got: 0.05/);
  });
});
