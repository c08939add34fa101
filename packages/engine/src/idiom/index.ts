/**
 * Idioms: the harmonic and modal frames the companion plays in and the clients' pads are locked
 * to. Each is data (see `idioms.ts`): a scale, a chord vocabulary, harmonic motion, textures.
 */
import type { Midi } from '../time/index.ts';
import { IDIOMS, type Idiom, type IdiomName } from './idioms.ts';

export type { ChordSpec, Idiom, IdiomMotion, IdiomName, IdiomTextures, PedalSpec } from './idioms.ts';
export { isQuality, QUALITIES, type Quality } from './qualities.ts';

/** An idiom or its name; functions that take one resolve names with {@link getIdiom}. */
export type IdiomRef = Idiom | string;

const BY_NAME = new Map<string, Idiom>(IDIOMS.map((idiom) => [idiom.name, idiom]));

/**
 * The names of every idiom, in listing order.
 * @example idiomNames()[0] // 'major'
 */
export function idiomNames(): IdiomName[] {
  return IDIOMS.map((idiom) => idiom.name);
}

/** Every idiom, in listing order. */
export function allIdioms(): readonly Idiom[] {
  return IDIOMS;
}

/**
 * The idiom of a name; `{ variant: 'spanish' }` asks for a variant of it (Phrygian's raised third).
 * Throws with the bad name and the valid ones when there is no such idiom or variant.
 * @example getIdiom('phrygian', { variant: 'spanish' }).name // 'spanish'
 */
export function getIdiom(name: IdiomRef, options: { variant?: string } = {}): Idiom {
  const base = typeof name === 'string' ? BY_NAME.get(name) : name;
  if (base === undefined) {
    throw new RangeError(`unknown idiom "${String(name)}"; valid idioms: ${idiomNames().join(', ')}`);
  }
  if (options.variant === undefined) return base;
  const variants = variantsOf(base.name);
  const variant = variants.find((v) => v.name === options.variant);
  if (variant === undefined) {
    const valid = variants.length === 0 ? 'none' : variants.map((v) => v.name).join(', ');
    throw new RangeError(
      `idiom "${base.name}" has no variant "${options.variant}"; valid variants: ${valid}`,
    );
  }
  return variant;
}

/**
 * The variants of an idiom.
 * @example variantsOf('phrygian').map((v) => v.name) // ['spanish']
 */
export function variantsOf(name: IdiomName): Idiom[] {
  return IDIOMS.filter((idiom) => idiom.variantOf === name);
}

/**
 * A pitch class 0–11 from any whole number (negative ones wrap). Throws on a fraction.
 * @example pitchClass(-1) // 11
 */
export function pitchClass(pitch: number): number {
  if (!Number.isInteger(pitch)) throw new RangeError(`pitch must be a whole number, got: ${pitch}`);
  return ((pitch % 12) + 12) % 12;
}

/** A tonic: a pitch class (any whole number, wrapped) or a note name such as 'G', 'F#', 'Bb', 'E♭'. */
export type Tonic = number | string;

const LETTER_PC: Readonly<Record<string, number>> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/**
 * The pitch class of a tonic given as a number or a note name. Throws on a name it cannot read.
 * @example tonicPc('Bb') // 10
 */
export function tonicPc(tonic: Tonic): number {
  if (typeof tonic === 'number') return pitchClass(tonic);
  const match = /^([A-Ga-g])([#♯b♭]*)$/.exec(tonic.trim());
  if (!match)
    throw new RangeError(`tonic must be a pitch class or a note name like 'F#' or 'Bb', got: ${tonic}`);
  let pc = LETTER_PC[(match[1] as string).toUpperCase()] as number;
  for (const accidental of match[2] as string) pc += accidental === '#' || accidental === '♯' ? 1 : -1;
  return pitchClass(pc);
}

/**
 * The pitch classes of an idiom's scale in a key, from the tonic up.
 * @example scaleOf('major', 7) // [7, 9, 11, 0, 2, 4, 6]
 */
export function scaleOf(idiom: IdiomRef, tonic: Tonic): number[] {
  const pc = tonicPc(tonic);
  return getIdiom(idiom).scale.map((step) => (pc + step) % 12);
}

/**
 * Whether a pitch (MIDI note or pitch class) belongs to an idiom's scale in a key.
 * @example isInScale('pentatonic', 0, 65) // false: F is not in C major pentatonic
 */
export function isInScale(idiom: IdiomRef, tonic: Tonic, pitch: Midi): boolean {
  return scaleOf(idiom, tonic).includes(pitchClass(pitch));
}

/**
 * The pitches for `count` scale-locked pads: the scale ascending from its first note at or
 * above `lowest`.
 * @example padPitches('pentatonic', 0, 6, 60) // [60, 62, 64, 67, 69, 72]
 */
export function padPitches(idiom: IdiomRef, tonic: Tonic, count: number, lowest: Midi): Midi[] {
  if (!(Number.isInteger(count) && count >= 0)) {
    throw new RangeError(`count must be a whole number ≥ 0, got: ${count}`);
  }
  if (!(Number.isInteger(lowest) && lowest >= 0 && lowest <= 127)) {
    throw new RangeError(`lowest must be a MIDI note 0–127, got: ${lowest}`);
  }
  const scale = new Set(scaleOf(idiom, tonic));
  const pitches: Midi[] = [];
  for (let pitch = lowest; pitch <= 127 && pitches.length < count; pitch++) {
    if (scale.has(pitch % 12)) pitches.push(pitch);
  }
  return pitches;
}

/** The idiom that frames a detected mode; names as the key tracker reports them. */
const IDIOM_OF_MODE: Readonly<Record<string, IdiomName>> = {
  major: 'major',
  minor: 'minor',
  dorian: 'dorian',
  phrygian: 'phrygian',
  lydian: 'lydian',
  mixolydian: 'mixolydian',
  'major-pentatonic': 'pentatonic',
  'minor-pentatonic': 'minor-pentatonic',
};

/**
 * The idiom that frames a mode reported by the key tracker, or null for a mode it does not know.
 * @example idiomForMode('major-pentatonic') // 'pentatonic'
 */
export function idiomForMode(mode: string): IdiomName | null {
  return Object.hasOwn(IDIOM_OF_MODE, mode) ? (IDIOM_OF_MODE[mode] ?? null) : null;
}
