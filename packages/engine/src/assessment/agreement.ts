/**
 * Agreement between raters: how far two or more therapists who rated the same session gave the
 * same levels. Percent agreement, Cohen's kappa (two raters, nominal), weighted kappa (two raters,
 * ordered levels) and Krippendorff's alpha (any number of raters, missing ratings allowed,
 * nominal, ordinal or interval). Each says null, with the reason, where it is not defined (one
 * rater, no unit rated twice, every rating the same level) rather than a misleading number.
 * Formulas in docs/ASSESSMENT.md.
 */

/** A value a rater gave a unit, or null where they did not rate it. */
export type Rated = number | null;

/** An agreement coefficient, or null with the reason it is not defined for these ratings. */
export interface Coefficient {
  readonly value: number | null;
  /** Units that entered the coefficient (rated by enough raters). */
  readonly units: number;
  /** Why value is null; null when it is a number. */
  readonly reason: string | null;
}

const undefinedBecause = (reason: string, units: number): Coefficient => ({ value: null, units, reason });
const defined = (value: number, units: number): Coefficient => ({ value, units, reason: null });

/** Units (columns) of a raters × units table, each with the values given (missing left out). */
function unitsOf(data: readonly (readonly Rated[])[]): number[][] {
  const width = data.reduce((w, row) => Math.max(w, row.length), 0);
  const units: number[][] = [];
  for (let u = 0; u < width; u++) {
    const values: number[] = [];
    for (const row of data) {
      const v = row[u];
      if (v !== null && v !== undefined) {
        if (!Number.isFinite(v)) throw new RangeError(`ratings must be finite numbers or null, got: ${v}`);
        values.push(v);
      }
    }
    units.push(values);
  }
  return units;
}

/**
 * Percent agreement: in each unit rated by two or more raters, the share of pairs of raters who
 * gave the same value; the mean over those units (0–1). For two raters, the share of units on
 * which they agree.
 * @param data one row per rater, one column per unit (null: not rated)
 * @example percentAgreement([[1, 2, 3], [1, 2, 4]]).value // 0.667
 */
export function percentAgreement(data: readonly (readonly Rated[])[]): Coefficient {
  let sum = 0;
  let n = 0;
  for (const values of unitsOf(data)) {
    const m = values.length;
    if (m < 2) continue;
    let same = 0;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) if (values[i] === values[j]) same += 1;
    sum += same / ((m * (m - 1)) / 2);
    n += 1;
  }
  return n === 0 ? undefinedBecause('no unit was rated by two raters', 0) : defined(sum / n, n);
}

/** The units both raters rated, as pairs. */
function paired(a: readonly Rated[], b: readonly Rated[]): Array<[number, number]> {
  if (a.length !== b.length) {
    throw new RangeError(
      `both raters need a value (or null) for every unit: ${a.length} against ${b.length}`,
    );
  }
  const out: Array<[number, number]> = [];
  a.forEach((x, i) => {
    const y = b[i];
    if (x === null || y === null || y === undefined) return;
    if (!Number.isFinite(x) || !Number.isFinite(y))
      throw new RangeError(`ratings must be finite numbers or null, got: ${x}, ${y}`);
    out.push([x, y]);
  });
  return out;
}

/**
 * Kappa with disagreement weights: 1 − Σ v·observed / Σ v·expected, where expected pairs each
 * rater's marginal shares. With v = 0 on agreement and 1 otherwise this is Cohen's kappa.
 */
function kappaWith(
  pairs: readonly [number, number][],
  weight: (x: number, y: number) => number,
): Coefficient {
  const n = pairs.length;
  if (n === 0) return undefinedBecause('no unit was rated by both raters', 0);
  const first = new Map<number, number>();
  const second = new Map<number, number>();
  let observed = 0;
  for (const [x, y] of pairs) {
    first.set(x, (first.get(x) ?? 0) + 1);
    second.set(y, (second.get(y) ?? 0) + 1);
    observed += weight(x, y);
  }
  let expected = 0;
  for (const [x, nx] of first) for (const [y, ny] of second) expected += weight(x, y) * nx * ny;
  expected /= n;
  if (expected === 0) {
    return undefinedBecause('no disagreement is possible by chance: every rating is the same level', n);
  }
  return defined(1 - observed / expected, n);
}

/**
 * Cohen's kappa for two raters on nominal categories: (pₒ − pₑ) / (1 − pₑ). Units either rater
 * left unrated are left out.
 * @example cohensKappa([1, 1, 0, 0], [1, 0, 0, 0]).value // 0.5
 */
export function cohensKappa(a: readonly Rated[], b: readonly Rated[]): Coefficient {
  return kappaWith(paired(a, b), (x, y) => (x === y ? 0 : 1));
}

/** Weights of {@link weightedKappa}: linear (|x − y|) or quadratic ((x − y)²) in the level numbers. */
export type KappaWeights = 'linear' | 'quadratic';

/**
 * Weighted kappa for two raters on ordered levels: a near miss counts as partial agreement.
 * Disagreement weights are the distance between the level numbers, linear or squared; this
 * equals Cohen's (1968) weighted kappa with agreement weights 1 − |i − j|/(k − 1) (or squared)
 * over the consecutive levels of the scale. Quadratic weights give about the intraclass
 * correlation.
 * @example weightedKappa([1, 2, 3], [1, 2, 4], 'quadratic')
 */
export function weightedKappa(
  a: readonly Rated[],
  b: readonly Rated[],
  weights: KappaWeights = 'quadratic',
): Coefficient {
  if (weights !== 'linear' && weights !== 'quadratic') {
    throw new RangeError(`weights must be 'linear' or 'quadratic', got: ${String(weights)}`);
  }
  const w =
    weights === 'linear' ? (x: number, y: number) => Math.abs(x - y) : (x: number, y: number) => (x - y) ** 2;
  return kappaWith(paired(a, b), w);
}

/** The level of measurement of {@link krippendorffAlpha}. */
export type AlphaMetric = 'nominal' | 'ordinal' | 'interval';

/**
 * Krippendorff's alpha: 1 − Dₒ/Dₑ, observed over expected disagreement, from the coincidence
 * matrix of the values pairable within units (Krippendorff 2011, "Computing Krippendorff's
 * Alpha-Reliability"). Any number of raters; a missing rating is null; units rated by fewer than
 * two raters do not count. Ordinal distances come from the ranks of the values used, so levels no
 * one gave do not widen them.
 * @param data one row per rater, one column per unit (null: not rated)
 */
export function krippendorffAlpha(
  data: readonly (readonly Rated[])[],
  metric: AlphaMetric = 'ordinal',
): Coefficient {
  if (metric !== 'nominal' && metric !== 'ordinal' && metric !== 'interval') {
    throw new RangeError(`metric must be 'nominal', 'ordinal' or 'interval', got: ${String(metric)}`);
  }
  const units = unitsOf(data).filter((v) => v.length >= 2);
  if (units.length === 0) return undefinedBecause('no unit was rated by two raters', 0);
  const values = [...new Set(units.flat())].sort((x, y) => x - y);
  const index = new Map(values.map((v, i) => [v, i]));
  const k = values.length;
  // Coincidences: each ordered pair of values from different raters in a unit of m values counts 1/(m − 1).
  const o = Array.from({ length: k }, () => new Float64Array(k));
  for (const unit of units) {
    const m = unit.length;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i === j) continue;
        const row = o[index.get(unit[i] as number) as number] as Float64Array;
        const c = index.get(unit[j] as number) as number;
        row[c] = (row[c] as number) + 1 / (m - 1);
      }
    }
  }
  const marginal = o.map((row) => row.reduce((s, x) => s + x, 0));
  const n = marginal.reduce((s, x) => s + x, 0);
  const delta = (c: number, e: number): number => {
    if (metric === 'nominal') return c === e ? 0 : 1;
    if (metric === 'interval') return ((values[c] as number) - (values[e] as number)) ** 2;
    const lo = Math.min(c, e);
    const hi = Math.max(c, e);
    let between = 0;
    for (let g = lo; g <= hi; g++) between += marginal[g] as number;
    return (between - ((marginal[c] as number) + (marginal[e] as number)) / 2) ** 2;
  };
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    for (let e = 0; e < k; e++) {
      const d = delta(c, e);
      observed += ((o[c] as Float64Array)[e] as number) * d;
      expected += (marginal[c] as number) * (marginal[e] as number) * d;
    }
  }
  if (expected === 0) {
    return undefinedBecause(
      'no disagreement is possible by chance: every rating is the same level',
      units.length,
    );
  }
  return defined(1 - ((n - 1) * observed) / expected, units.length);
}
