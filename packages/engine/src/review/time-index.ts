/**
 * A time index: items sorted by time, found by binary search, so a review screen can ask for
 * what lies in any window of an hour-long session in O(log n + k). Items that last (notes, spans)
 * are found when they overlap the window, even when they start before it, by looking back no
 * further than the longest item.
 */
import type { Seconds } from '../time/index.ts';

/** Something placed in time, lasting `duration` seconds (0 or absent: an instant). */
export interface Timed {
  readonly t: Seconds;
  readonly duration?: Seconds;
}

/** Items sorted by start time, with window queries. */
export class TimeIndex<T extends Timed> {
  private readonly items: readonly T[];
  private readonly longest: Seconds;

  /** @param items any order; sorted by time (stable: items at one instant keep their order). */
  constructor(items: readonly T[]) {
    let sorted = true;
    let longest = 0;
    for (let i = 0; i < items.length; i++) {
      const x = items[i] as T;
      if (i > 0 && x.t < (items[i - 1] as T).t) sorted = false;
      if ((x.duration ?? 0) > longest) longest = x.duration ?? 0;
    }
    this.items = sorted ? [...items] : [...items].sort((a, b) => a.t - b.t);
    this.longest = longest;
  }

  /** How many items. */
  get size(): number {
    return this.items.length;
  }

  /** Every item, in time order. */
  all(): readonly T[] {
    return this.items;
  }

  /** The first item, or undefined. */
  first(): T | undefined {
    return this.items[0];
  }

  /** The last item to start, or undefined. */
  last(): T | undefined {
    return this.items[this.items.length - 1];
  }

  /** Index of the first item starting at or after t. */
  private lowerBound(t: Seconds): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid] as T).t < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Items starting in [from, to). */
  startingIn(from: Seconds, to: Seconds): T[] {
    if (!(to > from)) return [];
    return this.items.slice(this.lowerBound(from), this.lowerBound(to));
  }

  /**
   * Items sounding in [from, to): starting before `to` and ending after `from` (an instant at
   * `from` counts), in time order.
   */
  overlapping(from: Seconds, to: Seconds): T[] {
    if (!(to > from)) return [];
    const out: T[] = [];
    const end = this.lowerBound(to);
    for (let i = this.lowerBound(from - this.longest); i < end; i++) {
      const x = this.items[i] as T;
      if (x.t >= from || x.t + (x.duration ?? 0) > from) out.push(x);
    }
    return out;
  }

  /** The first item starting after t (strictly), or undefined: for "next mark". */
  after(t: Seconds): T | undefined {
    let i = this.lowerBound(t);
    while (i < this.items.length && (this.items[i] as T).t <= t) i++;
    return this.items[i];
  }

  /** The last item starting before t (strictly), or undefined: for "previous mark". */
  before(t: Seconds): T | undefined {
    const i = this.lowerBound(t);
    return i > 0 ? this.items[i - 1] : undefined;
  }
}
