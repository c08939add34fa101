/**
 * A whole simulated performance with its known answers: the events a player makes and the truth
 * of everything simulated (beats, tempo, key, phrases, pauses).
 */
import type { HitEvent, NoteEvent } from '../events/index.ts';
import type { Rng } from '../random/index.ts';
import type { Beats, Bpm, Midi, Seconds } from '../time/index.ts';
import { assertPositive } from '../time/index.ts';
import { createDynamics, createMotor, drawVelocity } from './expression.ts';
import type { SimulatedKey } from './scale.ts';
import { type PlayerSpec, type ResolvedSpec, resolveSpec } from './spec.ts';
import { createTempoCurve } from './tempo.ts';
import { createMelody, createTexture, type Intent } from './texture.ts';

/** A span of time on the session clock. */
export interface TimeSpan {
  readonly start: Seconds;
  readonly end: Seconds;
}

/** A simulated performance: its events and the truth of everything that was simulated. */
export interface SimulatedPerformance {
  /** What the player played, in time order. */
  readonly events: Array<NoteEvent | HitEvent>;
  /** For each event, the time it was meant for before motor noise. */
  readonly intended: Seconds[];
  /** The true beats: the pulse the player keeps, through rests in tempo; empty when unpulsed. */
  readonly beats: Seconds[];
  /** The beats that begin bars. */
  readonly downbeats: Seconds[];
  /** The tempo curve: the instantaneous tempo at every true beat. */
  readonly tempo: Array<{ t: Seconds; bpm: Bpm }>;
  /** The key of pitched playing; null for drums and hits. */
  readonly key: SimulatedKey | null;
  /** Stretches of playing: phrases, cut by breaths and rests (gestures when unpulsed). */
  readonly phrases: TimeSpan[];
  /** Rests; `inTempo` when the pulse went on through them. */
  readonly pauses: Array<TimeSpan & { inTempo: boolean }>;
  /** When the performance ends (after its last beat, or its last sound when unpulsed). */
  readonly end: Seconds;
  /** Whether there is a pulse to speak of. */
  readonly pulsed: boolean;
}

/** Notes never sound shorter than this, however short the articulation. */
const MIN_DURATION: Seconds = 0.02;
/** A late note that would sound into a following rest ends this far before it. */
const REST_GUARD: Seconds = 0.001;

interface Rest {
  readonly at: Beats;
  /** Beats the rest takes from the grid (in tempo). */
  readonly beats: Beats;
  /** Seconds the rest adds off the grid (out of tempo). */
  readonly gap: Seconds;
}

function resolvePauses(r: ResolvedSpec, bpmAtBeat: (b: Beats) => Bpm, total: Beats): Rest[] {
  const rests = r.pauses.map((p, i): Rest => {
    const name = `pauses[${i}]`;
    if (!(Number.isFinite(p.at) && p.at >= 0 && p.at < total)) {
      throw new RangeError(`${name}.at must be a beat position in [0, ${total}), got: ${p.at}`);
    }
    if ((p.beats === undefined) === (p.seconds === undefined)) {
      throw new RangeError(
        `${name} needs exactly one of beats or seconds, got: beats=${p.beats}, seconds=${p.seconds}`,
      );
    }
    if (p.beats !== undefined) assertPositive(`${name}.beats`, p.beats);
    if (p.seconds !== undefined) assertPositive(`${name}.seconds`, p.seconds);
    const period = 60 / bpmAtBeat(p.at);
    const inTempo = p.inTempo ?? p.beats !== undefined;
    if (inTempo) {
      const beats = p.beats ?? Math.max(1, Math.round((p.seconds as number) / period));
      return { at: p.at, beats: Math.min(beats, total - p.at), gap: 0 };
    }
    return { at: p.at, beats: 0, gap: p.seconds ?? (p.beats as number) * period };
  });
  rests.sort((a, b) => a.at - b.at);
  rests.forEach((rest, i) => {
    const next = rests[i + 1];
    if (next !== undefined && next.at < rest.at + Math.max(rest.beats, 1e-9)) {
      throw new RangeError(
        `pauses overlap: one at beat ${rest.at} and one at beat ${next.at}, got: ${next.at}`,
      );
    }
  });
  return rests;
}

/** Intervals [a, b) minus silences, split at points. */
function subtract(
  spans: Array<[Beats, Beats]>,
  silences: ReadonlyArray<readonly [Beats, Beats]>,
  points: readonly Beats[],
): Array<[Beats, Beats]> {
  let out = spans;
  for (const [s, e] of silences) {
    out = out.flatMap(([a, b]): Array<[Beats, Beats]> => {
      if (e <= a || s >= b) return [[a, b]];
      const kept: Array<[Beats, Beats]> = [];
      if (s > a) kept.push([a, s]);
      if (e < b) kept.push([e, b]);
      return kept;
    });
  }
  for (const p of points) {
    out = out.flatMap(
      ([a, b]): Array<[Beats, Beats]> =>
        p > a && p < b
          ? [
              [a, p],
              [p, b],
            ]
          : [[a, b]],
    );
  }
  return out.filter(([a, b]) => b > a);
}

function simulatePulsed(r: ResolvedSpec, rng: Rng): SimulatedPerformance {
  const textureRng = rng.fork();
  const motorRng = rng.fork();
  const velocityRng = rng.fork();
  const curve = createTempoCurve(r.bpm, r.tempo);
  const bpb = r.beatsPerBar;
  const total = r.bars * bpb;
  const rests = resolvePauses(r, curve.bpmAtBeat, total);
  const gapsBefore = (pos: Beats, inclusive: boolean): Seconds =>
    rests.reduce((sum, p) => (p.at < pos || (inclusive && p.at === pos) ? sum + p.gap : sum), 0);
  // Where a beat position sounds; at a rest out of tempo, after its silence.
  const timeOf = (pos: Beats): Seconds => r.start + curve.timeAt(pos) + gapsBefore(pos, true);
  // Where a beat position would sound before any silence that starts there.
  const timeBefore = (pos: Beats): Seconds => r.start + curve.timeAt(pos) + gapsBefore(pos, false);

  const silences: Array<[Beats, Beats]> = rests.filter((p) => p.beats > 0).map((p) => [p.at, p.at + p.beats]);
  let spans: Array<[Beats, Beats]> = [[0, total]];
  if (r.phrase !== null) {
    const length = r.phrase.bars * bpb;
    spans = [];
    for (let s = 0; s < total; s += length) {
      const end = Math.min(total, s + length);
      spans.push([s, end]);
      if (r.phrase.breath > 0) silences.push([Math.max(s, end - r.phrase.breath), end]);
    }
  }
  const outOfTempo = rests.filter((p) => p.gap > 0).map((p) => p.at);
  const playing = subtract(spans, silences, outOfTempo);
  const silent = (pos: Beats): boolean => silences.some(([s, e]) => pos >= s - 1e-9 && pos < e - 1e-9);
  // The last note before a breath or a rest closes the phrase on the tonic.
  const cadences = new Set(playing.map(([, e]) => Math.ceil(e - 1e-9) - 1));

  const texture = createTexture(r.texture, textureRng);
  const intents: Intent[] = [];
  for (let k = 0; k < total; k++) {
    for (const intent of texture.beat(k, cadences.has(k))) if (!silent(intent.pos)) intents.push(intent);
  }

  // Silences in clock time: rests in tempo, breaths, and the gaps of rests out of tempo.
  const quiet: TimeSpan[] = [
    ...silences.map(([s, e]) => ({ start: timeOf(s), end: timeBefore(e) })),
    ...rests.filter((p) => p.gap > 0).map((p) => ({ start: timeBefore(p.at), end: timeOf(p.at) })),
  ];
  const motor = createMotor(r.noise, motorRng);
  const level = createDynamics(r.velocity, r.dynamics);
  const made: Array<{ event: NoteEvent | HitEvent; intended: Seconds }> = intents.map((intent) => {
    const intended = timeOf(intent.pos);
    let t = Math.max(0, intended + motor.offset(intent.pos));
    for (const q of quiet) {
      if (intended < q.start && t > q.start - MIN_DURATION - REST_GUARD) {
        t = Math.min(t, q.start - MIN_DURATION - REST_GUARD);
      }
      if (intended >= q.end && t < q.end) t = q.end;
    }
    const nextQuiet = Math.min(...quiet.filter((q) => q.start > intended).map((q) => q.start));
    const sounding = (timeOf(intent.pos + intent.dur) - intended) * r.articulation;
    const duration = Math.max(MIN_DURATION, Math.min(sounding, nextQuiet - t - REST_GUARD));
    const velocity = drawVelocity(level(intent.pos) + intent.level, r.velocitySd, velocityRng);
    return { event: toEvent(r, t, intent, duration, velocity), intended };
  });
  made.sort((a, b) => a.event.t - b.event.t);

  const beats: Seconds[] = [];
  const downbeats: Seconds[] = [];
  const tempo: Array<{ t: Seconds; bpm: Bpm }> = [];
  for (let k = 0; k < total; k++) {
    const t = timeOf(k);
    beats.push(t);
    if (k % bpb === 0) downbeats.push(t);
    tempo.push({ t, bpm: curve.bpmAtBeat(k) });
  }
  return {
    events: made.map((m) => m.event),
    intended: made.map((m) => m.intended),
    beats,
    downbeats,
    tempo,
    key: r.style === 'drums' || r.style === 'hits' ? null : r.key,
    phrases: playing.map(([s, e]) => ({ start: timeOf(s), end: timeBefore(e) })),
    pauses: rests.map((p) =>
      p.gap > 0
        ? { start: timeBefore(p.at), end: timeOf(p.at), inTempo: false }
        : { start: timeOf(p.at), end: timeBefore(p.at + p.beats), inTempo: true },
    ),
    end: timeBefore(total),
    pulsed: true,
  };
}

/** The event of a realised intent: a hit or GM percussion note for drums, else a pitched note. */
export function toEvent(
  r: Pick<ResolvedSpec, 'drumOutput' | 'channel'>,
  t: Seconds,
  intent: Pick<Intent, 'pitch' | 'instrument'>,
  duration: Seconds,
  velocity: number,
): NoteEvent | HitEvent {
  if (intent.instrument !== undefined) {
    if (r.drumOutput === 'hits') return { type: 'hit', t, instrument: intent.instrument, velocity };
    return { type: 'note', t, pitch: intent.instrument, velocity, duration, channel: 9 };
  }
  const note = { type: 'note' as const, t, pitch: intent.pitch as Midi, velocity, duration };
  return r.channel === undefined ? note : { ...note, channel: r.channel };
}

/** Gestures of unpulsed playing last this long (seconds), with silences between them. */
const GESTURE: readonly [Seconds, Seconds] = [1, 4];
const SILENCE: readonly [Seconds, Seconds] = [0.6, 2.5];
/** Two onsets of one gesture are never closer than this. */
const MIN_IOI: Seconds = 0.06;

/**
 * Unpulsed playing, as a client exploring an instrument: gestures of irregular onsets (drawn
 * as a Poisson process, so no interval recurs) with silences between them.
 */
function simulateUnpulsed(r: ResolvedSpec, rng: Rng): SimulatedPerformance {
  const length = r.seconds ?? (r.bars * r.beatsPerBar * 60) / r.bpm;
  const end = r.start + length;
  const melody = createMelody(r.key, r.texture.low, r.texture.high, Math.max(r.texture.leap, 0.4), rng);
  const level = createDynamics(r.velocity, r.dynamics);
  const events: NoteEvent[] = [];
  const phrases: TimeSpan[] = [];
  let t = r.start;
  while (t < end) {
    const gestureEnd = Math.min(end, t + rng.uniform(GESTURE[0], GESTURE[1]));
    const gesture: NoteEvent[] = [];
    while (t < gestureEnd) {
      gesture.push({
        type: 'note',
        t,
        pitch: melody.next(null),
        velocity: drawVelocity(level((t - r.start) * (r.bpm / 60)), Math.max(r.velocitySd, 12), rng),
        duration: 0,
        ...(r.channel === undefined ? {} : { channel: r.channel }),
      });
      t += MIN_IOI - Math.log(1 - rng.next()) / r.rate;
    }
    const sounded = gesture.map((n, i) => {
      const next = gesture[i + 1]?.t ?? n.t + 1;
      return {
        ...n,
        duration: Math.max(MIN_DURATION, Math.min(rng.uniform(0.1, 1), next - n.t) * r.articulation),
      };
    });
    const last = sounded[sounded.length - 1]!;
    phrases.push({ start: sounded[0]!.t, end: last.t + last.duration });
    events.push(...sounded);
    t = last.t + last.duration + rng.uniform(SILENCE[0], SILENCE[1]);
  }
  const pauses = phrases.slice(1).map((p, i) => ({ start: phrases[i]!.end, end: p.start, inTempo: false }));
  return {
    events,
    intended: events.map((e) => e.t),
    beats: [],
    downbeats: [],
    tempo: [],
    key: r.key,
    phrases,
    pauses,
    end: Math.max(end, phrases[phrases.length - 1]?.end ?? end),
    pulsed: false,
  };
}

/**
 * A simulated player's performance with every truth: pure, and the same for the same spec and
 * seed. Bad specs (a negative tempo, a range of 0, a rest outside the piece) throw naming the value.
 * @example
 * const p = simulatePlayer({ bpm: 92, bars: 16 }, createRng(1));
 * p.beats.length // 64; p.events are quarter notes in C major around G4, jittered by 10 ms
 * @example
 * simulatePlayer({ bpm: 90, tempo: [{ beats: 16 }, { beats: 16, to: 120 }], style: 'drums' }, createRng(2))
 * // four bars of rock groove at 90, then an accelerando to 120 over four bars
 */
export function simulatePlayer(spec: PlayerSpec, rng: Rng): SimulatedPerformance {
  const r = resolveSpec(spec);
  return r.style === 'unpulsed' ? simulateUnpulsed(r, rng) : simulatePulsed(r, rng);
}
