/**
 * What the input panel exposes on `window.__attuneInputs` so browser tests can see what the
 * MIDI devices and the microphone were heard to play, without a real device or voice.
 */
import type { MidiAction } from '../input/midi.ts';
import type { MidiDevice } from '../input/midi-access.ts';
import type { VoiceMeterMessage } from './microphone.ts';
import type { VoiceEvent } from './segmenter.ts';

/** The input panel's test hook. */
export interface InputsHook {
  /** Voice events heard, oldest first, on the AudioContext's clock. */
  readonly voice: VoiceEvent[];
  /** MIDI actions taken, oldest first, on the AudioContext's clock. */
  readonly midi: MidiAction[];
  meter(): VoiceMeterMessage | null;
  midiDevices(): readonly MidiDevice[];
}

/** Entries kept in each log (a long session must not grow without end). */
export const INPUTS_LOG_LIMIT = 2000;

declare global {
  interface Window {
    __attuneInputs?: InputsHook;
  }
}
