/**
 * The rhythmic grid textures play on: attack positions in beats by energy, the metric strength
 * of a position, articulation and dynamics. Low energy means fewer, softer, longer notes.
 */
import { type Beats, TIME_EPSILON, type Velocity } from '../time/index.ts';

/** Where a chord sits in musical time: its span and the bar grid around it. */
export interface Span {
  readonly start: Beats;
  readonly duration: Beats;
  readonly beatsPerBar: number;
  /** A beat on which a bar begins. */
  readonly barStart: Beats;
}

/** Position of a beat inside its bar, 0 ≤ position < beatsPerBar. */
export function positionInBar(span: Span, beat: Beats): Beats {
  const p = (beat - span.barStart) % span.beatsPerBar;
  const wrapped = p < 0 ? p + span.beatsPerBar : p;
  return wrapped > span.beatsPerBar - TIME_EPSILON ? 0 : wrapped;
}

/**
 * Metric strength of a beat: 3 for the downbeat, 2 for the other strong beats (beat 3 in 4/4,
 * each dotted-half group in 6/4), 1 for the other beats, 0 off the beat.
 */
export function strength(span: Span, beat: Beats): number {
  const p = positionInBar(span, beat);
  const near = (x: number) => Math.abs(p - x) < TIME_EPSILON;
  if (near(0)) return 3;
  const { beatsPerBar } = span;
  if (beatsPerBar % 2 === 0 && beatsPerBar > 2 && near(beatsPerBar / 2)) return 2;
  if (beatsPerBar % 3 === 0 && beatsPerBar > 3 && near(Math.round(p / 3) * 3)) return 2;
  return near(Math.round(p)) ? 1 : 0;
}

/** The grid inside a span at `perBeat` attacks per beat, aligned to the bars, always including the span's start. */
export function grid(span: Span, perBeat: number): Beats[] {
  const step = 1 / perBeat;
  const end = span.start + span.duration;
  const times: Beats[] = [span.start];
  const first = span.barStart + Math.ceil((span.start - span.barStart) / step + TIME_EPSILON) * step;
  for (let k = 0; first + k * step < end - TIME_EPSILON; k++) {
    // Rounded so that triplet grids land exactly on the beat.
    const t = Math.round((first + k * step) * 1e9) / 1e9;
    if (t > span.start + TIME_EPSILON) times.push(t);
  }
  return times;
}

/**
 * Attacks of a chordal texture by energy: the chord's start and downbeats when calm, the strong
 * beats when moderate, every beat when lively, every half beat when intense.
 */
export function chordalAttacks(span: Span, energy: number): Beats[] {
  if (energy >= 0.8) return grid(span, 2);
  const all = grid(span, 1);
  if (energy >= 0.55) return all;
  const least = energy < 0.3 ? 3 : 2;
  return all.filter((t, i) => i === 0 || strength(span, t) >= least);
}

/** Attacks per beat of a figure (broken chord, arpeggio, ostinato): one, two or four. */
export function figureRate(energy: number): number {
  return energy < 0.3 ? 1 : energy < 0.7 ? 2 : 4;
}

/** How much of the time to the next attack a note sounds: legato when calm, detached when intense. */
export function articulation(energy: number): number {
  return 1 - 0.3 * energy;
}

/**
 * Velocity from the client's loudness, the energy and the metric strength; a voice's `balance`
 * keeps accompaniment under the client.
 */
export function velocityFor(base: Velocity, energy: number, beatStrength: number, balance: number): Velocity {
  const accent = [0.88, 0.94, 1.0, 1.08][beatStrength] ?? 1;
  const v = base * (0.6 + 0.45 * energy) * accent * balance;
  return Math.max(1, Math.min(127, Math.round(v)));
}

/** Durations: each attack lasts to the next one (or the span's end), shortened by the articulation. */
export function durations(span: Span, attacks: readonly Beats[], energy: number): Beats[] {
  const end = span.start + span.duration;
  const a = articulation(energy);
  return attacks.map((t, i) => Math.max(0.05, ((attacks[i + 1] ?? end) - t) * a));
}
