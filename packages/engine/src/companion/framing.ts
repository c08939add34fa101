/**
 * Frame: the shape the companion gives around the client's playing, as a Nordoff Robbins
 * therapist frames it. When the companion comes in before the client, an introduction of
 * {@link INTRO_BARS} bars establishes the key and the pulse and ends open, on the idiom's cadence
 * stopped short of its tonic (a half cadence in major), inviting the client in. When the client
 * ends a phrase, the companion marks it: the cadence's open chord leads to its tonic on the next
 * strong beat within a bar of the phrase's end, struck once and held (a breath), and the harmony
 * begins a new period at the bar line after it, so the companion's phrases start with the
 * client's.
 */

import type { Phrase } from '../activity/index.ts';
import type { Seconds } from '../time/index.ts';
import type { ClockState } from './clock.ts';
import type { Phrasing } from './listen.ts';
import type { FrameGesture } from './material.ts';

/** Bars of the introduction the companion plays when it comes in before the client. */
export const INTRO_BARS = 2;

/**
 * Whether a beat is strong: a downbeat, or the middle of a bar of four or more (an even number of) beats.
 * @example isStrongBeat(6, 4) // true (the third beat of the second bar)
 */
export function isStrongBeat(index: number, beatsPerBar: number): boolean {
  const inBar = ((index % beatsPerBar) + beatsPerBar) % beatsPerBar;
  return inBar === 0 || (beatsPerBar >= 4 && beatsPerBar % 2 === 0 && inBar === beatsPerBar / 2);
}

/** A beat of the clock: its index, time and period. */
type BeatAt = Pick<ClockState, 'index' | 'time' | 'period'>;

/**
 * Whether the client phrases regularly: their last two phrases lasted the same to within a beat.
 * Then the companion expects the phrase in progress to last as long.
 */
function expectedLength(ended: readonly Phrase[], period: Seconds): Seconds | null {
  const a = ended[ended.length - 2];
  const b = ended[ended.length - 1];
  if (a === undefined || b === undefined) return null;
  const length = b.end - b.start;
  return Math.abs(a.end - a.start - length) < period ? length : null;
}

/** The frame's gestures over a session: the introduction, then one cadence for each phrase the client ends. */
export class Framer {
  private gesture: FrameGesture | null = null;
  private answered: Seconds = Number.NEGATIVE_INFINITY;
  /** The phrase whose end was marked on time (the client phrases regularly): its start and expected end. */
  private anticipated: { readonly start: Seconds; readonly end: Seconds } | null = null;

  /** The companion comes in first: the introduction from its first beat. */
  introduce(beatsPerBar: number): void {
    const until = INTRO_BARS * beatsPerBar;
    const lastBar = until - beatsPerBar;
    const middle = lastBar + beatsPerBar / 2;
    const arrival = Number.isInteger(middle) && isStrongBeat(middle, beatsPerBar) ? middle : lastBar;
    this.gesture = { kind: 'introduction', from: 0, arrival, until };
  }

  /** Frame is not in force at `now`: no gesture goes on, and the phrases ended by then are not answered. */
  pause(now: Seconds): null {
    this.gesture = null;
    this.answered = Math.max(this.answered, now);
    return null;
  }

  /**
   * The gesture beat `clock.index` belongs to: the one in progress, or a new cadence for the
   * client's phrase: on time when they phrase regularly (arriving with their last note), else
   * when the activity tracker has heard the phrase end.
   */
  beat(clock: BeatAt, beatsPerBar: number, phrasing: Phrasing | null): FrameGesture | null {
    const k = clock.index;
    if (this.gesture !== null && k < this.gesture.until) return this.gesture;
    this.gesture = null;
    if (phrasing === null) return null;
    const last = phrasing.ended[phrasing.ended.length - 1];
    if (last !== undefined && last.end > this.answered) {
      this.answered = last.end;
      // A phrase marked on time is not marked again, unless it ran on more than a beat past its mark.
      const a = this.anticipated;
      const marked = a !== null && Math.abs(last.start - a.start) < 1e-9 && last.end < a.end + clock.period;
      if (!marked && phrasing.current === null) this.gesture = this.afterEnd(clock, beatsPerBar, last.end);
    }
    if (this.gesture === null && phrasing.current !== null) {
      this.gesture = this.onTime(clock, beatsPerBar, phrasing.current, phrasing.ended);
    }
    return this.gesture;
  }

  /** A cadence marking a phrase heard to have ended at `end`, its tonic within a bar of it. */
  private afterEnd(clock: BeatAt, beatsPerBar: number, end: Seconds): FrameGesture | null {
    const k = clock.index;
    const bar = beatsPerBar * clock.period;
    // A phrase heard end more than a bar ago is past marking.
    if (clock.time - end > bar) return null;
    const timeOf = (j: number): Seconds => clock.time + (j - k) * clock.period;
    // The tonic arrives on the first strong beat that leaves a beat for the open chord before it,
    // within a bar of the phrase's end; when none is left, on this beat if it is strong (the
    // client's breath marked by the tonic alone), else on the next strong beat.
    let arrival: number | null = null;
    for (let j = k + 1; j <= k + beatsPerBar && arrival === null; j++) {
      if (isStrongBeat(j, beatsPerBar) && timeOf(j) <= end + bar) arrival = j;
    }
    if (arrival === null) {
      arrival = k;
      while (!isStrongBeat(arrival, beatsPerBar)) arrival++;
    }
    return gestureTo(k, arrival, beatsPerBar);
  }

  /**
   * A cadence on time for a client who phrases regularly: the phrase in progress is expected to
   * last as long as their last two, and the tonic arrives as it ends, on the first strong beat
   * from a quarter beat before its expected end, the open chord on the beat before.
   */
  private onTime(
    clock: BeatAt,
    beatsPerBar: number,
    current: Phrase,
    ended: readonly Phrase[],
  ): FrameGesture | null {
    if (this.anticipated !== null && Math.abs(current.start - this.anticipated.start) < 1e-9) return null;
    const length = expectedLength(ended, clock.period);
    if (length === null) return null;
    const end = current.start + length;
    const arrival = clock.index + 1;
    const t = clock.time + clock.period;
    if (!isStrongBeat(arrival, beatsPerBar) || t < end - 0.25 * clock.period) return null;
    this.anticipated = { start: current.start, end };
    return gestureTo(clock.index, arrival, beatsPerBar);
  }
}

/** A phrase-end gesture from beat `from` to its tonic at `arrival`, lasting to the next bar line. */
function gestureTo(from: number, arrival: number, beatsPerBar: number): FrameGesture {
  const until = (Math.floor(arrival / beatsPerBar) + 1) * beatsPerBar;
  return { kind: 'phrase-end', from, arrival, until };
}
