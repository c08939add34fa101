/**
 * Instruments as key/velocity zones over sample buffers, whatever their source (the sampled
 * piano or a SoundFont preset), and the choice of zones for a note.
 */
import type { Midi, Seconds, Velocity } from '@attune/engine';
import type { Envelope } from '../envelope/index.ts';

/** How a note's velocity sets its level. */
export type VelocityCurve =
  /** Level ∝ (velocity/127)²: the SoundFont default (40·log₁₀ dB). */
  | 'square'
  /** Level ∝ velocity/top of the zone's velocity range: for layered recordings, whose loudness is in the sample. */
  | 'layer';

/** A region of keys and velocities sounding one sample buffer. */
export interface Zone {
  /** The id of a sample buffer in a sample bank. */
  readonly sample: string;
  readonly keyLo: Midi;
  readonly keyHi: Midi;
  readonly velLo: Velocity;
  readonly velHi: Velocity;
  /** The (fractional) key at which the sample sounds at its recorded pitch. */
  readonly rootKey: Midi;
  /** Cents per key: 100 for tempered pitch, 0 for the same pitch on every key. */
  readonly scaleTuning: number;
  /** Linear level of the zone at full velocity. */
  readonly gain: number;
  /** -1 (left) … 1 (right). */
  readonly pan: number;
  /** Seconds into the buffer where playing begins. */
  readonly start: Seconds;
  /** A sustain loop in seconds of the buffer, or null to play the sample through once. */
  readonly loop: { readonly start: Seconds; readonly end: Seconds } | null;
  readonly envelope: Envelope;
  /** Non-zero: a new note of this class silences sounding notes of the same class (open/closed hi-hat). */
  readonly exclusiveClass: number;
  readonly velocityCurve: VelocityCurve;
}

/** A playable instrument: a name and its zones. */
export interface Instrument {
  readonly id: string;
  readonly name: string;
  readonly zones: readonly Zone[];
}

/**
 * The zones that sound for a key and velocity. When no zone covers the key (a soundfont preset
 * with gaps, a key beyond the piano), the zones of the nearest covered key are used, so a note
 * is never silently lost.
 * @example selectZones(piano, 60, 100).length // 1
 */
export function selectZones(instrument: Instrument, key: Midi, velocity: Velocity): Zone[] {
  const k = Math.round(key);
  const v = Math.max(1, Math.min(127, Math.round(velocity)));
  const hits = instrument.zones.filter((z) => k >= z.keyLo && k <= z.keyHi && v >= z.velLo && v <= z.velHi);
  if (hits.length > 0) return hits;
  let best: Zone[] = [];
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const zone of instrument.zones) {
    const keyDistance = k < zone.keyLo ? zone.keyLo - k : k > zone.keyHi ? k - zone.keyHi : 0;
    const velDistance = v < zone.velLo ? zone.velLo - v : v > zone.velHi ? v - zone.velHi : 0;
    const distance = keyDistance * 128 + velDistance;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = [zone];
    } else if (distance === bestDistance) best.push(zone);
  }
  return best;
}

/**
 * The playback rate that turns a zone's sample into a key.
 * @example pitchRatio({ rootKey: 60, scaleTuning: 100 }, 72) // 2
 */
export function pitchRatio(zone: Pick<Zone, 'rootKey' | 'scaleTuning'>, key: Midi): number {
  return 2 ** (((key - zone.rootKey) * zone.scaleTuning) / 1200);
}

/**
 * The linear level of a note in a zone.
 * @example velocityGain({ gain: 1, velHi: 127, velocityCurve: 'square' }, 64) // ≈ 0.254
 */
export function velocityGain(
  zone: Pick<Zone, 'gain' | 'velHi' | 'velocityCurve'>,
  velocity: Velocity,
): number {
  const v = Math.max(1, Math.min(127, velocity));
  if (zone.velocityCurve === 'layer') return zone.gain * Math.min(1, v / Math.max(1, zone.velHi));
  return zone.gain * (v / 127) ** 2;
}
