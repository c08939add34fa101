/**
 * The description of a simulated player, its defaults, and the checks that turn a bad spec into
 * an error naming the bad value.
 */
import type { Beats, Bpm, Midi, Seconds, Velocity } from '../time/index.ts';
import { assertPositive, assertRange } from '../time/index.ts';
import type { DynamicsSegment, MotorNoise } from './expression.ts';
import { checkMotorNoise } from './expression.ts';
import { keyOf, type PlayerMode, type SimulatedKey, scalePitches } from './scale.ts';
import type { TempoSegment } from './tempo.ts';
import {
  type DrumGroove,
  type GrooveName,
  grooveOf,
  type PlayerStyle,
  type RhythmName,
  rhythmPositions,
  type TextureOptions,
} from './texture.ts';

/**
 * A rest. Given in `beats` it is in tempo by default: the pulse goes on through it and playing
 * resumes on the grid. Given in `seconds` it is out of tempo by default: the pulse stops at `at`,
 * and after the silence the player resumes from beat `at`, off the old grid. `inTempo: true` with
 * `seconds` rounds the rest to whole beats; `inTempo: false` with `beats` holds a silence that
 * long at the tempo there, then resumes from beat `at`.
 */
export interface PauseSpec {
  /** Beat position (from the first beat, 0-based) where the rest starts. */
  readonly at: Beats;
  readonly beats?: Beats;
  readonly seconds?: Seconds;
  readonly inTempo?: boolean;
}

/** Phrasing: phrases of `bars` bars whose last `breath` beats are a breath (silence). */
export interface PhraseSpec {
  readonly bars: number;
  /** Beats of silence that end each phrase; default 1. */
  readonly breath?: Beats;
}

/** A simulated player. Every field has a default: `{ bpm: 92, bars: 16 }` is a whole player. */
export interface PlayerSpec {
  /** Starting tempo; default 100. */
  readonly bpm?: Bpm;
  /** Length in bars, counting rests in tempo; default 8. */
  readonly bars?: number;
  /** Beats in a bar; default 4. */
  readonly beatsPerBar?: number;
  /** Time of the first beat on the session clock; default 0.5 s. */
  readonly start?: Seconds;
  /** Tempo curve after the starting tempo: holds, ramps and sudden changes; default steady. */
  readonly tempo?: readonly TempoSegment[];
  /** Kind of playing; default 'melody'. */
  readonly style?: PlayerStyle;
  /** Onsets within each bar for melody, hits and the piano's right hand; default 'quarters'. */
  readonly rhythm?: RhythmName | readonly Beats[];
  /** Probability that a beat goes unplayed; default 0. */
  readonly missing?: number;
  /** Drum groove for style 'drums'; default 'rock'. */
  readonly groove?: GrooveName | DrumGroove;
  /** Bars per drum fill (the last bar of every N has one); 0 for none; default 4. */
  readonly fillEvery?: number;
  /** Drums and hits as `HitEvent`s (default) or GM percussion notes on channel 9. */
  readonly drumOutput?: 'hits' | 'notes';
  /** GM percussion key of style 'hits'; default 38 (snare). */
  readonly instrument?: Midi;
  /** Key of pitched playing; default C major. */
  readonly key?: { readonly tonic?: string | number; readonly mode?: PlayerMode };
  /** Centre of the melody's range (MIDI); default 67 (piano's left hand sits below it). */
  readonly register?: Midi;
  /** Width of the melody's range in semitones; default 12. */
  readonly range?: number;
  /** Probability that a melodic move is a leap; default 0.15. */
  readonly leap?: number;
  /** Scale degree (0-based) of each bar's chord, cycling; default [0, 3, 4, 0] (I IV V I). */
  readonly harmony?: readonly number[];
  /** Base velocity; default 80. */
  readonly velocity?: Velocity;
  /** Spread of velocities (standard deviation); default 6. */
  readonly velocitySd?: number;
  /** Velocity added on downbeats (half on secondary strong beats); default 12. */
  readonly accent?: number;
  /** Crescendo and diminuendo curves from the base velocity, in beats. */
  readonly dynamics?: readonly DynamicsSegment[];
  /**
   * Timing jitter per onset (ms, standard deviation); default 10, a tidy player. For reference,
   * Groove MIDI's drummers playing to a click spread their hits about 26 ms (median over 38 files)
   * around the sixteenth grid.
   */
  readonly jitterMs?: number;
  /**
   * Slow timing drift around the beat (ms, standard deviation); default 0. Those drummers'
   * beat-by-beat deviations spread about 17.5 ms with a lag-1 correlation near 0.46; a drum
   * player with `jitterMs: 14, driftMs: 15, driftCorrelation: 0.7` shows 18 ms and 0.47.
   */
  readonly driftMs?: number;
  /** Lag-1 correlation of the drift between beats; default 0.9. */
  readonly driftCorrelation?: number;
  /** Share of the time to the voice's next onset that a note sounds; default 0.9. */
  readonly articulation?: number;
  /** Rests, in tempo or not. */
  readonly pauses?: readonly PauseSpec[];
  /** Phrases with a breath at their end; default one phrase throughout. */
  readonly phrase?: PhraseSpec;
  /** Onsets per second inside a gesture of unpulsed playing; default 3. */
  readonly rate?: number;
  /** Length of unpulsed playing in seconds; default the length of `bars` at `bpm`. */
  readonly seconds?: Seconds;
  /** MIDI channel of pitched notes; none by default. */
  readonly channel?: number;
}

/** A spec with every default filled in and every value checked. */
export interface ResolvedSpec {
  readonly bpm: Bpm;
  readonly bars: number;
  readonly beatsPerBar: number;
  readonly start: Seconds;
  readonly tempo: readonly TempoSegment[];
  readonly style: PlayerStyle;
  readonly key: SimulatedKey;
  readonly velocity: Velocity;
  readonly velocitySd: number;
  readonly dynamics: readonly DynamicsSegment[];
  readonly noise: MotorNoise;
  readonly articulation: number;
  readonly drumOutput: 'hits' | 'notes';
  readonly pauses: readonly PauseSpec[];
  readonly phrase: { readonly bars: number; readonly breath: Beats } | null;
  readonly rate: number;
  readonly seconds: Seconds | null;
  readonly channel: number | undefined;
  readonly texture: TextureOptions;
}

const STYLES: readonly PlayerStyle[] = ['melody', 'hits', 'drums', 'piano', 'unpulsed'];

function assertWhole(name: string, value: number, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new RangeError(`${name} must be a whole number between ${min} and ${max}, got: ${value}`);
  }
}

/**
 * Fills in a player spec's defaults and checks every value.
 * @example resolveSpec({ bpm: -5 }) // throws "bpm must be a positive finite number, got: -5"
 */
export function resolveSpec(spec: PlayerSpec): ResolvedSpec {
  const bpm = spec.bpm ?? 100;
  assertPositive('bpm', bpm);
  const bars = spec.bars ?? 8;
  assertWhole('bars', bars, 1, 100_000);
  const beatsPerBar = spec.beatsPerBar ?? 4;
  assertWhole('beatsPerBar', beatsPerBar, 1, 32);
  const start = spec.start ?? 0.5;
  assertRange('start', start, 0, Number.MAX_VALUE);
  const style = spec.style ?? 'melody';
  if (!STYLES.includes(style)) throw new RangeError(`unknown style, got: ${String(style)}`);

  const key = keyOf(spec.key?.tonic ?? 'C', spec.key?.mode ?? 'major');
  const register = spec.register ?? 67;
  assertRange('register', register, 0, 127);
  const range = spec.range ?? 12;
  if (!(Number.isFinite(range) && range > 0)) {
    throw new RangeError(`range must be a positive number of semitones, got: ${range}`);
  }
  const low = Math.round(register - range / 2);
  const high = Math.round(register + range / 2);
  if (low < 0 || high > 127) {
    throw new RangeError(`register ${register} with range ${range} leaves MIDI 0–127, got: ${low}–${high}`);
  }
  if (style !== 'drums' && style !== 'hits' && scalePitches(key, low, high).length === 0) {
    throw new RangeError(`range holds no note of ${key.tonic} ${key.mode}, got: ${low}–${high}`);
  }

  const velocity = spec.velocity ?? 80;
  assertRange('velocity', velocity, 1, 127);
  const velocitySd = spec.velocitySd ?? 6;
  assertRange('velocitySd', velocitySd, 0, 127);
  const accent = spec.accent ?? 12;
  assertRange('accent', accent, -127, 127);
  const noise: MotorNoise = {
    jitterMs: spec.jitterMs ?? 10,
    driftMs: spec.driftMs ?? 0,
    driftCorrelation: spec.driftCorrelation ?? 0.9,
  };
  checkMotorNoise(noise);
  const articulation = spec.articulation ?? 0.9;
  if (!(articulation > 0 && articulation <= 1)) {
    throw new RangeError(`articulation must be in (0, 1], got: ${articulation}`);
  }
  const missing = spec.missing ?? 0;
  assertRange('missing', missing, 0, 1);
  const leap = spec.leap ?? 0.15;
  assertRange('leap', leap, 0, 1);
  const fillEvery = spec.fillEvery ?? 4;
  assertWhole('fillEvery', fillEvery, 0, 100_000);
  const instrument = spec.instrument ?? 38;
  assertWhole('instrument', instrument, 0, 127);
  const harmony = spec.harmony ?? [0, 3, 4, 0];
  if (harmony.length === 0 || !harmony.every(Number.isInteger)) {
    throw new RangeError(
      `harmony must be a non-empty list of whole scale degrees, got: [${harmony.join(', ')}]`,
    );
  }
  const drumOutput = spec.drumOutput ?? 'hits';
  if (drumOutput !== 'hits' && drumOutput !== 'notes') {
    throw new RangeError(`drumOutput must be 'hits' or 'notes', got: ${String(drumOutput)}`);
  }
  if (spec.channel !== undefined) assertWhole('channel', spec.channel, 0, 15);

  let phrase: ResolvedSpec['phrase'] = null;
  if (spec.phrase !== undefined) {
    assertWhole('phrase.bars', spec.phrase.bars, 1, 100_000);
    const breath = spec.phrase.breath ?? 1;
    if (!(Number.isFinite(breath) && breath >= 0 && breath < spec.phrase.bars * beatsPerBar)) {
      throw new RangeError(
        `phrase.breath must be in [0, ${spec.phrase.bars * beatsPerBar}) beats, got: ${breath}`,
      );
    }
    phrase = { bars: spec.phrase.bars, breath };
  }
  const rate = spec.rate ?? 3;
  assertPositive('rate', rate);
  if (spec.seconds !== undefined) assertPositive('seconds', spec.seconds);
  const pauses = spec.pauses ?? [];
  if (style === 'unpulsed' && (pauses.length > 0 || phrase !== null)) {
    throw new RangeError(
      'unpulsed playing makes its own gestures and silences; pauses and phrase do not apply',
    );
  }

  return {
    bpm,
    bars,
    beatsPerBar,
    start,
    tempo: spec.tempo ?? [],
    style,
    key,
    velocity,
    velocitySd,
    dynamics: spec.dynamics ?? [],
    noise,
    articulation,
    drumOutput,
    pauses,
    phrase,
    rate,
    seconds: spec.seconds ?? null,
    channel: spec.channel,
    texture: {
      style: style === 'unpulsed' ? 'melody' : style,
      beatsPerBar,
      rhythm: rhythmPositions(spec.rhythm ?? 'quarters', beatsPerBar),
      groove: grooveOf(spec.groove ?? 'rock', beatsPerBar),
      fillEvery,
      instrument,
      key,
      low,
      high,
      leap,
      harmony,
      accent,
      missing,
    },
  };
}
