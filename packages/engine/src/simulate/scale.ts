/**
 * Pitch material of simulated players: a key (tonic and mode), its scale within a register,
 * and its diatonic chords (thirds stacked inside the scale, so every chord tone is in the key).
 */
import { MODE_DEGREES, type Mode } from '../key/modes.ts';
import type { Midi } from '../time/index.ts';

/** A mode a simulated player plays in: one of the key tracker's modes, so its truth can be compared. */
export type PlayerMode = Mode;

/** The key a simulated player plays in: the truth to compare a key estimate with. */
export interface SimulatedKey {
  readonly tonic: string;
  readonly tonicPc: number;
  readonly mode: PlayerMode;
}

/** Semitones above the tonic of each mode's degrees. */
const STEPS: Readonly<Record<PlayerMode, readonly number[]>> = MODE_DEGREES;

const LETTERS: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const FLAT_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

/**
 * The key of a tonic (a name such as 'F#' or 'Bb', or a pitch class 0–11) and a mode.
 * @example keyOf('Bb', 'dorian') // { tonic: 'Bb', tonicPc: 10, mode: 'dorian' }
 * @example keyOf(1, 'major') // { tonic: 'Db', tonicPc: 1, mode: 'major' }
 */
export function keyOf(tonic: string | number, mode: PlayerMode): SimulatedKey {
  if (STEPS[mode] === undefined) throw new RangeError(`unknown mode, got: ${String(mode)}`);
  if (typeof tonic === 'number') {
    if (!Number.isInteger(tonic) || tonic < 0 || tonic > 11) {
      throw new RangeError(`tonic pitch class must be a whole number 0–11, got: ${tonic}`);
    }
    return { tonic: FLAT_NAMES[tonic]!, tonicPc: tonic, mode };
  }
  const match = /^([A-Ga-g])([#b♯♭]*)$/.exec(tonic.trim());
  if (match === null) throw new RangeError(`tonic must be a note name such as C, F# or Bb, got: ${tonic}`);
  const letter = match[1]!.toUpperCase();
  let pc = LETTERS[letter]!;
  let name = letter;
  for (const accidental of match[2]!) {
    const sharp = accidental === '#' || accidental === '♯';
    pc += sharp ? 1 : -1;
    name += sharp ? '#' : 'b';
  }
  return { tonic: name, tonicPc: (pc + 12) % 12, mode };
}

/** The pitch classes of a key's scale, tonic first. */
export function scalePitchClasses(key: SimulatedKey): number[] {
  return STEPS[key.mode].map((s) => (key.tonicPc + s) % 12);
}

/**
 * Whether a pitch belongs to a key's scale.
 * @example inScale(66, keyOf('G', 'major')) // true (F#)
 */
export function inScale(pitch: Midi, key: SimulatedKey): boolean {
  return scalePitchClasses(key).includes(((Math.round(pitch) % 12) + 12) % 12);
}

/** The scale's pitches in [low, high], ascending. */
export function scalePitches(key: SimulatedKey, low: Midi, high: Midi): Midi[] {
  const pcs = scalePitchClasses(key);
  const out: Midi[] = [];
  for (let p = Math.ceil(low); p <= high; p++) if (pcs.includes(p % 12)) out.push(p);
  return out;
}

/**
 * Pitch classes of the chord on a scale degree (0-based): its root, third and fifth taken as
 * every other note of the scale.
 * @example chordPitchClasses(keyOf('C', 'major'), 4) // [7, 11, 2] (G major)
 */
export function chordPitchClasses(key: SimulatedKey, degree: number): number[] {
  const pcs = scalePitchClasses(key);
  const n = pcs.length;
  const d = ((Math.round(degree) % n) + n) % n;
  return [pcs[d]!, pcs[(d + 2) % n]!, pcs[(d + 4) % n]!];
}
