/**
 * Textures: how each voice of the companion turns a voiced chord, its span in beats and the bar
 * grid into notes. Musical time only: notes come out in beats, and the companion converts them to
 * seconds with the client's pulse. Energy 0..1 sets density, length and loudness together.
 */
import type { Voicing } from '../harmony/index.ts';
import { getIdiom, type IdiomRef } from '../idiom/index.ts';
import { assertRange, type Beats, type Midi, type Velocity } from '../time/index.ts';
import { drive, GM, type Hit, heartbeat, steady } from './percussion.ts';
import {
  alberti,
  arpeggio,
  bassDrone,
  bassRoot,
  bassRootFifth,
  bassWalking,
  block,
  broken,
  chorale,
  ostinato,
  type PitchedContext,
  type RawNote,
  sustain,
  tremolo,
} from './pitched.ts';
import { type Span, strength, velocityFor } from './rhythm.ts';
import { isStyleOf, TEXTURE_STYLES, type TextureStyle, type Voice } from './styles.ts';

export { GM } from './percussion.ts';
export { isStyleOf, isVoice, TEXTURE_STYLES, type TextureStyle, VOICES, type Voice } from './styles.ts';

/** A note of a texture in musical time; for `percussion`, `pitch` is a General MIDI percussion key. */
export interface TextureNote {
  readonly voice: Voice;
  readonly pitch: Midi;
  readonly velocity: Velocity;
  readonly start: Beats;
  readonly duration: Beats;
}

/** What a texture plays from. */
export interface TextureInput {
  /** The chord, voiced (from the harmony planner or `voiceChord`). */
  readonly voicing: Voicing;
  /** When the chord starts, in beats. */
  readonly start: Beats;
  /** How long it lasts, in beats. */
  readonly duration: Beats;
  /** Beats in a bar (default 4). */
  readonly beatsPerBar?: number;
  /** A beat on which a bar begins (default 0). */
  readonly barStart?: Beats;
  /** 0..1: low energy plays fewer, softer, longer notes. */
  readonly energy: number;
  /** Base velocity, matched to the client's loudness. */
  readonly velocity: Velocity;
  /** Register offset in whole octaves, so every pitch keeps its pitch class. */
  readonly octaves?: number;
  /** Pitch classes of the key's scale, for the walking bass and drones (default: the chord's). */
  readonly scale?: readonly number[];
  /** The next chord, which a walking bass leads into. */
  readonly next?: Voicing | null;
  /** Which mallet figure to play; keep it for a passage so the ostinato repeats. */
  readonly pattern?: number;
  /** The chord ends a phrase: one attack held, then a breath before what follows. */
  readonly ending?: boolean;
}

/** How loud each voice sits against the client's level: accompaniment stays under the client. */
const BALANCE: Readonly<Record<Voice, number>> = {
  bass: 0.95,
  'piano-left': 0.85,
  'piano-right': 0.9,
  mallets: 0.8,
  percussion: 0.8,
  pad: 0.7,
};

/** The highest note the mallets reach. */
const MALLET_CEILING = 96;

/**
 * The notes one voice plays over one chord in a texture, in beats, sorted by start.
 * Bad musical input (an empty or negative span) gives no notes; a style the voice cannot play,
 * or an energy, velocity or octave out of range, throws with the value.
 * @example texture('bass', 'root', { voicing, start: 0, duration: 4, energy: 0.2, velocity: 80 }) // one held root
 */
export function texture<V extends Voice>(
  voice: V,
  style: TextureStyle<V>,
  input: TextureInput,
): TextureNote[] {
  if (!isStyleOf(voice, style)) {
    const valid = Object.hasOwn(TEXTURE_STYLES, voice) ? TEXTURE_STYLES[voice].join(', ') : 'none';
    throw new RangeError(`voice "${voice}" has no texture "${style}"; valid textures: ${valid}`);
  }
  assertRange('energy', input.energy, 0, 1);
  assertRange('velocity', input.velocity, 1, 127);
  const octaves = input.octaves ?? 0;
  if (!(Number.isInteger(octaves) && Math.abs(octaves) <= 3)) {
    throw new RangeError(`octaves must be a whole number −3–3, got: ${octaves}`);
  }
  const beatsPerBar = input.beatsPerBar ?? 4;
  if (!(Number.isInteger(beatsPerBar) && beatsPerBar >= 1)) {
    throw new RangeError(`beatsPerBar must be a whole number ≥ 1, got: ${beatsPerBar}`);
  }
  if (!(Number.isFinite(input.start) && Number.isFinite(input.duration)) || input.duration <= 0) return [];
  const span: Span = {
    start: input.start,
    duration: input.duration,
    beatsPerBar,
    barStart: input.barStart ?? 0,
  };
  const energy = input.energy;
  const balance = BALANCE[voice];

  if (voice === 'percussion') {
    const hits = input.ending
      ? endingHits(span, energy)
      : percussionHits(style as TextureStyle<'percussion'>, span, energy);
    return sortNotes(
      hits.map((h) => ({
        voice,
        pitch: h.key,
        velocity: velocityFor(input.velocity * h.weight, energy, strength(span, h.start), balance),
        start: h.start,
        duration: 0.25,
      })),
    );
  }

  const ctx: PitchedContext = {
    span,
    voicing: input.voicing,
    energy,
    scale: input.scale ?? input.voicing.chord.pcs,
    next: input.next ?? null,
    pattern: input.pattern ?? 0,
  };
  const raw = input.ending ? endingNotes(voice, ctx) : pitchedNotes(voice, style, ctx);
  return sortNotes(
    raw.map((n) => ({
      voice,
      pitch: fold(n.pitch + 12 * octaves),
      velocity: velocityFor(input.velocity * n.weight, energy, strength(span, n.start), balance),
      start: n.start,
      duration: n.duration,
    })),
  );
}

/** The pitches each voice draws on from a voicing. */
function handOf(voice: Voice, v: Voicing): Midi[] {
  switch (voice) {
    case 'bass':
      return [v.bass];
    case 'piano-left':
      return [v.bass, ...v.left];
    case 'piano-right':
      return [...v.right];
    case 'mallets':
      return v.right.map((p) => p + 12);
    case 'pad':
      return [...v.left, ...v.right];
    case 'percussion':
      return [];
  }
}

function pitchedNotes(voice: Voice, style: string, ctx: PitchedContext): RawNote[] {
  const hand = handOf(voice, ctx.voicing);
  switch (style) {
    case 'root':
      return bassRoot(ctx);
    case 'root-fifth':
      return bassRootFifth(ctx);
    case 'walking':
      return bassWalking(ctx);
    case 'drone':
      return bassDrone(ctx);
    case 'block':
      return block(ctx, hand);
    case 'chorale':
      return chorale(ctx, hand);
    case 'broken':
      return broken(ctx, hand);
    case 'alberti':
      return alberti(ctx, hand);
    case 'arpeggio':
      return arpeggio(ctx, hand, voice === 'mallets' ? MALLET_CEILING : 88);
    case 'tremolo':
      return tremolo(ctx, hand);
    case 'ostinato':
      return ostinato(ctx, hand);
    case 'sustain':
      return sustain(ctx, hand);
    default:
      throw new RangeError(`no pitched texture "${style}"`);
  }
}

function percussionHits(style: TextureStyle<'percussion'>, span: Span, energy: number): Hit[] {
  switch (style) {
    case 'heartbeat':
      return heartbeat(span, energy);
    case 'steady':
      return steady(span, energy);
    case 'drive':
      return drive(span, energy);
  }
}

/** How long the breath is at a phrase's end: an eighth of the chord, at most half a beat. */
function breath(duration: Beats): Beats {
  return Math.min(0.5, duration / 8);
}

/** A phrase ends: the voice's chord struck once and held, released a breath before the bar line. */
function endingNotes(voice: Voice, ctx: PitchedContext): RawNote[] {
  const { span } = ctx;
  const pitches = voice === 'bass' ? [ctx.voicing.bass] : handOf(voice, ctx.voicing);
  const duration = Math.max(0.05, span.duration - breath(span.duration));
  return pitches.map((pitch) => ({ start: span.start, duration, pitch, weight: 1 }));
}

/** A phrase ends on the drums with one low stroke, and a cymbal when the music was lively. */
function endingHits(span: Span, energy: number): Hit[] {
  const hits: Hit[] = [{ start: span.start, key: GM.bassDrum, weight: 1 }];
  if (energy >= 0.5) hits.push({ start: span.start, key: energy >= 0.8 ? GM.crash : GM.ride, weight: 0.8 });
  return hits;
}

/** Moves a pitch by octaves into the MIDI range, keeping its pitch class. */
function fold(pitch: Midi): Midi {
  let p = pitch;
  while (p < 0) p += 12;
  while (p > 127) p -= 12;
  return p;
}

/**
 * Sorts notes and lets no note ring into the next attack of the same key, so that a ringing
 * broken chord re-strikes its notes cleanly (and a MIDI note-off never cuts the later note).
 */
function sortNotes(notes: TextureNote[]): TextureNote[] {
  const sorted = notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  const nextStart = new Map<number, Beats>();
  const out: TextureNote[] = new Array(sorted.length);
  for (let i = sorted.length - 1; i >= 0; i--) {
    const n = sorted[i] as TextureNote;
    const next = nextStart.get(n.pitch);
    out[i] = next !== undefined && n.start + n.duration > next ? { ...n, duration: next - n.start } : n;
    nextStart.set(n.pitch, n.start);
  }
  return out.filter((n) => n.duration > 0);
}

/** How calm (0) or intense (1) each texture sounds, for choosing one to suit the energy. */
const INTENSITY: Readonly<Record<string, number>> = {
  drone: 0.1,
  sustain: 0.15,
  chorale: 0.2,
  heartbeat: 0.25,
  root: 0.3,
  arpeggio: 0.4,
  broken: 0.45,
  ostinato: 0.5,
  'root-fifth': 0.5,
  steady: 0.55,
  alberti: 0.6,
  block: 0.65,
  walking: 0.7,
  drive: 0.85,
  tremolo: 0.95,
};

/**
 * The texture of a voice that suits an idiom at an energy: of the idiom's textures for the voice,
 * the one whose intensity is nearest the energy, the idiom's own order breaking ties.
 * @example suggestTexture('organum', 'bass', 0.2) // 'drone'
 */
export function suggestTexture<V extends Voice>(idiom: IdiomRef, voice: V, energy: number): TextureStyle<V> {
  assertRange('energy', energy, 0, 1);
  const styles = getIdiom(idiom).textures[voice] as readonly TextureStyle<V>[];
  let best = styles[0] as TextureStyle<V>;
  let bestDistance = Number.POSITIVE_INFINITY;
  styles.forEach((style, rank) => {
    // The idiom's first choice is its most characteristic: a small preference keeps it in play.
    const distance = Math.abs((INTENSITY[style] ?? 0.5) - energy) + rank * 0.05;
    if (distance < bestDistance) {
      best = style;
      bestDistance = distance;
    }
  });
  return best;
}
