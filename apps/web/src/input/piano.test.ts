import { describe, expect, it } from 'vitest';
import { pianoKeys } from './piano.ts';

describe('pianoKeys', () => {
  it('lays out an octave with black keys after the right white keys', () => {
    const keys = pianoKeys(60, 72, 'major', 'C');
    expect(keys).toHaveLength(13);
    expect(keys.filter((k) => !k.black).map((k) => k.label)).toEqual([
      'C4',
      'D4',
      'E4',
      'F4',
      'G4',
      'A4',
      'B4',
      'C5',
    ]);
    expect(keys.filter((k) => k.black).map((k) => k.slot)).toEqual([0, 1, 3, 4, 5]);
  });

  it('marks the notes of the scale', () => {
    const keys = pianoKeys(60, 71, 'pentatonic', 'G');
    expect(keys.filter((k) => k.inScale).map((k) => k.pitch % 12)).toEqual([2, 4, 7, 9, 11]);
  });

  it('refuses a range that is empty, outside MIDI or ends on a black key', () => {
    expect(() => pianoKeys(72, 60, 'major', 'C')).toThrow(/got: 72..60/);
    expect(() => pianoKeys(61, 72, 'major', 'C')).toThrow(/white keys, got: 61..72/);
    expect(() => pianoKeys(120, 130, 'major', 'C')).toThrow(/got: 120..130/);
  });
});
