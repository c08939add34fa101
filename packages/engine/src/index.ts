/** @attune/engine: pure TypeScript, no DOM, no Node, no clock, no Math.random. */
export * from './activity/index.ts';
export * from './analysis/index.ts';
export * from './assessment/index.ts';
export * from './companion/index.ts';
export * from './evaluation/index.ts';
export * from './events/index.ts';
export * from './harmony/index.ts';
export * from './idiom/index.ts';
export * from './key/index.ts';
export * from './midi/index.ts';
export * from './pulse/index.ts';
export * from './random/index.ts';
export * from './relation/index.ts';
export * from './review/index.ts';
export type {
  DrumGroove,
  DynamicsSegment,
  GrooveName,
  PauseSpec,
  PhraseSpec,
  PlayerSpec,
  PlayerStyle,
  ReactiveKind,
  ReactivePlayer,
  ReactivePlayerSpec,
  ReactiveTruth,
  RhythmName,
  SimulatedPerformance,
  TempoCurve,
  TempoSegment,
} from './simulate/index.ts';
export { createReactivePlayer, createTempoCurve, simulatePlayer } from './simulate/index.ts';
export * from './technique/index.ts';
export * from './texture/index.ts';
export * from './time/index.ts';
