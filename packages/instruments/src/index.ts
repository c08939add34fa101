/**
 * @attune/instruments: Attune's instruments. The pure parts (catalogue, zones, envelopes, the
 * voice planner, the offline mixer, WAV encoding, SoundFont reading) are exported here; the
 * Node loader is `@attune/instruments/node`, the Web Audio player `@attune/instruments/browser`,
 * and MIDI files become notes with their sounds through `@attune/instruments/score`.
 */
export * from './catalogue/index.ts';
export * from './envelope/index.ts';
export * from './mixer/index.ts';
export * from './piano/index.ts';
export * from './planner/index.ts';
export * from './sample/index.ts';
export * from './soundfont/index.ts';
export * from './wav/index.ts';
export * from './zones/index.ts';
