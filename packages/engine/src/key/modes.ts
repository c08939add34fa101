/**
 * Modes beyond major and minor: the church modes and pentatonic collections the idioms use.
 * A modal label is given only when the notes keep to the mode's collection, its characteristic
 * degree is clearly heard and the competing tonal degree is not, so that tonal music keeps its
 * major or minor answer.
 */

/** A key's mode. */
export type Mode =
  | 'major'
  | 'minor'
  | 'dorian'
  | 'phrygian'
  | 'lydian'
  | 'mixolydian'
  | 'major-pentatonic'
  | 'minor-pentatonic';

/** Every mode, tonal ones first. */
export const MODES: readonly Mode[] = [
  'major',
  'minor',
  'dorian',
  'phrygian',
  'lydian',
  'mixolydian',
  'major-pentatonic',
  'minor-pentatonic',
];

/** Degrees of each mode in semitones above its tonic. */
export const MODE_DEGREES: Record<Mode, readonly number[]> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  phrygian: [0, 1, 3, 5, 7, 8, 10],
  lydian: [0, 2, 4, 6, 7, 9, 11],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
  'major-pentatonic': [0, 2, 4, 7, 9],
  'minor-pentatonic': [0, 3, 5, 7, 10],
};

/** What must be heard (share of the weight at least `present`) and what must not (at most `absent`). */
interface ModalRule {
  readonly mode: Mode;
  /** The tonal mode whose tonic this mode shares and whose answer it may refine. */
  readonly refines: 'major' | 'minor';
  /** A pentatonic collection, whose tonic the caller's key need not share. */
  readonly pentatonic?: boolean;
  /** Degrees above the mode's tonic that must be clearly present. */
  readonly present: readonly number[];
  /** Degrees above the mode's tonic that must be (nearly) absent. */
  readonly absent: readonly number[];
}

const RULES: readonly ModalRule[] = [
  // Dorian: a minor third with a major sixth, and no leading tone.
  { mode: 'dorian', refines: 'minor', present: [0, 3, 7, 9, 10], absent: [4, 8, 11] },
  // Phrygian: a minor second above the tonic, no major second, no leading tone.
  { mode: 'phrygian', refines: 'minor', present: [0, 1, 3, 7], absent: [2, 4, 11] },
  // Lydian: a raised fourth with the major seventh, no perfect fourth.
  { mode: 'lydian', refines: 'major', present: [0, 4, 6, 7], absent: [3, 5, 10] },
  // Mixolydian: a major third with a minor seventh, no leading tone.
  { mode: 'mixolydian', refines: 'major', present: [0, 4, 7, 10], absent: [3, 11] },
  // Pentatonics: all five tones and none of the two that would fill the gaps.
  { mode: 'major-pentatonic', refines: 'major', pentatonic: true, present: [0, 2, 4, 7, 9], absent: [5, 11] },
  { mode: 'minor-pentatonic', refines: 'minor', pentatonic: true, present: [0, 3, 5, 7, 10], absent: [2, 8] },
];

/** Thresholds of the modal decision, as shares of the heard pitch-class weight. */
export interface ModalThresholds {
  /** A degree counts as present from this share. */
  present: number;
  /** A degree counts as absent up to this share. */
  absent: number;
  /** The notes outside the mode's collection may add up to this share. */
  outside: number;
}

export const DEFAULT_MODAL_THRESHOLDS: ModalThresholds = {
  present: 0.05,
  absent: 0.005,
  outside: 0.015,
};

/** A tonic and its mode. */
export interface TonicMode {
  tonicPc: number;
  mode: Mode;
}

/**
 * The modal reading of heard pitch classes (`shares`, summing to 1), or null when the major or
 * minor answer should stand. A church mode only refines the tonal key on its own tonic. A
 * pentatonic collection fits three major keys alike, so the key profiles cannot tell its tonic:
 * among the collection's two readings (major pentatonic on one note, minor pentatonic a minor
 * third below) the one whose tonic has more `tonicEvidence` wins.
 * @example modalReading(sharesOfADorianTune, { tonicPc: 2, mode: 'minor' }, evidence) // { tonicPc: 2, mode: 'dorian' }
 */
export function modalReading(
  shares: ArrayLike<number>,
  tonal: TonicMode,
  tonicEvidence: ArrayLike<number>,
  thresholds: ModalThresholds = DEFAULT_MODAL_THRESHOLDS,
): TonicMode | null {
  // Every mode here has at most seven tones: more clearly heard pitch classes rule them all out.
  let heard = 0;
  for (let pc = 0; pc < 12; pc++) if ((shares[pc] ?? 0) > thresholds.outside) heard++;
  if (heard > 7) return null;
  for (const rule of RULES) {
    if (rule.pentatonic) continue;
    if (rule.refines === tonal.mode && fits(shares, tonal.tonicPc, rule, thresholds)) {
      return { tonicPc: tonal.tonicPc, mode: rule.mode };
    }
  }
  let best: TonicMode | null = null;
  let bestEvidence = Number.NEGATIVE_INFINITY;
  for (const rule of RULES) {
    if (!rule.pentatonic) continue;
    for (let tonic = 0; tonic < 12; tonic++) {
      const evidence = tonicEvidence[tonic] ?? 0;
      if (evidence > bestEvidence && fits(shares, tonic, rule, thresholds)) {
        best = { tonicPc: tonic, mode: rule.mode };
        bestEvidence = evidence;
      }
    }
  }
  return best;
}

function fits(
  shares: ArrayLike<number>,
  tonic: number,
  rule: ModalRule,
  thresholds: ModalThresholds,
): boolean {
  for (const degree of rule.present)
    if ((shares[pcOf(tonic + degree)] ?? 0) < thresholds.present) return false;
  for (const degree of rule.absent) if ((shares[pcOf(tonic + degree)] ?? 0) > thresholds.absent) return false;
  let outside = 1;
  for (const degree of MODE_DEGREES[rule.mode]) outside -= shares[pcOf(tonic + degree)] ?? 0;
  return outside <= thresholds.outside;
}

/** The pitch class of a tonic (0–11) plus a degree (0–11), without a remainder. */
function pcOf(sum: number): number {
  return sum >= 12 ? sum - 12 : sum;
}
