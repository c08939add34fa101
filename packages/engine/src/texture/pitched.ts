/**
 * Pitched textures: how the bass, the pianist's hands, the mallets and the pad turn a voiced
 * chord into notes. Every pitch is a chord tone of the voicing or, for a walking bass, a tone of
 * the scale, so the texture stays in the idiom by construction.
 */
import type { Voicing } from '../harmony/index.ts';
import type { Beats, Midi } from '../time/index.ts';
import { chordalAttacks, durations, figureRate, grid, type Span, strength } from './rhythm.ts';

/** A note before velocity: when, how long, which pitch, and its weight against the texture's level (about 1). */
export interface RawNote {
  readonly start: Beats;
  readonly duration: Beats;
  readonly pitch: Midi;
  readonly weight: number;
}

/** What a pitched texture knows: the chord, where it sits, the scale, and what comes next. */
export interface PitchedContext {
  readonly span: Span;
  readonly voicing: Voicing;
  readonly energy: number;
  /** Pitch classes of the key's scale. */
  readonly scale: readonly number[];
  readonly next: Voicing | null;
  /** Which figure an ostinato plays, chosen by the caller for the whole passage. */
  readonly pattern: number;
}

/** The lowest and highest pitch a walking bass may reach. */
const WALK_LOW = 28;
const WALK_HIGH = 55;

/** Chord tones sounded together at each attack. */
function blocks(
  ctx: PitchedContext,
  pitches: readonly Midi[],
  attacks: readonly Beats[],
  weight = 1,
): RawNote[] {
  const lengths = durations(ctx.span, attacks, ctx.energy);
  return attacks.flatMap((start, i) =>
    pitches.map((pitch) => ({ start, duration: lengths[i] as Beats, pitch, weight })),
  );
}

/** A figure: one pitch per grid tick, chosen by the tick's index counted from the bar line, so the figure repeats bar by bar. */
function figure(
  ctx: PitchedContext,
  choose: (tick: number) => Midi | null,
  rate: number,
  ring: boolean,
): RawNote[] {
  const { span } = ctx;
  const ticks = grid(span, rate);
  const lengths = durations(span, ticks, ctx.energy);
  const end = span.start + span.duration;
  const notes: RawNote[] = [];
  ticks.forEach((start, i) => {
    const tick = Math.round(((start - span.barStart) * rate) % (span.beatsPerBar * rate));
    const pitch = choose(tick < 0 ? tick + span.beatsPerBar * rate : tick);
    if (pitch === null) return;
    // A broken chord played with the pedal lets each note ring on to the chord's end when calm.
    const duration = ring && ctx.energy < 0.5 ? end - start : (lengths[i] as Beats);
    notes.push({ start, duration, pitch, weight: strength(span, start) >= 1 ? 1 : 0.9 });
  });
  return notes;
}

/** The fifth above the bass if it is a chord tone, otherwise the chord tone nearest to it, kept in the bass register. */
function fifthOf(voicing: Voicing): Midi {
  const tones = [voicing.bass, ...voicing.left].map((p) => p % 12);
  const pcs = voicing.chord.pcs.length > 0 ? voicing.chord.pcs : tones;
  let best = voicing.bass + 12;
  for (const target of [voicing.bass + 7, voicing.bass - 5]) {
    for (let d = 0; d <= 2; d++) {
      for (const p of [target - d, target + d]) {
        if (
          p !== voicing.bass &&
          pcs.includes(((p % 12) + 12) % 12) &&
          Math.abs(p - target) < Math.abs(best - target)
        ) {
          best = p;
        }
      }
    }
    if (best !== voicing.bass + 12) break;
  }
  return best > 55 ? best - 12 : best;
}

export function bassRoot(ctx: PitchedContext): RawNote[] {
  return blocks(ctx, [ctx.voicing.bass], chordalAttacks(ctx.span, ctx.energy));
}

/** Root on the strong beats, the fifth between them. */
export function bassRootFifth(ctx: PitchedContext): RawNote[] {
  const attacks = chordalAttacks(ctx.span, Math.min(ctx.energy, 0.79));
  const fifth = fifthOf(ctx.voicing);
  const lengths = durations(ctx.span, attacks, ctx.energy);
  return attacks.map((start, i) => ({
    start,
    duration: lengths[i] as Beats,
    pitch:
      i === 0 || strength(ctx.span, start) === 3 ? ctx.voicing.bass : i % 2 === 1 ? fifth : ctx.voicing.bass,
    weight: 1,
  }));
}

/**
 * A walking bass: the root on the chord's first beat, chord and scale tones heading for the next
 * chord's bass, and on the last beat a scale step leading into it.
 */
export function bassWalking(ctx: PitchedContext): RawNote[] {
  const { voicing, span, energy } = ctx;
  const attacks = energy < 0.3 ? chordalAttacks(span, 0.4) : grid(span, 1);
  const scale = ctx.scale.length > 0 ? ctx.scale : voicing.chord.pcs;
  const scaleTones = range(WALK_LOW, WALK_HIGH).filter((p) => scale.includes(p % 12));
  const chordTones = range(WALK_LOW, WALK_HIGH).filter((p) => voicing.chord.pcs.includes(p % 12));
  const root = clampInto(voicing.bass, scaleTones);
  const target = ctx.next ? clampInto(ctx.next.bass, scaleTones) : root;
  const n = attacks.length;
  const pitches: Midi[] = [root];
  // Heading for the next bass; standing still (or nearly), the line arches up through the chord and back.
  const arch = Math.abs(target - root) < 5 ? 3 : 0;
  for (let i = 1; i < n - 1; i++) {
    const ideal = root + ((target - root) * i) / (n - 1) + arch * Math.min(i, n - 1 - i);
    const pool = i % 2 === 1 && chordTones.length > 0 ? chordTones : scaleTones;
    const previous = pitches[i - 1] as Midi;
    const fresh = pool.filter((p) => p !== previous);
    pitches.push(nearest(ideal, fresh.length > 0 ? fresh : pool));
  }
  if (n > 1) {
    const before = pitches[n - 2] as Midi;
    const below = scaleTones.filter((p) => p < target).pop();
    const above = scaleTones.find((p) => p > target);
    // The approach: the scale neighbour of the next bass nearest the line, never a repeated note.
    const options = [below, above].filter((p): p is Midi => p !== undefined && p !== before);
    options.sort((x, y) => Math.abs(x - before) - Math.abs(y - before) || x - y);
    pitches.push(options[0] ?? target);
  }
  const lengths = durations(span, attacks, energy);
  return attacks.map((start, i) => ({
    start,
    duration: lengths[i] as Beats,
    pitch: pitches[i] as Midi,
    weight: 1,
  }));
}

/** A drone on the tonic (with its fifth when lively and the fifth is in the scale), struck again each bar. */
export function bassDrone(ctx: PitchedContext): RawNote[] {
  const tonic = 36 + ctx.voicing.chord.tonic;
  const pitches = [tonic];
  if (ctx.energy >= 0.5 && ctx.scale.includes((tonic + 7) % 12)) pitches.push(tonic + 7);
  const attacks = ctx.energy >= 0.5 ? chordalAttacks(ctx.span, 0) : [ctx.span.start];
  return held(ctx, pitches, attacks);
}

/** Notes held from each attack to the next (or the span's end), without a gap: a drone or a pad. */
function held(ctx: PitchedContext, pitches: readonly Midi[], attacks: readonly Beats[]): RawNote[] {
  const end = ctx.span.start + ctx.span.duration;
  return attacks.flatMap((start, i) =>
    pitches.map((pitch) => ({ start, duration: (attacks[i + 1] ?? end) - start, pitch, weight: 1 })),
  );
}

/** The hand's chord struck together. */
export function block(ctx: PitchedContext, pitches: readonly Midi[]): RawNote[] {
  return blocks(ctx, pitches, chordalAttacks(ctx.span, ctx.energy));
}

/** A chorale: the chord held, struck again on the downbeats and (when lively) on the strong beats. */
export function chorale(ctx: PitchedContext, pitches: readonly Midi[]): RawNote[] {
  const attacks = chordalAttacks(ctx.span, ctx.energy >= 0.5 ? 0.3 : 0);
  return blocks(ctx, pitches, attacks).map((n) => ({ ...n, duration: Math.max(n.duration, 0.05) }));
}

/** A broken chord: low, then up and back through the chord. */
export function broken(ctx: PitchedContext, pitches: readonly Midi[]): RawNote[] {
  const order = pitches.length <= 2 ? [...pitches] : [...pitches, ...pitches.slice(1, -1).reverse()];
  return figure(ctx, (tick) => order[tick % order.length] as Midi, figureRate(ctx.energy), true);
}

/** Alberti: lowest, highest, middle, highest. */
export function alberti(ctx: PitchedContext, pitches: readonly Midi[]): RawNote[] {
  const low = pitches[0] as Midi;
  const high = pitches[pitches.length - 1] as Midi;
  const middle = pitches[Math.floor(pitches.length / 2)] as Midi;
  const order = [low, high, middle, high];
  return figure(ctx, (tick) => order[tick % 4] as Midi, Math.max(2, figureRate(ctx.energy)), false);
}

/** An arpeggio rising through the chord and its octave, then falling back. */
export function arpeggio(ctx: PitchedContext, pitches: readonly Midi[], ceiling: Midi): RawNote[] {
  const up = ladder(pitches, pitches.length * 2).filter((p) => p <= ceiling);
  const order = up.length <= 2 ? up : [...up, ...up.slice(1, -1).reverse()];
  return figure(ctx, (tick) => order[tick % order.length] as Midi, figureRate(ctx.energy), ctx.energy < 0.5);
}

/** Tremolo: the chord's lower and upper notes alternating fast, faster as energy rises. */
export function tremolo(ctx: PitchedContext, pitches: readonly Midi[]): RawNote[] {
  const half = Math.max(1, Math.floor(pitches.length / 2));
  const lower = pitches.slice(0, half);
  const upper = pitches.length > 1 ? pitches.slice(half) : pitches.map((p) => p + 12);
  const rate = ctx.energy < 0.3 ? 2 : ctx.energy < 0.7 ? 4 : 6;
  const ticks = grid(ctx.span, rate);
  const length = (1 / rate) * 0.95;
  return ticks.flatMap((start, i) =>
    (i % 2 === 0 ? lower : upper).map((pitch) => ({
      start,
      duration: length,
      pitch,
      weight: i === 0 ? 1 : 0.85,
    })),
  );
}

/** Mallet ostinati: contours over four chord tones (indices), −1 a rest that lets the figure breathe. */
const OSTINATI: readonly (readonly number[])[] = [
  [0, 2, 1, 2],
  [0, 1, 2, 3],
  [3, 2, 1, 2],
  [0, -1, 2, 3],
  [2, 0, 3, 1],
];

/** A repeating mallet figure over the chord's tones; the figure's shape stays while the chords change under it. */
export function ostinato(ctx: PitchedContext, pitches: readonly Midi[]): RawNote[] {
  const shape = OSTINATI[
    ((ctx.pattern % OSTINATI.length) + OSTINATI.length) % OSTINATI.length
  ] as readonly number[];
  const tones = ladder(pitches, 4);
  return figure(
    ctx,
    (tick) => {
      const index = shape[tick % shape.length] as number;
      return index < 0 ? null : ((tones[index] ?? tones[0]) as Midi);
    },
    figureRate(ctx.energy),
    false,
  );
}

/** A pad: the chord sustained; when lively, struck again each bar and doubled an octave above at the top. */
export function sustain(ctx: PitchedContext, pitches: readonly Midi[]): RawNote[] {
  const top = pitches[pitches.length - 1] as Midi;
  const voiced = ctx.energy >= 0.6 && top + 12 <= 96 ? [...pitches, top + 12] : [...pitches];
  const attacks = ctx.energy >= 0.6 ? chordalAttacks(ctx.span, 0) : [ctx.span.start];
  return held(ctx, voiced, attacks);
}

/** The chord's distinct tones ascending, continued an octave up until there are `count`. */
function ladder(pitches: readonly Midi[], count: number): Midi[] {
  const tones = [...new Set(pitches)].sort((a, b) => a - b);
  for (let i = 0; tones.length < count && tones.length > 0; i++) {
    const higher = (tones[i] as Midi) + 12;
    if (!tones.includes(higher)) tones.push(higher);
    tones.sort((a, b) => a - b);
    if (i > 4 * count) break;
  }
  return tones.slice(0, count);
}

function range(low: Midi, high: Midi): Midi[] {
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}

function nearest(target: number, pool: readonly Midi[]): Midi {
  return pool.reduce(
    (best, p) => (Math.abs(p - target) < Math.abs(best - target) ? p : best),
    pool[0] as Midi,
  );
}

function nearestWithPc(pc: number, target: Midi, pool: readonly Midi[]): Midi {
  const same = pool.filter((p) => p % 12 === pc);
  return same.length > 0 ? nearest(target, same) : nearest(target, pool);
}

function clampInto(pitch: Midi, pool: readonly Midi[]): Midi {
  return pool.includes(pitch) ? pitch : nearestWithPc(pitch % 12, pitch, pool);
}
