import { describe, expect, it } from 'vitest';
import type { Onset } from '../events/index.ts';
import { ActivityTracker } from './index.ts';

/** Steady onsets every `step` seconds from `from` (inclusive) to `to` (exclusive). */
function steady(
  from: number,
  to: number,
  step: number,
  velocity: (t: number) => number,
  pitch?: number,
): Onset[] {
  const out: Onset[] = [];
  for (let i = 0; from + i * step < to - 1e-9; i++) {
    const t = from + i * step;
    out.push(
      pitch === undefined
        ? { t, velocity: velocity(t), percussive: true }
        : { t, velocity: velocity(t), pitch },
    );
  }
  return out;
}

function heard(onsets: readonly Onset[], options = {}): ActivityTracker {
  const tracker = new ActivityTracker(options);
  for (const o of onsets) tracker.hear(o);
  return tracker;
}

describe('ActivityTracker loudness', () => {
  it('gives the level of steady playing and holds it through a silence while `sounding` fades', () => {
    const a = heard(steady(0, 4, 0.25, () => 80, 60));
    expect(a.snapshot(3.8).loudness).toBeCloseTo(80, 6);
    expect(a.snapshot(3.8).sounding).toBeCloseTo(80, 6);
    const later = a.snapshot(3.75 + 0.25 + 2);
    expect(later.loudness).toBeCloseTo(80, 6);
    // Two seconds past the usual interval is one time constant: e^-1 of the level.
    expect(later.sounding).toBeCloseTo(80 * Math.exp(-1), 3);
  });

  it('weights recent onsets more: after a step from 40 to 100 the level moves toward 100 with τ_L', () => {
    const a = heard([...steady(0, 10, 0.25, () => 40, 60), ...steady(10, 12, 0.25, () => 100, 60)]);
    const weight = (t: number) => Math.exp(-(11.75 - t) / 2);
    let sum = 0;
    let total = 0;
    for (let t = 0; t < 12 - 1e-9; t += 0.25) {
      sum += weight(t) * (t < 10 ? 40 : 100);
      total += weight(t);
    }
    expect(a.snapshot(11.75).loudness).toBeCloseTo(sum / total, 6);
    expect(sum / total).toBeGreaterThan(75);
  });

  it('gives a crescendo a positive trend near its slope and a diminuendo a negative one', () => {
    // 40 → 100 over 8 s is 7.5 velocity units per second.
    const up = heard(steady(0, 8, 0.25, (t) => 40 + 7.5 * t, 60)).snapshot(7.8);
    expect(up.loudnessTrend).toBeCloseTo(7.5, 6);
    const down = heard(steady(0, 8, 0.25, (t) => 100 - 5 * t, 60)).snapshot(7.8);
    expect(down.loudnessTrend).toBeCloseTo(-5, 6);
    const flat = heard(steady(0, 8, 0.25, () => 70, 60)).snapshot(7.8);
    expect(flat.loudnessTrend).toBeCloseTo(0, 9);
  });

  it('marks an onset clearly louder than the recent level as an accent, and steady playing has none', () => {
    const onsets = steady(0, 4, 0.5, (t) => (t === 2 ? 100 : 60), 60);
    const a = new ActivityTracker();
    const flags: boolean[] = [];
    for (const o of onsets) {
      a.hear(o);
      flags.push(a.snapshot(o.t + 0.01).accent);
    }
    expect(flags).toEqual(onsets.map((o) => o.t === 2));
    expect(a.accents()).toEqual([2]);
    expect(heard(steady(0, 10, 0.5, (t) => 60 + 4 * Math.sin(t), 60)).accents()).toEqual([]);
    // A slow player's strong note is an accent too; a strong entry after a silence is not.
    expect(heard(steady(0, 30, 2.5, (t) => (t === 20 ? 100 : 60), 60)).accents()).toEqual([20]);
    expect(
      heard([...steady(0, 4, 0.5, () => 60, 60), { t: 12, velocity: 110, pitch: 60 }]).accents(),
    ).toEqual([]);
  });

  it('hears a chord as loud as its loudest note, once', () => {
    const a = heard([
      { t: 0, velocity: 50, pitch: 60 },
      { t: 0.01, velocity: 90, pitch: 64 },
      { t: 0.02, velocity: 70, pitch: 67 },
    ]);
    expect(a.snapshot(0.1).loudness).toBe(90);
    expect(a.onsetCount).toBe(1);
  });
});

describe('ActivityTracker density', () => {
  it('counts onsets per second, near 4 for steady eighths at 120 BPM', () => {
    const s = heard(steady(0, 20, 0.25, () => 64, 60)).snapshot(19.875);
    expect(s.density).toBeGreaterThan(3.8);
    expect(s.density).toBeLessThan(4.2);
  });

  it('counts a chord as one onset', () => {
    const chords: Onset[] = [];
    for (let t = 0; t < 20; t += 0.5) {
      for (const [k, p] of [60, 64, 67].entries()) chords.push({ t: t + k * 0.008, velocity: 64, pitch: p });
    }
    const c = heard(chords);
    const single = heard(steady(0, 20, 0.5, () => 64, 60));
    expect(c.onsetCount).toBe(40);
    expect(c.snapshot(19.75).density).toBeCloseTo(single.snapshot(19.75).density, 2);
  });

  it('decays toward zero in a silence', () => {
    const a = heard(steady(0, 10, 0.25, () => 64));
    expect(a.snapshot(20).density).toBeLessThan(0.05);
  });
});

describe('ActivityTracker register and range', () => {
  it('follows the recent mean pitch and the range of the last seconds', () => {
    const a = heard([...steady(0, 20, 0.5, () => 64, 48), ...steady(20, 31, 0.5, () => 64, 72)]);
    const s = a.snapshot(30.6);
    // Weights e^(-age/4) on every note: the newer notes at 72 dominate the older ones at 48.
    let sum = 0;
    let total = 0;
    for (let t = 0; t < 31 - 1e-9; t += 0.5) {
      const w = Math.exp(-(30.5 - t) / 4);
      sum += w * (t < 20 ? 48 : 72);
      total += w;
    }
    expect(s.register).toBeCloseTo(sum / total, 6);
    expect(s.register).toBeGreaterThan(70);
    expect(s.range).toEqual([72, 72]);
    const mid = heard([...steady(0, 20, 0.5, () => 64, 48), ...steady(20, 25, 0.5, () => 64, 72)]);
    expect(mid.snapshot(24.6).range).toEqual([48, 72]);
  });

  it('has no register for hits', () => {
    const s = heard(steady(0, 4, 0.5, () => 64)).snapshot(4);
    expect(s.register).toBeNull();
    expect(s.range).toBeNull();
  });
});

describe('ActivityTracker silences and phrases', () => {
  const eighthsThenRest = [...steady(0, 4, 0.25, () => 64, 60), ...steady(6.75, 8, 0.25, () => 64, 62)];

  it('hears a rest of 3 s after steady eighths as a silence that ends the phrase', () => {
    const a = new ActivityTracker();
    for (const o of eighthsThenRest.filter((o) => o.t < 5)) a.hear(o);
    const during = a.snapshot(3.75 + 0.5);
    expect(during.silent).toBe(false);
    expect(during.phraseStart).toBe(0);
    const rest = a.snapshot(3.75 + 2.9);
    expect(rest.silent).toBe(true);
    expect(rest.silentFor).toBeCloseTo(2.9, 9);
    expect(rest.phraseStart).toBeNull();
    expect(a.phrases()).toEqual([]);
    expect(a.phrases(6.5)).toEqual([{ start: 0, end: 3.75, onsets: 16 }]);
    for (const o of eighthsThenRest.filter((o) => o.t >= 5)) a.hear(o);
    expect(a.phrases()).toEqual([{ start: 0, end: 3.75, onsets: 16 }]);
    expect(a.silences()).toEqual([{ start: 3.75, end: 6.75 }]);
    expect(a.snapshot(7.8).phraseStart).toBe(6.75);
  });

  it('is silent sooner for a fast player than for a slow one, within the floor and ceiling', () => {
    const fast = heard(steady(0, 4, 0.125, () => 64, 60));
    expect(fast.silenceThreshold()).toBe(1);
    const slow = heard(steady(0, 12, 1.2, () => 64, 60));
    expect(slow.silenceThreshold()).toBeCloseTo(3, 9);
    expect(slow.snapshot(10.8 + 2).silent).toBe(false);
    const verySlow = heard(steady(0, 30, 2.5, () => 64, 60));
    expect(verySlow.silenceThreshold()).toBe(4);
    // Until a slow player's pace is known, the first interval ends a phrase; after that none do.
    expect(verySlow.phrases(40).map((p) => p.start)).toEqual([0, 2.5]);
  });

  it('counts silence from the end of a held note', () => {
    const a = heard([{ t: 0, velocity: 64, pitch: 60, duration: 3 }]);
    expect(a.snapshot(2).silentFor).toBe(0);
    expect(a.snapshot(4).silentFor).toBe(1);
  });

  it('ends a phrase at a long note after a group of short ones', () => {
    const group = steady(0, 2, 0.25, () => 64, 60).map((o) => ({ ...o, duration: 0.2 }));
    const long = { t: 2, velocity: 64, pitch: 55, duration: 1.6 };
    const next = steady(3.7, 5, 0.25, () => 64, 60).map((o) => ({ ...o, duration: 0.2 }));
    const a = heard([...group, long, ...next]);
    expect(a.phrases()).toEqual([{ start: 0, end: 3.6, onsets: 9 }]);
    expect(a.silences()).toEqual([]);
  });

  it('finds the phrases of a drummer playing bars with rests between', () => {
    const onsets: Onset[] = [];
    for (let bar = 0; bar < 4; bar++) onsets.push(...steady(bar * 4, bar * 4 + 2, 0.25, () => 90));
    const phrases = heard(onsets).phrases(100);
    expect(phrases.map((p) => [p.start, p.end])).toEqual([
      [0, 1.75],
      [4, 5.75],
      [8, 9.75],
      [12, 13.75],
    ]);
  });
});

describe('ActivityTracker neutral values and bad input', () => {
  it('answers with neutral values before any onset', () => {
    expect(new ActivityTracker().snapshot(0)).toEqual({
      loudness: 0,
      sounding: 0,
      loudnessTrend: 0,
      density: 0,
      register: null,
      range: null,
      silentFor: 0,
      silent: false,
      silenceThreshold: 1.25,
      ioi: null,
      lastOnset: null,
      phraseStart: null,
      accent: false,
      confidence: 0,
    });
    expect(new ActivityTracker().phrases(10)).toEqual([]);
    expect(new ActivityTracker().snapshot(5).silent).toBe(true);
  });

  it('ignores onsets that are not sounds and refuses onsets out of time order', () => {
    const a = heard([{ t: 1, velocity: 64 }]);
    a.hear({ t: 2, velocity: 0 });
    a.hear({ t: Number.NaN, velocity: 64 });
    a.hear({ t: 2, velocity: Number.POSITIVE_INFINITY });
    expect(a.onsetCount).toBe(1);
    expect(() => a.hear({ t: 0.5, velocity: 64 })).toThrow(/time order: 0.5 after 1/);
  });

  it('refuses bad options with the bad value in the message', () => {
    expect(() => new ActivityTracker({ loudnessTime: 0 })).toThrow(/loudnessTime.*got: 0/);
    expect(() => new ActivityTracker({ silenceFloor: 5, silenceCeiling: 4 })).toThrow(/got: 5/);
    expect(() => new ActivityTracker({ start: Number.NaN })).toThrow(/start.*got: NaN/);
  });

  it('is deterministic: the same onsets give the same answers', () => {
    const onsets = steady(0, 30, 0.3, (t) => 50 + ((t * 37) % 40), 60);
    const a = heard(onsets);
    const b = heard(onsets);
    expect(a.snapshot(31)).toEqual(b.snapshot(31));
    expect(a.phrases(40)).toEqual(b.phrases(40));
  });
});
