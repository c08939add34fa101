/**
 * Every idiom as data, in listing order. The idioms themselves live in `modes.ts`, `open.ts` and
 * `colour.ts`; their shape in `types.ts`.
 */
import { BLUES, CLUSTERS } from './colour.ts';
import { DORIAN, LYDIAN, MAJOR, MINOR, MIXOLYDIAN, PHRYGIAN, SPANISH } from './modes.ts';
import { MINOR_PENTATONIC, ORGANUM, PENTATONIC, WHOLE_TONE } from './open.ts';
import type { Idiom } from './types.ts';

export type { ChordSpec, Idiom, IdiomMotion, IdiomName, IdiomTextures, PedalSpec } from './types.ts';

/** Every idiom, in the order `attune idioms` lists them. */
export const IDIOMS: readonly Idiom[] = [
  MAJOR,
  MINOR,
  PENTATONIC,
  MINOR_PENTATONIC,
  DORIAN,
  MIXOLYDIAN,
  LYDIAN,
  PHRYGIAN,
  SPANISH,
  WHOLE_TONE,
  ORGANUM,
  BLUES,
  CLUSTERS,
];
