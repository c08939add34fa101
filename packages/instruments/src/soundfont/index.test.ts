import { describe, expect, it } from 'vitest';
import {
  findPreset,
  fontInstrument,
  presetZones,
  readSoundFont,
  SoundFontError,
  sampleBytes,
} from './index.ts';
import { buildSoundFont, type TestFont } from './test-support/build.ts';

const G = {
  pan: 17,
  attack: 34,
  sustain: 37,
  instrument: 41,
  keyRange: 43,
  velRange: 44,
  attenuation: 48,
  coarseTune: 51,
  sampleID: 53,
  sampleModes: 54,
  exclusiveClass: 57,
  overridingRootKey: 58,
} as const;

const tone = Int16Array.from({ length: 100 }, (_, i) => i * 100);
const hit = Int16Array.from({ length: 50 }, (_, i) => (i % 2 ? 1000 : -1000));

const FONT: TestFont = {
  samples: [
    {
      name: 'tone',
      pcm: tone,
      loopStart: 10,
      loopEnd: 90,
      sampleRate: 22050,
      originalPitch: 60,
      pitchCorrection: -10,
    },
    { name: 'hit', pcm: hit, loopStart: 0, loopEnd: 0, sampleRate: 44100, originalPitch: 36 },
  ],
  instruments: [
    {
      name: 'Keys',
      zones: [
        [
          [G.attack, 1200],
          [G.sustain, 200],
        ],
        [
          [G.keyRange, [0, 63]],
          [G.sampleModes, 1],
          [G.sampleID, 0],
        ],
        [
          [G.keyRange, [64, 127]],
          [G.velRange, [0, 63]],
          [G.overridingRootKey, 72],
          [G.coarseTune, 1],
          [G.sampleID, 0],
        ],
      ],
    },
    {
      name: 'Kit',
      zones: [
        [
          [G.keyRange, [36, 36]],
          [G.exclusiveClass, 1],
          [G.sampleID, 1],
        ],
      ],
    },
  ],
  presets: [
    {
      name: 'Keys',
      bank: 0,
      program: 5,
      zones: [
        [
          [G.keyRange, [0, 100]],
          [G.pan, 250],
          [G.attenuation, 100],
        ],
        [
          [G.attack, 1200],
          [G.instrument, 0],
        ],
      ],
    },
    { name: 'Kit', bank: 128, program: 0, zones: [[[G.instrument, 1]]] },
  ],
};

describe('readSoundFont', () => {
  const font = readSoundFont(buildSoundFont(FONT));

  it('reads the presets, samples and name', () => {
    expect(font.name).toBe('Test Font');
    expect(font.presets).toEqual([
      { name: 'Keys', bank: 0, program: 5 },
      { name: 'Kit', bank: 128, program: 0 },
    ]);
    expect(font.samples.map((s) => [s.name, s.sampleRate, s.originalPitch, s.compressed])).toEqual([
      ['tone', 22050, 60, false],
      ['hit', 44100, 36, false],
    ]);
    expect(findPreset(font, 128, 0)).toBe(1);
    expect(findPreset(font, 0, 6)).toBe(-1);
  });

  it('resolves zones: global defaults, preset ranges intersected, preset values added', () => {
    const [low, high] = presetZones(font, 0);
    expect([low!.keyLo, low!.keyHi, low!.velLo, low!.velHi]).toEqual([0, 63, 0, 127]);
    expect([high!.keyLo, high!.keyHi, high!.velLo, high!.velHi]).toEqual([64, 100, 0, 63]);
    // 1200 timecents in the instrument's global zone plus 1200 in the preset: 4 s.
    expect(low!.envelope.attack).toBeCloseTo(4, 9);
    expect(low!.envelope.sustain).toBeCloseTo(0.1, 9);
    expect(low!.envelope.release).toBe(0);
    // A -10 cent correction: the recorded pitch sounds a tenth of a key above 60.
    expect(low!.rootKey).toBeCloseTo(60.1, 9);
    // Root 72 overridden, tuned up a key and down 10 cents: the recorded pitch sounds at 72 - 0.9.
    expect(high!.rootKey).toBeCloseTo(71.1, 9);
    expect([low!.loopMode, low!.loopStartFrame, low!.loopEndFrame]).toEqual([1, 10, 90]);
    expect(high!.loopMode).toBe(0);
    expect(low!.pan).toBe(0.5);
    expect(low!.attenuation).toBe(100);
    expect(presetZones(font, 1)[0]!.exclusiveClass).toBe(1);
    expect(presetZones(font, 7)).toEqual([]);
  });

  it('turns a preset into an instrument with levels and loops in seconds', () => {
    const keys = fontInstrument(font, 0, 5)!;
    expect(keys.name).toBe('Keys');
    expect(keys.zones[0]!.sample).toBe('font:0');
    expect(keys.zones[0]!.gain).toBeCloseTo(10 ** -0.2, 9);
    expect(keys.zones[0]!.loop).toEqual({ start: 10 / 22050, end: 90 / 22050 });
    expect(keys.zones[1]!.loop).toBeNull();
    // A kit the font lacks falls back to its standard kit; a missing melodic program is null.
    expect(fontInstrument(font, 128, 25)!.name).toBe('Kit');
    expect(fontInstrument(font, 0, 9)).toBeNull();
  });

  it('returns the PCM of a sample', () => {
    const data = sampleBytes(font, 1);
    expect(data.kind).toBe('pcm16');
    expect(data.kind === 'pcm16' && [...data.pcm]).toEqual([...hit]);
    expect(() => sampleBytes(font, 2)).toThrow(/got: 2/);
  });

  it('refuses what is not a SoundFont, with a reason', () => {
    const good = buildSoundFont(FONT);
    expect(() => readSoundFont(new Uint8Array(0))).toThrow(SoundFontError);
    expect(() => readSoundFont(new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVEfmt '))).toThrow(
      /no RIFF sfbk/,
    );
    expect(() => readSoundFont(good.subarray(0, good.length - 30))).toThrow(SoundFontError);
    const noHydra = buildSoundFont({ presets: [], instruments: [], samples: [] }).slice();
    // Rename the pdta list so the font has none.
    const at = new TextDecoder('latin1').decode(noHydra).indexOf('pdta');
    noHydra.set([120, 120, 120, 120], at);
    expect(() => readSoundFont(noHydra)).toThrow(/lacks its sdta or pdta/);
  });
});
