import { describe, expect, it } from 'vitest';
import { raterAgreement } from './raters.ts';
import type { Rating } from './rating.ts';

const rating = (rater: string, item: string, value: number, ratedAt = '2025-03-02T10:00:00Z'): Rating => ({
  scale: 'nordoff-robbins-2',
  item,
  value,
  rater,
  ratedAt,
  participant: 'p1',
  marks: [],
  note: '',
});

describe('raterAgreement', () => {
  it('lays the ratings out as raters × units and computes the coefficients by hand', () => {
    const ratings = [
      rating('ana', 'instrumental', 3),
      rating('ana', 'vocal', 4),
      rating('ana', 'body-movement', 5),
      rating('ben', 'instrumental', 3),
      rating('ben', 'vocal', 4),
      rating('ben', 'body-movement', 6),
      { ...rating('ana', 'autonomy:rhythm', 2), scale: 'iap' as const },
    ];
    const a = raterAgreement(ratings, 'nordoff-robbins-2');
    expect(a.raters).toEqual(['ana', 'ben']);
    expect(a.units).toEqual(['p1/body-movement', 'p1/instrumental', 'p1/vocal']);
    expect(a.table).toEqual([
      [5, 3, 4],
      [6, 3, 4],
    ]);
    expect(a.percent.value).toBeCloseTo(2 / 3, 12);
    // pₒ = 2/3, pₑ = 2/9: κ = (4/9)/(7/9) = 4/7.
    expect(a.kappa.value).toBeCloseTo(4 / 7, 12);
    // Σ(x−y)² observed 1; expected (1/3)·21 = 7: κw = 1 − 1/7.
    expect(a.weightedKappa.value).toBeCloseTo(6 / 7, 12);
    expect(a.alpha.value).not.toBeNull();
  });

  it("counts a rater's latest rating of a unit once", () => {
    const a = raterAgreement(
      [
        rating('ana', 'vocal', 2, '2025-03-02T10:00:00Z'),
        rating('ana', 'vocal', 5, '2025-03-02T11:00:00+01:00'),
        rating('ana', 'vocal', 4, '2025-03-02T10:30:00Z'),
        rating('ben', 'vocal', 4),
      ],
      'nordoff-robbins-2',
    );
    // 11:00+01:00 is 10:00Z, earlier than 10:30Z: the 4 is the latest.
    expect(a.table).toEqual([[4], [4]]);
  });

  it('says why there is nothing to compare with one rater or none', () => {
    const one = raterAgreement([rating('ana', 'vocal', 3)], 'nordoff-robbins-2');
    expect(one.alpha).toEqual({ value: null, units: 0, reason: 'only one rater' });
    expect(one.table).toEqual([[3]]);
    expect(raterAgreement([], 'iap').percent.reason).toBe('no ratings on this scale');
  });

  it('gives alpha for three raters and leaves kappa to pairs', () => {
    const ratings = ['ana', 'ben', 'cy'].flatMap((r, k) => [
      rating(r, 'instrumental', 3),
      rating(r, 'vocal', 5),
      rating(r, 'body-movement', k === 2 ? 2 : 1),
    ]);
    const a = raterAgreement(ratings, 'nordoff-robbins-2');
    expect(a.kappa.value).toBeNull();
    expect(a.kappa.reason).toMatch(/exactly two raters/);
    expect(a.percent.value).toBeCloseTo((1 + 1 + 1 / 3) / 3, 12);
    expect(a.alpha.value).toBeGreaterThan(0.5);
    expect(a.alpha.value).toBeLessThan(1);
  });

  it('pools several sessions when the unit says which session', () => {
    const session = new Map<Rating, string>();
    const tag = (r: Rating, s: string): Rating => {
      session.set(r, s);
      return r;
    };
    const ratings = [
      tag(rating('ana', 'vocal', 3), 's1'),
      tag(rating('ben', 'vocal', 3), 's1'),
      tag(rating('ana', 'vocal', 5), 's2'),
      tag(rating('ben', 'vocal', 5), 's2'),
    ];
    const a = raterAgreement(ratings, 'nordoff-robbins-2', { unitOf: (r) => `${session.get(r)}/${r.item}` });
    expect(a.units).toEqual(['s1/vocal', 's2/vocal']);
    expect(a.kappa.value).toBe(1);
  });
});
