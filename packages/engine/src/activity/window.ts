/** Sliding windows over recent onsets: the pitch range of the last seconds, the recent intervals. */
import type { Midi, Seconds } from '../time/index.ts';

/**
 * A monotonic queue of (time, value) pairs in two plain number arrays: the front holds the
 * extreme value of the window. With `sign` 1 it keeps the lowest value, with −1 the highest:
 * an older value survives a newer one only if it is strictly lower (or higher).
 */
class MonotonicQueue {
  private times: number[] = [];
  private values: number[] = [];
  private head = 0;

  constructor(private readonly sign: 1 | -1) {}

  push(t: Seconds, value: number, from: Seconds): void {
    const s = this.sign;
    while (
      this.values.length > this.head &&
      s * (this.values[this.values.length - 1] as number) >= s * value
    ) {
      this.values.pop();
      this.times.pop();
    }
    this.times.push(t);
    this.values.push(value);
    while ((this.times[this.head] as number) < from) this.head++;
    if (this.head > 256 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
  }

  front(): number | null {
    return this.head < this.values.length ? (this.values[this.head] as number) : null;
  }
}

/**
 * The lowest and highest value seen in the last `span` seconds before the latest addition
 * (monotonic queues, O(1) amortised per addition).
 */
export class SlidingRange {
  private readonly lows = new MonotonicQueue(1);
  private readonly highs = new MonotonicQueue(-1);

  constructor(private readonly span: Seconds) {}

  /** Adds a value at time t (t never earlier than the previous call). */
  add(t: Seconds, value: Midi): void {
    this.lows.push(t, value, t - this.span);
    this.highs.push(t, value, t - this.span);
  }

  /** [lowest, highest] of the window, or null before anything was added. */
  range(): [Midi, Midi] | null {
    const low = this.lows.front();
    const high = this.highs.front();
    return low !== null && high !== null ? [low, high] : null;
  }
}

/** The median of the last `size` values added (a ring buffer beside a sorted copy; no allocation). */
export class RecentMedian {
  private readonly ring: number[] = [];
  private readonly sorted: number[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  /** Adds a value, forgetting the oldest once `size` are held. */
  add(value: number): void {
    if (this.ring.length < this.size) {
      this.ring.push(value);
    } else {
      const oldest = this.ring[this.next] as number;
      this.ring[this.next] = value;
      this.sorted.splice(this.sorted.indexOf(oldest), 1);
    }
    this.next = (this.next + 1) % this.size;
    let i = this.sorted.length;
    while (i > 0 && (this.sorted[i - 1] as number) > value) i--;
    this.sorted.splice(i, 0, value);
  }

  /** The median of the held values, or null when none are held. */
  median(): number | null {
    const n = this.sorted.length;
    if (n === 0) return null;
    const mid = n >> 1;
    return n % 2 === 1
      ? (this.sorted[mid] as number)
      : ((this.sorted[mid - 1] as number) + (this.sorted[mid] as number)) / 2;
  }

  /** How many values are held. */
  get count(): number {
    return this.ring.length;
  }
}
