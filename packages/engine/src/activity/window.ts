/** Sliding windows over recent onsets: the pitch range of the last seconds, the recent intervals. */
import type { Midi, Seconds } from '../time/index.ts';

interface Timed {
  t: Seconds;
  value: number;
}

/**
 * The lowest and highest value seen in the last `span` seconds before the latest addition
 * (monotonic queues, O(1) amortised per addition).
 */
export class SlidingRange {
  private lows: Timed[] = [];
  private lowHead = 0;
  private highs: Timed[] = [];
  private highHead = 0;

  constructor(private readonly span: Seconds) {}

  /** Adds a value at time t (t never earlier than the previous call). */
  add(t: Seconds, value: Midi): void {
    while (this.lows.length > this.lowHead && (this.lows[this.lows.length - 1] as Timed).value >= value) {
      this.lows.pop();
    }
    this.lows.push({ t, value });
    while (this.highs.length > this.highHead && (this.highs[this.highs.length - 1] as Timed).value <= value) {
      this.highs.pop();
    }
    this.highs.push({ t, value });
    const from = t - this.span;
    while ((this.lows[this.lowHead] as Timed).t < from) this.lowHead++;
    while ((this.highs[this.highHead] as Timed).t < from) this.highHead++;
    if (this.lowHead > 64 && this.lowHead * 2 > this.lows.length) {
      this.lows = this.lows.slice(this.lowHead);
      this.lowHead = 0;
    }
    if (this.highHead > 64 && this.highHead * 2 > this.highs.length) {
      this.highs = this.highs.slice(this.highHead);
      this.highHead = 0;
    }
  }

  /** [lowest, highest] of the window, or null before anything was added. */
  range(): [Midi, Midi] | null {
    const low = this.lows[this.lowHead];
    const high = this.highs[this.highHead];
    return low && high ? [low.value, high.value] : null;
  }
}

/** The median of the last `size` values added (a ring buffer; the median is cached). */
export class RecentMedian {
  private readonly values: number[] = [];
  private next = 0;
  private cached: number | null = null;

  constructor(private readonly size: number) {}

  /** Adds a value, forgetting the oldest once `size` are held. */
  add(value: number): void {
    if (this.values.length < this.size) this.values.push(value);
    else this.values[this.next] = value;
    this.next = (this.next + 1) % this.size;
    const sorted = [...this.values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    this.cached =
      sorted.length % 2 === 1
        ? (sorted[mid] as number)
        : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  }

  /** The median of the held values, or null when none are held. */
  median(): number | null {
    return this.cached;
  }

  /** How many values are held. */
  get count(): number {
    return this.values.length;
  }
}
