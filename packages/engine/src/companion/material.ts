/**
 * The companion's musical material: what each voice plays on a beat, given the idiom, the key,
 * where the beat falls in the bar and phrase, the harmonic function asked for, and how the
 * techniques shape the playing. The companion decides when and how; the material decides which
 * notes, drawing on the idiom, harmony and texture modules.
 */
import type { Rng } from '../random/index.ts';
import type { Shaping } from '../technique/index.ts';
import type { Beats, Midi, Seconds, Velocity } from '../time/index.ts';
import type { Ear } from './listen.ts';
import type { Voice } from './settings.ts';

/** What the companion asks of the material for one beat. */
export interface BeatRequest {
  readonly idiom: string;
  readonly tonicPc: number;
  /** Beats since the companion started; beat 0 begins the first bar. */
  readonly index: number;
  readonly beatsPerBar: number;
  /** The beat where a closing cadence began, or null while the music goes on. */
  readonly cadenceFrom: number | null;
  /** Whether phrase ends are shaped (frame): the last chord of a phrase struck once and held, then a breath. */
  readonly phraseShapes: boolean;
  /** The framing gesture this beat belongs to (frame), if any: it sets the chords in place of the harmony plan. */
  readonly frame?: FrameGesture | null;
  readonly shaping: Shaping;
  readonly voices: readonly Voice[];
  readonly rng: Rng;
}

/**
 * A framing gesture: the introduction that invites the client in (the tonic, then the idiom's
 * cadence stopped short of its tonic: an open, expectant chord), or the cadence that marks the end
 * of the client's phrase (the cadence's last chords, its tonic arriving on a strong beat).
 */
export interface FrameGesture {
  readonly kind: 'introduction' | 'phrase-end';
  /** Its first beat. */
  readonly from: number;
  /** The strong beat its goal chord falls on, struck once and held: the open chord, or the tonic. */
  readonly arrival: number;
  /** The bar line after it, where the harmony plan begins a new period. */
  readonly until: number;
}

/** A note of one beat, timed in beats from that beat. */
export interface BeatNote {
  readonly voice: Voice;
  /** A pitch, or for the percussion voice a General MIDI percussion key. */
  readonly pitch: Midi;
  readonly velocity: Velocity;
  readonly offset: Beats;
  readonly duration: Beats;
}

/** The musical material the companion plays from. */
export interface Material {
  /** Whether an idiom of this name exists. */
  isIdiom(name: string): boolean;
  /** The idiom that frames a mode the key tracker reports. */
  idiomForMode(mode: string): string;
  /** The pitch classes of an idiom's scale on a tonic. */
  scale(idiom: string, tonicPc: number): readonly number[];
  /** The notes every voice plays on one beat. */
  beat(request: BeatRequest): BeatNote[];
  /** Beats from the start of a closing cadence at beat `from` to its tonic, which falls on a downbeat. */
  cadenceBeats(idiom: string, tonicPc: number, from: number, beatsPerBar: number): number;
}

/** A note the companion plays. */
export interface PlannedNote {
  /** A pitch, or for the percussion voice a General MIDI percussion key. */
  readonly pitch: Midi;
  readonly velocity: Velocity;
  readonly start: Seconds;
  readonly duration: Seconds;
  readonly voice: Voice;
}

/** What a companion can be built with besides its settings and seed (tests pass their own ear). */
export interface CompanionOptions {
  readonly ear?: Ear;
  readonly material?: Material;
}
