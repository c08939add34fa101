/**
 * Timers as an argument. A room plans on a tick; tests run it on a {@link ManualScheduler} and
 * move time by hand, the server on the real timers.
 */

/** What a room needs of a timer. */
export interface Scheduler {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The process's timers. */
export const realScheduler: Scheduler = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * A clock and timers that move only when told: `advance(seconds)` runs every timer that falls
 * due on the way, in time order, with `now` at each timer's time.
 */
export class ManualScheduler implements Scheduler {
  private timers = new Map<number, { at: number; run: () => void }>();
  private nextId = 1;
  /** Seconds since the scheduler was made. */
  now = 0;

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.now + Math.max(0, ms) / 1000, run });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time forward, running timers as they fall due. */
  advance(seconds: number): void {
    if (!(Number.isFinite(seconds) && seconds >= 0))
      throw new RangeError(`advance needs seconds ≥ 0, got: ${seconds}`);
    const until = this.now + seconds;
    for (;;) {
      let due: [number, { at: number; run: () => void }] | null = null;
      for (const entry of this.timers)
        if (entry[1].at <= until && (due === null || entry[1].at < due[1].at)) due = entry;
      if (due === null) break;
      this.timers.delete(due[0]);
      this.now = Math.max(this.now, due[1].at);
      due[1].run();
    }
    this.now = until;
  }

  /** How many timers wait. */
  get pending(): number {
    return this.timers.size;
  }
}
