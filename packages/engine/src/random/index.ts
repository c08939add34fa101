/**
 * Seeded randomness. The engine never calls Math.random: every random choice draws from an
 * {@link Rng} made from a seed, so the same seed replays to the same notes.
 */

/** A seeded source of random numbers. */
export interface Rng {
  /** A uniform number in [0, 1). */
  next(): number;
  /** A uniform number in [min, max). */
  uniform(min: number, max: number): number;
  /** A whole number in [min, max]. */
  int(min: number, max: number): number;
  /** A normally distributed number (Box–Muller). */
  normal(mean?: number, sd?: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A new, independent generator derived from this one's next draw. */
  fork(): Rng;
}

/**
 * A small, fast generator (sfc32) seeded from a whole number.
 * @example createRng(7).next() === createRng(7).next() // true
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got: ${seed}`);
  // splitmix32 spreads the seed over the generator's four words.
  let s = Math.trunc(seed) >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  let spare: number | null = null;

  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };

  const rng: Rng = {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (Math.floor(max) - Math.ceil(min) + 1)),
    normal: (mean = 0, sd = 1) => {
      if (spare !== null) {
        const z = spare;
        spare = null;
        return mean + sd * z;
      }
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return mean + sd * r * Math.cos(2 * Math.PI * v);
    },
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick needs a non-empty array, got: []');
      return items[Math.floor(next() * items.length)] as T;
    },
    fork: () => createRng(Math.floor(next() * 4294967296)),
  };
  return rng;
}
