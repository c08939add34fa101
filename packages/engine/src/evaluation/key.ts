/**
 * Key-finding score against an annotated key, with the MIREX weighting that mir_eval.key
 * implements: near misses that a musician would call related keys earn part credit.
 */

/** A key as the score needs it: tonic pitch class 0..11 (C = 0) and mode name. */
export interface ScoredKey {
  readonly tonicPc: number;
  readonly mode: string;
}

/**
 * MIREX weighted key score: 1 for the same key, 0.5 when the estimate is a perfect fifth above
 * in the same mode, 0.3 for the relative major or minor, 0.2 for the parallel key (same tonic,
 * another mode), else 0. Relative keys are counted between major and minor only, since they
 * alone share a key signature with a tonic a minor third apart.
 * @example keyScore({ tonicPc: 0, mode: 'major' }, { tonicPc: 9, mode: 'minor' }) // 0.3
 */
export function keyScore(reference: ScoredKey, estimated: ScoredKey): number {
  const ref = pitchClass('reference', reference.tonicPc);
  const est = pitchClass('estimated', estimated.tonicPc);
  const interval = (est - ref + 12) % 12;
  if (interval === 0 && reference.mode === estimated.mode) return 1;
  if (interval === 7 && reference.mode === estimated.mode) return 0.5;
  if (reference.mode === 'major' && estimated.mode === 'minor' && interval === 9) return 0.3;
  if (reference.mode === 'minor' && estimated.mode === 'major' && interval === 3) return 0.3;
  if (interval === 0) return 0.2;
  return 0;
}

function pitchClass(name: string, pc: number): number {
  if (!Number.isInteger(pc) || pc < 0 || pc > 11) {
    throw new RangeError(`${name} tonicPc must be an integer 0..11, got: ${pc}`);
  }
  return pc;
}
