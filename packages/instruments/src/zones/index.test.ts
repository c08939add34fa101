import { describe, expect, it } from 'vitest';
import {
  layerRanges,
  PIANO_KEYS,
  parsePianoSampleId,
  pianoFileName,
  pianoInstrument,
  pianoPackage,
  pianoSampleId,
} from '../piano/index.ts';
import { type Instrument, pitchRatio, selectZones, velocityGain } from './index.ts';

const piano = pianoInstrument();

describe('selectZones on the piano', () => {
  it('picks the recorded key nearest each key, and the layer of its velocity', () => {
    expect(selectZones(piano, 60, 100).map((z) => z.sample)).toEqual(['piano:12:60']);
    expect(selectZones(piano, 61, 20).map((z) => z.sample)).toEqual(['piano:4:60']);
    expect(selectZones(piano, 62, 127).map((z) => z.sample)).toEqual(['piano:16:63']);
    expect(selectZones(piano, 21, 50).map((z) => z.sample)).toEqual(['piano:8:21']);
    // Every key 0–127 and every velocity has exactly one zone.
    for (let key = 0; key < 128; key++)
      for (const v of [1, 48, 49, 127]) expect(selectZones(piano, key, v)).toHaveLength(1);
  });

  it('falls back to the nearest zone when none covers the key', () => {
    const small: Instrument = {
      id: 'x',
      name: 'x',
      zones: piano.zones.filter((z) => z.keyLo >= 59 && z.keyHi <= 61),
    };
    expect(selectZones(small, 100, 64).map((z) => z.rootKey)).toEqual([60]);
  });
});

describe('pitch and level', () => {
  it('shifts pitch by playback rate', () => {
    expect(pitchRatio({ rootKey: 60, scaleTuning: 100 }, 72)).toBe(2);
    expect(pitchRatio({ rootKey: 60, scaleTuning: 100 }, 61)).toBeCloseTo(2 ** (1 / 12), 12);
    expect(pitchRatio({ rootKey: 60, scaleTuning: 0 }, 72)).toBe(1);
  });

  it('scales level by velocity: square law for SoundFonts, within the layer for the piano', () => {
    expect(velocityGain({ gain: 1, velHi: 127, velocityCurve: 'square' }, 127)).toBe(1);
    expect(velocityGain({ gain: 1, velHi: 127, velocityCurve: 'square' }, 64)).toBeCloseTo(
      (64 / 127) ** 2,
      12,
    );
    expect(velocityGain({ gain: 0.5, velHi: 80, velocityCurve: 'layer' }, 40)).toBeCloseTo(0.25, 12);
    expect(velocityGain({ gain: 1, velHi: 80, velocityCurve: 'layer' }, 300)).toBe(1);
  });
});

describe('piano files', () => {
  it('names the recordings as the packages do', () => {
    expect(PIANO_KEYS).toHaveLength(30);
    expect(pianoFileName(21, 4)).toBe('A0v4.mp3');
    expect(pianoFileName(63, 16)).toBe('D#4v16.mp3');
    expect(pianoFileName(108, 8)).toBe('C8v8.mp3');
    expect(() => pianoFileName(61, 8)).toThrow(/got: 61/);
    expect(pianoPackage(12)).toBe('@audio-samples/piano-mp3-velocity12');
    expect(() => pianoPackage(17)).toThrow(/got: 17/);
    expect(parsePianoSampleId(pianoSampleId(66, 12))).toEqual({ key: 66, layer: 12 });
    expect(parsePianoSampleId('font:3')).toBeNull();
  });

  it('splits velocities half-way between the layers', () => {
    expect(layerRanges([4, 8, 12, 16])).toEqual([
      [1, 48],
      [49, 80],
      // Layer 16 was played at the top velocity, 127.
      [81, 111],
      [112, 127],
    ]);
    expect(layerRanges([10])).toEqual([[1, 127]]);
  });
});
