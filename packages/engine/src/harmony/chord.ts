/**
 * Chord spelling: from an idiom's vocabulary and a key to pitch classes.
 */
import {
  type ChordSpec,
  getIdiom,
  type IdiomRef,
  QUALITIES,
  type Quality,
  type Tonic,
  tonicPc,
} from '../idiom/index.ts';

/** A chord in a key: its root, quality and pitch classes, and the pitch class in the bass. */
export interface Chord {
  /** The chord's symbol in its idiom's vocabulary, e.g. 'bVII' or 'V7sus4'. */
  readonly symbol: string;
  /** Root pitch class 0–11. */
  readonly root: number;
  readonly quality: Quality;
  /** Pitch classes in stacking order from the root, without repeats. */
  readonly pcs: readonly number[];
  /** Pitch class in the bass: the root, or a held pedal note. */
  readonly bass: number;
  /** Tonic pitch class of the key the chord was spelled in. */
  readonly tonic: number;
}

/**
 * Spells a chord of an idiom's vocabulary (by symbol, or by degree and quality) in a key;
 * `bassDegree` puts a degree of the scale in the bass instead of the root (a pedal point).
 * Throws on a symbol or degree the idiom does not have, listing the valid ones.
 * @example spellChord('major', 'V7', 0).pcs // [7, 11, 2, 5]
 */
export function spellChord(
  idiom: IdiomRef,
  chord: string | ChordSpec,
  key: Tonic,
  options: { bassDegree?: number } = {},
): Chord {
  const frame = getIdiom(idiom);
  const tonic = tonicPc(key);
  let symbol: string;
  let spec: ChordSpec;
  if (typeof chord === 'string') {
    const found = Object.hasOwn(frame.chords, chord) ? frame.chords[chord] : undefined;
    if (found === undefined) {
      throw new RangeError(
        `idiom "${frame.name}" has no chord "${chord}"; valid chords: ${Object.keys(frame.chords).join(', ')}`,
      );
    }
    symbol = chord;
    spec = found;
  } else {
    spec = chord;
    const named = Object.entries(frame.chords).find(
      ([, c]) => c.degree === spec.degree && c.quality === spec.quality,
    );
    symbol = named?.[0] ?? `${spec.degree}${spec.quality}`;
  }
  const root = (tonic + degreeStep(frame.scale, spec.degree, frame.name)) % 12;
  const pcs: number[] = [];
  for (const interval of QUALITIES[spec.quality]) {
    const pc = (root + interval) % 12;
    if (!pcs.includes(pc)) pcs.push(pc);
  }
  const bass =
    options.bassDegree === undefined
      ? root
      : (tonic + degreeStep(frame.scale, options.bassDegree, frame.name)) % 12;
  return { symbol, root, quality: spec.quality, pcs, bass, tonic };
}

/** Semitones above the tonic of a 1-based scale degree. */
function degreeStep(scale: readonly number[], degree: number, name: string): number {
  const step = Number.isInteger(degree) ? scale[degree - 1] : undefined;
  if (step === undefined) {
    throw new RangeError(`idiom "${name}" has degrees 1–${scale.length}, got: ${degree}`);
  }
  return step;
}

/**
 * The role of a pitch class in a chord, by its interval above the root: what a voicing may leave
 * out (the fifth first) and what it must keep (the third, the seventh).
 */
export function chordRole(chord: Chord, pc: number): 'root' | 'third' | 'fifth' | 'colour' {
  const interval = (pc - chord.root + 12) % 12;
  if (interval === 0) return 'root';
  if (interval === 3 || interval === 4) return 'third';
  if (interval === 7) return 'fifth';
  return 'colour';
}

/** Whether two chords sound the same pitch classes over the same bass. */
export function sameChord(a: Chord, b: Chord): boolean {
  return a.bass === b.bass && a.pcs.length === b.pcs.length && a.pcs.every((pc) => b.pcs.includes(pc));
}
