/**
 * A track's onsets packed into one shared buffer of numbers, so a listening thread reads them
 * without a copy; unpacked, they are the same onsets, field for field.
 */
import type { Onset } from '@attune/engine/events';

/** Numbers per onset: time, velocity, pitch, duration (NaN when absent) and a percussion flag. */
const FIELDS = 5;
/** The flag's values: no `percussive` field, false, true. */
const ABSENT = 0;
const NO = 1;
const YES = 2;

/** The onsets in a shared buffer. */
export function packOnsets(onsets: readonly Onset[]): Float64Array {
  const packed = new Float64Array(new SharedArrayBuffer(onsets.length * FIELDS * 8));
  onsets.forEach((x, i) => {
    const at = i * FIELDS;
    packed[at] = x.t;
    packed[at + 1] = x.velocity;
    packed[at + 2] = x.pitch ?? Number.NaN;
    packed[at + 3] = x.duration ?? Number.NaN;
    packed[at + 4] = x.percussive === undefined ? ABSENT : x.percussive ? YES : NO;
  });
  return packed;
}

/** The onsets of a packed buffer. */
export function unpackOnsets(packed: Float64Array): Onset[] {
  const onsets: Onset[] = [];
  for (let at = 0; at < packed.length; at += FIELDS) {
    const pitch = packed[at + 2] as number;
    const duration = packed[at + 3] as number;
    const flag = packed[at + 4] as number;
    const onset: { -readonly [K in keyof Onset]: Onset[K] } = {
      t: packed[at] as number,
      velocity: packed[at + 1] as number,
    };
    if (!Number.isNaN(pitch)) onset.pitch = pitch;
    if (!Number.isNaN(duration)) onset.duration = duration;
    if (flag !== ABSENT) onset.percussive = flag === YES;
    onsets.push(onset);
  }
  return onsets;
}
