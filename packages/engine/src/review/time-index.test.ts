import { describe, expect, it } from 'vitest';
import { createRng } from '../random/index.ts';
import { TimeIndex } from './time-index.ts';

interface Item {
  t: number;
  duration?: number;
  id: number;
}

describe('TimeIndex', () => {
  it('sorts by time, keeping the order of items at one instant', () => {
    const index = new TimeIndex<Item>([
      { t: 2, id: 0 },
      { t: 1, id: 1 },
      { t: 2, id: 2 },
      { t: 0, id: 3 },
    ]);
    expect(index.all().map((x) => x.id)).toEqual([3, 1, 0, 2]);
    expect(index.size).toBe(4);
  });

  it('finds items starting in [from, to), and those sounding in it, begun before', () => {
    const index = new TimeIndex<Item>([
      { t: 0, duration: 10, id: 0 }, // a long held note
      { t: 4, duration: 0.5, id: 1 },
      { t: 5, duration: 0.5, id: 2 }, // starts at from
      { t: 5.5, duration: 1, id: 3 },
      { t: 6, duration: 0.5, id: 4 }, // starts at to: outside
      { t: 4.6, duration: 0.4, id: 5 }, // ends exactly at from: outside
    ]);
    expect(index.startingIn(5, 6).map((x) => x.id)).toEqual([2, 3]);
    expect(index.overlapping(5, 6).map((x) => x.id)).toEqual([0, 2, 3]);
    expect(index.overlapping(6, 5)).toEqual([]);
    expect(index.startingIn(5, 5)).toEqual([]);
  });

  it('agrees with a scan of every item on random windows of a long list', () => {
    const rng = createRng(5);
    const items: Item[] = Array.from({ length: 5000 }, (_, id) => ({
      t: rng.uniform(0, 3600),
      duration: rng.chance(0.1) ? rng.uniform(0, 30) : rng.uniform(0, 1),
      id,
    }));
    const index = new TimeIndex(items);
    for (let k = 0; k < 200; k++) {
      const from = rng.uniform(-10, 3600);
      const to = from + rng.uniform(0, rng.chance(0.5) ? 5 : 600);
      const expected = items
        .filter((x) => x.t < to && (x.t >= from || x.t + (x.duration ?? 0) > from))
        .map((x) => x.id)
        .sort((a, b) => a - b);
      expect(
        index
          .overlapping(from, to)
          .map((x) => x.id)
          .sort((a, b) => a - b),
      ).toEqual(expected);
      const starting = items.filter((x) => x.t >= from && x.t < to).length;
      expect(index.startingIn(from, to)).toHaveLength(starting);
    }
  });

  it('steps to the next and previous item', () => {
    const index = new TimeIndex<Item>([
      { t: 1, id: 0 },
      { t: 3, id: 1 },
      { t: 3, id: 2 },
      { t: 7, id: 3 },
    ]);
    expect(index.after(0)?.id).toBe(0);
    expect(index.after(1)?.id).toBe(1);
    expect(index.after(3)?.id).toBe(3);
    expect(index.after(7)).toBeUndefined();
    expect(index.before(3)?.id).toBe(0);
    expect(index.before(3.5)?.id).toBe(2);
    expect(index.before(1)).toBeUndefined();
  });

  it('answers an empty list with nothing', () => {
    const index = new TimeIndex<Item>([]);
    expect(index.overlapping(0, 10)).toEqual([]);
    expect(index.first()).toBeUndefined();
    expect(index.after(0)).toBeUndefined();
  });
});
