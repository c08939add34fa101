import { describe, expect, it } from 'vitest';
import { spellChord } from '../harmony/index.ts';
import {
  allIdioms,
  getIdiom,
  idiomForMode,
  idiomNames,
  isInScale,
  padPitches,
  pitchClass,
  QUALITIES,
  scaleOf,
  tonicPc,
  variantsOf,
} from './index.ts';

const REQUIRED = [
  'major',
  'minor',
  'pentatonic',
  'dorian',
  'mixolydian',
  'phrygian',
  'whole-tone',
  'organum',
  'blues',
  'clusters',
];

describe('idiom data', () => {
  it('has every idiom the companion offers, by its exact name', () => {
    expect(idiomNames()).toEqual(expect.arrayContaining(REQUIRED));
    expect(new Set(idiomNames()).size).toBe(idiomNames().length);
  });

  for (const idiom of allIdioms()) {
    describe(idiom.name, () => {
      it('describes itself in one line', () => {
        expect(idiom.description.length).toBeGreaterThan(20);
        expect(idiom.description).not.toContain('\n');
      });
      it('has an ascending scale of pitch classes from the tonic', () => {
        expect(idiom.scale[0]).toBe(0);
        for (let i = 1; i < idiom.scale.length; i++) {
          expect(idiom.scale[i]).toBeGreaterThan(idiom.scale[i - 1] as number);
        }
        expect(Math.max(...idiom.scale)).toBeLessThan(12);
      });
      it('names only chords of its vocabulary in its motion, with a tonic on degree 1', () => {
        const symbols = Object.keys(idiom.chords);
        const named = [
          ...idiom.motion.vamps.flat(),
          ...idiom.motion.progressions.flat(),
          ...idiom.motion.pedals.flatMap((p) => p.chords),
          ...idiom.motion.cadence,
          idiom.tonic,
        ];
        for (const symbol of named) expect(symbols).toContain(symbol);
        expect(idiom.chords[idiom.tonic]?.degree).toBe(1);
        expect(idiom.motion.vamps.every((v) => v.length === 2)).toBe(true);
        expect(idiom.motion.progressions.every((p) => p.length >= 4)).toBe(true);
        expect(idiom.motion.progressions.length).toBeGreaterThanOrEqual(2);
        expect(idiom.motion.pedals.length).toBeGreaterThanOrEqual(1);
      });
      it('ends its cadence on the tonic, approached from another chord', () => {
        const cadence = idiom.motion.cadence;
        expect(cadence.length).toBeGreaterThanOrEqual(2);
        expect(cadence[cadence.length - 1]).toBe(idiom.tonic);
        expect(cadence[cadence.length - 2]).not.toBe(idiom.tonic);
      });
      it('builds every chord, and every pedal bass, from its scale in all 12 keys', () => {
        for (let tonic = 0; tonic < 12; tonic++) {
          const scale = scaleOf(idiom, tonic);
          for (const symbol of Object.keys(idiom.chords)) {
            const chord = spellChord(idiom, symbol, tonic);
            for (const pc of chord.pcs) expect(scale, `${symbol} in key ${tonic}`).toContain(pc);
          }
          for (const pedal of idiom.motion.pedals) {
            for (const symbol of pedal.chords) {
              expect(scale).toContain(spellChord(idiom, symbol, tonic, { bassDegree: pedal.degree }).bass);
            }
          }
        }
      });
      it('lists a texture for every voice', () => {
        for (const styles of Object.values(idiom.textures)) expect(styles.length).toBeGreaterThan(0);
      });
    });
  }

  it('uses only qualities whose intervals are defined', () => {
    for (const idiom of allIdioms()) {
      for (const chord of Object.values(idiom.chords)) expect(QUALITIES[chord.quality]).toBeDefined();
    }
  });

  it('gives Phrygian its Spanish variant with the raised third and the Andalusian descent to a major tonic', () => {
    const spanish = getIdiom('phrygian', { variant: 'spanish' });
    expect(spanish.name).toBe('spanish');
    expect(variantsOf('phrygian').map((v) => v.name)).toEqual(['spanish']);
    expect(spanish.scale).toContain(4);
    expect(getIdiom('phrygian').scale).not.toContain(4);
    // In E: Am–G–F–E, the flamenco cadence.
    const andalusian = ['iv', 'bIII', 'bII', 'I'].map((s) => spellChord(spanish, s, 4).pcs);
    expect(andalusian).toEqual([
      [9, 0, 4],
      [7, 11, 2],
      [5, 9, 0],
      [4, 8, 11],
    ]);
  });

  it('voices the blues on I7, IV7 and V7sus4', () => {
    expect(spellChord('blues', 'I7', 0).pcs).toEqual([0, 4, 7, 10]);
    expect(spellChord('blues', 'IV7', 0).pcs).toEqual([5, 9, 0, 3]);
    expect(spellChord('blues', 'V7sus4', 0).pcs).toEqual([7, 0, 2, 5]);
  });
});

describe('getIdiom', () => {
  it('finds an idiom by name and passes an idiom through', () => {
    expect(getIdiom('dorian').scale).toEqual([0, 2, 3, 5, 7, 9, 10]);
    const organum = getIdiom('organum');
    expect(getIdiom(organum)).toBe(organum);
  });
  it('names the bad idiom and lists the valid ones', () => {
    expect(() => getIdiom('jazz')).toThrow(/unknown idiom "jazz"; valid idioms: major, minor, .*clusters/);
    expect(() => getIdiom('Major')).toThrow('"Major"');
    expect(() => getIdiom('')).toThrow('unknown idiom ""');
  });
  it('names a bad variant and lists the valid ones', () => {
    expect(() => getIdiom('phrygian', { variant: 'gypsy' })).toThrow('valid variants: spanish');
    expect(() => getIdiom('major', { variant: 'spanish' })).toThrow('valid variants: none');
  });
});

describe('scales and pads', () => {
  it('spells scales from the tonic in any key', () => {
    expect(scaleOf('major', 7)).toEqual([7, 9, 11, 0, 2, 4, 6]);
    expect(scaleOf('whole-tone', 1)).toEqual([1, 3, 5, 7, 9, 11]);
    expect(scaleOf('minor', -3)).toEqual(scaleOf('minor', 9));
  });
  it('tells whether a pitch is in the scale', () => {
    expect(isInScale('pentatonic', 0, 67)).toBe(true);
    expect(isInScale('pentatonic', 0, 65)).toBe(false);
    expect(isInScale('blues', 0, 63)).toBe(true);
    expect(isInScale('phrygian', 4, 65)).toBe(true);
  });
  it('gives pads the scale ascending from the lowest pitch', () => {
    expect(padPitches('pentatonic', 0, 6, 60)).toEqual([60, 62, 64, 67, 69, 72]);
    expect(padPitches('minor', 9, 4, 60)).toEqual([60, 62, 64, 65]);
    expect(padPitches('major', 0, 0, 60)).toEqual([]);
    expect(padPitches('major', 0, 5, 125)).toEqual([125, 127]);
  });
  it('refuses bad pad requests, naming the value', () => {
    expect(() => padPitches('major', 0, -1, 60)).toThrow('got: -1');
    expect(() => padPitches('major', 0, 2.5, 60)).toThrow('got: 2.5');
    expect(() => padPitches('major', 0, 4, 128)).toThrow('got: 128');
    expect(() => scaleOf('major', 1.5)).toThrow('got: 1.5');
    expect(() => padPitches('bebop', 0, 4, 60)).toThrow('unknown idiom "bebop"');
  });
  it('reads a tonic as a pitch class or a note name', () => {
    expect(scaleOf('major', 'G')).toEqual(scaleOf('major', 7));
    expect(scaleOf('minor', 'Bb')).toEqual(scaleOf('minor', 10));
    expect(padPitches('pentatonic', 'F#', 3, 60)).toEqual(padPitches('pentatonic', 6, 3, 60));
    expect(tonicPc('E♭')).toBe(3);
    expect(tonicPc('c#')).toBe(1);
    expect(tonicPc('Cb')).toBe(11);
    expect(tonicPc(14)).toBe(2);
    expect(() => tonicPc('H')).toThrow('got: H');
    expect(() => tonicPc('')).toThrow('got: ');
    expect(() => tonicPc('C major')).toThrow('got: C major');
  });

  it('wraps pitch classes', () => {
    expect(pitchClass(-1)).toBe(11);
    expect(pitchClass(61)).toBe(1);
  });
});

describe('idiomForMode', () => {
  it('frames each mode the key tracker reports', () => {
    expect(idiomForMode('major')).toBe('major');
    expect(idiomForMode('major-pentatonic')).toBe('pentatonic');
    expect(idiomForMode('minor-pentatonic')).toBe('minor-pentatonic');
    expect(idiomForMode('lydian')).toBe('lydian');
    expect(idiomForMode('locrian')).toBeNull();
    expect(idiomForMode('toString')).toBeNull();
  });
});
