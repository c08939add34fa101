import { describe, expect, it } from 'vitest';
import { allIdioms, scaleOf } from '../idiom/index.ts';
import { createRng } from '../random/index.ts';
import { cadence, HarmonyPlanner, type HarmonyStep, withCadence } from './planner.ts';
import { voicingPitches } from './voicing.ts';

const symbols = (steps: readonly HarmonyStep[]): string[] => steps.map((s) => s.chord.symbol);
const phrases = (steps: readonly HarmonyStep[]): HarmonyStep[][] => {
  const out: HarmonyStep[][] = [];
  for (const s of steps) {
    if (out.length === 0 || out[out.length - 1]?.[0]?.phrase !== s.phrase) out.push([]);
    out[out.length - 1]?.push(s);
  }
  return out;
};

describe('HarmonyPlanner', () => {
  it('plans the same harmony for the same seed, and other harmony for other seeds', () => {
    const plan = (seed: number) => symbols(new HarmonyPlanner('dorian', 2, createRng(seed)).stepsIn(0, 256));
    expect(plan(5)).toEqual(plan(5));
    const distinct = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => plan(seed).join(' ')));
    expect(distinct.size).toBeGreaterThan(2);
  });

  it('repeats a phrase, contrasts it, and closes it with the cadence on the tonic', () => {
    for (let seed = 0; seed < 8; seed++) {
      for (const idiom of allIdioms()) {
        const planner = new HarmonyPlanner(idiom, 0, createRng(seed));
        const ps = phrases(planner.stepsIn(0, 200));
        const [a1, a2, b, a3] = ps as [HarmonyStep[], HarmonyStep[], HarmonyStep[], HarmonyStep[]];
        expect(symbols(a2)).toEqual(symbols(a1));
        // The contrast differs in its chords or in its bass (a pedal point under the same chords).
        const heard = (ps: HarmonyStep[]) => ps.map((s) => `${s.chord.symbol}/${s.chord.bass}`);
        expect(heard(b)).not.toEqual(heard(a1));
        const last = a3[a3.length - 1] as HarmonyStep;
        expect(last.chord.symbol).toBe(idiom.tonic);
        expect(last.section).toBe('cadence');
        expect(last.voicing.bass % 12).toBe(0);
        expect(last.start % 4).toBe(0);
        // The closing phrase begins as the theme does.
        expect(a3[0]?.chord.symbol).toBe(a1[0]?.chord.symbol);
      }
    }
  });

  it('plans contiguous chords whose phrases end on bar lines, in any metre and harmonic rhythm', () => {
    const metres: [number, number][] = [
      [4, 4],
      [4, 2],
      [4, 1],
      [4, 8],
      [3, 3],
      [3, 1],
      [3, 6],
      [6, 3],
    ];
    for (const [beatsPerBar, beatsPerChord] of metres) {
      for (const idiom of allIdioms()) {
        const planner = new HarmonyPlanner(idiom, 7, createRng(beatsPerBar * 10 + beatsPerChord), {
          beatsPerBar,
          beatsPerChord,
          start: 1,
        });
        const steps = planner.stepsIn(1, 300);
        expect(steps[0]?.start).toBe(1);
        for (let i = 1; i < steps.length; i++) {
          const prev = steps[i - 1] as HarmonyStep;
          expect((steps[i] as HarmonyStep).start).toBeCloseTo(prev.start + prev.duration, 9);
        }
        for (const s of steps) {
          expect(s.duration).toBeGreaterThan(0);
          if (s.phraseEnd) expect((s.start + s.duration - 1) % beatsPerBar).toBeCloseTo(0, 9);
          if (s.section === 'cadence' && s.phraseEnd) expect((s.start - 1) % beatsPerBar).toBeCloseTo(0, 9);
        }
      }
    }
  });

  it('keeps every planned chord in the idiom scale, in all 12 keys, over many seeds', () => {
    const outside: string[] = [];
    for (const idiom of allIdioms()) {
      for (let tonic = 0; tonic < 12; tonic++) {
        const scale = scaleOf(idiom, tonic);
        for (let seed = 0; seed < 4; seed++) {
          const steps = new HarmonyPlanner(idiom, tonic, createRng(seed * 31 + tonic)).stepsIn(0, 200);
          for (const s of steps) {
            for (const p of voicingPitches(s.voicing)) {
              if (!scale.includes(p % 12)) outside.push(`${idiom.name} in ${tonic}: ${s.chord.symbol} ${p}`);
            }
          }
        }
      }
    }
    expect(outside).toEqual([]);
  });

  it('answers which chord sounds at a beat, and nothing before the start', () => {
    const planner = new HarmonyPlanner('major', 0, createRng(1), { start: 8 });
    expect(planner.stepAt(7.5)).toBeNull();
    const step = planner.stepAt(13.5) as HarmonyStep;
    expect(step.start).toBeLessThanOrEqual(13.5);
    expect(step.start + step.duration).toBeGreaterThan(13.5);
    expect(planner.stepsIn(8, 16).map((s) => s.start)).toEqual([8, 12]);
    expect(planner.stepsIn(16, 16)).toEqual([]);
  });

  it('closes with a cadence from the next bar line when asked, then plays on', () => {
    for (const idiom of allIdioms()) {
      const planner = new HarmonyPlanner(idiom, 5, createRng(9), { beatsPerChord: 2 });
      planner.stepsIn(0, 40);
      const closing = planner.cadence(21);
      expect(closing[0]?.start).toBe(24);
      const tonic = closing[closing.length - 1] as HarmonyStep;
      expect(tonic.chord.symbol).toBe(idiom.tonic);
      expect(tonic.voicing.bass % 12).toBe(5);
      expect(tonic.start % 4).toBe(0);
      expect(planner.stepAt(23.9)?.start).toBeLessThan(24);
      expect(planner.stepAt(24)).toEqual(closing[0]);
      const after = planner.stepAt(tonic.start + tonic.duration) as HarmonyStep;
      expect(after.phrase).toBeGreaterThan(tonic.phrase);
    }
  });

  it('cuts a chord short for a cadence without ending the phrase on it', () => {
    const planner = new HarmonyPlanner('major', 0, createRng(2), { beatsPerChord: 8 });
    expect(planner.stepAt(0)?.duration).toBe(8);
    planner.cadence(3);
    const cut = planner.stepAt(3) as HarmonyStep;
    expect(cut.duration).toBe(4);
    // The chord before the cadence leads into it; only the tonic ends the phrase.
    expect(cut.phraseEnd).toBe(false);
    expect(planner.stepAt(4)?.section).toBe('cadence');
  });

  it('changes key and idiom from the next bar line, keeping what came before', () => {
    const planner = new HarmonyPlanner('major', 0, createRng(4));
    const before = planner.stepsIn(0, 16);
    planner.change(14, { tonicPc: 7, idiom: 'mixolydian' });
    expect(planner.stepsIn(0, 16)).toEqual(before);
    const after = planner.stepsIn(16, 64);
    expect(after[0]?.start).toBe(16);
    const scale = scaleOf('mixolydian', 7);
    for (const s of after) for (const p of voicingPitches(s.voicing)) expect(scale).toContain(p % 12);
    expect(planner.idiom.name).toBe('mixolydian');
    expect(planner.tonicPc).toBe(7);
  });

  it('changes harmonic rhythm from the next bar line', () => {
    const planner = new HarmonyPlanner('minor', 0, createRng(4));
    planner.stepsIn(0, 32);
    planner.change(6, { beatsPerChord: 2 });
    const steps = planner.stepsIn(6, 24);
    expect(steps[0]?.start).toBe(4);
    expect(steps[0]?.duration).toBe(4);
    expect(steps[1]?.start).toBe(8);
    expect(steps[1]?.duration).toBe(2);
  });

  it('refuses metres that do not fit, naming the value', () => {
    expect(() => new HarmonyPlanner('major', 0, createRng(1), { beatsPerChord: 3 })).toThrow('got: 3');
    expect(() => new HarmonyPlanner('major', 0, createRng(1), { beatsPerBar: 0 })).toThrow('got: 0');
    expect(() => new HarmonyPlanner('major', 0, createRng(1), { beatsPerBar: 4.5 })).toThrow('got: 4.5');
    expect(() => new HarmonyPlanner('bossa', 0, createRng(1))).toThrow('unknown idiom "bossa"');
    expect(() => new HarmonyPlanner('major', 0, createRng(1)).stepAt(Number.NaN)).toThrow('got: NaN');
  });
});

describe('cadence', () => {
  it('ends on the tonic chord with the tonic in the bass on a downbeat, in every idiom, key and metre', () => {
    for (const idiom of allIdioms()) {
      for (let tonic = 0; tonic < 12; tonic++) {
        for (const [beatsPerBar, beatsPerChord, start] of [
          [4, 4, 0],
          [4, 2, 8],
          [4, 1, 3],
          [3, 1, 0],
          [4, 8, 0],
        ] as const) {
          const steps = cadence(idiom, tonic, { beatsPerBar, beatsPerChord, start });
          const last = steps[steps.length - 1] as HarmonyStep;
          expect(symbols(steps)).toEqual(idiom.motion.cadence);
          expect(last.chord.root).toBe(tonic);
          expect(last.voicing.bass % 12).toBe(tonic);
          expect((last.start - start) % beatsPerBar).toBe(0);
          expect(last.duration).toBeGreaterThanOrEqual(beatsPerBar);
          expect(last.phraseEnd).toBe(true);
        }
      }
    }
  });
  it('knows the classical cadence of the major idiom', () => {
    expect(symbols(cadence('major', 0))).toEqual(['IV', 'V7', 'I']);
    expect(cadence('major', 'G').map((s) => s.chord.root)).toEqual([0, 2, 7]);
    expect(cadence('major', 0).map((s) => s.start)).toEqual([0, 4, 8]);
  });
  it('leads from a previous voicing', () => {
    const [first] = cadence('major', 0);
    const again = cadence('major', 0, { previous: first?.voicing ?? null });
    expect(again[0]?.voicing).toEqual(first?.voicing);
  });
});

describe('withCadence', () => {
  const slots = (xs: string[]) => xs.map((symbol) => ({ symbol }));
  it('replaces the last chords with the cadence', () => {
    expect(withCadence(slots(['I', 'vi', 'IV', 'V']), ['IV', 'V7', 'I'])).toEqual(
      slots(['I', 'IV', 'V7', 'I']),
    );
  });
  it('closes where the phrase already holds the cadence, holding the tonic', () => {
    const twelveBar = ['I7', 'IV7', 'I7', 'I7', 'IV7', 'IV7', 'I7', 'I7', 'V7sus4', 'IV7', 'I7', 'V7sus4'];
    const closed = withCadence(slots(twelveBar), ['V7sus4', 'IV7', 'I7']);
    expect(closed.map((s) => s.symbol)).toEqual(twelveBar.slice(0, 11));
    expect(closed[10]).toEqual({ symbol: 'I7', hold: 2 });
  });
});
