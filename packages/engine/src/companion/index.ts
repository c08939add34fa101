/**
 * The companion: the musical partner that listens to the clients and plays with them under the
 * therapist's steering. It answers one question: given what it has heard up to now, which notes
 * does it play in [from, to)? `hear` tells it what happened; `plan` returns the notes; `steer`
 * changes its settings at the next beat or bar and returns the control event for the session log.
 *
 * It decides one beat at a time, as late as it can: a beat's time and its notes are fixed just
 * before the plan window reaches them, from what was heard by then. Notes that start before the
 * committed horizon are final (a device may already be playing them); notes of the present beat
 * beyond the horizon are still provisional and may be dropped (the client started to play during
 * a dialogue, or the therapist asked for space), never added to behind the horizon.
 */
import { type PlayedEvent, toOnset } from '../events/index.ts';
import { tonicPc } from '../idiom/index.ts';
import { createRng, type Rng } from '../random/index.ts';
import {
  energyVelocity,
  gateKeeps,
  type Listening,
  leadLoudness,
  type Shaping,
  shape,
  type TechniqueName,
} from '../technique/index.ts';
import type { Seconds } from '../time/index.ts';
import { idiomMaterial } from './arrangement.ts';
import { type ClockState, nextBeat, PULSE_CONFIDENCE, type PulseView, startClock } from './clock.ts';
import { ANSWER_BEATS, answer, answerTiming, answerVoice } from './dialogue.ts';
import { Framer } from './framing.ts';
import { type Ear, TrackerEar } from './listen.ts';
import type { BeatNote, CompanionOptions, Material, PlannedNote } from './material.ts';
import { retime } from './retime.ts';
import {
  type CompanionSettings,
  type ControlEvent,
  resolveSettings,
  type SteeringControl,
} from './settings.ts';
import { type CadenceBeats, type Course, courseBeat, followKey, Steering } from './steering.ts';

export type { PulseView } from './clock.ts';
export { type Ear, TrackerEar } from './listen.ts';
export type { BeatNote, BeatRequest, CompanionOptions, Material, PlannedNote } from './material.ts';
export * from './measures.ts';
export * from './offline.ts';
export * from './settings.ts';

/** Who the companion does not listen to as a client: itself. */
export const COMPANION_PARTICIPANT = 'companion';

/** The client starts without a pulse the companion can find: it starts in free time after this long. */
const FREE_START: Seconds = 3;
/** Events of different players this close are heard as one moment, whatever order they arrive in. */
const SAME_TIME: Seconds = 0.05;
/** Committed notes kept to answer overlapping plan windows. */
const MEMORY: Seconds = 8;
/** How far before its expected time the next beat is decided (share of a beat). */
const DECIDE_AHEAD = 0.2;
/**
 * From how long after its present beat a synchronising companion watches for a sudden change of
 * tempo (share of a beat). By then a client who came early to that beat has been heard, so one who
 * speeds up is met on their next beat; watching sooner would judge the beat before it is played.
 */
const WATCH_AFTER = 0.1;
/** Beats after it takes effect within which make-space is silent. */
const SPACE_BEATS = 2;
/** The share of a beat by which make-space ends early, for beats that come sooner than expected. */
const SPACE_MARGIN = 0.1;
/** The longest a note rings, in beats from the start of its beat (less the margin): to two beats past the next. */
const RING_BEATS = 1 + SPACE_BEATS;
/** A held note struck again after the longest ring is this much softer. */
const TIE_SOFTER = 0.8;
/** Largest change of the companion's own loudness from one beat to the next, when not matching. */
const VELOCITY_SLEW = 8;

/** A held note to be struck again at beat `index` for `duration` more beats. */
interface Tie extends BeatNote {
  readonly index: number;
}

/**
 * The musical companion.
 * @example
 * const companion = new Companion({ techniques: ['ground', 'match'] }, 7);
 * companion.hear('client', { type: 'hit', t: 0, instrument: 38, velocity: 90 });
 * companion.plan(0, 0.1); // the notes to play in [0, 0.1)
 */
export class Companion {
  private settings: CompanionSettings;
  private readonly rng: Rng;
  private readonly ear: Ear;
  private readonly material: Material;
  private readonly steering: Steering;
  private readonly framer = new Framer();
  private course: Course;
  private clock: ClockState | null = null;
  private horizon: Seconds = Number.NEGATIVE_INFINITY;
  private lastFrom: Seconds = Number.NEGATIVE_INFINITY;
  private committed: PlannedNote[] = [];
  private provisional: PlannedNote[] = [];
  /** An answer in a dialogue, not yet committed: it gives way when the client calls again. */
  private answering: PlannedNote[] = [];
  private firstHeard: Seconds | null = null;
  private latestHeard: Seconds = Number.NEGATIVE_INFINITY;
  private shaping: Shaping | null = null;
  private velocity: number;
  private spaceFromBeat: number | null = null;
  private ledLoudness: number | null = null;
  private tonic = 0;
  private idiom: string;
  private keyCandidate: string | null = null;
  private lastAnswer: Seconds = Number.NEGATIVE_INFINITY;
  private readonly beatLog: Seconds[] = [];
  private readonly jumpLog: Seconds[] = [];
  /** Held notes cut at the longest ring, to be struck again softly at a later beat (see `beginBeat`). */
  private ties: Tie[] = [];
  private answerStart: Seconds | null = null;

  constructor(settings: Partial<CompanionSettings>, seed: number, options: CompanionOptions = {}) {
    this.material = options.material ?? idiomMaterial();
    this.settings = resolveSettings(settings, (name) => this.material.isIdiom(name));
    this.steering = new Steering((name) => this.material.isIdiom(name));
    this.rng = createRng(seed);
    this.ear = options.ear ?? new TrackerEar();
    this.course = { kind: 'waiting' };
    this.velocity = energyVelocity(this.settings.energy);
    this.idiom = this.settings.idiom === 'auto' ? 'major' : this.settings.idiom;
    if (this.settings.key !== 'auto') this.tonic = tonicPc(this.settings.key);
  }

  /** Hears what a participant played; the companion's own notes are not heard back. */
  hear(participant: string, event: PlayedEvent): void {
    if (participant === COMPANION_PARTICIPANT) return;
    const heard = toOnset(event);
    if (heard === null || !Number.isFinite(heard.t)) return;
    // Several players' events can arrive a little out of order: within a chord's width they are
    // heard as sounding together; anything older is too late to count.
    if (heard.t < this.latestHeard - SAME_TIME) return;
    const t = Math.max(heard.t, this.latestHeard);
    // A drum is heard as the drum it is: a kick or snare marks the beat more than a hi-hat.
    const onset = event.type === 'hit' ? { ...heard, t, pitch: event.instrument } : { ...heard, t };
    this.latestHeard = onset.t;
    if (this.firstHeard === null) this.firstHeard = onset.t;
    this.ear.hear(onset);
  }

  /**
   * Steers the companion from session time `at`: the change takes effect at the next beat (or bar,
   * for idiom, key, fade-out and end) and is returned as the control event for the session log.
   * Throws a one-line reason for a bad control, changing nothing.
   */
  steer(control: SteeringControl, at: Seconds): ControlEvent {
    return this.steering.give(control, at, COMPANION_PARTICIPANT);
  }

  /** The steering controls given so far, each with the time it took effect (null while waiting). */
  controls(): readonly ControlEvent[] {
    return this.steering.controls();
  }

  /** The times of the companion's beats decided so far (its own pulse, whether or not it sounded). */
  beats(): readonly Seconds[] {
    return this.beatLog;
  }

  /**
   * The beats at which the companion, having heard a sudden change of tempo, began to follow the
   * client's onsets itself (see `retime`): a record for review, and the measure of false alarms.
   */
  jumps(): readonly Seconds[] {
    return this.jumpLog;
  }

  /** The settings in force at the last planned beat. */
  current(): CompanionSettings {
    return this.settings;
  }

  /**
   * The notes the companion plays starting in [from, to), where `from` is the session time now.
   * Notes already committed by an earlier call are returned again when they fall in the window,
   * so a caller polling with overlapping windows keeps only notes starting at or after its
   * previous `to`. Time only moves forward: `from` may not be earlier than a previous `from`.
   */
  plan(from: Seconds, to: Seconds): PlannedNote[] {
    if (!(Number.isFinite(from) && Number.isFinite(to) && to >= from)) {
      throw new RangeError(`plan needs finite from <= to, got: ${from}..${to}`);
    }
    if (from < this.lastFrom)
      throw new RangeError(`plan cannot go back in time: from ${from} after ${this.lastFrom}`);
    this.lastFrom = from;
    if (to > this.horizon) this.extend(from, to);
    const notes: PlannedNote[] = [];
    for (const note of this.committed) if (note.start >= from && note.start < to) notes.push(note);
    return notes.sort((a, b) => a.start - b.start);
  }

  private extend(now: Seconds, to: Seconds): void {
    const earliest = Math.max(this.horizon, now);
    this.applyImmediate(now);
    if (this.course.kind === 'waiting' && this.ready(now)) {
      this.course = { kind: 'playing' };
      this.clock = startClock(earliest, this.settings.tempo, this.settings.startTempo, this.pulse(now));
      this.beginBeat(now);
    }
    const clock = (): ClockState | null => this.clock;
    for (let c = clock(); c !== null && this.course.kind !== 'ended'; c = clock()) {
      const due = c.time + (1 - DECIDE_AHEAD) * c.period;
      // Synchronising, a client who speeds up suddenly is met early: their next beat may fall
      // before the companion's usual moment of decision.
      const watch = this.has('synchronise') && now >= c.time + WATCH_AFTER * c.period;
      if (due >= to && !watch) break;
      const lock = this.has('synchronise') ? 1 : 0.5;
      let heard: PulseView | null | undefined;
      const pulse = (): PulseView | null => {
        if (heard === undefined) heard = this.pulse(now);
        return heard;
      };
      const follows = this.has('synchronise') && this.settings.tempo.kind === 'follow';
      const retiming = follows ? retime(this.ear, this.beatLog, c, pulse) : null;
      if (due >= to && (retiming === null || retiming.time >= c.time + c.period)) break;
      const next = nextBeat(c, this.settings.tempo, pulse(), lock, earliest, retiming);
      if (c.own === 0 && next.own > 0) this.jumpLog.push(next.time);
      // A beat that comes sooner than expected cuts off what is left of the one before.
      this.provisional = this.provisional.filter((n) => n.start < next.time);
      this.clock = next;
      this.beginBeat(now);
    }
    this.maybeAnswer(now, to);
    this.dropBackIfCalled();
    this.provisional = this.commit(this.provisional, earliest, to);
    this.answering = this.commit(this.answering, earliest, to);
    this.horizon = to;
    if (this.committed.length > 0 && (this.committed[0] as PlannedNote).start < now - MEMORY) {
      this.committed = this.committed.filter((n) => n.start >= now - MEMORY);
    }
  }

  /** Commits the notes that start before `to` (none before `earliest`), returning the rest. */
  private commit(notes: readonly PlannedNote[], earliest: Seconds, to: Seconds): PlannedNote[] {
    const keep: PlannedNote[] = [];
    for (const note of notes) {
      if (note.start >= to) keep.push(note);
      else if (note.start >= earliest) this.committed.push(note);
    }
    return keep;
  }

  private has(technique: TechniqueName): boolean {
    return this.settings.techniques.includes(technique);
  }

  private pulse(now: Seconds): PulseView | null {
    return this.ear.pulse(now);
  }

  /** Whether the companion may come in: the therapist started it, or the client started playing and there is a pulse to join (or none after a while). */
  private ready(now: Seconds): boolean {
    if (!this.settings.autoStart) return false;
    if (this.firstHeard === null) return false;
    if (this.settings.tempo.kind === 'hold') return true;
    const pulse = this.pulse(now);
    if (pulse !== null && pulse.confidence >= PULSE_CONFIDENCE) return true;
    return now - this.firstHeard >= FREE_START;
  }

  /** Start controls act at once (there is no beat yet to wait for). */
  private applyImmediate(now: Seconds): void {
    this.steering.startIfAsked(
      now,
      () => this.course.kind === 'waiting',
      (at) => {
        this.settings = { ...this.settings, autoStart: true };
        // Coming in before the client, a framing companion invites them with an introduction.
        if (this.firstHeard === null && this.has('frame')) this.framer.introduce(this.settings.beatsPerBar);
        this.firstHeard = this.firstHeard ?? at;
        this.course = { kind: 'playing' };
        const clock = startClock(
          Math.max(this.horizon, now),
          this.settings.tempo,
          this.settings.startTempo,
          this.pulse(now),
        );
        this.clock = clock;
        this.beginBeat(now);
        return clock.time;
      },
    );
  }

  /** Applies the steering due at this beat. */
  private applyDue(clock: ClockState): void {
    const { settings, course, idiom, tonic, spaceFromBeat } = this;
    const cadenceBeats: CadenceBeats = (...at) => this.material.cadenceBeats(...at);
    const steered = this.steering.applyDue(
      clock,
      { settings, course, idiom, tonic, spaceFromBeat },
      cadenceBeats,
    );
    ({ settings: this.settings, course: this.course, idiom: this.idiom, tonic: this.tonic } = steered);
    this.spaceFromBeat = steered.spaceFromBeat;
  }

  /** Follows the client's key at a downbeat when the therapist left the key (or idiom) to them. */
  private followKey(now: Seconds, first: boolean): void {
    const { settings, tonic, idiom, keyCandidate } = this;
    const heard = settings.key !== 'auto' && settings.idiom !== 'auto' ? null : this.ear.key(now);
    const next = followKey(
      settings,
      heard,
      { tonic, idiom, keyCandidate },
      first,
      this.material.idiomForMode,
    );
    ({ tonic: this.tonic, idiom: this.idiom, keyCandidate: this.keyCandidate } = next);
  }

  /** Decides how the new beat is played and lays out its notes as provisional. */
  private beginBeat(now: Seconds): void {
    const clock = this.clock;
    if (clock === null) return;
    this.beatLog.push(clock.time);
    this.applyDue(clock);
    const course = this.course as Course;
    if (course.kind === 'ended') return;
    const bpb = this.settings.beatsPerBar;
    const beatInBar = clock.index % bpb;
    if (beatInBar === 0) this.followKey(now, clock.index === 0);
    const heard = this.ear.listening(now);
    this.lead(heard, clock);
    const spaceBeats = this.spaceFromBeat === null ? null : clock.index - this.spaceFromBeat;
    let s = shape(this.settings.techniques, heard, {
      energy: this.settings.energy,
      register: this.settings.register,
      period: clock.period,
      spaceBeats,
      ledLoudness: this.ledLoudness,
    });
    // Loudness arrives gradually unless the companion is matching the client moment by moment.
    const target = s.velocity;
    this.velocity = this.has('match')
      ? target
      : this.velocity + Math.max(-VELOCITY_SLEW, Math.min(VELOCITY_SLEW, target - this.velocity));
    s = { ...s, velocity: Math.round(this.velocity) };
    this.shaping = s;
    const ties = this.ties.filter((t) => t.index === clock.index);
    this.ties = this.ties.filter((t) => t.index > clock.index);
    if (s.gate <= 0 || s.answerOnly) return;

    const along = courseBeat(course, clock.index);
    if (along === null) {
      this.course = { kind: 'ended' };
      return;
    }
    const { scale, cadenceFrom } = along;
    const frame = this.has('frame')
      ? this.framer.beat(clock, bpb, this.ear.phrasing?.(now) ?? null)
      : this.framer.pause(now);
    // Frame: each four-bar phrase swells to its middle and eases at its end.
    const arch = this.has('frame') ? 0.85 + 0.15 * Math.sin((Math.PI * ((clock.index / bpb) % 4)) / 4) : 1;
    const notes = this.material.beat({
      idiom: this.idiom,
      tonicPc: this.tonic,
      index: clock.index,
      beatsPerBar: bpb,
      cadenceFrom,
      phraseShapes: this.has('frame'),
      frame,
      shaping: s,
      voices: this.settings.voices,
      rng: this.rng,
    });
    // Make-space is silent two beats after it takes effect, less a tenth of a beat in case the
    // client's beats come sooner. A note cannot be taken back once planned, so none rings on more
    // than that past the next beat (where a request for space would take effect): make-space is
    // silent within two beats whenever it is asked for. Only the final chord of an ending rings on.
    const spaceEnd = spaceBeats === null ? Number.POSITIVE_INFINITY : SPACE_BEATS - SPACE_MARGIN - spaceBeats;
    const ringEnd = along.last ? Number.POSITIVE_INFINITY : RING_BEATS - SPACE_MARGIN;
    // A held note cut at the longest ring goes on, struck again softly, unless space was asked for.
    const held: BeatNote[] =
      spaceBeats === null ? ties.map((t) => ({ ...t, velocity: t.velocity * TIE_SOFTER, offset: 0 })) : [];
    for (const n of [...held, ...notes]) {
      if (!gateKeeps(s.gate, n.offset, n.voice === this.settings.voices[0])) continue;
      const length = Math.min(n.duration, spaceEnd - n.offset, ringEnd - n.offset);
      if (length <= 0) continue;
      const velocity = Math.max(1, Math.min(127, Math.round(n.velocity * scale * arch)));
      this.provisional.push({
        pitch: n.pitch,
        velocity,
        start: clock.time + n.offset * clock.period,
        duration: length * clock.period,
        voice: n.voice,
      });
      const rest = n.duration - (RING_BEATS - n.offset);
      if (spaceBeats === null && length < n.duration && rest > 0.25) {
        this.ties.push({ ...n, index: clock.index + RING_BEATS, duration: rest });
      }
    }
    if (along.last) this.course = { kind: 'ended' };
  }

  /** Lead: the companion's loudness moves from the client's toward the energy's, waiting for them. */
  private lead(heard: Listening, clock: ClockState): void {
    const together = heard.pulse !== null && heard.pulse.confidence >= PULSE_CONFIDENCE && clock.together > 0;
    this.ledLoudness = this.has('lead')
      ? leadLoudness(this.ledLoudness, heard, together, energyVelocity(this.settings.energy))
      : null;
  }

  /** Dialogue: answer the client's phrase in their silence, within a beat of its end. */
  private maybeAnswer(now: Seconds, to: Seconds): void {
    const s = this.shaping;
    const clock = this.clock;
    if (s === null || clock === null || !s.answerOnly || s.gate <= 0 || this.course.kind === 'ended') return;
    // The call is what the client played since the companion last answered.
    const call = this.ear.phrase().filter((o) => o.t > this.lastAnswer);
    const timing = answerTiming(call, this.ear.listening(now), now, clock.period);
    if (timing === null || timing.start >= to) return;
    this.answerStart = Math.max(timing.start, this.horizon, now);
    this.lastAnswer = this.answerStart;
    const scale = this.material.scale(this.idiom, this.tonic);
    const register = Math.max(s.register, 60);
    const notes = answer(call, this.answerStart, timing.beat, scale, this.tonic, register, s.velocity);
    const voice = answerVoice(this.settings.voices);
    for (const n of notes) {
      if (n.start - this.answerStart > ANSWER_BEATS * timing.beat) break;
      this.answering.push({ ...n, voice });
    }
  }

  /** When the client calls again, what is left of the answer gives way. */
  private dropBackIfCalled(): void {
    if (this.answerStart === null) return;
    if (this.latestHeard >= this.answerStart) {
      this.answering = [];
      this.answerStart = null;
    }
  }
}
