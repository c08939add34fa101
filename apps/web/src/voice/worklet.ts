/**
 * The voice analyser in the audio thread: an AudioWorkletProcessor that feeds every render
 * quantum of the microphone to a {@link VoiceAnalyser} and posts the voice events it finds, and a
 * level meter about twenty times a second, to the page. The samples are stamped on the
 * AudioContext's clock (minus the input's latency), the same clock the page's notes are played on.
 * Vite bundles this file on its own (`?worker&url`), so it imports only pure modules.
 */
import { VoiceAnalyser } from './analyser.ts';
import {
  VOICE_PROCESSOR,
  type VoiceCommand,
  type VoiceMessage,
  type VoiceProcessorOptions,
} from './messages.ts';

// The AudioWorkletGlobalScope's names (TypeScript's DOM library does not describe that scope).
declare const sampleRate: number;
declare const currentTime: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}
declare function registerProcessor(
  name: string,
  processor: new (options: { processorOptions?: VoiceProcessorOptions }) => AudioWorkletProcessor,
): void;

/** Meter messages per second. */
const METER_RATE = 20;

class VoiceProcessor extends AudioWorkletProcessor {
  private readonly analyser = new VoiceAnalyser(sampleRate);
  private readonly latency: number;
  private running = true;
  private nextMeter = 0;
  private mono: Float32Array | null = null;

  constructor(options: { processorOptions?: VoiceProcessorOptions }) {
    super(options);
    const latency = options.processorOptions?.inputLatency ?? 0;
    this.latency = Number.isFinite(latency) && latency >= 0 && latency < 1 ? latency : 0;
    this.port.onmessage = (event: MessageEvent<VoiceCommand>) => {
      if (event.data?.type !== 'stop') return;
      this.running = false;
      this.post({ type: 'events', events: this.analyser.flush(currentTime - this.latency) });
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (!this.running) return false;
    const channels = inputs[0];
    const first = channels?.[0];
    if (!channels || !first) return true;
    let samples = first;
    if (channels.length > 1) {
      // A stereo microphone is heard as one voice: the mean of its channels.
      if (this.mono?.length !== first.length) this.mono = new Float32Array(first.length);
      const mono = this.mono;
      mono.fill(0);
      for (const channel of channels) {
        for (let i = 0; i < mono.length; i++)
          mono[i] = (mono[i] as number) + (channel[i] ?? 0) / channels.length;
      }
      samples = mono;
    }
    try {
      const events = this.analyser.push(samples, currentTime - this.latency);
      if (events.length > 0) this.post({ type: 'events', events });
      const meter = this.analyser.meter();
      if (meter && currentTime >= this.nextMeter) {
        this.nextMeter = currentTime + 1 / METER_RATE;
        this.post({ type: 'meter', ...meter });
      }
    } catch (error) {
      // The audio thread never dies of one bad buffer: it says so and listens on.
      console.error('voice analyser:', error);
    }
    return true;
  }

  private post(message: VoiceMessage): void {
    this.port.postMessage(message);
  }
}

registerProcessor(VOICE_PROCESSOR, VoiceProcessor);
