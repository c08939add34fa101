/// <reference path="./modules.d.ts" />
/**
 * The microphone as an input: asks for it with clear words when it cannot be had, loads the
 * voice worklet into the app's AudioContext (so voice events are stamped on the same clock as
 * the notes) and hands the page what the worklet hears.
 */

import {
  VOICE_PROCESSOR,
  type VoiceCommand,
  type VoiceMessage,
  type VoiceProcessorOptions,
} from './messages.ts';
import type { VoiceEvent } from './segmenter.ts';
import workletUrl from './worklet.ts?worker&url';

/** A meter reading from the worklet. */
export type VoiceMeterMessage = Extract<VoiceMessage, { type: 'meter' }>;

/** Why the microphone cannot be used, in words for the person at the screen. */
export const MICROPHONE_PROBLEMS = {
  unsupported: 'This browser cannot use a microphone here.',
  insecure: 'The microphone needs a secure page: open Attune over https, or on this computer at localhost.',
  denied:
    'The microphone was not allowed. Allow it for this site (the lock or camera icon beside the address), then switch it on again.',
  missing:
    'No microphone was found. Plug one in, or choose one in the system’s sound settings, then switch it on again.',
  busy: 'The microphone could not be started: another program may be using it.',
  worklet: 'This browser cannot analyse sound as it arrives (no AudioWorklet).',
} as const;

/**
 * The words for a failed `getUserMedia`, by the error's name.
 * @example microphoneProblem(new DOMException('', 'NotAllowedError')) // MICROPHONE_PROBLEMS.denied
 */
export function microphoneProblem(error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return MICROPHONE_PROBLEMS.denied;
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return MICROPHONE_PROBLEMS.missing;
  if (name === 'NotReadableError' || name === 'AbortError') return MICROPHONE_PROBLEMS.busy;
  const said = error instanceof Error ? error.message : String(error);
  return `The microphone could not be opened: ${said}`;
}

/** A microphone that could not be opened, with words for the person at the screen. */
export class MicrophoneUnavailable extends Error {
  override readonly name = 'MicrophoneUnavailable';
}

/** What the page wants to know of the voice. */
export interface MicrophoneHandlers {
  /** Voice events, stamped on the AudioContext's clock. */
  readonly onEvents: (events: readonly VoiceEvent[]) => void;
  readonly onMeter?: (meter: VoiceMeterMessage) => void;
}

/** How the microphone is opened. */
export interface MicrophoneOptions {
  /**
   * Whether the browser cancels the device's own sound from the microphone. On by default: the
   * companion plays from the same device, and must not be heard as the client's voice. Off suits
   * headphones, and keeps a sung tone untouched.
   */
  readonly echoCancellation?: boolean;
}

const loaded = new WeakMap<BaseAudioContext, Promise<void>>();

/** A microphone feeding the voice worklet. */
export class Microphone {
  private constructor(
    private readonly stream: MediaStream,
    private readonly source: MediaStreamAudioSourceNode,
    private readonly node: AudioWorkletNode,
  ) {}

  /** The microphone's name as the system gives it. */
  get label(): string {
    return this.stream.getAudioTracks()[0]?.label ?? '';
  }

  /**
   * Opens the microphone into `context` (which should be running: call from a user gesture).
   * Rejects with a {@link MicrophoneUnavailable} saying what to do.
   */
  static async open(
    context: AudioContext,
    handlers: MicrophoneHandlers,
    options: MicrophoneOptions = {},
  ): Promise<Microphone> {
    const media = globalThis.navigator?.mediaDevices;
    if (typeof media?.getUserMedia !== 'function') {
      throw new MicrophoneUnavailable(
        globalThis.isSecureContext === false ? MICROPHONE_PROBLEMS.insecure : MICROPHONE_PROBLEMS.unsupported,
      );
    }
    if (!context.audioWorklet) throw new MicrophoneUnavailable(MICROPHONE_PROBLEMS.worklet);
    let stream: MediaStream;
    try {
      stream = await media.getUserMedia({
        audio: {
          echoCancellation: options.echoCancellation ?? true,
          // Noise suppression and automatic gain would fight the gate and flatten a sung tone.
          noiseSuppression: false,
          autoGainControl: false,
          channelCount: 1,
        },
      });
    } catch (error) {
      throw new MicrophoneUnavailable(microphoneProblem(error));
    }
    try {
      let ready = loaded.get(context);
      if (!ready) {
        ready = context.audioWorklet.addModule(workletUrl);
        loaded.set(context, ready);
        ready.catch(() => loaded.delete(context));
      }
      await ready;
      const settings = stream.getAudioTracks()[0]?.getSettings() as MediaTrackSettings & { latency?: number };
      const processorOptions: VoiceProcessorOptions = {
        inputLatency: typeof settings?.latency === 'number' ? settings.latency : 0,
      };
      const node = new AudioWorkletNode(context, VOICE_PROCESSOR, {
        numberOfInputs: 1,
        numberOfOutputs: 1,
        channelCount: 1,
        channelCountMode: 'explicit',
        processorOptions,
      });
      node.port.onmessage = (event: MessageEvent<VoiceMessage>) => {
        const message = event.data;
        if (message.type === 'events') handlers.onEvents(message.events);
        else handlers.onMeter?.(message);
      };
      const source = context.createMediaStreamSource(stream);
      source.connect(node);
      // The node writes silence; connected to the output it is pulled every render quantum.
      node.connect(context.destination);
      return new Microphone(stream, source, node);
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      const said = error instanceof Error ? error.message : String(error);
      throw new MicrophoneUnavailable(`The voice analyser could not start: ${said}`);
    }
  }

  /** Stops listening: ends a sounding voice (its end event still arrives) and frees the microphone. */
  close(): void {
    const stop: VoiceCommand = { type: 'stop' };
    this.node.port.postMessage(stop);
    this.source.disconnect();
    // The stop's reply (the end of a sounding note) arrives after this; the port stays open for it.
    setTimeout(() => {
      this.node.disconnect();
      this.node.port.onmessage = null;
    }, 500);
    for (const track of this.stream.getTracks()) track.stop();
  }
}
