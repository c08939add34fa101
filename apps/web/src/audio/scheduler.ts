/**
 * The lookahead scheduler: every ~25 ms it asks what sounds in the next ~100 ms of session time
 * and hands the new notes over to be started on their exact audio frame. Its clock is a chain of
 * `setTimeout`s, each tick reading the audio clock afresh, so a late tick costs nothing as long as
 * it is less late than the lookahead (a `setInterval` drifts and is never used as a clock). The
 * loop never dies: a window that fails to plan costs that window, not the session.
 */
import type { Seconds } from '@attune/engine';

/** The timer functions the scheduler chains (the page's, a worker's, or a test's). */
export interface Timer {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Anything that starts at a session time. */
export interface Timed {
  readonly start: Seconds;
}

/** What the scheduler needs. */
export interface SchedulerOptions<T extends Timed> {
  /** The session time now. */
  now(): Seconds;
  /** The items starting in [from, to); overlapping windows may return an item again. */
  plan(from: Seconds, to: Seconds): readonly T[];
  /** Starts the new items (each exactly once). */
  play(items: readonly T[]): void;
  /** Seconds between ticks (default 0.025). */
  interval?: Seconds;
  /** Seconds planned ahead of now (default 0.1). */
  lookahead?: Seconds;
  timer?: Timer;
  /** Told about a window that failed to plan; the loop goes on. */
  onError?(error: unknown): void;
}

/** Default seconds between ticks. */
export const TICK_INTERVAL: Seconds = 0.025;
/** Default seconds planned ahead. */
export const LOOKAHEAD: Seconds = 0.1;

const browserTimer: Timer = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Plans ahead on a `setTimeout` chain.
 * @example
 * const s = new LookaheadScheduler({ now: () => clock.now(), plan: (a, b) => companion.plan(a, b), play });
 * s.start();
 */
export class LookaheadScheduler<T extends Timed> {
  private readonly interval: Seconds;
  private readonly lookahead: Seconds;
  private readonly timer: Timer;
  private handle: unknown = null;
  private running = false;
  /** Items starting before this were handed over already. */
  private planned: Seconds = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: SchedulerOptions<T>) {
    this.interval = options.interval ?? TICK_INTERVAL;
    this.lookahead = options.lookahead ?? LOOKAHEAD;
    if (!(this.interval > 0 && Number.isFinite(this.interval))) {
      throw new RangeError(`interval must be a positive number of seconds, got: ${this.interval}`);
    }
    if (!(this.lookahead > this.interval && Number.isFinite(this.lookahead))) {
      throw new RangeError(`lookahead must be longer than the interval, got: ${this.lookahead}`);
    }
    this.timer = options.timer ?? browserTimer;
  }

  /** Whether the loop is running. */
  get active(): boolean {
    return this.running;
  }

  /** Starts the loop with a tick now. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  /** Stops the loop; items already handed over still sound. */
  stop(): void {
    this.running = false;
    if (this.handle !== null) this.timer.clearTimeout(this.handle);
    this.handle = null;
  }

  /** Plans one window and hands over the items not handed over before. */
  tick(): void {
    const from = this.options.now();
    const to = from + this.lookahead;
    try {
      const fresh = this.options.plan(from, to).filter((item) => item.start >= this.planned);
      if (fresh.length > 0) this.options.play(fresh);
    } catch (error) {
      this.options.onError?.(error);
    }
    this.planned = Math.max(this.planned, to);
    if (this.running) this.handle = this.timer.setTimeout(() => this.tick(), this.interval * 1000);
  }
}
