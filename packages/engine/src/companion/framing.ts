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
import type { Seconds } from '../time/index.ts';
import type { ClockState } from './clock.ts';
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

/** The frame's gestures over a session: the introduction, then one cadence for each phrase the client ends. */
export class Framer {
  private gesture: FrameGesture | null = null;
  private answered: Seconds = Number.NEGATIVE_INFINITY;

  /** The companion comes in first: the introduction from its first beat. */
  introduce(beatsPerBar: number): void {
    const until = INTRO_BARS * beatsPerBar;
    const lastBar = until - beatsPerBar;
    const middle = lastBar + beatsPerBar / 2;
    const arrival = Number.isInteger(middle) && isStrongBeat(middle, beatsPerBar) ? middle : lastBar;
    this.gesture = { kind: 'introduction', from: 0, arrival, until };
  }

  /** Frame is not in force: no gesture goes on, and the phrases ended meanwhile are not answered. */
  pause(phraseEnd: Seconds | null): null {
    this.gesture = null;
    if (phraseEnd !== null) this.answered = Math.max(this.answered, phraseEnd);
    return null;
  }

  /**
   * The gesture beat `clock.index` belongs to: the one in progress, or a new cadence when the
   * client's latest phrase ended at `phraseEnd` (the end of its last sound) and has not been answered.
   */
  beat(clock: ClockState, beatsPerBar: number, phraseEnd: Seconds | null): FrameGesture | null {
    const k = clock.index;
    if (this.gesture !== null && k < this.gesture.until) return this.gesture;
    this.gesture = null;
    if (phraseEnd === null || phraseEnd <= this.answered) return null;
    this.answered = phraseEnd;
    const bar = beatsPerBar * clock.period;
    // A phrase heard end more than a bar ago is past marking.
    if (clock.time - phraseEnd > bar) return null;
    const timeOf = (j: number): Seconds => clock.time + (j - k) * clock.period;
    // The tonic arrives on the first strong beat that leaves a beat for the open chord before it,
    // within a bar of the phrase's end; when none is left, on this beat if it is strong (the
    // client's breath marked by the tonic alone), else on the next strong beat.
    let arrival: number | null = null;
    for (let j = k + 1; j <= k + beatsPerBar && arrival === null; j++) {
      if (isStrongBeat(j, beatsPerBar) && timeOf(j) <= phraseEnd + bar) arrival = j;
    }
    if (arrival === null) {
      arrival = k;
      while (!isStrongBeat(arrival, beatsPerBar)) arrival++;
    }
    const until = (Math.floor(arrival / beatsPerBar) + 1) * beatsPerBar;
    this.gesture = { kind: 'phrase-end', from: k, arrival, until };
    return this.gesture;
  }
}
