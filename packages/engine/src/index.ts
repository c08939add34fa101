/** @attune/engine: pure TypeScript, no DOM, no Node, no clock, no Math.random. */
export * from './events/index.ts';
export * from './random/index.ts';
export * from './time/index.ts';
