/**
 * Steering: the therapist's controls as the companion receives them. A control is checked and
 * logged when it is given, waits for the beat (or, for idiom, key, fade-out and end, the bar line)
 * where it takes effect, and is then applied: settings change, make-space starts counting, a
 * fade-out or a closing cadence sets the companion's course. The log records when each control
 * took effect, for the session record.
 */
import { tonicPc } from '../idiom/index.ts';
import type { KeyEstimate } from '../key/index.ts';
import type { Seconds } from '../time/index.ts';
import type { ClockState } from './clock.ts';
import {
  applyControl,
  type CompanionSettings,
  type ControlEvent,
  checkControl,
  type SteeringControl,
  waitsForBar,
} from './settings.ts';

/** Where the companion's playing is going: waiting to come in, playing, fading, closing, done. */
export type Course =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'playing' }
  | { readonly kind: 'fading'; readonly fromBeat: number; readonly beats: number }
  | { readonly kind: 'ending'; readonly fromBeat: number; readonly tonicBeat: number }
  | { readonly kind: 'ended' };

/** What steering changes: the settings and the musical state the controls act on. */
export interface Steered {
  readonly settings: CompanionSettings;
  readonly course: Course;
  /** The idiom in force (the settings may leave it to the client). */
  readonly idiom: string;
  /** The tonic pitch class in force. */
  readonly tonic: number;
  /** The beat make-space took effect on, or null when it is not active. */
  readonly spaceFromBeat: number | null;
}

/** Beats from a closing cadence's first beat to its tonic (the material knows its cadences). */
export type CadenceBeats = (idiom: string, tonicPc: number, from: number, beatsPerBar: number) => number;

interface PendingControl {
  readonly control: SteeringControl;
  readonly at: Seconds;
  readonly entry: number;
}

/** The controls given to one companion: checked, logged, and applied when they fall due. */
export class Steering {
  private readonly log: ControlEvent[] = [];
  private pending: PendingControl[] = [];

  constructor(private readonly isIdiom: (name: string) => boolean) {}

  /** Checks and logs a control given at `at`; throws a one-line reason for a bad one, logging nothing. */
  give(control: SteeringControl, at: Seconds, participant: 'companion'): ControlEvent {
    if (!Number.isFinite(at)) throw new RangeError(`steering time must be a finite number, got: ${at}`);
    checkControl(control, this.isIdiom);
    const event: ControlEvent = { type: 'control', t: at, participant, control, effective: null };
    this.pending.push({ control, at, entry: this.log.length });
    this.log.push(event);
    return event;
  }

  /** Every control given so far, each with the time it took effect (null while waiting). */
  controls(): readonly ControlEvent[] {
    return this.log;
  }

  /**
   * A start control given by `now` while the companion waits: it acts at once (there is no beat
   * yet to wait for). `begin` starts the companion and returns the time of its first beat.
   */
  startIfAsked(now: Seconds, waiting: () => boolean, begin: (at: Seconds) => Seconds): void {
    for (const p of this.pending) {
      if (p.control.type === 'start' && p.at <= now && waiting()) this.record(p, begin(p.at));
    }
    this.pending = this.pending.filter(
      (p) => !(p.control.type === 'start' && this.log[p.entry]?.effective !== null),
    );
  }

  /** Applies the controls due at this beat (bar-level ones only on a downbeat). */
  applyDue(clock: ClockState, state: Steered, cadenceBeats: CadenceBeats): Steered {
    let { settings, course, idiom, tonic, spaceFromBeat } = state;
    const downbeat = clock.index % settings.beatsPerBar === 0;
    const left: PendingControl[] = [];
    for (const p of this.pending) {
      if (p.at > clock.time || (waitsForBar(p.control) && !downbeat) || p.control.type === 'start') {
        left.push(p);
        continue;
      }
      const before = settings.techniques;
      settings = applyControl(settings, p.control);
      if (
        p.control.type === 'techniques' &&
        !before.includes('make-space') &&
        settings.techniques.includes('make-space')
      ) {
        spaceFromBeat = clock.index;
      }
      if (p.control.type === 'idiom') idiom = p.control.idiom === 'auto' ? idiom : p.control.idiom;
      if (p.control.type === 'key' && p.control.key !== 'auto') tonic = tonicPc(p.control.key);
      if (p.control.type === 'fade-out') {
        course = { kind: 'fading', fromBeat: clock.index, beats: p.control.bars * settings.beatsPerBar };
      }
      if (p.control.type === 'end') {
        // Ending with a cadence: the idiom's cadence from this bar line, its tonic on a downbeat.
        const toTonic = cadenceBeats(idiom, tonic, clock.index, settings.beatsPerBar);
        course = p.control.cadence
          ? { kind: 'ending', fromBeat: clock.index, tonicBeat: clock.index + toTonic }
          : { kind: 'ended' };
      }
      this.record(p, clock.time);
    }
    this.pending = left;
    // Make-space counts its beats from the beat it took effect on, however it was asked for.
    if (!settings.techniques.includes('make-space')) spaceFromBeat = null;
    else if (spaceFromBeat === null) spaceFromBeat = clock.index;
    return { settings, course, idiom, tonic, spaceFromBeat };
  }

  private record(p: PendingControl, time: Seconds): void {
    const entry = this.log[p.entry];
    if (entry) this.log[p.entry] = { ...entry, effective: time };
  }
}

/** How the course plays one beat: the loudness of a fade, where a closing cadence began, and whether the beat is the last. */
export interface CourseBeat {
  readonly scale: number;
  readonly cadenceFrom: number | null;
  readonly last: boolean;
}

/**
 * How the course plays beat `index`, or null once it has ended: a fade-out falls linearly to
 * silence over its beats; a closing cadence ends the music on its tonic, the chord struck on the
 * downbeat and left to ring.
 * @example courseBeat({ kind: 'fading', fromBeat: 8, beats: 8 }, 12) // { scale: 0.5, cadenceFrom: null, last: false }
 */
export function courseBeat(course: Course, index: number): CourseBeat | null {
  if (course.kind === 'ended') return null;
  if (course.kind === 'fading') {
    const done = (index - course.fromBeat) / course.beats;
    return done >= 1 ? null : { scale: 1 - done, cadenceFrom: null, last: false };
  }
  if (course.kind === 'ending') {
    if (index > course.tonicBeat) return null;
    return { scale: 1, cadenceFrom: course.fromBeat, last: index === course.tonicBeat };
  }
  return { scale: 1, cadenceFrom: null, last: false };
}

/** The key in force and the key last heard at a downbeat. */
export interface FollowedKey {
  readonly tonic: number;
  readonly idiom: string;
  readonly keyCandidate: string | null;
}

/**
 * Follows the client's key at a downbeat where the therapist left the key (or idiom) to them: a
 * key heard (confidence 0.2 or more) at two downbeats running, or at the companion's first beat,
 * becomes the key in force; its mode chooses the idiom when the idiom is left to them.
 * @example followKey({ ...settings, key: 'auto' }, { tonicPc: 9, mode: 'minor', confidence: 0.5 }, { tonic: 0, idiom: 'major', keyCandidate: '9:minor' }, false, () => 'minor').tonic // 9
 */
export function followKey(
  settings: CompanionSettings,
  heard: Pick<KeyEstimate, 'tonicPc' | 'mode' | 'confidence'> | null,
  now: FollowedKey,
  firstBeat: boolean,
  idiomForMode: (mode: string) => string,
): FollowedKey {
  if (settings.key !== 'auto' && settings.idiom !== 'auto') return now;
  if (heard === null || heard.confidence < 0.2) return now;
  const name = `${heard.tonicPc}:${heard.mode}`;
  // A key must be heard at two downbeats running before the companion moves to it.
  if (now.keyCandidate !== name && !firstBeat) return { ...now, keyCandidate: name };
  return {
    keyCandidate: name,
    tonic: settings.key === 'auto' ? heard.tonicPc : now.tonic,
    idiom: settings.idiom === 'auto' ? idiomForMode(heard.mode) : now.idiom,
  };
}
