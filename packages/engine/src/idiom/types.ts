/**
 * The shape of an idiom as data: scale, chord vocabulary, harmonic motion and suitable textures.
 * Every chord is a scale-degree root (1-based, into the idiom's own scale) with a quality, and
 * every chord's notes lie in the scale, so whatever the companion plays from it stays in the idiom.
 * Chords are named by Roman numerals measured from the tonic (bVII is a whole tone below it).
 */
import type { TextureStyle, Voice } from '../texture/styles.ts';
import type { Quality } from './qualities.ts';

/** A chord in an idiom: a root given as a 1-based degree of the idiom's scale, and a quality. */
export interface ChordSpec {
  readonly degree: number;
  readonly quality: Quality;
}

/** A pedal point: the bass holds one degree while the chords above it move. */
export interface PedalSpec {
  readonly degree: number;
  readonly chords: readonly string[];
}

/** How harmony moves in an idiom; chords are named by their symbols in the vocabulary. */
export interface IdiomMotion {
  /** Two chords rocking back and forth: the simplest frame under a client's beating. */
  readonly vamps: readonly (readonly string[])[];
  /** Progressions of four or more chords, each one phrase long. */
  readonly progressions: readonly (readonly string[])[];
  readonly pedals: readonly PedalSpec[];
  /** The formula that closes a phrase; its last chord is the tonic. */
  readonly cadence: readonly string[];
}

/** The textures that suit an idiom, per voice, the most characteristic first. */
export type IdiomTextures = { readonly [V in Voice]: readonly TextureStyle<V>[] };

/** The names of the idioms. */
export type IdiomName =
  | 'major'
  | 'minor'
  | 'pentatonic'
  | 'minor-pentatonic'
  | 'dorian'
  | 'mixolydian'
  | 'lydian'
  | 'phrygian'
  | 'spanish'
  | 'whole-tone'
  | 'organum'
  | 'blues'
  | 'clusters';

/** A harmonic and modal frame for the companion and the clients' pads. */
export interface Idiom {
  readonly name: IdiomName;
  /** One line, for `attune idioms`. */
  readonly description: string;
  /** Pitch classes in semitones above the tonic, ascending from 0. */
  readonly scale: readonly number[];
  /** The chord vocabulary, keyed by symbol. */
  readonly chords: { readonly [symbol: string]: ChordSpec };
  /** The symbol of the home chord. */
  readonly tonic: string;
  readonly motion: IdiomMotion;
  readonly textures: IdiomTextures;
  /** For a variant, the idiom it varies (the Spanish colour of Phrygian). */
  readonly variantOf?: IdiomName;
}

/** A chord of the vocabulary: its degree and quality. */
export const chordOf = (degree: number, quality: Quality): ChordSpec => ({ degree, quality });
