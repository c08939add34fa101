import { describe, expect, it } from 'vitest';
import { createRng } from '../random/index.ts';
import { ClusterHistory } from './history.ts';
import { type FollowParams, Hypothesis } from './hypothesis.ts';
import { addPositionEvidence, CYCLE, POSITIONS, positionEvidence } from './salience.ts';

/** The reading of position evidence as first written, with the floating-point remainder. */
function plainEvidence(evidence: Float64Array, offset: number, phase: number): number {
  const x = (((phase % CYCLE) + CYCLE) % CYCLE) * 12;
  const lo = Math.floor(x);
  const frac = x - lo;
  const a = evidence[offset + (lo % POSITIONS)] as number;
  const b = evidence[offset + ((lo + 1) % POSITIONS)] as number;
  return a + frac * (b - a);
}

const FOLLOW: FollowParams = {
  phaseGain: 0.5,
  periodGain: 0.25,
  windowShare: 0.18,
  minWindow: 0.04,
  maxWindow: 0.16,
  beatWeight: 0.15,
  minPeriod: 0.25 / 1.06,
  maxPeriod: 2 * 1.06,
};

/** A history of `n` clusters of drum strokes (or of plain notes where `drums` is false). */
function filled(n: number, capacity: number, seed: number, drums = true): ClusterHistory {
  const rng = createRng(seed);
  const history = new ClusterHistory(capacity);
  const evidence = new Float64Array(POSITIONS);
  const keys = [36, 38, 42, 46, 49, 51];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += rng.uniform(0.05, 0.4);
    evidence.fill(0);
    let strokes = 0;
    if (drums) {
      for (let k = rng.int(0, 2); k >= 0; k--) {
        addPositionEvidence(
          { t, velocity: 90, percussive: true, pitch: keys[rng.int(0, 5)] as number },
          evidence,
        );
        strokes++;
      }
    }
    history.push(t, rng.uniform(0.2, 3), evidence, strokes);
  }
  return history;
}

describe('positionEvidence', () => {
  it('reads exactly what the plain remainder formula reads, for any phase', () => {
    const rng = createRng(7);
    const evidence = new Float64Array(2 * POSITIONS).map(() => rng.uniform(-2.5, 2.5));
    const phases = [
      0,
      -0,
      4,
      -4,
      8,
      -8,
      1e-17,
      -1e-17,
      4 - 1e-15,
      -4 + 1e-15,
      3.9999999999999996,
      -3.9999999999999996,
    ];
    for (let i = 0; i < 20000; i++) phases.push(rng.uniform(-40, 40));
    for (let i = 0; i < 2000; i++) phases.push(rng.int(-40, 40) + rng.uniform(-1e-12, 1e-12));
    for (let i = 0; i < 2000; i++) phases.push(rng.int(-400, 400) / 12 + rng.uniform(-1e-13, 1e-13));
    for (const phase of phases) {
      for (const offset of [0, POSITIONS]) {
        expect(
          Object.is(positionEvidence(evidence, offset, phase), plainEvidence(evidence, offset, phase)),
        ).toBe(true);
      }
    }
  });
});

describe('ClusterHistory', () => {
  it('keeps the latest clusters in order after the ring wraps', () => {
    const history = new ClusterHistory(8);
    const evidence = new Float64Array(POSITIONS);
    for (let i = 0; i < 21; i++) history.push(i, i / 10, evidence, 0);
    expect(history.size).toBe(8);
    expect(Array.from({ length: 8 }, (_, i) => history.time(i))).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
    expect(history.salience(0)).toBeCloseTo(1.3, 12);
    expect(history.firstAtOrAfter(15.5)).toBe(3);
    expect(history.firstAtOrAfter(99)).toBe(8);
  });

  it('fades each cluster from an anchor exactly as the formula does, reused until the next push', () => {
    const history = filled(300, 128, 3);
    const anchor = history.time(history.size - 1) + 0.1;
    const late = history.fades(anchor, 8, 100);
    for (let i = 100; i < history.size; i++) {
      expect(late[i]).toBe(Math.exp(-(anchor - history.time(i)) / 8));
    }
    // Reaching further back extends the same values; another anchor starts afresh.
    const all = history.fades(anchor, 8, 0);
    for (let i = 0; i < history.size; i++) expect(all[i]).toBe(Math.exp(-(anchor - history.time(i)) / 8));
    const other = history.fades(anchor + 1, 8, 50);
    for (let i = 50; i < history.size; i++)
      expect(other[i]).toBe(Math.exp(-(anchor + 1 - history.time(i)) / 8));
  });

  it('bounds the position score any induced hypothesis can have', () => {
    const rng = createRng(11);
    let tight = 0;
    for (let trial = 0; trial < 200; trial++) {
      const history = filled(rng.int(5, 200), 128, 100 + trial, trial % 7 !== 0);
      const anchor = history.time(history.size - 1);
      const beats = rng.int(2, 8);
      const h = new Hypothesis();
      for (let k = 0; k < 6; k++) {
        const period = rng.uniform(0.25, 2);
        const from = history.firstAtOrAfter(anchor - beats * period);
        const bound = history.strokeBound(anchor, 8, from);
        h.induce(period, anchor, 1, history, beats, FOLLOW, 8);
        expect(h.positionScore()).toBeLessThanOrEqual(bound + 1e-12);
        if (bound - h.positionScore() < 0.5) tight++;
      }
    }
    // The bound is of use: often within half a log ratio of the truth.
    expect(tight).toBeGreaterThan(100);
  });

  it('is met exactly when every stroke falls where its drum is likeliest', () => {
    // A kick on the first beat of every bar of 4/4: each reads its peak, at position 0.
    const history = new ClusterHistory(64);
    const evidence = new Float64Array(POSITIONS);
    addPositionEvidence({ t: 0, velocity: 100, percussive: true, pitch: 36 }, evidence);
    for (let bar = 0; bar < 6; bar++) history.push(2 * bar, 1, evidence, 1);
    const anchor = 12;
    const h = new Hypothesis();
    h.induce(0.5, anchor, 1, history, 8 * 4, FOLLOW, 8);
    const bound = history.strokeBound(anchor, 8, history.firstAtOrAfter(anchor - 8 * 4 * 0.5));
    expect(h.positionScore()).toBeGreaterThan(0.5);
    expect(h.positionScore()).toBeCloseTo(bound, 12);
  });
});
