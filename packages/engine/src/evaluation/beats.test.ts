import { describe, expect, it } from 'vitest';
import { createRng } from '../random/index.ts';
import {
  beatFMeasure,
  beatScores,
  cemgilScores,
  continuity,
  meanBeatScores,
  metricalVariations,
  pScore,
  trimBeats,
} from './beats.ts';
import { MIR_EVAL_CASES } from './test-support/mir-eval-cases.ts';

/** `count` beats every `period` seconds from `start`. */
function grid(start: number, period: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i * period);
}

const REF = grid(5, 0.5, 20);

describe('beatScores', () => {
  it('scores identical beats 1 everywhere', () => {
    const s = beatScores(REF, REF);
    for (const [name, value] of Object.entries(s)) expect(value, name).toBeCloseTo(1, 12);
  });

  it('scores beats 100 ms late as misses: F 0, CML 0, Cemgil exp(-0.1²/(2·0.04²))', () => {
    const s = beatScores(
      REF,
      REF.map((b) => b + 0.1),
    );
    expect(s.fMeasure).toBe(0);
    expect(s.cmlt).toBe(0);
    expect(s.cmlc).toBe(0);
    expect(s.cemgil).toBeCloseTo(Math.exp(-3.125), 12);
  });

  it('gives a double-tempo estimate F 2n/(3n-1), AMLt 1 and CMLt 0', () => {
    const double = metricalVariations(REF)[2] as number[];
    expect(double).toHaveLength(39);
    const s = beatScores(REF, double);
    expect(s.fMeasure).toBeCloseTo(40 / 59, 12);
    expect(s.amlt).toBe(1);
    expect(s.amlc).toBe(1);
    expect(s.cmlt).toBe(0);
    expect(s.cemgilBest).toBeCloseTo(1, 12);
  });

  it('gives twice as many estimated beats as reference beats F exactly 2/3', () => {
    expect(beatScores(REF, grid(5, 0.25, 40)).fMeasure).toBeCloseTo(2 / 3, 12);
  });

  it('gives a half-tempo estimate F 2/3, AMLt 1 and CMLt 0', () => {
    const half = REF.filter((_, i) => i % 2 === 0);
    const s = beatScores(REF, half);
    expect(s.fMeasure).toBeCloseTo(2 / 3, 12);
    expect(s.amlt).toBe(1);
    expect(s.cmlt).toBe(0);
  });

  it('gives an off-beat estimate F 0 and AMLt 1', () => {
    const offbeat = REF.slice(1).map((b) => b - 0.25);
    const s = beatScores(REF, offbeat);
    expect(s.fMeasure).toBe(0);
    expect(s.pScore).toBe(0);
    expect(s.amlt).toBe(1);
    expect(s.cmlt).toBe(0);
  });

  it('ignores beats before 5 s unless told otherwise', () => {
    const reference = grid(0, 0.5, 30);
    const estimated = [0.13, 1.7, 2.2, 4.99, ...grid(5, 0.5, 20)];
    expect(beatScores(reference, estimated).fMeasure).toBe(1);
    expect(beatScores(reference, estimated, { ignoreBefore: 0 }).fMeasure).toBeLessThan(1);
  });

  it('scores empty inputs 0 everywhere', () => {
    for (const s of [
      beatScores([], REF),
      beatScores(REF, []),
      beatScores([], []),
      beatScores(grid(0, 0.5, 9), REF),
    ]) {
      for (const [name, value] of Object.entries(s)) expect(value, name).toBe(0);
    }
  });

  it('sorts unordered input and refuses non-finite times', () => {
    const shuffled = [...REF].reverse();
    expect(beatScores(shuffled, REF).cmlc).toBe(1);
    expect(() => beatScores([5, Number.NaN], REF)).toThrow(/got: NaN/);
  });

  it.each(MIR_EVAL_CASES)('matches mir_eval 0.8.2 on "$name"', ({ reference, estimated, scores }) => {
    const s = beatScores(reference, estimated);
    for (const [name, value] of Object.entries(scores)) {
      expect(s[name as keyof typeof s], name).toBeCloseTo(value, 10);
    }
  });
});

describe('beatFMeasure', () => {
  it('finds the maximum matching where pairing each beat with its nearest would not', () => {
    // 1.06 is nearest to 1.03, but pairing them leaves 1.00 alone; the best pairing uses both.
    expect(beatFMeasure([1.0, 1.06], [1.03, 1.12])).toBe(1);
  });

  it('counts a beat exactly at the window edge as a hit and one beyond as a miss', () => {
    expect(beatFMeasure([1, 2], [1.0625, 2])).toBe(1);
    expect(beatFMeasure([1, 2], [1.08, 2])).toBe(0.5);
  });

  it('agrees with an exhaustive maximum matching on random small cases', () => {
    const rng = createRng(42);
    for (let trial = 0; trial < 300; trial++) {
      const ref = Array.from({ length: rng.int(1, 7) }, () => rng.uniform(0, 1));
      const est = Array.from({ length: rng.int(1, 7) }, () => rng.uniform(0, 1));
      const matched = bruteForceMatching(ref, est, 0.07);
      const expected = matched === 0 ? 0 : (2 * matched) / (ref.length + est.length);
      expect(beatFMeasure(ref, est)).toBeCloseTo(expected, 12);
    }
  });
});

describe('cemgilScores', () => {
  it('is exp(-1/2) when every estimate is one sigma late', () => {
    expect(
      cemgilScores(
        REF,
        REF.map((b) => b + 0.04),
      ).cemgil,
    ).toBeCloseTo(Math.exp(-0.5), 12);
  });

  it('divides by the mean of the two beat counts', () => {
    // Two of two reference beats found exactly, among four estimated beats: 2 / ((2 + 4) / 2).
    expect(cemgilScores([1, 2], [1, 2, 3, 4]).cemgil).toBeCloseTo(2 / 3, 12);
  });
});

describe('pScore', () => {
  it('counts coincident beats over the larger beat count', () => {
    expect(pScore([5, 6, 7, 8], grid(5, 1, 8))).toBe(0.5);
  });

  it('accepts beats within a fifth of the median interval and no further', () => {
    expect(pScore([5, 6, 7, 8], [5.15, 6.15, 7.15, 8.15])).toBe(1);
    expect(pScore([5, 6, 7, 8], [5.25, 6.25, 7.25, 8.25])).toBe(0);
  });

  it('is 0 for fewer than two beats on either side', () => {
    expect(pScore([5], [5, 6])).toBe(0);
    expect(pScore([5, 6], [5])).toBe(0);
  });
});

describe('continuity', () => {
  it('breaks the run at a misplaced beat and at the beat after it', () => {
    const estimated = REF.map((b, i) => (i === 10 ? b + 0.2 : b));
    const c = continuity(REF, estimated);
    // Beat 10 is 40% of a period off; beat 11 follows an interval 40% short. Beats 0–9 run unbroken.
    expect(c.cmlt).toBeCloseTo(18 / 20, 12);
    expect(c.cmlc).toBeCloseTo(10 / 20, 12);
  });

  it('divides by the larger beat count', () => {
    const c = continuity(REF, REF.slice(0, 10));
    expect(c.cmlt).toBeCloseTo(10 / 20, 12);
    expect(c.cmlc).toBeCloseTo(10 / 20, 12);
  });
});

describe('trimBeats and meanBeatScores', () => {
  it('keeps beats at or after the threshold', () => {
    expect(trimBeats([1, 4.999, 5, 6])).toEqual([5, 6]);
  });

  it('averages each score and gives zeros for no pieces', () => {
    const a = beatScores(REF, REF);
    const b = beatScores(REF, []);
    expect(meanBeatScores([a, b]).fMeasure).toBe(0.5);
    expect(meanBeatScores([]).amlt).toBe(0);
  });
});

/** The size of a maximum matching found by trying every assignment (small inputs only). */
function bruteForceMatching(ref: number[], est: number[], window: number): number {
  const used = new Array<boolean>(est.length).fill(false);
  const best = (i: number): number => {
    if (i === ref.length) return 0;
    let result = best(i + 1);
    for (let j = 0; j < est.length; j++) {
      if (!used[j] && Math.abs((ref[i] as number) - (est[j] as number)) <= window) {
        used[j] = true;
        result = Math.max(result, 1 + best(i + 1));
        used[j] = false;
      }
    }
    return result;
  };
  return best(0);
}
