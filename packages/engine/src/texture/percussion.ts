/**
 * Percussion textures: simple, supportive patterns as General MIDI percussion keys. They mark
 * the pulse for the client to lean on and never compete with the client's own drumming.
 */
import type { Beats } from '../time/index.ts';
import { grid, type Span, strength } from './rhythm.ts';

/** General MIDI percussion keys the companion uses. */
export const GM = {
  bassDrum: 36,
  sideStick: 37,
  snare: 38,
  lowFloorTom: 41,
  closedHat: 42,
  pedalHat: 44,
  lowTom: 45,
  openHat: 46,
  crash: 49,
  ride: 51,
  tambourine: 54,
  lowConga: 64,
  maracas: 70,
} as const;

/** One hit: when, which key, how strong relative to the texture's velocity (about 1). */
export interface Hit {
  readonly start: Beats;
  readonly key: number;
  readonly weight: number;
}

/**
 * A heartbeat: a soft low drum on the strong beats (just the downbeat when calm), a low conga on
 * the other beats when lively.
 */
export function heartbeat(span: Span, energy: number): Hit[] {
  const hits: Hit[] = [];
  for (const t of grid(span, 1)) {
    const s = strength(span, t);
    if (s === 3 || (s === 2 && energy >= 0.3) || (t === span.start && s >= 1)) {
      hits.push({ start: t, key: GM.bassDrum, weight: s === 3 ? 1 : 0.85 });
    } else if (energy >= 0.6) hits.push({ start: t, key: GM.lowConga, weight: 0.7 });
  }
  return hits;
}

/**
 * A steady groove: bass drum on the strong beats, side stick on the others, and a shaker that
 * fills in quarters or eighths as energy rises.
 */
export function steady(span: Span, energy: number): Hit[] {
  const hits: Hit[] = [];
  for (const t of grid(span, 1)) {
    const s = strength(span, t);
    if (s >= 2 || t === span.start) hits.push({ start: t, key: GM.bassDrum, weight: s === 3 ? 1 : 0.9 });
    else if (energy >= 0.3) hits.push({ start: t, key: GM.sideStick, weight: 0.8 });
  }
  if (energy >= 0.45) {
    for (const t of grid(span, energy >= 0.75 ? 2 : 1)) {
      hits.push({ start: t, key: GM.maracas, weight: strength(span, t) >= 1 ? 0.75 : 0.65 });
    }
  }
  return hits;
}

/**
 * A driving beat for intense moments: bass drum on the strong beats and before them, snare on
 * the others, closed hi-hat in eighths (sixteenths at the top) and an open hi-hat at the bar's end.
 */
export function drive(span: Span, energy: number): Hit[] {
  const hits: Hit[] = [];
  for (const t of grid(span, 2)) {
    const s = strength(span, t);
    if (s >= 2 || t === span.start) hits.push({ start: t, key: GM.bassDrum, weight: 1 });
    else if (s === 1) hits.push({ start: t, key: energy >= 0.4 ? GM.snare : GM.sideStick, weight: 0.9 });
    else if (energy >= 0.65 && strength(span, t + 0.5) >= 2)
      hits.push({ start: t, key: GM.bassDrum, weight: 0.75 });
  }
  const hatRate = energy >= 0.85 ? 4 : energy >= 0.35 ? 2 : 1;
  for (const t of grid(span, hatRate)) {
    const lastOffbeat = strength(span, t + 0.5) === 3 && hatRate >= 2;
    hits.push({
      start: t,
      key: lastOffbeat ? GM.openHat : GM.closedHat,
      weight: strength(span, t) >= 1 ? 0.65 : 0.5,
    });
  }
  // A crash marks the downbeat of each bar when the music is at its most intense.
  if (energy >= 0.9) {
    for (const t of grid(span, 1))
      if (strength(span, t) === 3) hits.push({ start: t, key: GM.crash, weight: 0.8 });
  }
  return hits;
}
