/**
 * MIDI files: reading Standard MIDI Files defensively into raw tracks and into performances
 * (notes in seconds), and writing them back.
 */
export {
  isPercussionChannel,
  noteToPlayed,
  PERCUSSION_CHANNEL,
  type Performance,
  type PerformanceTrack,
  performanceToMidi,
  readPerformance,
  type TrackNotes,
  toPerformance,
} from './performance.ts';
export { readMidi } from './read.ts';
export {
  DEFAULT_TEMPO,
  decodeText,
  encodeUtf8,
  endOfTrack,
  metaEvent,
  metaText,
  TempoMap,
  tempoMeta,
  tempoOf,
  textMeta,
} from './tempo.ts';
export {
  type ChannelEvent,
  DEFAULT_MIDI_LIMITS,
  META,
  type MetaEvent,
  type MidiDivision,
  type MidiEvent,
  type MidiFile,
  MidiFileError,
  type MidiLimits,
  type MidiTrack,
  type SysexEvent,
} from './types.ts';
export { writeMidi } from './write.ts';
