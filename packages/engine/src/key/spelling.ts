/**
 * Spelling a tonic: the name whose key signature has fewer accidentals, as a musician would
 * write it (Db major rather than C# major, C# minor rather than Db minor).
 */
import type { Mode } from './modes.ts';

/** Sharp and flat names of the twelve pitch classes. */
const SHARP_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;
const FLAT_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

/** Place of each natural letter on the line of fifths (C = 0, G = 1, F = -1). */
const LETTER_FIFTHS: Record<string, number> = { F: -1, C: 0, G: 1, D: 2, A: 3, E: 4, B: 5 };

/**
 * Fifths from a mode's tonic back to its key signature: A minor, D dorian and G mixolydian all
 * have C major's empty signature.
 */
const MODE_FIFTHS: Record<Mode, number> = {
  major: 0,
  minor: 3,
  dorian: 2,
  phrygian: 4,
  lydian: -1,
  mixolydian: 1,
  'major-pentatonic': 0,
  'minor-pentatonic': 3,
};

/** Sharps (positive) or flats (negative) in the key signature of a spelled tonic in a mode. */
export function keySignature(tonic: string, mode: Mode): number {
  const letter = LETTER_FIFTHS[tonic.charAt(0)];
  const shift = MODE_FIFTHS[mode];
  if (letter === undefined || shift === undefined) {
    throw new RangeError(`cannot read a key signature of ${String(tonic)} ${String(mode)}`);
  }
  let fifths = letter;
  for (const accidental of tonic.slice(1)) {
    if (accidental === '#') fifths += 7;
    else if (accidental === 'b') fifths -= 7;
    else throw new RangeError(`cannot read the tonic name, got: ${tonic}`);
  }
  return fifths - shift;
}

/**
 * The name of a tonic in a mode: the spelling whose key signature has fewer accidentals. At six
 * accidentals either way the usual names win: F# major, Eb minor.
 * @example spellTonic(1, 'major') // 'Db'
 * @example spellTonic(1, 'minor') // 'C#'
 */
export function spellTonic(tonicPc: number, mode: Mode): string {
  if (!Number.isInteger(tonicPc) || tonicPc < 0 || tonicPc > 11) {
    throw new RangeError(`tonicPc must be a whole number 0–11, got: ${tonicPc}`);
  }
  if (MODE_FIFTHS[mode] === undefined) throw new RangeError(`unknown mode, got: ${String(mode)}`);
  const sharp = SHARP_NAMES[tonicPc]!;
  const flat = FLAT_NAMES[tonicPc]!;
  if (sharp === flat) return sharp;
  const sharps = Math.abs(keySignature(sharp, mode));
  const flats = Math.abs(keySignature(flat, mode));
  if (sharps !== flats) return sharps < flats ? sharp : flat;
  // Six either way (F# or Gb major, D# or Eb minor): the usual spelling of that pitch class.
  return tonicPc === 6 ? sharp : flat;
}
