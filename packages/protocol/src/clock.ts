/**
 * The clock exchange: an NTP-style estimate of the offset from a device's clock to the session
 * clock. A ping leaves the device at t0 (device clock), reaches the server at t1 and leaves it at t2
 * (session clock), and is back at t3 (device clock). If the way out and the way back took equally
 * long, the offset is ((t1 − t0) + (t2 − t3)) / 2; however unequal they were, the true offset lies
 * within half the round trip of it. The sample with the shortest round trip is the least hurt by
 * jitter, so it gives the estimate, and half its round trip is the error bound reported.
 */
import type { Seconds } from '@attune/engine';
import type { ServerMessageOf } from './messages.ts';

/** One exchange: device send, server receive, server send, device receive. */
export interface ClockSample {
  readonly t0: number;
  readonly t1: Seconds;
  readonly t2: Seconds;
  readonly t3: number;
}

/** The offset to add to the device clock to read the session clock, and how far it may be off. */
export interface ClockEstimate {
  /** session time = device time + offset. */
  readonly offset: Seconds;
  /** The true offset lies within ±error of `offset` (half the best round trip). */
  readonly error: Seconds;
  /** The best sample's round trip, the server's holding time taken out. */
  readonly roundTrip: Seconds;
  /** How many usable samples the estimate saw. */
  readonly samples: number;
}

/**
 * The round trip and offset of one sample, or null when the sample cannot be true (a clock ran
 * backwards, or a number is not finite).
 * @example sampleOffset({ t0: 10, t1: 5.01, t2: 5.01, t3: 10.02 }) // { offset: -5, roundTrip: 0.02 }
 */
export function sampleOffset(s: ClockSample): { offset: Seconds; roundTrip: Seconds } | null {
  if (![s.t0, s.t1, s.t2, s.t3].every(Number.isFinite)) return null;
  const held = s.t2 - s.t1;
  const roundTrip = s.t3 - s.t0 - held;
  if (held < 0 || roundTrip < 0) return null;
  return { offset: (s.t1 - s.t0 + (s.t2 - s.t3)) / 2, roundTrip };
}

/**
 * The offset estimate from several samples: the sample with the smallest round trip, with half
 * that round trip as the error. Null when no sample is usable.
 * @example estimateClock([{ t0: 0, t1: 100.03, t2: 100.03, t3: 0.04 }]).offset // ≈ 100.01
 */
export function estimateClock(samples: readonly ClockSample[]): ClockEstimate | null {
  let best: { offset: Seconds; roundTrip: Seconds } | null = null;
  let usable = 0;
  for (const sample of samples) {
    const s = sampleOffset(sample);
    if (s === null) continue;
    usable++;
    if (best === null || s.roundTrip < best.roundTrip) best = s;
  }
  if (best === null) return null;
  return { offset: best.offset, error: best.roundTrip / 2, roundTrip: best.roundTrip, samples: usable };
}

/** A device time read on the session clock. */
export function toSessionTime(deviceTime: number, estimate: ClockEstimate): Seconds {
  return deviceTime + estimate.offset;
}

/** How many recent samples a {@link ClockSync} keeps (older ones may predate a clock drift). */
export const CLOCK_SAMPLES = 16;

/**
 * The device's side of the exchange: numbers its pings, pairs each pong with its ping, keeps the
 * most recent samples and estimates from them. Pure: device times are arguments.
 */
export class ClockSync {
  private nextId = 0;
  private readonly sent = new Map<number, number>();
  private readonly samples: ClockSample[] = [];

  constructor(private readonly keep = CLOCK_SAMPLES) {
    if (!(Number.isInteger(keep) && keep >= 1))
      throw new RangeError(`keep must be a whole number ≥ 1, got: ${keep}`);
  }

  /** The ping to send at device time `deviceNow`. */
  ping(deviceNow: number): { type: 'ping'; id: number; t0: number } {
    const id = this.nextId;
    this.nextId = (this.nextId + 1) % 2_147_483_648;
    this.sent.set(id, deviceNow);
    // Pings whose pongs never came are forgotten, so a lossy link cannot grow the table.
    if (this.sent.size > this.keep * 4) this.sent.delete(this.sent.keys().next().value as number);
    return { type: 'ping', id, t0: deviceNow };
  }

  /** Takes a pong received at device time `deviceNow`; false for a pong of no ping sent here. */
  pong(message: ServerMessageOf<'pong'>, deviceNow: number): boolean {
    const t0 = this.sent.get(message.id);
    if (t0 === undefined || t0 !== message.t0) return false;
    this.sent.delete(message.id);
    this.samples.push({ t0, t1: message.t1, t2: message.t2, t3: deviceNow });
    if (this.samples.length > this.keep) this.samples.shift();
    return true;
  }

  /** The estimate from the samples kept, or null before the first pong. */
  estimate(): ClockEstimate | null {
    return estimateClock(this.samples);
  }
}
