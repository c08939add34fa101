/**
 * Single-switch scanning: the pads light up one after another at a steady pace, and one switch
 * (Space, or any switch that sends a key) plays the lit pad. The pace is the therapist's to set;
 * people who need more time get it.
 */
import type { Timer } from '../audio/scheduler.ts';

/** Slowest and quickest scanning step, in seconds. */
export const SCAN_STEP = { min: 0.4, max: 4, default: 1.2 } as const;

/** Steps through `count` items on a timer, telling `onMove` which one is lit. */
export class Scanner {
  private index = 0;
  private handle: unknown = null;

  constructor(
    private count: number,
    private step: number,
    private readonly onMove: (index: number) => void,
    private readonly timer: Timer = {
      setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    },
  ) {
    checkCount(count);
    checkStep(step);
  }

  /** The lit item. */
  get current(): number {
    return this.index;
  }

  /** Whether the scanner is stepping. */
  get running(): boolean {
    return this.handle !== null;
  }

  /** Lights the first item and starts stepping. */
  start(): void {
    this.stop();
    this.index = 0;
    this.onMove(this.index);
    this.schedule();
  }

  /** Stops stepping; nothing is lit afterwards as far as the scanner is concerned. */
  stop(): void {
    if (this.handle !== null) this.timer.clearTimeout(this.handle);
    this.handle = null;
  }

  /** Changes the number of items (a pad added or taken away), keeping the lit one in range. */
  resize(count: number): void {
    checkCount(count);
    this.count = count;
    if (this.index >= count) {
      this.index = 0;
      this.onMove(this.index);
    }
  }

  /** Changes the pace from the next step on. */
  setStep(step: number): void {
    checkStep(step);
    this.step = step;
  }

  /**
   * The switch was pressed: returns the lit item and starts its step afresh, so the player
   * hears the pad they chose before the light moves on.
   */
  select(): number {
    if (this.running) {
      this.timer.clearTimeout(this.handle);
      this.schedule();
    }
    return this.index;
  }

  private schedule(): void {
    this.handle = this.timer.setTimeout(() => {
      this.index = (this.index + 1) % this.count;
      this.onMove(this.index);
      this.schedule();
    }, this.step * 1000);
  }
}

function checkCount(count: number): void {
  if (!(Number.isInteger(count) && count >= 1)) {
    throw new RangeError(`scanning needs a whole number of items ≥ 1, got: ${count}`);
  }
}

function checkStep(step: number): void {
  if (!(Number.isFinite(step) && step >= SCAN_STEP.min && step <= SCAN_STEP.max)) {
    throw new RangeError(`scanning step must be ${SCAN_STEP.min}–${SCAN_STEP.max} seconds, got: ${step}`);
  }
}
