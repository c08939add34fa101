/**
 * Tempo curves of simulated players: a starting tempo and segments that hold it, ramp it
 * (accelerando, ritardando; linear or exponential) or change it suddenly, measured in beats or
 * seconds. The curve maps musical time (beats from the first beat) to clock time and back in
 * closed form, so the true beat times of a simulation are exact.
 */
import type { Beats, Bpm, Seconds } from '../time/index.ts';
import { assertPositive } from '../time/index.ts';

/**
 * One stretch of a tempo curve. It starts at `from` (or the previous segment's end tempo times
 * `change`, or just the previous end tempo) and moves to `to` (default: its start tempo) over
 * `beats` or `seconds`.
 */
export interface TempoSegment {
  /** Length in beats (give this or `seconds`). */
  readonly beats?: Beats;
  /** Length in seconds (give this or `beats`). */
  readonly seconds?: Seconds;
  /** Tempo at the segment's start; a value other than the previous end tempo is a sudden change. */
  readonly from?: Bpm;
  /** Sudden change at the segment's start as a factor of the previous end tempo (1.2 = 20% faster). */
  readonly change?: number;
  /** Tempo at the segment's end; defaults to its start tempo (a steady stretch). */
  readonly to?: Bpm;
  /**
   * How the tempo moves from start to end over the segment's own measure (beats or seconds):
   * 'linear' by equal BPM steps, 'exponential' by equal ratios. Default 'linear'.
   */
  readonly shape?: 'linear' | 'exponential';
}

/** A tempo curve: beats from the first beat (beat 0 at time 0) to seconds and back. */
export interface TempoCurve {
  /** Seconds from beat 0 to beat position `beat` (extrapolated steadily outside the segments). */
  timeAt(beat: Beats): Seconds;
  /** Beat position at `t` seconds after beat 0. */
  beatAt(t: Seconds): Beats;
  /** Instantaneous tempo at a beat position. */
  bpmAtBeat(beat: Beats): Bpm;
}

interface Piece {
  readonly b0: Beats;
  readonly t0: Seconds;
  readonly beats: Beats;
  readonly seconds: Seconds;
  /** Local beats → local seconds. */
  readonly time: (x: Beats) => Seconds;
  /** Local seconds → local beats. */
  readonly beat: (u: Seconds) => Beats;
  /** Local beats → BPM. */
  readonly bpm: (x: Beats) => Bpm;
}

const FLAT = 1e-12;

function steady(a: Bpm): Pick<Piece, 'time' | 'beat' | 'bpm'> {
  return { time: (x) => (60 * x) / a, beat: (u) => (a * u) / 60, bpm: () => a };
}

/** The closed forms of a tempo moving from a to c over L beats or T seconds. */
function shapePiece(
  a: Bpm,
  c: Bpm,
  length: number,
  measure: 'beats' | 'seconds',
  shape: 'linear' | 'exponential',
): Pick<Piece, 'time' | 'beat' | 'bpm'> {
  if (Math.abs(c - a) < FLAT * a) return steady(a);
  if (measure === 'beats' && shape === 'linear') {
    // bpm(x) = a + kx, t(x) = ∫ 60 / bpm
    const k = (c - a) / length;
    return {
      time: (x) => (60 / k) * Math.log1p((k * x) / a),
      beat: (u) => (a / k) * Math.expm1((k * u) / 60),
      bpm: (x) => a + k * x,
    };
  }
  if (measure === 'beats') {
    // bpm(x) = a·e^(gx)
    const g = Math.log(c / a) / length;
    return {
      time: (x) => (-60 / (a * g)) * Math.expm1(-g * x),
      beat: (u) => -Math.log1p((-a * g * u) / 60) / g,
      bpm: (x) => a * Math.exp(g * x),
    };
  }
  if (shape === 'linear') {
    // bpm(u) = a + mu, x(u) = (au + mu²/2) / 60
    const m = (c - a) / length;
    const time = (x: Beats): Seconds => (120 * x) / (a + Math.sqrt(a * a + 120 * m * x));
    return { time, beat: (u) => (a * u + (m * u * u) / 2) / 60, bpm: (x) => a + m * time(x) };
  }
  // bpm(u) = a·e^(hu), which is linear in beats: bpm(x) = a + 60hx
  const h = Math.log(c / a) / length;
  return {
    time: (x) => Math.log1p((60 * h * x) / a) / h,
    beat: (u) => (a / (60 * h)) * Math.expm1(h * u),
    bpm: (x) => a + 60 * h * x,
  };
}

function checkSegment(s: TempoSegment, i: number): void {
  const name = `tempo[${i}]`;
  if ((s.beats === undefined) === (s.seconds === undefined)) {
    throw new RangeError(
      `${name} needs exactly one of beats or seconds, got: beats=${s.beats}, seconds=${s.seconds}`,
    );
  }
  if (s.beats !== undefined) assertPositive(`${name}.beats`, s.beats);
  if (s.seconds !== undefined) assertPositive(`${name}.seconds`, s.seconds);
  if (s.from !== undefined) assertPositive(`${name}.from`, s.from);
  if (s.change !== undefined) assertPositive(`${name}.change`, s.change);
  if (s.to !== undefined) assertPositive(`${name}.to`, s.to);
  if (s.from !== undefined && s.change !== undefined) {
    throw new RangeError(`${name} takes from or change, not both, got: from=${s.from}, change=${s.change}`);
  }
  if (s.shape !== undefined && s.shape !== 'linear' && s.shape !== 'exponential') {
    throw new RangeError(`${name}.shape must be 'linear' or 'exponential', got: ${String(s.shape)}`);
  }
}

/**
 * A tempo curve from a starting tempo and segments; after the last segment the tempo holds.
 * @example createTempoCurve(120).timeAt(4) // 2
 * @example createTempoCurve(100, [{ beats: 32 }, { change: 1.2, beats: 32 }]).bpmAtBeat(40) // 120
 * @example createTempoCurve(90, [{ beats: 16, to: 120 }]).bpmAtBeat(8) // 105 (accelerando)
 */
export function createTempoCurve(bpm: Bpm, segments: readonly TempoSegment[] = []): TempoCurve {
  assertPositive('bpm', bpm);
  const pieces: Piece[] = [];
  let b0 = 0;
  let t0 = 0;
  let tempo = bpm;
  segments.forEach((s, i) => {
    checkSegment(s, i);
    const a = s.from ?? tempo * (s.change ?? 1);
    const c = s.to ?? a;
    const measure = s.beats !== undefined ? 'beats' : 'seconds';
    const length = (s.beats ?? s.seconds) as number;
    const forms = shapePiece(a, c, length, measure, s.shape ?? 'linear');
    const beats = measure === 'beats' ? length : forms.beat(length);
    const seconds = measure === 'seconds' ? length : forms.time(length);
    pieces.push({ b0, t0, beats, seconds, ...forms });
    b0 += beats;
    t0 += seconds;
    tempo = c;
  });
  const head: Piece = { b0: -Infinity, t0: -Infinity, beats: Infinity, seconds: Infinity, ...steady(bpm) };
  const tail: Piece = { b0, t0, beats: Infinity, seconds: Infinity, ...steady(tempo) };
  const byBeat = (beat: Beats): Piece => {
    if (beat < 0) return head;
    return pieces.find((p) => beat < p.b0 + p.beats) ?? tail;
  };
  const byTime = (t: Seconds): Piece => {
    if (t < 0) return head;
    return pieces.find((p) => t < p.t0 + p.seconds) ?? tail;
  };
  const local = (p: Piece, beat: Beats): Beats => (p === head ? beat : beat - p.b0);
  return {
    timeAt: (beat) => {
      const p = byBeat(beat);
      return (p === head ? 0 : p.t0) + p.time(local(p, beat));
    },
    beatAt: (t) => {
      const p = byTime(t);
      return (p === head ? 0 : p.b0) + p.beat(p === head ? t : t - p.t0);
    },
    bpmAtBeat: (beat) => {
      const p = byBeat(beat);
      return p.bpm(local(p, beat));
    },
  };
}
