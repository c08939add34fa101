/**
 * Note names for labels and screen readers, spelled to suit the key (flats in flat keys).
 */
import type { Midi } from '@attune/engine';

const SHARPS = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];
const FLATS = ['C', 'D♭', 'D', 'E♭', 'E', 'F', 'G♭', 'G', 'A♭', 'A', 'B♭', 'B'];
/** Keys whose scales are written with flats. */
const FLAT_KEYS = new Set(['F', 'Bb', 'Eb', 'Ab', 'Db', 'Gb', 'Cb']);

/** The twelve tonics a player can choose, as the engine names them. */
export const TONICS = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

/**
 * A tonic written for people: 'Bb' → 'B♭'.
 * @example tonicLabel('F#') // 'F♯'
 */
export function tonicLabel(tonic: string): string {
  return tonic.replace('#', '♯').replace(/(?<=[A-G])b/, '♭');
}

/**
 * The name of a pitch without its octave, spelled for a key.
 * @example pitchName(70, 'F') // 'B♭'
 */
export function pitchName(pitch: Midi, key = 'C'): string {
  if (!Number.isInteger(pitch) || pitch < 0 || pitch > 127) {
    throw new RangeError(`pitch must be a MIDI note 0–127, got: ${pitch}`);
  }
  return (FLAT_KEYS.has(key) ? FLATS : SHARPS)[pitch % 12] as string;
}

/**
 * The name of a pitch with its octave (middle C is C4).
 * @example noteName(61, 'Eb') // 'D♭4'
 */
export function noteName(pitch: Midi, key = 'C'): string {
  return `${pitchName(pitch, key)}${Math.floor(pitch / 12) - 1}`;
}

/**
 * What a screen reader says for a note: letters and accidentals as words.
 * @example spokenName(70, 'F') // 'B flat 4'
 */
export function spokenName(pitch: Midi, key = 'C'): string {
  const name = pitchName(pitch, key);
  const accidental = name.endsWith('♯') ? ' sharp' : name.endsWith('♭') ? ' flat' : '';
  return `${name[0]}${accidental} ${Math.floor(pitch / 12) - 1}`;
}
