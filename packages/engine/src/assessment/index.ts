/**
 * Assessment: rating a session on established scales (the Nordoff-Robbins scales, Bruscia's
 * Improvisation Assessment Profiles), the agreement between raters, measures offered beside a
 * rating as suggestions, and a client's progress across sessions. The ratings are the
 * therapist's; nothing here rates. Sources and formulas in docs/ASSESSMENT.md.
 */
export {
  type AlphaMetric,
  type Coefficient,
  cohensKappa,
  type KappaWeights,
  krippendorffAlpha,
  percentAgreement,
  type Rated,
  weightedKappa,
} from './agreement.ts';
export {
  MEASURES,
  type MeasureDefinition,
  measureOf,
  type PairFromClient,
  pairFromClient,
} from './measures.ts';
export {
  clientProgress,
  type MeasurePoint,
  type MeasureSeries,
  type Progress,
  type ProgressSession,
  type RatingPoint,
  type RatingSeries,
} from './progress.ts';
export { type RaterAgreement, type RaterAgreementOptions, raterAgreement } from './raters.ts';
export {
  checkRating,
  levelLabel,
  MAX_RATING_MARKS,
  MAX_RATING_NOTE,
  parseRating,
  type Rating,
  type RatingCheck,
  type RatingContext,
  RatingError,
  type RatingProblem,
} from './rating.ts';
export {
  type AssessmentScale,
  COMMUNICATIVENESS_MODES,
  IAP,
  IAP_ELEMENTS,
  IAP_PROFILES,
  type IapElement,
  type IapProfile,
  iapItemId,
  iapProfileOf,
  NORDOFF_ROBBINS_1,
  NORDOFF_ROBBINS_2,
  ratingScaleOf,
  SCALE_IDS,
  SCALES,
  type ScaleId,
  type ScaleItem,
  type ScaleLevel,
  scaleItemOf,
} from './scales.ts';
export {
  APART,
  CHANGING_PERIOD_CV,
  CONTRASTING_DYNAMICS,
  EVEN_DYNAMICS,
  LEAD_INDEX,
  MIN_LEAD_CONFIDENCE,
  MIN_PULSE_SHARE,
  MIN_SYNC_PAIRS,
  STEADY_PERIOD_CV,
  type Suggestion,
  type SuggestOptions,
  suggestIap,
  TOGETHER,
} from './suggest.ts';
