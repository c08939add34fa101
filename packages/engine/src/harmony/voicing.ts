/**
 * Voicing: placing a chord's pitch classes on the keyboard as a pianist would, a bass note, a
 * left-hand chord above it and a close right-hand chord, each in its comfortable register, led
 * from the previous voicing with as little movement as possible.
 */
import type { Midi } from '../time/index.ts';
import { type Chord, chordRole } from './chord.ts';

/** A voiced chord: bass, left hand (open, above the bass) and right hand (close), each ascending. */
export interface Voicing {
  readonly chord: Chord;
  readonly bass: Midi;
  readonly left: readonly Midi[];
  readonly right: readonly Midi[];
}

/** Comfortable registers, inclusive MIDI ranges, and the centre each voice settles around. */
export const REGISTERS = {
  bass: { low: 36, high: 52, centre: 43 },
  left: { low: 45, high: 64, centre: 54 },
  right: { low: 60, high: 81, centre: 68 },
} as const;

/** How many notes each hand plays. */
export interface VoicingOptions {
  /** Notes in the left hand above the bass, 0–3 (default 2). */
  leftVoices: number;
  /** Notes in the right hand, 1–5 (default 3). */
  rightVoices: number;
}

const DEFAULTS: VoicingOptions = { leftVoices: 2, rightVoices: 3 };

/**
 * Low-interval limits: the lowest note at which each interval (in semitones) still sounds clear
 * rather than muddy. Below them a voicing must spread out: wide at the bottom, close at the top.
 */
const LOW_INTERVAL_LIMIT: Readonly<Record<number, Midi>> = {
  1: 52, // minor second: E3
  2: 51, // major second: Eb3
  3: 48, // minor third: C3
  4: 46, // major third: Bb2
  5: 45, // perfect fourth: A2
  6: 46, // tritone: Bb2
  7: 34, // perfect fifth: Bb1
  8: 41, // minor sixth: F2
  9: 41, // major sixth: F2
  10: 41, // minor seventh: F2
  11: 41, // major seventh: F2
};

/** The right hand stays within an octave (a cluster within a fourth, under the hand); the left hand within a tenth. */
const RIGHT_SPAN = 12;
const CLUSTER_SPAN = 5;
/** No gap wider than a fifth between neighbouring fingers of the right hand. */
const RIGHT_STEP = 7;
const LEFT_SPAN = 16;
/** No hole wider than this between the hands, nor between the bass and the left hand. */
const MAX_GAP = 14;

/**
 * Voices a chord, leading smoothly from `previous` when given: the least total movement, common
 * tones held, no voice crossing, every note in its register and clear of the low-interval limits.
 * @example voiceChord(spellChord('major', 'I', 0), null) // { bass: 48, left: [52, 55], right: [60, 64, 67] }
 */
export function voiceChord(
  chord: Chord,
  previous: Voicing | null = null,
  options: Partial<VoicingOptions> = {},
): Voicing {
  const { leftVoices, rightVoices } = { ...DEFAULTS, ...options };
  if (!(Number.isInteger(leftVoices) && leftVoices >= 0 && leftVoices <= 3)) {
    throw new RangeError(`leftVoices must be a whole number 0–3, got: ${leftVoices}`);
  }
  if (!(Number.isInteger(rightVoices) && rightVoices >= 1 && rightVoices <= 5)) {
    throw new RangeError(`rightVoices must be a whole number 1–5, got: ${rightVoices}`);
  }
  // A chord with fewer pitch classes than fingers (an open fifth for four fingers) cannot be
  // close: the spans relax first, then the hands play fewer notes.
  let right = rightVoices;
  let left = leftVoices;
  for (;;) {
    for (const relax of [0, 1]) {
      const found = search(chord, previous, left, right, relax);
      if (found) return found;
    }
    if (right > 1 && right >= left) right--;
    else if (left > 0) left--;
    else break;
  }
  throw new Error(`no voicing found for chord ${chord.symbol} (${chord.pcs.join(',')})`);
}

/** The cheapest playable voicing with the given hand sizes; `relax` widens the hands' spans. */
function search(
  chord: Chord,
  previous: Voicing | null,
  leftVoices: number,
  rightVoices: number,
  relax: number,
): Voicing | null {
  const widen = relax * 7;
  const basses = pitchesOf([chord.bass], REGISTERS.bass.low, REGISTERS.bass.high);
  const rights = combinations(
    pitchesOf(chord.pcs, REGISTERS.right.low, REGISTERS.right.high),
    rightVoices,
  ).filter(
    (r) =>
      last(r) - first(r) <= (chord.quality === 'cluster' ? CLUSTER_SPAN : RIGHT_SPAN) + widen &&
      maxStep(r) <= RIGHT_STEP + widen,
  );
  const lefts = combinations(
    pitchesOf(chord.pcs, REGISTERS.left.low, REGISTERS.left.high),
    leftVoices,
  ).filter((l) => l.length === 0 || last(l) - first(l) <= LEFT_SPAN + widen);

  // Hands sorted by their own cost, so the search can stop as soon as nothing cheaper is left.
  const rightHands = rights
    .map((hand) => ({
      hand,
      cost: handCost(hand, previous?.right, REGISTERS.right.centre, 1) + rightCost(chord, hand),
    }))
    .sort((x, y) => x.cost - y.cost);
  const leftHands = lefts
    .map((hand) => ({ hand, cost: handCost(hand, previous?.left, REGISTERS.left.centre, 0.7) }))
    .sort((x, y) => x.cost - y.cost);
  const cheapestLeft = leftHands[0]?.cost ?? 0;
  let best: { cost: number; voicing: Voicing } | null = null;
  for (const bass of basses) {
    const bassCost = previous
      ? Math.abs(bass - previous.bass) * 0.5 + Math.abs(bass - REGISTERS.bass.centre) * 0.25
      : Math.abs(bass - REGISTERS.bass.centre);
    for (const right of rightHands) {
      if (best && bassCost + right.cost + cheapestLeft >= best.cost) break;
      const outer = parallelCost(previous, bass, right.hand);
      for (const left of leftHands) {
        const partial = bassCost + right.cost + left.cost + outer;
        if (best && partial >= best.cost) break;
        const pitches = [bass, ...left.hand, ...right.hand];
        if (!isPlayable(pitches, left.hand.length)) continue;
        const cost = partial + wholeCost(chord, pitches);
        if (!best || cost < best.cost)
          best = { cost, voicing: { chord, bass, left: left.hand, right: right.hand } };
      }
    }
  }
  return best?.voicing ?? null;
}

/** Movement of a hand from its previous position (matched voice by voice), or distance from its register's centre. */
function handCost(
  hand: readonly Midi[],
  previous: readonly Midi[] | undefined,
  centre: Midi,
  weight: number,
): number {
  if (hand.length === 0) return 0;
  const mean = hand.reduce((sum, p) => sum + p, 0) / hand.length;
  // A gentle pull towards the centre keeps long progressions from drifting to the register's edge.
  const pull = Math.abs(mean - centre) * 0.3;
  if (!previous || previous.length !== hand.length)
    return weight * (Math.abs(mean - centre) * hand.length) + pull;
  let moved = 0;
  let held = 0;
  for (let i = 0; i < hand.length; i++) {
    const step = Math.abs((hand[i] as number) - (previous[i] as number));
    moved += step;
    if (step === 0) held++;
  }
  // Holding a common tone in the same voice is worth a little more than its zero movement.
  return weight * (moved - 0.25 * held) + pull;
}

/**
 * Parallel octaves or fifths between the bass and the top voice make the texture hollow; open
 * fifths moving in parallel are the point of organum, so chords built of fifths are exempt.
 */
function parallelCost(previous: Voicing | null, bass: Midi, right: readonly Midi[]): number {
  if (!previous || bass === previous.bass) return 0;
  const quality = previous.chord.quality;
  if (quality === 'fifth' || quality === 'fifths') return 0;
  const top = right[right.length - 1] as Midi;
  const previousTop = previous.right[previous.right.length - 1] as Midi;
  if (top === previousTop || Math.sign(top - previousTop) !== Math.sign(bass - previous.bass)) return 0;
  const before = (previousTop - previous.bass) % 12;
  const after = (top - bass) % 12;
  return before === after && (after === 0 || after === 7) ? 3 : 0;
}

/** The right hand should hold the chord's character itself: its third and colour tones, then its root. */
function rightCost(chord: Chord, right: readonly Midi[]): number {
  let cost = 0;
  for (const pc of chord.pcs) {
    if (right.some((p) => p % 12 === pc)) continue;
    const role = chordRole(chord, pc);
    cost += role === 'third' || role === 'colour' ? 3 : role === 'root' ? 1 : 0.3;
  }
  return cost;
}

/** What the whole voicing leaves out or doubles: the third and colour tones must sound, the fifth may go. */
function wholeCost(chord: Chord, pitches: readonly Midi[]): number {
  const counts = new Array<number>(12).fill(0);
  for (const p of pitches) counts[p % 12] = (counts[p % 12] as number) + 1;
  let cost = 0;
  for (const pc of chord.pcs) {
    const n = counts[pc] as number;
    const role = chordRole(chord, pc);
    if (n === 0) cost += role === 'third' ? 10 : role === 'colour' ? 6 : role === 'root' ? 4 : 1.5;
    else if (n > 1)
      cost += (n - 1) * (role === 'root' ? 0 : role === 'fifth' ? 0.5 : role === 'third' ? 2.5 : 3);
  }
  return cost;
}

/** Ascending, hands apart, no holes, and every adjacent interval above its low limit. */
function isPlayable(pitches: readonly Midi[], leftCount: number): boolean {
  for (let i = 1; i < pitches.length; i++) {
    const lo = pitches[i - 1] as number;
    const hi = pitches[i] as number;
    const interval = hi - lo;
    if (interval <= 0) return false;
    const limit = LOW_INTERVAL_LIMIT[interval];
    if (limit !== undefined && lo < limit) return false;
    // Gaps: bass to left hand, and left hand to right hand.
    if ((i === 1 || i === leftCount + 1) && interval > MAX_GAP + (leftCount === 0 ? 10 : 0)) return false;
  }
  return true;
}

/** All MIDI pitches with one of the pitch classes in [low, high], ascending. */
function pitchesOf(pcs: readonly number[], low: Midi, high: Midi): Midi[] {
  const out: Midi[] = [];
  for (let p = low; p <= high; p++) if (pcs.includes(p % 12)) out.push(p);
  return out;
}

/** All ascending k-subsets of an ascending list. */
function combinations(items: readonly Midi[], k: number): Midi[][] {
  const out: Midi[][] = [];
  const pick = (from: number, chosen: Midi[]): void => {
    if (chosen.length === k) {
      out.push([...chosen]);
      return;
    }
    for (let i = from; i <= items.length - (k - chosen.length); i++) {
      chosen.push(items[i] as Midi);
      pick(i + 1, chosen);
      chosen.pop();
    }
  };
  pick(0, []);
  return out;
}

const maxStep = (xs: readonly number[]): number =>
  xs.reduce((m, p, i) => (i === 0 ? m : Math.max(m, p - (xs[i - 1] as number))), 0);
const first = (xs: readonly number[]): number => xs[0] as number;
const last = (xs: readonly number[]): number => xs[xs.length - 1] as number;

/** Every pitch of a voicing, ascending: bass, left hand, right hand. */
export function voicingPitches(voicing: Voicing): Midi[] {
  return [voicing.bass, ...voicing.left, ...voicing.right];
}

/**
 * Total semitones moved between two voicings, voice by voice (bass, left hand, right hand); a
 * voice with no partner counts its distance to the nearest note of the other hand.
 * @example voiceLeadingDistance(cMajor, aMinor) // 2: only G moves, up to A
 */
export function voiceLeadingDistance(a: Voicing, b: Voicing): number {
  return Math.abs(a.bass - b.bass) + handDistance(a.left, b.left) + handDistance(a.right, b.right);
}

function handDistance(a: readonly Midi[], b: readonly Midi[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  if (a.length === b.length) return a.reduce((sum, p, i) => sum + Math.abs(p - (b[i] as number)), 0);
  const [more, fewer] = a.length > b.length ? [a, b] : [b, a];
  return more.reduce((sum, p) => sum + Math.min(...fewer.map((q) => Math.abs(p - q))), 0);
}
