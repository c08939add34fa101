/**
 * Key profiles: how much of each pitch class, counted from the tonic, a key's music contains.
 * Each pair is [major, minor], tonic first. Published figures, see the names.
 */

/** The name of a published pair of major and minor key profiles, or their combination. */
export type ProfileName = 'krumhansl' | 'temperley' | 'albrecht' | 'aarden' | 'bellman' | 'combined';

type Pair = readonly [readonly number[], readonly number[]];

/** Krumhansl & Kessler (1982): probe-tone ratings. */
const KRUMHANSL: Pair = [
  [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
  [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17],
];

/** Temperley (2007), from the Kostka–Payne harmony textbook excerpts. */
const TEMPERLEY: Pair = [
  [0.748, 0.06, 0.488, 0.082, 0.67, 0.46, 0.096, 0.715, 0.104, 0.366, 0.057, 0.4],
  [0.712, 0.084, 0.474, 0.618, 0.049, 0.46, 0.105, 0.747, 0.404, 0.067, 0.133, 0.33],
];

/** Albrecht & Shanahan (2013): durations in a corpus of common-practice pieces. */
const ALBRECHT: Pair = [
  [0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.08, 0.008, 0.081],
  [0.22, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052],
];

/** Aarden (2003): note counts in the Essen folksong collection. */
const AARDEN: Pair = [
  [
    17.7661, 0.145624, 14.9265, 0.160186, 19.8049, 11.3587, 0.291248, 22.062, 0.145624, 8.15494, 0.232998,
    4.95122,
  ],
  [
    18.2648, 0.737619, 14.0499, 16.8599, 0.702494, 14.4362, 0.702494, 18.6161, 4.56621, 1.93186, 7.37619,
    1.75623,
  ],
];

/** Bellman & Budge (2005): durations in chorales and common-practice pieces. */
const BELLMAN: Pair = [
  [16.8, 0.86, 12.95, 1.41, 13.49, 11.93, 1.25, 20.28, 1.8, 8.04, 0.62, 10.57],
  [18.16, 0.69, 12.99, 13.34, 1.07, 11.15, 1.38, 21.07, 7.49, 1.53, 0.92, 10.21],
];

const PAIRS: Record<Exclude<ProfileName, 'combined'>, Pair> = {
  krumhansl: KRUMHANSL,
  temperley: TEMPERLEY,
  albrecht: ALBRECHT,
  aarden: AARDEN,
  bellman: BELLMAN,
};

/** Scales a profile to sum 1 so profiles of different corpora can be averaged. */
function toShares(profile: readonly number[]): number[] {
  const total = profile.reduce((a, b) => a + b, 0);
  return profile.map((x) => x / total);
}

/** The combined profile: the average of the corpus profiles whose music is notated tonal music. */
function combined(mode: 0 | 1): number[] {
  const members = [TEMPERLEY, ALBRECHT, BELLMAN].map((pair) => toShares(pair[mode]));
  return members[0]!.map((_, i) => members.reduce((sum, p) => sum + p[i]!, 0) / members.length);
}

/**
 * The [major, minor] profiles of a name, tonic first, each scaled to sum 1.
 * @example profilePair('albrecht')[0][0] // 0.238 / 1 (the tonic's share in major)
 */
export function profilePair(name: ProfileName): [number[], number[]] {
  if (name === 'combined') return [combined(0), combined(1)];
  const pair = PAIRS[name];
  if (pair === undefined) throw new RangeError(`unknown key profile, got: ${String(name)}`);
  return [toShares(pair[0]), toShares(pair[1])];
}

/**
 * A profile centred on its mean and scaled to unit length, so that its dot product with a
 * centred pitch-class vector is Pearson's correlation times that vector's length.
 */
export function standardise(profile: readonly number[]): Float64Array {
  const mean = profile.reduce((a, b) => a + b, 0) / profile.length;
  let norm = 0;
  for (const x of profile) norm += (x - mean) ** 2;
  norm = Math.sqrt(norm);
  return Float64Array.from(profile, (x) => (norm > 0 ? (x - mean) / norm : 0));
}

/** The centred pitch-class vector, written twice over so that a rotation reads it without a remainder. */
const centred = new Float64Array(24);

/** Pearson correlation of a pitch-class vector with each of 24 standardised profiles (major 0–11, minor 12–23). */
export function correlations(
  w: Float64Array,
  profiles: readonly Float64Array[],
  out: Float64Array,
): Float64Array {
  let total = 0;
  for (let pc = 0; pc < 12; pc++) total += w[pc]!;
  const mean = total / 12;
  let norm = 0;
  for (let pc = 0; pc < 12; pc++) {
    const d = w[pc]! - mean;
    centred[pc] = d;
    centred[pc + 12] = d;
    norm += d ** 2;
  }
  norm = Math.sqrt(norm);
  if (norm === 0) return out.fill(0);
  // Asked at every onset of a long recording: the centring is done once, not once per key.
  for (let mode = 0; mode < 2; mode++) {
    const profile = profiles[mode]!;
    for (let tonic = 0; tonic < 12; tonic++) {
      let dot = 0;
      for (let degree = 0; degree < 12; degree++) dot += centred[tonic + degree]! * profile[degree]!;
      out[mode * 12 + tonic] = dot / norm;
    }
  }
  return out;
}
