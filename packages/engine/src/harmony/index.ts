/**
 * Harmony: chord spelling from an idiom and a degree, voicing with smooth voice leading, a
 * harmonic-rhythm planner that moves through an idiom's progressions in phrases, and cadences.
 */
export { type Chord, chordRole, sameChord, spellChord } from './chord.ts';
export {
  cadence,
  type HarmonyOptions,
  HarmonyPlanner,
  type HarmonyStep,
  type PhraseSlot,
  withCadence,
} from './planner.ts';
export {
  REGISTERS,
  type Voicing,
  type VoicingOptions,
  voiceChord,
  voiceLeadingDistance,
  voicingPitches,
} from './voicing.ts';
