import { describe, expect, it } from 'vitest';
import type { Onset } from '../events/index.ts';
import { type KeyEstimate, KeyTracker, keySignature, type Mode, spellTonic, trackKeys } from './index.ts';

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const HARMONIC_MINOR = [0, 2, 3, 5, 7, 8, 11];

/** A note as an onset. */
function n(t: number, pitch: number, duration = 0.4, velocity = 80): Onset {
  return { t, pitch, duration, velocity };
}

/** Pitch of a scale degree (0-based, any octave) above a tonic pitch. */
function degree(tonic: number, steps: readonly number[], d: number): number {
  const octave = Math.floor(d / steps.length);
  return tonic + 12 * octave + steps[((d % steps.length) + steps.length) % steps.length]!;
}

/** An ascending and descending scale, then a cadence I–IV–V7–I (i–iv–V7–i in minor) with bass. */
function scaleAndCadence(
  tonicPc: number,
  mode: 'major' | 'minor',
  start = 0,
  progression: readonly number[] = [0, 3, 4, 0],
): Onset[] {
  const steps = mode === 'major' ? MAJOR : HARMONIC_MINOR;
  const tonic = 60 + tonicPc;
  const onsets: Onset[] = [];
  let t = start;
  for (const d of [0, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1, 0]) {
    onsets.push(n(t, degree(tonic, steps, d), 0.3));
    t += 0.3;
  }
  for (const root of progression) {
    const chord = [root, root + 2, root + 4].map((d) => degree(tonic, steps, d));
    if (root === 4) chord.push(degree(tonic, steps, root + 6));
    onsets.push(n(t, degree(tonic - 24, steps, root), 1));
    for (const p of chord) onsets.push(n(t, p, 1));
    t += 1;
  }
  return onsets;
}

/** A melody of scale degrees (with lengths in beats) in a mode's scale. */
function melody(
  tonic: number,
  steps: readonly number[],
  degrees: readonly number[],
  beat = 0.4,
  start = 0,
): Onset[] {
  let t = start;
  return degrees.map((d) => {
    const onset = n(t, degree(tonic, steps, d), beat * 0.9);
    t += beat;
    return onset;
  });
}

function last<T>(items: readonly T[]): T {
  const item = items[items.length - 1];
  if (item === undefined) throw new Error('empty');
  return item;
}

function estimateAfter(onsets: readonly Onset[], options = {}): KeyEstimate | null {
  const tracker = new KeyTracker(options);
  for (const onset of onsets) tracker.hear(onset);
  return tracker.estimate(last(onsets).t + 1);
}

const EXPECTED_NAMES: Record<'major' | 'minor', string[]> = {
  major: ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'],
  minor: ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'G#', 'A', 'Bb', 'B'],
};

describe('KeyTracker on scales and cadences', () => {
  for (const mode of ['major', 'minor'] as const) {
    for (let tonicPc = 0; tonicPc < 12; tonicPc++) {
      const name = `${EXPECTED_NAMES[mode][tonicPc]} ${mode}`;
      it(`finds ${name}`, () => {
        const key = estimateAfter(scaleAndCadence(tonicPc, mode));
        expect(key).not.toBeNull();
        expect(`${key!.tonic} ${key!.mode}`).toBe(name);
        expect(key!.tonicPc).toBe(tonicPc);
        expect(key!.confidence).toBeGreaterThan(0.3);
        expect(key!.confidence).toBeLessThanOrEqual(1);
      });
    }
  }
});

describe('KeyTracker following a modulation', () => {
  // C major material for 40 s (with one stray F# at 20 s), then G major confirmed by its dominant.
  const inC: Onset[] = [];
  for (let start = 0; start < 40; start += 10) inC.push(...scaleAndCadence(0, 'major', start));
  const stray = n(20.05, 66, 0.4);
  const inG: Onset[] = [];
  for (let start = 40; start < 100; start += 10)
    inG.push(...scaleAndCadence(7, 'major', start, [0, 4, 0, 4, 0]));
  const onsets = [...inC, stray, ...inG].sort((a, b) => a.t - b.t);
  const keys = trackKeys(onsets);

  it('stays in C major through one stray F#', () => {
    // After the first second, and until the modulation, only C major is in force.
    const inForce = keys.filter((k) => k.t <= 40);
    expect(last(inForce)).toMatchObject({ tonic: 'C', mode: 'major' });
    expect(inForce.filter((k) => k.t > 1)).toEqual([]);
  });

  it('moves to G major after a while, not at once', () => {
    const change = keys.find((k) => k.tonic === 'G' && k.mode === 'major');
    expect(change).toBeDefined();
    expect(change!.t).toBeGreaterThan(42);
    expect(change!.t).toBeLessThan(60);
    expect(last(keys).tonic).toBe('G');
  });
});

describe('KeyTracker openings', () => {
  /** White notes, each as often and as long as the others: C major and A minor alike. */
  function whiteNotes(start: number): Onset[] {
    const white = [60, 62, 64, 65, 67, 69, 71];
    return Array.from({ length: 28 }, (_, i) => n(start + 0.25 * i, white[(i * 3) % 7]!, 0.25));
  }

  it('takes the first bass note under a texture as the tonic', () => {
    const onA = [n(0, 45, 1), n(0, 69, 1), n(0, 72, 1), ...whiteNotes(1)];
    const onC = [n(0, 48, 1), n(0, 64, 1), n(0, 67, 1), ...whiteNotes(1)];
    expect(estimateAfter(onA)).toMatchObject({ tonic: 'A', mode: 'minor' });
    expect(estimateAfter(onC)).toMatchObject({ tonic: 'C', mode: 'major' });
  });

  it("keeps a fugue's key while its answer sounds in the dominant", () => {
    // Subject in C major alone, then the answer a fifth higher (in G major, with F#) over a
    // countersubject in long notes.
    const subject = [0, 1, 2, 3, 4, 3, 2, 5, 1, 4, 5, 4, 3, 2, 1, 0];
    const onsets = melody(60, MAJOR, subject, 0.25);
    onsets.push(...melody(67, MAJOR, subject, 0.25, 4));
    onsets.push(...melody(48, MAJOR, [2, 3, 4, 3], 1, 4));
    const tracker = new KeyTracker();
    for (const onset of onsets) tracker.hear(onset);
    expect(tracker.estimate(8.5)).toMatchObject({ tonic: 'C', mode: 'major' });
  });

  it('gives no opening bonus when asked not to', () => {
    const onA = [n(0, 45, 1), n(0, 69, 1), n(0, 72, 1), ...whiteNotes(1)];
    const withBonus = estimateAfter(onA);
    const without = estimateAfter(onA, { openingWeight: 0 });
    expect(withBonus!.confidence).not.toBe(without!.confidence);
  });
});

describe('KeyTracker modes', () => {
  const DORIAN = [0, 2, 3, 5, 7, 9, 10];
  const MIXOLYDIAN = [0, 2, 4, 5, 7, 9, 10];
  // A tune that rests on its tonic and fifth and passes through every degree of its mode.
  const TUNE = [
    0, 2, 4, 3, 2, 1, 0, 4, 5, 6, 7, 4, 5, 4, 3, 2, 0, 1, 2, 4, 5, 4, 2, 0, 6, 5, 4, 2, 1, 0, -1, 0,
  ];

  it('labels a dorian melody on D as D dorian', () => {
    const key = estimateAfter(melody(62, DORIAN, [...TUNE, ...TUNE]));
    expect(key).toMatchObject({ tonic: 'D', tonicPc: 2, mode: 'dorian' });
  });

  it('labels a mixolydian melody on G as G mixolydian', () => {
    const key = estimateAfter(melody(67, MIXOLYDIAN, [...TUNE, ...TUNE]));
    expect(key).toMatchObject({ tonic: 'G', tonicPc: 7, mode: 'mixolydian' });
  });

  it('labels a major pentatonic melody on G and a minor pentatonic melody on A', () => {
    const penta = [0, 1, 2, 3, 4, 3, 2, 0, 2, 3, 4, 5, 4, 2, 1, 0, 3, 2, 1, 0, -1, 0, 2, 1, 0];
    expect(estimateAfter(melody(67, [0, 2, 4, 7, 9], [...penta, ...penta, ...penta]))).toMatchObject({
      tonic: 'G',
      mode: 'major-pentatonic',
    });
    expect(estimateAfter(melody(69, [0, 3, 5, 7, 10], [...penta, ...penta, ...penta]))).toMatchObject({
      tonic: 'A',
      mode: 'minor-pentatonic',
    });
  });

  it('keeps major and minor for tonal scales and cadences', () => {
    for (let tonicPc = 0; tonicPc < 12; tonicPc++) {
      for (const mode of ['major', 'minor'] as const) {
        const onsets: Onset[] = [];
        for (let start = 0; start < 30; start += 10) onsets.push(...scaleAndCadence(tonicPc, mode, start));
        expect(estimateAfter(onsets)?.mode).toBe(mode);
      }
    }
  });

  it('gives no modal label when modes are turned off', () => {
    const key = estimateAfter(melody(62, DORIAN, [...TUNE, ...TUNE]), { modes: false });
    expect(['major', 'minor']).toContain(key?.mode);
  });
});

describe('KeyTracker input handling', () => {
  it('answers null before any pitched onset', () => {
    const tracker = new KeyTracker();
    expect(tracker.estimate(10)).toBeNull();
    tracker.hear({ t: 1, velocity: 100, percussive: true });
    tracker.hear({ t: 2, velocity: 100 });
    expect(tracker.estimate(10)).toBeNull();
    expect(trackKeys([])).toEqual([]);
  });

  it('answers null when asked at or before the first onset', () => {
    const tracker = new KeyTracker();
    tracker.hear(n(5, 60));
    expect(tracker.estimate(4)).toBeNull();
    expect(tracker.estimate(5)).toBeNull();
    expect(tracker.estimate(5.01)).not.toBeNull();
  });

  it('ignores onsets out of time order and non-finite values', () => {
    const onsets = scaleAndCadence(2, 'major');
    const clean = estimateAfter(onsets);
    const tracker = new KeyTracker();
    for (const onset of onsets) {
      tracker.hear(onset);
      tracker.hear({ t: onset.t - 5, pitch: 61, velocity: 100 });
      tracker.hear({ t: Number.NaN, pitch: 61, velocity: 100 });
      tracker.hear({ t: onset.t, pitch: Number.POSITIVE_INFINITY, velocity: 100 });
    }
    expect(tracker.estimate(last(onsets).t + 1)).toEqual(clean);
  });

  it('rejects bad options with the bad value in the message', () => {
    expect(() => new KeyTracker({ halfLife: 0 })).toThrow(/got: 0/);
    expect(() => new KeyTracker({ stay: -1 })).toThrow(/got: -1/);
    expect(() => new KeyTracker({ profile: 'nope' as never })).toThrow(/got: nope/);
  });

  it('is deterministic', () => {
    const onsets = [...scaleAndCadence(9, 'minor'), ...scaleAndCadence(4, 'major', 12)];
    expect(trackKeys(onsets)).toEqual(trackKeys(onsets));
  });

  it('is causal: the keys in force up to t do not change with notes after t', () => {
    const onsets = [...scaleAndCadence(9, 'minor')];
    for (let start = 12; start < 50; start += 10)
      onsets.push(...scaleAndCadence(4, 'major', start, [0, 4, 0, 4, 0]));
    const full = trackKeys(onsets, { settleTime: 5 });
    expect(full.length).toBeGreaterThan(1);
    for (const t of [0.3, 3, 7.5, 12, 15.2, 20, 30, 45]) {
      const cut = trackKeys(
        onsets.filter((o) => o.t <= t),
        { settleTime: 5 },
      );
      expect(full.filter((k) => k.t <= t)).toEqual(cut);
    }
  });

  it('answers the same whenever it is asked', () => {
    const onsets = [...scaleAndCadence(9, 'minor'), ...scaleAndCadence(4, 'major', 12)];
    const often = new KeyTracker();
    const once = new KeyTracker();
    for (const onset of onsets) {
      often.estimate(onset.t - 0.01);
      often.hear(onset);
      often.estimate(onset.t);
      once.hear(onset);
    }
    expect(often.estimate(40)).toEqual(once.estimate(40));
  });

  it('reports each change once, in time order, in force from its time', () => {
    const onsets = [...scaleAndCadence(0, 'major'), ...scaleAndCadence(3, 'minor', 12)];
    const keys = trackKeys(onsets);
    for (let i = 1; i < keys.length; i++) {
      expect(keys[i]!.t).toBeGreaterThan(keys[i - 1]!.t);
      expect(`${keys[i]!.tonicPc} ${keys[i]!.mode}`).not.toBe(`${keys[i - 1]!.tonicPc} ${keys[i - 1]!.mode}`);
    }
    const tracker = new KeyTracker();
    for (const onset of onsets) tracker.hear(onset);
    expect(last(keys)).toMatchObject({
      tonicPc: tracker.estimate(100)!.tonicPc,
      mode: tracker.estimate(100)!.mode,
    });
  });
});

describe('spellTonic', () => {
  const cases: Array<[number, Mode, string]> = [
    [1, 'major', 'Db'],
    [1, 'minor', 'C#'],
    [6, 'major', 'F#'],
    [6, 'minor', 'F#'],
    [3, 'minor', 'Eb'],
    [3, 'major', 'Eb'],
    [8, 'major', 'Ab'],
    [8, 'minor', 'G#'],
    [10, 'minor', 'Bb'],
    [11, 'major', 'B'],
    [1, 'dorian', 'C#'],
    [3, 'dorian', 'Eb'],
    [6, 'mixolydian', 'F#'],
    [10, 'lydian', 'Bb'],
    [1, 'phrygian', 'C#'],
    [8, 'major-pentatonic', 'Ab'],
    [8, 'minor-pentatonic', 'G#'],
  ];
  for (const [pc, mode, name] of cases) {
    it(`spells ${pc} ${mode} as ${name}`, () => expect(spellTonic(pc, mode)).toBe(name));
  }

  it('counts key signatures as a musician does', () => {
    expect(keySignature('F#', 'major')).toBe(6);
    expect(keySignature('Eb', 'minor')).toBe(-6);
    expect(keySignature('D', 'dorian')).toBe(0);
    expect(keySignature('Bb', 'mixolydian')).toBe(-3);
  });

  it('rejects a pitch class outside 0–11', () => {
    expect(() => spellTonic(12, 'major')).toThrow(/got: 12/);
    expect(() => spellTonic(1.5, 'major')).toThrow(/got: 1.5/);
  });
});
