/**
 * Dialogue: call and response. When the client's phrase ends, the companion answers with a
 * phrase of its own in the idiom's scale: the client's rhythm (at the companion's tempo, on an
 * eighth-note grid) and the client's melodic contour moved into the companion's register,
 * closing on the tonic. An unpitched call is answered by a falling line to the tonic.
 */
import type { Onset } from '../events/index.ts';
import type { Listening } from '../technique/index.ts';
import type { Midi, Seconds, Velocity } from '../time/index.ts';
import type { Voice } from './settings.ts';

/** The longest answer, in beats. */
export const ANSWER_BEATS = 4;
/** The most notes in an answer. */
const ANSWER_NOTES = 8;
/** Longest answer note in beats: detached, so a new call is not smothered. */
const ANSWER_NOTE_BEATS = 0.45;

/** The shortest beat a dialogue counts its silences in; a faster pulse is a subdivision of it. */
const FELT_BEAT: Seconds = 0.4;

/**
 * When the answer to a call may begin, and the beat it is counted in: after the client's sound
 * ended, by {@link answerDelay}; null before they have called or while they still sound.
 * @example answerTiming(call, heard, 10, 0.6) // { start: soundEnd + 0.55, beat: 0.6 }
 */
export function answerTiming(
  call: readonly Onset[],
  heard: Listening,
  now: Seconds,
  period: Seconds,
): { readonly start: Seconds; readonly beat: Seconds } | null {
  const first = call[0];
  const last = call[call.length - 1];
  if (!heard.started || heard.silentFor <= 0 || first === undefined || last === undefined) return null;
  const ioi = call.length > 1 ? (last.t - first.t) / (call.length - 1) : null;
  // The silence is felt in beats of a walking pace: a pulse heard at the eighth-note level counts double.
  const beat = period < FELT_BEAT ? 2 * period : period;
  return { start: now - heard.silentFor + answerDelay(beat, ioi), beat };
}

/** The voice that answers: a melody, in the right hand (or the mallets) when they play, else the first pitched voice. */
export function answerVoice(voices: readonly Voice[]): Voice {
  return (
    voices.find((v) => v === 'piano-right') ??
    voices.find((v) => v === 'mallets') ??
    voices.find((v) => v !== 'percussion') ??
    'piano-right'
  );
}

/** A note of an answer, in seconds. */
export interface AnswerNote {
  readonly pitch: Midi;
  readonly velocity: Velocity;
  readonly start: Seconds;
  readonly duration: Seconds;
}

/**
 * How long after the client's sound stops an answer begins: a little more than the client's usual
 * interval between notes (so a rest within the phrase is not taken for its end), within 0.8–0.98
 * of a beat (so the answer starts only after about a beat of silence and within one beat of the
 * phrase's end).
 * @example answerDelay(0.5, 0.25) // 0.4
 */
export function answerDelay(period: Seconds, ioi: Seconds | null): Seconds {
  const usual = ioi ?? period / 2;
  return Math.max(0.8 * period, Math.min(0.98 * period, 1.15 * usual));
}

/** The scale pitch nearest to `pitch` (ties go down), within the MIDI range. */
export function snapToScale(pitch: number, scale: readonly number[]): Midi {
  const p = Math.round(pitch);
  for (let d = 0; d < 12; d++) {
    for (const q of [p - d, p + d]) {
      if (scale.includes(((q % 12) + 12) % 12)) return Math.max(0, Math.min(127, q));
    }
  }
  return p;
}

/** The tonic pitch nearest to `pitch`. */
function nearestTonic(pitch: number, tonicPc: number): Midi {
  const below = pitch - ((((pitch - tonicPc) % 12) + 12) % 12);
  return pitch - below <= 6 ? below : below + 12;
}

/**
 * The answer to a phrase, starting at `start`.
 * @example answer(call, 10, 0.5, [0, 2, 4, 5, 7, 9, 11], 0, 67, 80).length // up to 8
 */
export function answer(
  call: readonly Onset[],
  start: Seconds,
  period: Seconds,
  scale: readonly number[],
  tonicPc: number,
  register: Midi,
  velocity: Velocity,
): AnswerNote[] {
  if (call.length === 0 || scale.length === 0) return [];
  const first = call[0] as Onset;
  const eighth = period / 2;
  // The client's rhythm on the companion's eighth-note grid, each onset at its own eighth.
  const offsets: number[] = [];
  for (const onset of call) {
    const slot = Math.round((onset.t - first.t) / eighth);
    if (offsets.length > 0 && slot <= (offsets[offsets.length - 1] as number)) continue;
    if (slot * 0.5 >= ANSWER_BEATS || offsets.length >= ANSWER_NOTES) break;
    offsets.push(slot);
  }
  if (offsets.length === 0) offsets.push(0);
  const pitched = call.filter((o) => o.pitch !== undefined && !o.percussive);
  const centre =
    pitched.length > 0 ? pitched.reduce((sum, o) => sum + (o.pitch as number), 0) / pitched.length : 0;
  const contour = offsets.map((_, i) => {
    if (pitched.length === 0) return register + 7 - 2 * i;
    const o = pitched[Math.min(i, pitched.length - 1)] as Onset;
    return register + ((o.pitch as number) - centre);
  });
  const notes: AnswerNote[] = [];
  offsets.forEach((slot, i) => {
    const next = offsets[i + 1];
    const gap = next === undefined ? ANSWER_NOTE_BEATS : (next - slot) * 0.5;
    const last = i === offsets.length - 1;
    // The answer closes on the tonic: the musical full stop the call invites.
    const raw = contour[i] as number;
    const pitch = last ? nearestTonic(snapToScale(raw, scale), tonicPc) : snapToScale(raw, scale);
    notes.push({
      pitch,
      velocity,
      start: start + slot * eighth,
      duration: Math.min(ANSWER_NOTE_BEATS, gap * 0.9) * period,
    });
  });
  return notes;
}
