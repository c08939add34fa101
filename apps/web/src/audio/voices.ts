/**
 * The sound of each companion voice, as the session's instruments play it live and in a WAV
 * export: both hands at the grand piano, the rest from the General MIDI SoundFont.
 */
import type { Voice } from '@attune/engine';
import { PERCUSSION_BANK, type SoundSource } from '@attune/instruments';

const SOURCES: Readonly<Record<Voice, SoundSource>> = {
  'piano-left': { kind: 'piano' },
  'piano-right': { kind: 'piano' },
  // Acoustic bass, marimba and a warm pad: General MIDI programs 33, 13 and 90 (0-based below).
  bass: { kind: 'font', bank: 0, program: 32 },
  mallets: { kind: 'font', bank: 0, program: 12 },
  pad: { kind: 'font', bank: 0, program: 89 },
  percussion: { kind: 'font', bank: PERCUSSION_BANK, program: 0 },
};

/**
 * The sound source of a companion voice.
 * @example voiceSource('bass') // { kind: 'font', bank: 0, program: 32 }
 */
export function voiceSource(voice: Voice): SoundSource {
  return SOURCES[voice];
}
