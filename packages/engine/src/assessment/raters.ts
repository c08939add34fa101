/**
 * How far the raters of a session agree on one scale: the ratings are laid out as a table of
 * raters × units (a unit is an item for one rated participant), each rater's latest rating of a
 * unit counting, and the coefficients of ./agreement.ts are computed on it.
 */
import {
  type Coefficient,
  cohensKappa,
  krippendorffAlpha,
  percentAgreement,
  type Rated,
  weightedKappa,
} from './agreement.ts';
import type { Rating } from './rating.ts';
import type { ScaleId } from './scales.ts';

/** The agreement of the raters of one scale. */
export interface RaterAgreement {
  readonly scale: ScaleId;
  /** The raters, in the order of the table's rows. */
  readonly raters: readonly string[];
  /** The units, in the order of the table's columns. */
  readonly units: readonly string[];
  /** raters × units: each rater's latest value for the unit, null where they did not rate it. */
  readonly table: readonly (readonly Rated[])[];
  readonly percent: Coefficient;
  /** Krippendorff's alpha for ordinal levels: the headline figure, for any number of raters. */
  readonly alpha: Coefficient;
  /** Cohen's kappa, with exactly two raters. */
  readonly kappa: Coefficient;
  /** Weighted kappa (quadratic), with exactly two raters. */
  readonly weightedKappa: Coefficient;
}

/** Options of {@link raterAgreement}. */
export interface RaterAgreementOptions {
  /**
   * The unit a rating belongs to; by default its item and rated participant. Pass a key with the
   * session in it to pool the units of several sessions.
   */
  readonly unitOf?: (rating: Rating) => string;
}

const defaultUnit = (r: Rating): string => (r.participant === null ? r.item : `${r.participant}/${r.item}`);

/**
 * The agreement of the raters of one scale over the given ratings (other scales are ignored).
 * With fewer than two raters every coefficient is null with that reason.
 * @example raterAgreement(sessionRatings, 'nordoff-robbins-2').alpha.value // 0.82
 */
export function raterAgreement(
  ratings: readonly Rating[],
  scale: ScaleId,
  options: RaterAgreementOptions = {},
): RaterAgreement {
  const unitOf = options.unitOf ?? defaultUnit;
  const latest = new Map<string, Map<string, Rating>>();
  for (const r of ratings) {
    if (r.scale !== scale) continue;
    const unit = unitOf(r);
    const byRater = latest.get(r.rater) ?? new Map<string, Rating>();
    latest.set(r.rater, byRater);
    const before = byRater.get(unit);
    // A rater who changed their mind counts once, with the later rating.
    if (!before || Date.parse(r.ratedAt) >= Date.parse(before.ratedAt)) byRater.set(unit, r);
  }
  const raters = [...latest.keys()].sort();
  const units = [...new Set([...latest.values()].flatMap((m) => [...m.keys()]))].sort();
  const table = raters.map((rater) => units.map((unit) => latest.get(rater)?.get(unit)?.value ?? null));
  if (raters.length < 2) {
    const none: Coefficient = {
      value: null,
      units: 0,
      reason: raters.length === 0 ? 'no ratings on this scale' : 'only one rater',
    };
    return { scale, raters, units, table, percent: none, alpha: none, kappa: none, weightedKappa: none };
  }
  const two = raters.length === 2;
  const notTwo: Coefficient = {
    value: null,
    units: 0,
    reason: 'kappa compares exactly two raters; see alpha',
  };
  return {
    scale,
    raters,
    units,
    table,
    percent: percentAgreement(table),
    alpha: krippendorffAlpha(table, 'ordinal'),
    kappa: two ? cohensKappa(table[0] as Rated[], table[1] as Rated[]) : notTwo,
    weightedKappa: two ? weightedKappa(table[0] as Rated[], table[1] as Rated[], 'quadratic') : notTwo,
  };
}
