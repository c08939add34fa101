import { describe, expect, it } from 'vitest';
import { noteName, pitchName, spokenName, TONICS, tonicLabel } from './notes.ts';

describe('note names', () => {
  it('names pitches with octave numbers where middle C is C4', () => {
    expect(noteName(60)).toBe('C4');
    expect(noteName(21)).toBe('A0');
    expect(noteName(108)).toBe('C8');
    expect(noteName(61)).toBe('C♯4');
    expect(noteName(61, 'Ab')).toBe('D♭4');
  });

  it('speaks accidentals as words', () => {
    expect(spokenName(66, 'D')).toBe('F sharp 4');
    expect(spokenName(70, 'F')).toBe('B flat 4');
    expect(spokenName(67)).toBe('G 4');
  });

  it('refuses what is not a MIDI note', () => {
    expect(() => pitchName(128)).toThrow(/got: 128/);
    expect(() => pitchName(60.5)).toThrow(/got: 60.5/);
  });

  it('lists twelve tonics, each a different pitch, written for people', () => {
    expect(TONICS).toHaveLength(12);
    expect(TONICS.map(tonicLabel)).toContain('B♭');
    expect(tonicLabel('F#')).toBe('F♯');
  });
});
