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

/**
 * Salience that hears accents relative to the player's habits: a velocity counts against the
 * running mean velocity of the same drum (a soft kick is still a kick) or, for pitched playing,
 * of all recent notes.
 */
export class SalienceModel {
  private readonly meanVelocity = new Float64Array(129);

  reset(): void {
    this.meanVelocity.fill(0);
  }

  /** The salience of an onset, about 1 for a kick or a firm note at the player's usual loudness. */
  of(onset: Onset): number {
    const velocity = Number.isFinite(onset.velocity) ? Math.min(127, Math.max(1, onset.velocity)) : 64;
    const slot =
      onset.percussive && onset.pitch !== undefined
        ? Math.min(127, Math.max(0, Math.round(onset.pitch)))
        : 128;
    const mean = this.meanVelocity[slot] as number;
    const typical = mean > 0 ? mean : velocity;
    this.meanVelocity[slot] = mean > 0 ? mean + (velocity - mean) / VELOCITY_MEMORY : velocity;
    const accent = Math.min(ACCENT_RANGE, Math.max(1 / ACCENT_RANGE, velocity / typical)) ** ACCENT_POWER;
    return accent * onsetWeight(onset);
  }
}

/** How far above or below the usual loudness an accent can count. */
const ACCENT_RANGE = 2;
const ACCENT_POWER = 1;

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
 * The salience of one onset, about 1 for a firm note or kick at velocity 100. For percussive
 * onsets `pitch`, when given, is read as the General MIDI percussion key.
 * @example onsetSalience({ t: 0, velocity: 100, percussive: true, pitch: 36 }) // 1
 */
export function onsetSalience(onset: Onset): number {
  const velocity = Number.isFinite(onset.velocity) ? Math.min(127, Math.max(1, onset.velocity)) : 64;
  const loudness = (velocity / 100) ** 1.5;
  if (onset.percussive) {
    return loudness * (onset.pitch === undefined ? 1 : drumWeight(onset.pitch));
  }
  let weight = 1;
  // Bass notes anchor the beat in piano playing: up to half as much again below C3.
  if (onset.pitch !== undefined && Number.isFinite(onset.pitch)) {
    weight *= 1 + 0.5 * Math.min(1, Math.max(0, (64 - onset.pitch) / 16));
  }
  // Held notes are felt as arrivals; grace and passing notes are short.
  if (onset.duration !== undefined && Number.isFinite(onset.duration)) {
    weight *= 0.6 + 0.4 * Math.min(1, Math.max(0, onset.duration / 0.4));
  }
  return loudness * weight;
}
