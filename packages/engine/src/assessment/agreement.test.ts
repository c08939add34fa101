import { describe, expect, it } from 'vitest';
import { cohensKappa, krippendorffAlpha, percentAgreement, type Rated, weightedKappa } from './agreement.ts';

const _ = null;
/**
 * Krippendorff's worked example: four observers, twelve units, values 1–5, with missing values
 * (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", section C). Published:
 * nominal 0.743, ordinal 0.815, interval 0.849. Recomputed independently by enumerating value
 * pairs in Python: 0.7434, 0.8154, 0.8491.
 */
const KRIPPENDORFF: Rated[][] = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
];

describe("Krippendorff's alpha", () => {
  it("gives the published answers of Krippendorff's four-observer example", () => {
    expect(krippendorffAlpha(KRIPPENDORFF, 'nominal').value).toBeCloseTo(0.7434, 4);
    expect(krippendorffAlpha(KRIPPENDORFF, 'ordinal').value).toBeCloseTo(0.8154, 4);
    expect(krippendorffAlpha(KRIPPENDORFF, 'interval').value).toBeCloseTo(0.8491, 4);
    // Unit 12 has one value only: it is not pairable and does not count.
    expect(krippendorffAlpha(KRIPPENDORFF).units).toBe(11);
  });

  it("gives 0.095 for Krippendorff's two-observer binary example", () => {
    const a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    expect(krippendorffAlpha([a, b], 'nominal').value).toBeCloseTo(0.0952, 4);
  });

  it('does not depend on the order of the raters or of the units', () => {
    const reversed = [...KRIPPENDORFF].reverse();
    const shuffled = KRIPPENDORFF.map((row) => [...row].reverse());
    const base = krippendorffAlpha(KRIPPENDORFF, 'ordinal').value as number;
    expect(krippendorffAlpha(reversed, 'ordinal').value).toBeCloseTo(base, 12);
    expect(krippendorffAlpha(shuffled, 'ordinal').value).toBeCloseTo(base, 12);
  });

  it('is 1 when every rater gives every unit the same value and the units differ', () => {
    const row = [1, 3, 5, 2, 4];
    expect(krippendorffAlpha([row, row, row]).value).toBe(1);
  });

  it('is undefined, with the reason, for one rater, for no pairable unit, and without variance', () => {
    expect(krippendorffAlpha([[1, 2, 3]])).toEqual({
      value: null,
      units: 0,
      reason: 'no unit was rated by two raters',
    });
    expect(
      krippendorffAlpha([
        [1, _, 3],
        [_, 2, _],
      ]).value,
    ).toBeNull();
    const same = krippendorffAlpha([
      [3, 3, 3],
      [3, 3, 3],
    ]);
    expect(same.value).toBeNull();
    expect(same.reason).toMatch(/same level/);
    expect(same.units).toBe(3);
  });

  it('refuses an unknown metric and a value that is not a number', () => {
    expect(() => krippendorffAlpha(KRIPPENDORFF, 'ratio' as never)).toThrow(/metric must be/);
    expect(() =>
      krippendorffAlpha([
        [1, Number.NaN],
        [1, 2],
      ]),
    ).toThrow(/finite numbers or null, got: NaN/);
  });
});

describe("Cohen's kappa", () => {
  it('gives 0.4 for the textbook table (20 yes–yes, 5 yes–no, 10 no–yes, 15 no–no)', () => {
    const a = [...Array(25).fill(1), ...Array(25).fill(0)];
    const b = [...Array(20).fill(1), ...Array(5).fill(0), ...Array(10).fill(1), ...Array(15).fill(0)];
    const k = cohensKappa(a, b);
    expect(k.value).toBeCloseTo(0.4, 12);
    expect(k.units).toBe(50);
  });

  it('leaves out units either rater did not rate', () => {
    expect(cohensKappa([1, 1, 0, 0, 1, _], [1, 0, 0, 0, _, 0])).toEqual({
      value: 0.5,
      units: 4,
      reason: null,
    });
  });

  it('is 1 when two raters agree on varied levels, and undefined when both give one level throughout', () => {
    expect(cohensKappa([1, 2, 3], [1, 2, 3]).value).toBe(1);
    const flat = cohensKappa([2, 2, 2], [2, 2, 2]);
    expect(flat.value).toBeNull();
    expect(flat.reason).toMatch(/same level/);
    expect(cohensKappa([_, _], [1, 2]).reason).toBe('no unit was rated by both raters');
  });

  it('refuses raters with different numbers of units', () => {
    expect(() => cohensKappa([1, 2], [1])).toThrow(/2 against 1/);
  });
});

describe('weighted kappa', () => {
  // Two raters on five ordered levels, twelve units. Recomputed in Python with the matrix form of
  // Cohen (1968): agreement weights 1 − |i−j|/(k−1) (linear) and 1 − (i−j)²/(k−1)² (quadratic).
  const a = [1, 2, 3, 4, 5, 3, 2, 4, 5, 1, 2, 3];
  const b = [1, 3, 3, 5, 5, 2, 2, 4, 4, 2, 2, 4];

  it('matches the matrix form with linear and quadratic weights', () => {
    expect(weightedKappa(a, b, 'linear').value).toBeCloseTo(0.657142857, 8);
    expect(weightedKappa(a, b, 'quadratic').value).toBeCloseTo(0.850622407, 8);
  });

  it('counts a near miss as more agreement than a far one, where Cohen’s kappa cannot tell', () => {
    const near = weightedKappa([1, 2, 3, 4, 5], [1, 2, 3, 4, 4], 'linear').value as number;
    const far = weightedKappa([1, 2, 3, 4, 5], [1, 2, 3, 4, 1], 'linear').value as number;
    expect(near).toBeGreaterThan(far);
    expect(cohensKappa([1, 2, 3, 4, 5], [1, 2, 3, 4, 4]).value).toBeCloseTo(
      cohensKappa([1, 2, 3, 4, 5], [1, 2, 3, 4, 1]).value as number,
      12,
    );
  });

  it('refuses unknown weights', () => {
    expect(() => weightedKappa(a, b, 'cubic' as never)).toThrow(/weights must be/);
  });
});

describe('percent agreement', () => {
  it('is the share of agreeing pairs per unit, averaged over the units rated twice or more', () => {
    // Units: all agree (1), two of three pairs differ (1/3), all differ (0), one value only (left out).
    const p = percentAgreement([
      [1, 1, 1, 4],
      [1, 1, 2, _],
      [1, 2, 3, _],
    ]);
    expect(p.value).toBeCloseTo(4 / 9, 12);
    expect(p.units).toBe(3);
  });

  it('is 1 when every rating is the same level (where the coefficients are undefined)', () => {
    expect(
      percentAgreement([
        [3, 3],
        [3, 3],
      ]).value,
    ).toBe(1);
    expect(percentAgreement([[3, 3]]).value).toBeNull();
  });
});
