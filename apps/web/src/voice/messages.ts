/**
 * What the page and the voice worklet say to each other. Kept apart from the worklet, whose
 * module registers its processor and belongs in the audio thread only.
 */
import type { VoiceEvent } from './segmenter.ts';

/** The processor's registered name. */
export const VOICE_PROCESSOR = 'attune-voice';

/** What the processor posts to the page. */
export type VoiceMessage =
  | { readonly type: 'events'; readonly events: readonly VoiceEvent[] }
  | {
      readonly type: 'meter';
      readonly t: number;
      readonly level: number;
      readonly floor: number;
      readonly open: boolean;
      readonly pitch: number | null;
    };

/** What the page tells the processor: stop, ending any sounding note. */
export type VoiceCommand = { readonly type: 'stop' };

/** Options the page gives the processor. */
export interface VoiceProcessorOptions {
  /** Seconds from the sound reaching the microphone to its samples reaching the worklet. */
  readonly inputLatency: number;
}
