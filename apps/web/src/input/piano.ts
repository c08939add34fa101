/**
 * The on-screen piano: which keys it shows and where each sits, so the component only draws.
 */
import { isInScale, type Midi } from '@attune/engine';
import { noteName, spokenName } from './notes.ts';

/** One key of the on-screen piano. */
export interface PianoKey {
  readonly pitch: Midi;
  readonly black: boolean;
  /** For a white key its index among the white keys; for a black key the white key it sits after. */
  readonly slot: number;
  readonly label: string;
  readonly spoken: string;
  /** Whether the pitch belongs to the idiom's scale in the key (the keys mark it). */
  readonly inScale: boolean;
}

const BLACK = new Set([1, 3, 6, 8, 10]);

/**
 * The keys from `lowest` to `highest` inclusive; both ends must be white keys.
 * @example pianoKeys(60, 64, 'major', 'C').map((k) => k.black) // [false, true, false, true, false]
 */
export function pianoKeys(lowest: Midi, highest: Midi, idiom: string, key: string): PianoKey[] {
  if (
    !(
      Number.isInteger(lowest) &&
      Number.isInteger(highest) &&
      lowest >= 0 &&
      highest <= 127 &&
      lowest < highest
    )
  ) {
    throw new RangeError(`piano range must be MIDI notes low < high, got: ${lowest}..${highest}`);
  }
  if (BLACK.has(lowest % 12) || BLACK.has(highest % 12)) {
    throw new RangeError(`piano range must start and end on white keys, got: ${lowest}..${highest}`);
  }
  const keys: PianoKey[] = [];
  let white = -1;
  for (let pitch = lowest; pitch <= highest; pitch++) {
    const black = BLACK.has(pitch % 12);
    if (!black) white++;
    keys.push({
      pitch,
      black,
      slot: white,
      label: noteName(pitch, key),
      spoken: spokenName(pitch, key),
      inScale: isInScale(idiom, key, pitch),
    });
  }
  return keys;
}
