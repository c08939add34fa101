/**
 * How strongly an onset marks time. A pulse is carried by the accented events: a kick or snare
 * more than a hi-hat, a loud chord with a bass note more than a soft passing note.
 */
import type { Onset } from '../events/index.ts';
import type { Midi } from '../time/index.ts';

/**
 * Weight of a percussion key: how often that drum falls on the beat rather than between beats
 * in real grooves (measured on drummers playing to a click). The kick, rim-shot backbeat, pedal
 * hi-hat, ride bell and crashes mark the beat; plain snare strokes include ghost notes, and the
 * closed and open hi-hat subdivide. Keys 22 and 26 are the hi-hat edge of common electronic kits.
 */
export function drumWeight(key: Midi): number {
  switch (Math.round(key)) {
    case 35:
    case 36:
      return 1; // kick
    case 40:
      return 1; // rim shot: the accented backbeat
    case 38:
    case 39:
      return 0.6; // snare with its ghost notes, clap
    case 37:
      return 0.6; // side stick
    case 44:
      return 0.6; // pedal hi-hat keeps the beat with the foot
    case 49:
    case 52:
    case 55:
    case 57:
      return 0.8; // crashes mark strong beats
    case 53:
    case 59:
      return 0.7; // ride bell and edge
    case 51:
      return 0.4; // ride
    case 22:
      return 0.4;
    case 41:
    case 43:
    case 45:
    case 47:
    case 48:
    case 50:
      return 0.4; // toms, mostly in fills
    case 42:
    case 26:
    case 46:
      return 0.2; // closed and open hi-hat subdivide
    default:
      return 0.35;
  }
}

/** Running-mean memory, in onsets, of the typical velocity of each drum or of the keyboard. */
const VELOCITY_MEMORY = 16;
/** How far above or below the usual loudness an accent can count. */
const ACCENT_RANGE = 2;
/**
 * Salience of the onset clusters a player makes, heard relative to their habits: a velocity
 * counts against the running mean velocity of the same drum (a soft kick is still a kick) or, for
 * pitched playing, of all recent notes. The notes of a cluster add up, so a chord counts more
 * than a single note. Call {@link begin}, then {@link add} each onset of a cluster, then read
 * {@link value}.
 */
export class SalienceModel {
  private readonly meanVelocity = new Float64Array(129);
  private sum = 0;

  /** Starts a new cluster. */
  begin(): void {
    this.sum = 0;
  }

  /** Adds an onset to the cluster; returns its own salience, to find the cluster's main stroke. */
  add(onset: Onset): number {
    const velocity = Number.isFinite(onset.velocity) ? Math.min(127, Math.max(1, onset.velocity)) : 64;
    const keyed = onset.percussive && onset.pitch !== undefined && Number.isFinite(onset.pitch);
    const slot = keyed ? Math.min(127, Math.max(0, Math.round(onset.pitch as number))) : 128;
    const mean = this.meanVelocity[slot] as number;
    const typical = mean > 0 ? mean : velocity;
    this.meanVelocity[slot] = mean > 0 ? mean + (velocity - mean) / VELOCITY_MEMORY : velocity;
    const accent = Math.min(ACCENT_RANGE, Math.max(1 / ACCENT_RANGE, velocity / typical));
    const salience = accent * onsetWeight(onset);
    this.sum += salience;
    return salience;
  }

  /** The cluster's salience. */
  value(): number {
    return this.sum;
  }
}

/** The weight of an onset by what it is, regardless of how loud: drum kind, bass, length. */
export function onsetWeight(onset: Onset): number {
  if (onset.percussive) return onset.pitch === undefined ? 1 : drumWeight(onset.pitch);
  let weight = 1;
  // Bass notes anchor the beat in piano playing: up to half as much again below C3.
  if (onset.pitch !== undefined && Number.isFinite(onset.pitch)) {
    weight *= 1 + 0.5 * Math.min(1, Math.max(0, (64 - onset.pitch) / 16));
  }
  // Held notes are felt as arrivals; grace and passing notes are short.
  if (onset.duration !== undefined && Number.isFinite(onset.duration)) {
    weight *= 0.6 + 0.4 * Math.min(1, Math.max(0, onset.duration / 0.4));
  }
  return weight;
}

/**
 * The salience of one onset on its own, about 1 for a firm kick or note at velocity 100: louder,
 * lower, longer and beat-carrying drums count more.
 * @example onsetSalience({ t: 0, velocity: 100, percussive: true, pitch: 36 }) // 1
 */
export function onsetSalience(onset: Onset): number {
  const velocity = Number.isFinite(onset.velocity) ? Math.min(127, Math.max(1, onset.velocity)) : 64;
  return (velocity / 100) ** 1.5 * onsetWeight(onset);
}

/** Beats in the cycle over which drum strokes are read: a bar of 4/4. */
export const CYCLE = 4;
/** Positions over that cycle at which drum strokes are told apart: sixteenths and triplets. */
export const POSITIONS = 12 * CYCLE;
/** Positions per beat. */
const PER_BEAT = 12;

/**
 * The kind of stroke a percussion key makes, as far as where it falls in the beat goes:
 * 0 kick, 1 snare, 2 rim shot, 3 side stick, 4 closed hi-hat, 5 pedal hi-hat, 6 open hi-hat,
 * 7 ride, 8 ride bell, 9 crash, 10 tom, 11 anything else.
 */
export function drumClass(key: Midi): number {
  switch (Math.round(key)) {
    case 35:
    case 36:
      return 0;
    case 38:
    case 39:
      return 1;
    case 40:
      return 2;
    case 37:
      return 3;
    case 42:
    case 22:
      return 4;
    case 44:
      return 5;
    case 46:
    case 26:
      return 6;
    case 51:
    case 59:
      return 7;
    case 53:
      return 8;
    case 49:
    case 52:
    case 55:
    case 57:
      return 9;
    case 41:
    case 43:
    case 45:
    case 47:
    case 48:
    case 50:
      return 10;
    default:
      return 11;
  }
}

/**
 * How much more (positive) or less (negative) likely than chance each kind of stroke is at each
 * twelfth of a beat over a bar of four beats, as a natural log ratio: measured on the 887 train
 * recordings in 4/4 by drummers playing to a click. Positions 0, 12, 24 and 36 are beats 1 to 4
 * (the kick's and the backbeat's), 6, 18, 30 and 42 the off-beats, and the twelfth before a beat
 * is where a drummer pushing the time plays. Read over a bar, the table tells the tactus from its
 * double (the backbeat would fall on beat 3) and its half (kick and snare within one beat).
 */
const POSITION_LOG_RATIO: readonly (readonly number[])[] = [
  [
    1.74, 0.02, -0.8, -1.68, -1.99, -0.61, 0.17, -0.96, -0.02, 0.66, -0.75, -0.21, 0.77, -0.43, -1.46, -0.62,
    -1.49, 0.04, 0.52, -0.4, -0.53, -0.22, -0.41, 0.37, 1.37, -0.37, -0.66, -0.36, -1.64, -0.14, 0.53, -0.58,
    -0.15, 0.1, -1.06, 0.03, 0.73, -0.7, -1.1, -0.47, -1.43, -0.1, 0.39, -0.48, -0.64, -0.6, -0.63, 0.94,
  ],
  [
    -0.02, -1.22, -0.34, 0.36, -0.14, -0.09, 0.11, -0.87, -0.3, 0.25, -0.63, 0.11, 0.87, -0.56, -0.24, 0.45,
    -0.1, -0.1, 0.06, -0.93, -0.07, 0.66, -0.1, 0.03, 0.13, -1.17, -0.22, 0.58, -0.09, -0.01, 0.07, -0.66,
    -0.05, 0.24, -0.58, 0.13, 0.8, -0.56, -0.24, 0.38, -0.23, -0.11, 0.13, -0.64, -0.05, 0.47, -0.12, -0.07,
  ],
  [
    0.26, -1.13, -1.05, -0.76, -2.01, -0.7, 0.15, -1.82, -1.17, -0.08, -1.69, 0.65, 1.92, -0.76, -1.95, -0.82,
    -1.52, -0.27, 0.86, -1.62, -0.75, -0.29, -2.41, -0.26, 0.7, -1.16, -0.44, 0.28, -1.13, -0.49, 0.56, -0.2,
    -0.62, 0.02, -1.52, 0.79, 1.81, -0.71, -0.92, -0.22, -1.19, 0.16, 0.95, -1.0, -0.09, 0.13, -1.44, -0.86,
  ],
  [
    0.71, -1.34, -1.24, -0.43, -0.69, 0.21, 0.83, -0.99, -0.06, 0.41, -1.83, 0.37, 1.43, -1.16, -1.44, -0.2,
    -0.89, -0.02, 0.46, -1.29, -0.05, 0.43, -1.31, -0.01, 0.76, -1.75, -0.56, 0.12, -0.44, 0.2, 0.72, -0.76,
    0.31, 0.2, -1.87, 0.07, 1.26, -1.31, -1.08, -0.38, -1.24, -0.07, 0.34, -1.14, 0.3, 0.23, -1.14, -0.18,
  ],
  [
    1.17, -1.62, -0.93, 0.27, -0.85, -0.02, 1.11, -1.31, -0.58, 0.23, -1.75, -0.25, 1.2, -1.55, -1.09, 0.35,
    -0.88, -0.21, 1.17, -1.01, -0.55, 0.19, -1.42, -0.02, 1.27, -1.78, -0.86, 0.4, -0.84, -0.07, 1.04, -1.65,
    -0.74, -0.01, -2.36, -0.3, 0.97, -2.1, -1.09, 0.07, -1.28, -0.35, 0.85, -1.34, -0.8, -0.2, -2.43, -0.21,
  ],
  [
    1.05, -0.64, -2.5, -2.5, -1.39, 0.64, 0.7, -1.03, -2.27, -1.73, -0.53, 1.3, 1.09, -1.46, -2.5, -2.5, -1.6,
    0.65, 0.85, -0.44, -2.24, -2.5, -0.89, 0.9, 0.75, -1.54, -2.5, -2.5, -1.13, 0.75, 0.61, -0.69, -1.82,
    -1.87, -0.38, 1.36, 1.23, -0.67, -2.5, -2.5, -1.16, 0.71, 0.59, -0.94, -2.5, -2.5, -0.88, 1.0,
  ],
  [
    1.15, -0.81, -2.5, -1.0, -1.17, 0.29, 1.01, -1.48, -0.89, 0.41, -1.42, -0.44, 0.71, -1.6, -1.76, -0.82,
    -0.76, 0.1, 0.9, -0.79, -0.48, 0.01, -1.6, -0.13, 0.85, -1.62, -1.84, -0.83, -0.95, 0.55, 1.38, -0.65,
    -0.69, -0.22, -1.32, 0.15, 1.31, -0.72, -1.41, -0.61, -1.06, 0.36, 1.17, -0.58, -0.23, 0.23, -1.29, 0.13,
  ],
  [
    1.25, -0.26, -2.3, -0.85, -0.56, -0.02, 0.88, -0.66, -0.38, -0.81, -1.37, 0.09, 1.23, -0.41, -1.85, -0.66,
    -0.63, 0.09, 0.99, -0.06, 0.01, -0.41, -1.28, 0.14, 1.28, -0.42, -2.05, -0.58, -0.24, -0.03, 0.89, -0.95,
    -0.72, -0.71, -1.2, 0.1, 1.17, -0.61, -1.71, -0.9, -1.31, -0.15, 0.81, -0.09, -0.31, -0.96, -1.96, 0.31,
  ],
  [
    1.68, -1.65, -2.5, -2.5, -2.5, -0.26, 0.55, -0.74, -0.39, -0.83, -2.11, 0.5, 1.78, -1.34, -1.65, -0.4,
    -1.13, -0.21, 0.62, -0.88, -0.55, -1.01, -2.5, 0.27, 1.7, -1.3, -2.29, -0.83, -0.6, 0.06, 0.64, -2.11,
    -1.19, -1.1, -2.29, 0.5, 1.69, -1.5, -1.46, -0.53, -2.2, -0.35, 0.33, -1.37, -1.3, -2.4, -2.5, 0.73,
  ],
  [
    2.21, 0.55, -1.46, -0.42, -0.88, -0.46, -0.08, -0.75, -1.93, -0.81, -0.61, -0.2, 0.78, 0.36, -2.07, -1.93,
    -2.07, -0.58, 0.51, -0.26, -1.14, -1.2, -1.69, -0.05, 0.69, 0.08, -1.87, -1.03, -1.93, -1.06, 0.21, 0.24,
    -1.11, -2.24, -1.64, -0.14, 0.62, 0.06, -0.93, -2.0, -2.15, -0.61, 0.6, 0.45, -1.11, -1.0, -0.43, 1.82,
  ],
  [
    0.64, 0.19, -0.9, -0.4, -0.86, -0.28, 0.32, -0.42, -0.66, -0.25, -1.6, -0.23, 0.36, -1.38, -0.83, -0.15,
    -1.06, -0.06, 0.34, -0.64, -0.06, 0.04, -0.52, 0.01, 0.72, -0.25, -0.42, 0.27, -0.62, 0.16, 0.51, -0.51,
    0.1, 0.13, -1.2, 0.49, 0.92, -1.07, -0.01, 0.38, -0.47, 0.61, 0.96, -0.05, 0.34, 0.22, -0.28, -0.19,
  ],
  [
    0.15, -1.69, -1.0, -1.41, -0.85, -0.49, 0.04, -1.0, -0.6, -1.18, -1.41, -0.02, 0.7, -1.41, -1.18, -0.71,
    -1.18, -0.09, 0.46, -0.85, -1.0, -0.85, -1.69, -0.09, 0.67, -1.41, -1.41, -1.41, -1.69, -0.4, 0.43, -1.41,
    -0.31, -0.71, -1.69, 1.04, 1.59, -0.6, -1.18, 0.04, -0.4, 1.41, 1.56, -0.31, 0.79, 0.73, -0.09, 0.38,
  ],
];

/**
 * Whether a kind of stroke (see {@link drumClass}) keeps time rather than marks the beat: the
 * closed and open hi-hat and the ride play every subdivision, in eighths here and sixteenths
 * there, so where they fall says little about which level or phase is the beat, and they
 * outnumber the kick and backbeat whose places say much (measured on the Groove train split:
 * read with them, the mean over strokes leans to the level at which sixteenths are eighths).
 */
function keepsTime(drum: number): boolean {
  return drum === 4 || drum === 6 || drum === 7;
}

/**
 * Adds what a drum stroke says about where the beat is to `out` (one log ratio per twelfth of a
 * four-beat cycle at which the stroke might fall); returns whether it said anything (pitched notes,
 * unkeyed hits and the strokes that keep time do not).
 */
export function addPositionEvidence(onset: Onset, out: Float64Array): boolean {
  if (!onset.percussive || onset.pitch === undefined || !Number.isFinite(onset.pitch)) return false;
  const drum = drumClass(onset.pitch);
  if (keepsTime(drum)) return false;
  const row = POSITION_LOG_RATIO[drum] as readonly number[];
  for (let i = 0; i < POSITIONS; i++) out[i] = (out[i] as number) + (row[i] as number);
  return true;
}

/**
 * The evidence of a cluster (its POSITIONS log ratios) for an onset `phase` beats after the first
 * beat of the cycle (any phase: it is taken modulo the cycle).
 */
export function positionEvidence(evidence: Float64Array, offset: number, phase: number): number {
  // Bit for bit `(((phase % CYCLE) + CYCLE) % CYCLE) * PER_BEAT`, without the floating-point
  // remainder, which is a library call: the hot loops of hypothesis induction read this often.
  // `phase − CYCLE·trunc(phase / CYCLE)` is the remainder exactly; adding CYCLE rounds as before.
  let y = phase - CYCLE * Math.trunc(phase / CYCLE) + CYCLE;
  if (y >= CYCLE) y -= CYCLE;
  if (y >= CYCLE) y -= CYCLE;
  const x = y * PER_BEAT;
  const lo = Math.floor(x);
  const frac = x - lo;
  const i = lo >= POSITIONS ? lo - POSITIONS : lo;
  const j = i + 1 >= POSITIONS ? i + 1 - POSITIONS : i + 1;
  const a = evidence[offset + i] as number;
  const b = evidence[offset + j] as number;
  return a + frac * (b - a);
}
