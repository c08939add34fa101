/**
 * Evaluation: scoring what perception found against ground truth (annotated beats and keys), as
 * the research literature scores it, for scripts and benchmarks.
 */
export {
  type BeatScoreOptions,
  type BeatScores,
  beatFMeasure,
  beatScores,
  cemgilScores,
  continuity,
  DEFAULT_IGNORE_BEFORE,
  meanBeatScores,
  metricalVariations,
  pScore,
  trimBeats,
} from './beats.ts';
export { keyScore, type ScoredKey } from './key.ts';
