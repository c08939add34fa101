/**
 * Simulated clients who react to a partner, for companion tests and the trainee's practice:
 * a follower who adapts its tempo and phase toward the partner's beat (with a reaction lag, a
 * gain, and a limit on how fast it changes), a leader who keeps its own tempo curve, and a
 * call-and-response player who plays phrases and waits in its silences for an answer.
 * Each is causal: what it plays from `from` on depends only on what it heard before `from`.
 */
import type { HitEvent, NoteEvent, Onset, PlayedEvent } from '../events/index.ts';
import { toOnset } from '../events/index.ts';
import type { Rng } from '../random/index.ts';
import type { Beats, Bpm, Seconds } from '../time/index.ts';
import { assertPositive, assertRange } from '../time/index.ts';
import { createDynamics, createMotor, drawVelocity } from './expression.ts';
import { type TimeSpan, toEvent } from './player.ts';
import type { SimulatedKey } from './scale.ts';
import { type PlayerSpec, resolveSpec } from './spec.ts';
import { createTempoCurve } from './tempo.ts';
import { createTexture, type PlayerStyle } from './texture.ts';

/** How a reactive player relates to its partner. */
export type ReactiveKind = 'follower' | 'leader' | 'call-and-response';

/**
 * A reactive player: a {@link PlayerSpec} (without rests; `bars` left out means it plays on
 * without end) and how it reacts. A follower starts at `bpm`; a leader and a call-and-response
 * player keep `bpm` and its `tempo` curve whatever they hear.
 */
export interface ReactivePlayerSpec extends Omit<PlayerSpec, 'pauses' | 'style' | 'rate' | 'seconds'> {
  readonly kind: ReactiveKind;
  readonly style?: Exclude<PlayerStyle, 'unpulsed'>;
  /** Follower: reaction delay in beats before what it hears affects its beats; default 1. */
  readonly lag?: Beats;
  /** Follower: share of the tempo difference to the partner corrected per beat, 0–1; default 0.3. */
  readonly gain?: number;
  /** Follower: share of its asynchrony to the partner's onset corrected per beat, 0–1; default 0.3. */
  readonly phaseGain?: number;
  /** Follower: the most its tempo changes from one beat to the next (BPM); default 3. */
  readonly maxChange?: Bpm;
  /** Call and response: length of each call in beats; default 8. */
  readonly callBeats?: number;
  /** Call and response: beats of partner silence that end an answer; default 1. */
  readonly answerGap?: Beats;
  /** Call and response: beats it waits for an answer before calling again anyway; default 2 × callBeats. */
  readonly maxWait?: number;
}

/** What a reactive player has done so far: its beats and tempo, and its calls. */
export interface ReactiveTruth {
  /** Its beats so far (decided a little ahead of what it has played). */
  readonly beats: Seconds[];
  /** Its tempo at each of those beats. */
  readonly tempo: Array<{ t: Seconds; bpm: Bpm }>;
  /** Call and response: each call it played, from its first beat to the end of its last. */
  readonly calls: TimeSpan[];
  /** The key of pitched playing; null for drums and hits. */
  readonly key: SimulatedKey | null;
}

/** A simulated client who listens to a partner and plays. */
export interface ReactivePlayer {
  readonly kind: ReactiveKind;
  /** What it hears of its partner (the companion's notes, another player's). */
  hear(event: PlayedEvent): void;
  /** Its onsets in [from, to); windows must move forward. */
  play(from: Seconds, to: Seconds): Array<NoteEvent | HitEvent>;
  /** Its beats, tempo and calls so far. */
  truth(): ReactiveTruth;
}

/** Onsets of a partner closer than this are one (a chord, a flam). */
const SAME_ONSET: Seconds = 0.05;
/** A partner's intervals longer than this many of the follower's beats are gaps, not a pulse. */
const LONGEST_IOI = 2.8;
/** The follower reads the partner's tempo from the median of its last intervals: this many at least... */
const FEWEST_IOIS = 3;
/** ... and at most this many. */
const MOST_IOIS = 9;
const MIN_DURATION: Seconds = 0.02;

/**
 * The partner's onsets in [from, cutoff), chords and flams merged into their first onset. Only
 * that stretch is read, so a long session costs no more per beat than a short one.
 */
function onsetsBetween(heard: readonly Onset[], from: Seconds, cutoff: Seconds): Seconds[] {
  let lo = 0;
  let hi = heard.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (heard[mid]!.t < from) lo = mid + 1;
    else hi = mid;
  }
  const out: Seconds[] = [];
  for (let i = lo; i < heard.length && heard[i]!.t < cutoff; i++) {
    const t = heard[i]!.t;
    const last = out[out.length - 1];
    if (last === undefined || t - last > SAME_ONSET) out.push(t);
  }
  return out;
}

/**
 * The partner's beat period as the follower hears it: the median of its recent intervals (the
 * last three, or all of the last two beats when it plays faster), each folded by a factor of two
 * toward the follower's own period (so eighths count as beats), or null when it has not heard
 * enough of a pulse.
 */
function partnerPeriod(onsets: readonly Seconds[], period: Seconds, cutoff: Seconds): Seconds | null {
  const iois: Seconds[] = [];
  for (let i = onsets.length - 1; i > 0 && iois.length < MOST_IOIS; i--) {
    if (iois.length >= FEWEST_IOIS && onsets[i]! < cutoff - 2 * period) break;
    let ioi = onsets[i]! - onsets[i - 1]!;
    if (ioi > LONGEST_IOI * period) break;
    if (ioi < period / Math.SQRT2) ioi *= 2;
    else if (ioi > period * Math.SQRT2) ioi /= 2;
    if (ioi >= period / Math.SQRT2 && ioi <= period * Math.SQRT2) iois.push(ioi);
  }
  if (iois.length < 2) return null;
  iois.sort((a, b) => a - b);
  const mid = iois.length / 2;
  return iois.length % 2 === 1 ? iois[Math.floor(mid)]! : (iois[mid - 1]! + iois[mid]!) / 2;
}

/**
 * A simulated client who listens and plays, pure and seeded.
 * @example
 * const client = createReactivePlayer({ kind: 'follower', bpm: 90, lag: 1, gain: 0.3 }, createRng(1));
 * client.hear(companionNote);          // everything the companion played before 2.0 s
 * client.play(2.0, 2.1);               // the client's notes in [2.0, 2.1)
 * client.truth().tempo;                // its tempo at each beat, moving toward the companion's
 */
export function createReactivePlayer(spec: ReactivePlayerSpec, rng: Rng): ReactivePlayer {
  const kind = spec.kind;
  if (kind !== 'follower' && kind !== 'leader' && kind !== 'call-and-response') {
    throw new RangeError(`kind must be 'follower', 'leader' or 'call-and-response', got: ${String(kind)}`);
  }
  if ((spec.style as string | undefined) === 'unpulsed') {
    throw new RangeError(`a reactive player keeps a pulse; style must not be unpulsed, got: ${spec.style}`);
  }
  const r = resolveSpec({ ...spec, pauses: [] });
  const lag = spec.lag ?? 1;
  assertRange('lag', lag, 0, 64);
  const gain = spec.gain ?? 0.3;
  assertRange('gain', gain, 0, 1);
  const phaseGain = spec.phaseGain ?? 0.3;
  assertRange('phaseGain', phaseGain, 0, 1);
  const maxChange = spec.maxChange ?? 3;
  assertPositive('maxChange', maxChange);
  const callBeats = spec.callBeats ?? 8;
  if (!(Number.isInteger(callBeats) && callBeats >= 1)) {
    throw new RangeError(`callBeats must be a whole number of beats, at least 1, got: ${callBeats}`);
  }
  const answerGap = spec.answerGap ?? 1;
  assertPositive('answerGap', answerGap);
  const maxWait = spec.maxWait ?? 2 * callBeats;
  if (!(Number.isInteger(maxWait) && maxWait >= 1)) {
    throw new RangeError(`maxWait must be a whole number of beats, at least 1, got: ${maxWait}`);
  }

  const textureRng = rng.fork();
  const motorRng = rng.fork();
  const velocityRng = rng.fork();
  const texture = createTexture(r.texture, textureRng);
  const motor = createMotor(r.noise, motorRng);
  const level = createDynamics(r.velocity, r.dynamics);
  const curve = createTempoCurve(r.bpm, r.tempo);
  const bpb = r.beatsPerBar;
  const total = spec.bars === undefined ? Number.POSITIVE_INFINITY : r.bars * bpb;
  const phraseBeats = r.phrase === null ? 0 : r.phrase.bars * bpb;
  // Onsets that motor noise moves earlier than this much before a window are still played in it.
  const margin = (3 * Math.hypot(r.noise.jitterMs, r.noise.driftMs)) / 1000 + 0.005;

  const heard: Onset[] = [];
  const beats: Seconds[] = [];
  const bpms: Bpm[] = [];
  const calls: TimeSpan[] = [];
  let queue: Array<NoteEvent | HitEvent> = [];
  let lastTo = Number.NEGATIVE_INFINITY;
  let lastCorrected = -1;
  // Call and response: the beat the current call started on, or where the waiting began.
  let callStart = 0;
  let waitingFrom: number | null = null;

  const decideFollower = (k: number, from: Seconds): void => {
    const prev = beats[k - 1]!;
    const bpm = bpms[k - 1]!;
    const period = 60 / bpm;
    // What it heard up to `lag` beats before the beat is what moves the beat.
    const cutoff = Math.min(from, prev + period - lag * period);
    // Enough of the past for the last few intervals and the asynchrony of the beats not yet corrected.
    const since = Math.min(
      cutoff - (MOST_IOIS + 1) * LONGEST_IOI * period,
      beats[Math.min(lastCorrected + 1, k - 1)]! - period,
    );
    const onsets = onsetsBetween(heard, since, cutoff);
    const heardPeriod = partnerPeriod(onsets, period, cutoff);
    let next = bpm;
    if (heardPeriod !== null) {
      const step = gain * (60 / heardPeriod - bpm);
      next = bpm + Math.max(-maxChange, Math.min(maxChange, step));
    }
    let shift = 0;
    let j = k - 1;
    while (j > lastCorrected && beats[j]! + period / 3 > cutoff) j--;
    if (j > lastCorrected) {
      const own = beats[j]!;
      const near = onsets.filter((o) => Math.abs(o - own) < period / 3);
      if (near.length > 0) {
        const nearest = near.reduce((a, b) => (Math.abs(b - own) < Math.abs(a - own) ? b : a));
        // Late against the partner: the next beat comes a little sooner (and early: later).
        shift = phaseGain * (own - nearest);
      }
      lastCorrected = j;
    }
    bpms.push(next);
    beats.push(prev + 60 / next - shift);
  };

  /** Whether the call-and-response player plays beat k, deciding on what it heard before `from`. */
  const callPlays = (k: number, from: Seconds): boolean => {
    if (waitingFrom === null) {
      if (k < callStart + callBeats) return true;
      waitingFrom = k;
      calls.push({ start: beats[callStart]!, end: beats[k]! });
    }
    const period = 60 / bpms[k]!;
    const cutoff = Math.min(from, beats[k]!);
    const answer = onsetsBetween(heard, beats[waitingFrom]! - period / 2, cutoff);
    const last = answer[answer.length - 1];
    // The answer is over once the partner has played and then been silent for answerGap beats.
    const answered = last !== undefined && cutoff - last >= answerGap * period;
    if (answered || k - waitingFrom >= maxWait) {
      callStart = k;
      waitingFrom = null;
      return true;
    }
    return false;
  };

  const render = (k: number, from: Seconds): void => {
    const b = beats[k]!;
    const period = 60 / bpms[k]!;
    let cadence = false;
    let spanEnd = Number.POSITIVE_INFINITY;
    if (kind === 'call-and-response') {
      if (!callPlays(k, from)) return;
      spanEnd = callStart + callBeats;
      cadence = k === spanEnd - 1;
    } else if (phraseBeats > 0 && r.phrase !== null) {
      spanEnd = Math.floor(k / phraseBeats) * phraseBeats + phraseBeats - r.phrase.breath;
      if (k >= spanEnd) return;
      cadence = k === Math.ceil(spanEnd) - 1;
    }
    for (const intent of texture.beat(k, cadence)) {
      if (intent.pos >= spanEnd) continue;
      // A leader's and a caller's onsets lie on their tempo curve; a follower's within its current beat.
      const intended =
        kind === 'follower' ? b + (intent.pos - k) * period : r.start + curve.timeAt(intent.pos);
      const t = intended + motor.offset(intent.pos);
      if (t < from - margin) continue;
      const sounding = Math.min(intent.dur * r.articulation, spanEnd - intent.pos) * period;
      const velocity = drawVelocity(level(intent.pos) + intent.level, r.velocitySd, velocityRng);
      queue.push(toEvent(r, Math.max(t, from), intent, Math.max(MIN_DURATION, sounding), velocity));
    }
  };

  const ensure = (from: Seconds, to: Seconds): void => {
    for (let k = beats.length; k < total; k = beats.length) {
      const provisional =
        k === 0
          ? r.start
          : kind === 'follower'
            ? beats[k - 1]! + 60 / bpms[k - 1]!
            : r.start + curve.timeAt(k);
      if (provisional >= to + margin) return;
      if (k === 0 || kind !== 'follower') {
        beats.push(k === 0 ? r.start : provisional);
        bpms.push(kind === 'follower' ? r.bpm : curve.bpmAtBeat(k));
      } else {
        decideFollower(k, from);
      }
      render(k, from);
    }
  };

  return {
    kind,
    hear(event) {
      const onset = toOnset(event);
      if (onset === null) return;
      let i = heard.length;
      while (i > 0 && heard[i - 1]!.t > onset.t) i--;
      heard.splice(i, 0, onset);
    },
    play(from, to) {
      if (!(Number.isFinite(from) && Number.isFinite(to) && to > from)) {
        throw new RangeError(`play needs a window with from < to, got: [${from}, ${to})`);
      }
      if (from < lastTo - 1e-9)
        throw new RangeError(`play windows must move forward; the last ended at ${lastTo}, got: ${from}`);
      lastTo = to;
      ensure(from, to);
      const now = queue.filter((e) => e.t < to).sort((a, b) => a.t - b.t);
      queue = queue.filter((e) => e.t >= to);
      return now;
    },
    truth() {
      const pending =
        kind === 'call-and-response' && waitingFrom === null && beats.length > callStart
          ? [{ start: beats[callStart]!, end: r.start + curve.timeAt(callStart + callBeats) }]
          : [];
      return {
        beats: [...beats],
        tempo: beats.map((t, i) => ({ t, bpm: bpms[i]! })),
        calls: [...calls, ...pending],
        key: r.style === 'drums' || r.style === 'hits' ? null : r.key,
      };
    },
  };
}
