import { describe, expect, it } from 'vitest';
import type { Timer } from '../audio/scheduler.ts';
import { Scanner } from './scanning.ts';

function manualTimer() {
  const queue: Array<{ run: () => void; ms: number }> = [];
  const timer: Timer = {
    setTimeout: (run, ms) => {
      const entry = { run, ms };
      queue.push(entry);
      return entry;
    },
    clearTimeout: (handle) => {
      const i = queue.indexOf(handle as (typeof queue)[number]);
      if (i >= 0) queue.splice(i, 1);
    },
  };
  return { timer, queue, step: () => queue.shift()?.run() };
}

describe('Scanner', () => {
  it('lights each item in turn and wraps round, at the pace set', () => {
    const t = manualTimer();
    const lit: number[] = [];
    const s = new Scanner(3, 1.5, (i) => lit.push(i), t.timer);
    s.start();
    for (let i = 0; i < 4; i++) t.step();
    expect(lit).toEqual([0, 1, 2, 0, 1]);
    expect(t.queue[0]?.ms).toBe(1500);
  });

  it('plays the lit item on the switch and gives it a full step before moving on', () => {
    const t = manualTimer();
    const s = new Scanner(4, 1, () => {}, t.timer);
    s.start();
    t.step();
    expect(s.select()).toBe(1);
    expect(t.queue).toHaveLength(1);
    t.step();
    expect(s.current).toBe(2);
  });

  it('stays in range when items are taken away, and stops cleanly', () => {
    const t = manualTimer();
    const lit: number[] = [];
    const s = new Scanner(6, 1, (i) => lit.push(i), t.timer);
    s.start();
    for (let i = 0; i < 5; i++) t.step();
    s.resize(3);
    expect(s.current).toBe(0);
    s.stop();
    expect(s.running).toBe(false);
    expect(t.queue).toHaveLength(0);
  });

  it('refuses a pace outside 0.4–4 s and an empty set of items', () => {
    expect(() => new Scanner(3, 0.1, () => {})).toThrow(/got: 0.1/);
    expect(() => new Scanner(3, 9, () => {})).toThrow(/got: 9/);
    expect(() => new Scanner(0, 1, () => {})).toThrow(/got: 0/);
  });
});
