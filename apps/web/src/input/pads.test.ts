import { describe, expect, it } from 'vitest';
import {
  layoutPads,
  lowestFor,
  PAD_COUNT,
  padForKey,
  STRIKE_RANGE,
  STRIKE_RANGES,
  strikeVelocity,
  surfaceVelocity,
} from './pads.ts';

describe('layoutPads', () => {
  it('locks the pads to the idiom in the key, marking the tonic', () => {
    const pads = layoutPads('pentatonic', 'C', 6, 60);
    expect(pads.map((p) => p.pitch)).toEqual([60, 62, 64, 67, 69, 72]);
    expect(pads.map((p) => p.label)).toEqual(['C4', 'D4', 'E4', 'G4', 'A4', 'C5']);
    expect(pads.filter((p) => p.tonic).map((p) => p.index)).toEqual([0, 5]);
    expect(pads.map((p) => p.key)).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('spells a flat key with flats, for eyes and for screen readers', () => {
    const pads = layoutPads('major', 'Eb', 3, 63);
    expect(pads.map((p) => p.label)).toEqual(['E♭4', 'F4', 'G4']);
    expect(pads[0]?.spoken).toBe('E flat 4');
  });

  it('refuses a pad count outside 3–12 or not whole', () => {
    expect(() => layoutPads('major', 'C', 2, 60)).toThrow(/got: 2/);
    expect(() => layoutPads('major', 'C', 13, 60)).toThrow(/got: 13/);
    expect(() => layoutPads('major', 'C', 4.5, 60)).toThrow(/got: 4.5/);
    expect(layoutPads('major', 'C', PAD_COUNT.max, 60)).toHaveLength(12);
  });
});

describe('lowestFor', () => {
  it('puts the tonic within a tritone of the centre', () => {
    expect(lowestFor('C', 62)).toBe(60);
    expect(lowestFor('G', 60)).toBe(55);
    expect(lowestFor('A', 62)).toBe(57);
    expect(lowestFor('F#', 62)).toBe(66);
  });
});

describe('padForKey', () => {
  it('maps the number row and the row below to pads, only those that exist', () => {
    expect(padForKey('1', 8)).toBe(0);
    expect(padForKey('0', 12)).toBe(9);
    expect(padForKey('=', 12)).toBe(11);
    expect(padForKey('Q', 8)).toBe(0);
    expect(padForKey('9', 8)).toBeNull();
    expect(padForKey(' ', 8)).toBeNull();
    expect(padForKey('Enter', 8)).toBeNull();
  });
});

describe('surfaceVelocity', () => {
  const settings = { velocity: 'position', range: 'narrow', fixedVelocity: 90 } as const;

  it('reads the height of a pad or a piano key within the chosen range', () => {
    expect(surfaceVelocity(settings, 1, 'pad')).toBe(95);
    expect(surfaceVelocity(settings, 0, 'piano')).toBe(55);
  });

  it('plays a computer key, a switch or a MIDI-less surface at the middle of the range', () => {
    expect(surfaceVelocity(settings, 1, 'keys')).toBe(79);
    expect(surfaceVelocity(settings, 0, 'switch')).toBe(79);
  });

  it('plays every surface at the fixed level when the level is fixed', () => {
    const fixed = { ...settings, velocity: 'fixed' } as const;
    expect(surfaceVelocity(fixed, 0, 'pad')).toBe(90);
    expect(surfaceVelocity(fixed, 1, 'keys')).toBe(90);
  });
});

describe('strikeVelocity', () => {
  it('is louder higher on the pad, from soft at the bottom to loud at the top', () => {
    const position = { kind: 'position' } as const;
    expect(strikeVelocity(0, position)).toBe(STRIKE_RANGE.soft);
    expect(strikeVelocity(1, position)).toBe(STRIKE_RANGE.loud);
    expect(strikeVelocity(0.5, position)).toBe(75);
    expect(strikeVelocity(-3, position)).toBe(STRIKE_RANGE.soft);
    expect(strikeVelocity(Number.NaN, position)).toBe(75);
  });

  it('keeps a narrow range within its bounds and lets a wide one reach the extremes', () => {
    const narrow = { kind: 'position', range: STRIKE_RANGES.narrow } as const;
    const wide = { kind: 'position', range: STRIKE_RANGES.wide } as const;
    expect(strikeVelocity(0, narrow)).toBe(55);
    expect(strikeVelocity(1, narrow)).toBe(95);
    expect(strikeVelocity(0, wide)).toBe(12);
    expect(strikeVelocity(1, wide)).toBe(127);
    expect(strikeVelocity(1, { kind: 'position', range: { soft: 100, loud: 400 } })).toBe(127);
  });

  it('ignores the height when the velocity is fixed, keeping it a MIDI velocity', () => {
    expect(strikeVelocity(0, { kind: 'fixed', velocity: 90 })).toBe(90);
    expect(strikeVelocity(1, { kind: 'fixed', velocity: 500 })).toBe(127);
    expect(strikeVelocity(1, { kind: 'fixed', velocity: 0 })).toBe(1);
  });
});
