/**
 * Units of time and music. Clock time (seconds on the session clock) and musical time (beats)
 * stay apart: convert only at the edges, with a tempo in hand.
 */

/** Seconds on the session clock. */
export type Seconds = number;
/** Musical time in beats (quarter notes unless a metre says otherwise). */
export type Beats = number;
/** Beats per minute. */
export type Bpm = number;
/** A MIDI note number, 0–127 (fractional for voice pitch). */
export type Midi = number;
/** A MIDI velocity, 1–127. */
export type Velocity = number;

/** Times closer than this are the same instant (one sample at 48 kHz is ~21 µs). */
export const TIME_EPSILON: Seconds = 1e-6;

/**
 * The beat period in seconds of a tempo.
 * @example periodOf(120) // 0.5
 */
export function periodOf(bpm: Bpm): Seconds {
  assertPositive('bpm', bpm);
  return 60 / bpm;
}

/**
 * The tempo in BPM of a beat period in seconds.
 * @example bpmOf(0.5) // 120
 */
export function bpmOf(period: Seconds): Bpm {
  assertPositive('period', period);
  return 60 / period;
}

/** Whether two times are the same instant within {@link TIME_EPSILON}. */
export function sameTime(a: Seconds, b: Seconds): boolean {
  return Math.abs(a - b) < TIME_EPSILON;
}

/** Throws when a value that must be a positive finite number is not. */
export function assertPositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive finite number, got: ${value}`);
  }
}

/** Throws when a value lies outside [min, max]. */
export function assertRange(name: string, value: number, min: number, max: number): void {
  if (!(Number.isFinite(value) && value >= min && value <= max)) {
    throw new RangeError(`${name} must be between ${min} and ${max}, got: ${value}`);
  }
}
