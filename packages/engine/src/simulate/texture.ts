/**
 * What a simulated player plays on each beat, in musical time: rhythm patterns, drum grooves
 * with fills, piano-like playing (bass on the beat, chords between, a melody on top) and melodies
 * that move by step with occasional leaps and land on chord tones on strong beats. A texture is
 * asked beat by beat, in order, so the same code serves whole performances and reactive players.
 */
import type { Rng } from '../random/index.ts';
import type { Beats, Midi } from '../time/index.ts';
import { chordPitchClasses, type SimulatedKey, scalePitches } from './scale.ts';

/** Named rhythms: where a player's onsets fall within each beat or bar. */
export type RhythmName = 'quarters' | 'halves' | 'eighths' | 'triplets' | 'dotted' | 'syncopated';

/** Named drum grooves. */
export type GrooveName = 'rock' | 'four-on-the-floor' | 'half-time';

/** A drum groove: positions within one bar (beats from its downbeat) of each drum. */
export interface DrumGroove {
  readonly kick: readonly Beats[];
  readonly snare: readonly Beats[];
  readonly hat: readonly Beats[];
}

/** What kind of playing a simulated player does. */
export type PlayerStyle = 'melody' | 'hits' | 'drums' | 'piano' | 'unpulsed';

/** One planned sound in musical time, before tempo, motor noise and dynamics are applied. */
export interface Intent {
  /** Beat position from the player's first beat. */
  readonly pos: Beats;
  /** Beats until the sound's voice next plays (the articulation shortens it). */
  readonly dur: Beats;
  /** Pitch for pitched playing. */
  readonly pitch?: Midi;
  /** General MIDI percussion key for drums and hits. */
  readonly instrument?: Midi;
  /** Velocity offset from the player's current level: voice balance and accents. */
  readonly level: number;
}

/** GM percussion keys used by the drum grooves. */
export const GM_DRUMS = {
  kick: 36,
  snare: 38,
  closedHat: 42,
  openHat: 46,
  crash: 49,
  highTom: 50,
  midTom: 47,
  floorTom: 43,
} as const;

/**
 * Metrical weight of a beat within its bar: 1 on the downbeat, 0.5 on a secondary strong beat
 * (the middle of an even bar, every third beat of a compound bar), 0 elsewhere and off the beat.
 */
export function metricalWeight(pos: Beats, beatsPerBar: number): number {
  if (Math.abs(pos - Math.round(pos)) > 1e-9) return 0;
  const b = ((Math.round(pos) % beatsPerBar) + beatsPerBar) % beatsPerBar;
  if (b === 0) return 1;
  if (beatsPerBar % 2 === 0 && b === beatsPerBar / 2) return 0.5;
  if (beatsPerBar > 3 && beatsPerBar % 3 === 0 && b % 3 === 0) return 0.5;
  return 0;
}

/**
 * Onset positions within one bar of a named rhythm, or the given positions.
 * @example rhythmPositions('dotted', 2) // [0, 0.75, 1, 1.75]
 */
export function rhythmPositions(rhythm: RhythmName | readonly Beats[], beatsPerBar: number): Beats[] {
  if (typeof rhythm !== 'string') {
    rhythm.forEach((p, i) => {
      if (!(Number.isFinite(p) && p >= 0 && p < beatsPerBar)) {
        throw new RangeError(`rhythm[${i}] must be a position in [0, ${beatsPerBar}), got: ${p}`);
      }
    });
    if (rhythm.length === 0) throw new RangeError('rhythm needs at least one position, got: []');
    return [...new Set(rhythm)].sort((a, b) => a - b);
  }
  const perBeat = (offsets: number[]): Beats[] =>
    Array.from({ length: beatsPerBar }, (_, b) => offsets.map((o) => b + o)).flat();
  switch (rhythm) {
    case 'quarters':
      return perBeat([0]);
    case 'halves':
      return Array.from({ length: Math.ceil(beatsPerBar / 2) }, (_, i) => 2 * i);
    case 'eighths':
      return perBeat([0, 0.5]);
    case 'triplets':
      return perBeat([0, 1 / 3, 2 / 3]);
    case 'dotted':
      // A dotted eighth and a sixteenth on every beat.
      return perBeat([0, 0.75]);
    case 'syncopated': {
      // Odd beats are anticipated on the "and" before the next beat, tied over it; beat 2 stays.
      const out: Beats[] = [];
      for (let b = 0; b < beatsPerBar; b++) {
        if (b % 2 === 0 || b === 1) out.push(b);
        if (b % 2 === 1) out.push(b + 0.5);
      }
      return out;
    }
    default:
      throw new RangeError(`unknown rhythm, got: ${String(rhythm)}`);
  }
}

/** The positions of a named groove in a bar of `beatsPerBar` beats, or the given groove. */
export function grooveOf(groove: GrooveName | DrumGroove, beatsPerBar: number): DrumGroove {
  if (typeof groove !== 'string') {
    for (const drum of ['kick', 'snare', 'hat'] as const) {
      groove[drum].forEach((p, i) => {
        if (!(Number.isFinite(p) && p >= 0 && p < beatsPerBar)) {
          throw new RangeError(`groove.${drum}[${i}] must be a position in [0, ${beatsPerBar}), got: ${p}`);
        }
      });
    }
    return groove;
  }
  const beats = Array.from({ length: beatsPerBar }, (_, b) => b);
  const eighths = beats.flatMap((b) => [b, b + 0.5]);
  const strong = beats.filter((b) => metricalWeight(b, beatsPerBar) > 0);
  const weak = beats.filter((b) => metricalWeight(b, beatsPerBar) === 0);
  switch (groove) {
    case 'rock': {
      // Kick on the strong beats with a push on the "and" of the last one; backbeat snare.
      const last = strong[strong.length - 1]!;
      const kick = last + 0.5 < beatsPerBar && last > 0 ? [...strong, last + 0.5] : strong;
      return { kick, snare: weak, hat: eighths };
    }
    case 'four-on-the-floor':
      return { kick: beats, snare: weak, hat: beats.map((b) => b + 0.5) };
    case 'half-time': {
      const half = beatsPerBar >= 2 ? [Math.floor(beatsPerBar / 2)] : [];
      return { kick: [0, ...(beatsPerBar > 2 ? [half[0]! + 0.5] : [])], snare: half, hat: eighths };
    }
    default:
      throw new RangeError(`unknown groove, got: ${String(groove)}`);
  }
}

/** Everything a texture needs to know, resolved and validated by the player. */
export interface TextureOptions {
  readonly style: Exclude<PlayerStyle, 'unpulsed'>;
  readonly beatsPerBar: number;
  readonly rhythm: readonly Beats[];
  readonly groove: DrumGroove;
  /** Bars between drum fills (a fill ends every N bars); 0 for none. */
  readonly fillEvery: number;
  readonly instrument: Midi;
  readonly key: SimulatedKey;
  /** Lowest and highest pitch of the melody. */
  readonly low: Midi;
  readonly high: Midi;
  /** Probability that a melodic move is a leap (3 to 5 scale steps) rather than a step. */
  readonly leap: number;
  /** Scale degree (0-based) of each bar's chord, cycling. */
  readonly harmony: readonly number[];
  /** Velocity added on the downbeat (half of it on secondary strong beats). */
  readonly accent: number;
  /** Probability that a beat goes unplayed. */
  readonly missing: number;
}

/** A stateful source of a player's intents, asked beat by beat in order. */
export interface Texture {
  /** The intents in [k, k + 1); `cadence` asks the beat's last melody note to land on the tonic. */
  beat(k: number, cadence: boolean): Intent[];
}

/** A melody that moves by step, leaps now and then, and leans toward the middle of its range. */
export function createMelody(
  key: SimulatedKey,
  low: Midi,
  high: Midi,
  leap: number,
  rng: Rng,
): { next(target: readonly number[] | null): Midi } {
  const pitches = scalePitches(key, low, high);
  if (pitches.length === 0) {
    throw new RangeError(
      `the range ${low}–${high} holds no note of ${key.tonic} ${key.mode}, got: ${low}–${high}`,
    );
  }
  const centre = (pitches.length - 1) / 2;
  let i = Math.round(centre);
  return {
    next(target) {
      const candidates =
        target === null ? [] : pitches.flatMap((p, j) => (target.includes(p % 12) ? [j] : []));
      if (candidates.length > 0) {
        // Strong beats land on a chord tone within a few steps, moving rather than repeating.
        const best = Math.min(...candidates.map((j) => Math.abs(j - i)));
        const near = candidates.filter((j) => Math.abs(j - i) <= Math.max(best, 3));
        const moving = near.filter((j) => j !== i);
        i = rng.pick(moving.length > 0 && rng.chance(0.75) ? moving : near);
        return pitches[i]!;
      }
      const r = rng.next();
      const size = r < leap ? rng.int(2, 4) : r < leap + 0.15 ? 0 : 1;
      const pull = centre > 0 ? (i - centre) / centre : 0;
      const up = rng.chance(Math.min(0.9, Math.max(0.1, 0.5 - 0.4 * pull)));
      let j = up ? i + size : i - size;
      // At the edge of the range the line turns back.
      if (j > pitches.length - 1 || j < 0) j = up ? i - size : i + size;
      i = Math.min(pitches.length - 1, Math.max(0, j));
      return pitches[i]!;
    },
  };
}

/** The lowest pitch of pitch class `pc` at or above `low`, an octave lower if that passes `high`. */
function place(pc: number, low: Midi, high: Midi): Midi {
  let p = low + ((pc - (low % 12) + 12) % 12);
  if (p > high) p -= 12;
  return Math.max(0, p);
}

const FILL_DRUMS = [
  GM_DRUMS.snare,
  GM_DRUMS.snare,
  GM_DRUMS.highTom,
  GM_DRUMS.highTom,
  GM_DRUMS.midTom,
  GM_DRUMS.midTom,
  GM_DRUMS.floorTom,
  GM_DRUMS.floorTom,
];

/** A texture for a resolved style: the source of every pulsed player's notes. */
export function createTexture(o: TextureOptions, rng: Rng): Texture {
  const bpb = o.beatsPerBar;
  const melody =
    o.style === 'melody' || o.style === 'piano' ? createMelody(o.key, o.low, o.high, o.leap, rng) : null;
  const chordOf = (k: number): number[] => {
    const bar = Math.floor(k / bpb);
    return chordPitchClasses(o.key, o.harmony[bar % o.harmony.length]!);
  };
  const accent = (pos: Beats): number => o.accent * metricalWeight(pos, bpb);
  const inBeat = (positions: readonly Beats[], k: number): Beats[] => {
    const b = ((k % bpb) + bpb) % bpb;
    return positions.filter((p) => p >= b && p < b + 1).map((p) => k - b + p);
  };
  const gapAfter = (positions: readonly Beats[], pos: Beats): Beats => {
    const within = pos - Math.floor(pos / bpb) * bpb;
    const later = positions.find((p) => p > within + 1e-9);
    return (later ?? positions[0]! + bpb) - within;
  };

  const melodyBeat = (k: number, cadence: boolean): Intent[] => {
    const positions = inBeat(o.rhythm, k);
    return positions.map((pos, n) => {
      const last = cadence && n === positions.length - 1;
      const target = last ? [o.key.tonicPc] : metricalWeight(pos, bpb) > 0 ? chordOf(k) : null;
      return { pos, dur: gapAfter(o.rhythm, pos), pitch: melody!.next(target), level: accent(pos) };
    });
  };

  const pianoBeat = (k: number, cadence: boolean): Intent[] => {
    const chord = chordOf(k);
    const out: Intent[] = [];
    // The left hand keeps below the melody: bass about two octaves down, chords just under it.
    const bassTop = Math.max(o.low - 14, 40);
    const chordTop = Math.max(o.low - 2, 52);
    if (metricalWeight(k, bpb) > 0) {
      // The left hand's bass sounds the chord root on the strong beats.
      const next = [...Array(bpb).keys()].find((d) => d > 0 && metricalWeight(k + d, bpb) > 0) ?? bpb;
      out.push({ pos: k, dur: next, pitch: place(chord[0]!, bassTop - 12, bassTop), level: accent(k) - 4 });
    } else {
      const root = place(chord[0]!, chordTop - 12, chordTop);
      for (const pc of chord) {
        const pitch = root + ((pc - chord[0]! + 12) % 12);
        out.push({ pos: k, dur: 1, pitch, level: -14 });
      }
    }
    return [...out, ...melodyBeat(k, cadence)];
  };

  const drumBeat = (k: number): Intent[] => {
    const bar = Math.floor(k / bpb);
    const b = ((k % bpb) + bpb) % bpb;
    const fillLength = Math.min(2, bpb);
    const fillBar = o.fillEvery > 0 && (bar + 1) % o.fillEvery === 0;
    if (fillBar && b >= bpb - fillLength) {
      // A fill: sixteenths down the kit, growing louder into the next downbeat.
      const start = bpb - fillLength;
      return [0, 0.25, 0.5, 0.75].map((o16) => {
        const step = (b - start + o16) / fillLength;
        const instrument = FILL_DRUMS[Math.min(FILL_DRUMS.length - 1, Math.floor(step * FILL_DRUMS.length))]!;
        return { pos: k + o16, dur: 0.25, instrument, level: -6 + 14 * step };
      });
    }
    const out: Intent[] = [];
    const hit = (positions: readonly Beats[], instrument: Midi, level: (pos: Beats) => number): void => {
      for (const pos of inBeat(positions, k)) out.push({ pos, dur: 0.25, instrument, level: level(pos) });
    };
    if (o.fillEvery > 0 && bar > 0 && bar % o.fillEvery === 0 && b === 0) {
      out.push({ pos: k, dur: 1, instrument: GM_DRUMS.crash, level: 8 });
    }
    hit(o.groove.kick, GM_DRUMS.kick, (pos) => 4 + accent(pos));
    hit(o.groove.snare, GM_DRUMS.snare, () => 6);
    // Hats sit back in the mix, a little louder on the beat than off it.
    hit(
      o.groove.hat,
      o.groove.hat.every((p) => p % 1 !== 0) ? GM_DRUMS.openHat : GM_DRUMS.closedHat,
      (pos) => (pos % 1 === 0 ? -16 : -24),
    );
    return out;
  };

  return {
    beat(k, cadence) {
      if (o.missing > 0 && rng.chance(o.missing)) return [];
      switch (o.style) {
        case 'melody':
          return melodyBeat(k, cadence);
        case 'piano':
          return pianoBeat(k, cadence);
        case 'drums':
          return drumBeat(k);
        case 'hits':
          return inBeat(o.rhythm, k).map((pos) => ({
            pos,
            dur: gapAfter(o.rhythm, pos),
            instrument: o.instrument,
            level: accent(pos),
          }));
      }
    },
  };
}
