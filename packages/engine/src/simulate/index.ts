/**
 * Simulated players with known answers. `simulatePlayer` makes a whole performance (melody,
 * hits, drum groove, piano-like playing, or unpulsed exploring) with a controlled tempo curve,
 * motor noise, dynamics, rests and phrases, and returns every truth beside the events.
 * `createReactivePlayer` makes a client who listens to a partner and plays: a follower, a leader
 * or a call-and-response player. Everything is pure and seeded by the `Rng` it is given.
 *
 * @example
 * const p = simulatePlayer({ bpm: 92, bars: 16 }, createRng(1));
 * p.beats // 64 true beats, 60/92 s apart from 0.5 s on: the answer a beat tracker should find
 * p.events // 64 quarter notes in C major around G4, each jittered by 10 ms (sd) off its beat
 */
export type { DynamicsSegment } from './expression.ts';
export type { SimulatedPerformance, TimeSpan } from './player.ts';
export { simulatePlayer } from './player.ts';
export type { ReactiveKind, ReactivePlayer, ReactivePlayerSpec, ReactiveTruth } from './reactive.ts';
export { createReactivePlayer } from './reactive.ts';
export type { PlayerMode, SimulatedKey } from './scale.ts';
export { inScale, keyOf } from './scale.ts';
export type { PauseSpec, PhraseSpec, PlayerSpec } from './spec.ts';
export type { TempoCurve, TempoSegment } from './tempo.ts';
export { createTempoCurve } from './tempo.ts';
export type { DrumGroove, GrooveName, PlayerStyle, RhythmName } from './texture.ts';
export { GM_DRUMS } from './texture.ts';
