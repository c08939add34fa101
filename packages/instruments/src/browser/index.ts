/**
 * Playing Attune's instruments live in the browser. The same voice commands the offline mixer
 * renders become AudioBufferSourceNodes started at their exact time (`start(when, offset)` is
 * sample-exact), each through a GainNode drawing its envelope and a StereoPannerNode, so a note
 * starts on its frame and sounds as it does in a WAV export. The app gives the bytes of the
 * SoundFont and of the piano recordings (bundled assets served by Attune itself, never fetched
 * from elsewhere).
 */
import type { Seconds } from '@attune/engine';
import { type SoundSource, sourceKey } from '../catalogue/index.ts';
import { type EnvelopePoint, envelopePoints, valueAt } from '../envelope/index.ts';
import { MASTER_GAIN } from '../mixer/index.ts';
import { PIANO_LAYERS, parsePianoSampleId, pianoInstrument } from '../piano/index.ts';
import {
  EXCLUSIVE_RELEASE,
  type PlannedNote,
  planNote,
  releaseVoice,
  type SampleInfo,
  type VoiceCommand,
} from '../planner/index.ts';
import {
  asPrepared,
  fromPcm16,
  type PcmBuffer,
  type PreparedSample,
  prepareSample,
} from '../sample/index.ts';
import { fontInstrument, parseFontSampleId, type SoundFont, sampleBytes } from '../soundfont/index.ts';
import type { Instrument } from '../zones/index.ts';

/** Where the app keeps the sound files: bytes of a piano recording (key, layer) on demand. */
export interface SampleFiles {
  pianoFile(key: number, layer: number): Promise<ArrayBuffer>;
}

/** Attune's instruments decoded into AudioBuffers for one AudioContext. */
export class BrowserSampleLibrary {
  private readonly buffers = new Map<string, { audio: AudioBuffer; info: SampleInfo }>();
  private readonly instruments = new Map<string, Instrument>();
  private readonly piano: Instrument;

  constructor(
    readonly context: BaseAudioContext,
    readonly font: SoundFont,
    private readonly files: SampleFiles,
    layers: readonly number[] = PIANO_LAYERS,
  ) {
    this.piano = pianoInstrument(layers);
  }

  /** The instrument for a sound source; a program the SoundFont lacks plays the piano. */
  instrument(source: SoundSource): Instrument {
    const key = sourceKey(source);
    let instrument = this.instruments.get(key);
    if (!instrument) {
      instrument =
        source.kind === 'piano'
          ? this.piano
          : (fontInstrument(this.font, source.bank, source.program) ?? this.piano);
      this.instruments.set(key, instrument);
    }
    return instrument;
  }

  /** Decodes every sample of an instrument not yet loaded. */
  async loadInstrument(instrument: Instrument): Promise<void> {
    await this.load(instrument.zones.map((z) => z.sample));
  }

  /** Decodes the samples not yet loaded among `ids`, trimmed as offline. */
  async load(ids: Iterable<string>): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.buffers.has(id));
    await Promise.all(
      wanted.map(async (id) => {
        const prepared = await this.decodeSample(id);
        const audio = this.context.createBuffer(
          prepared.channels.length,
          prepared.channels[0]!.length,
          prepared.sampleRate,
        );
        prepared.channels.forEach((data, c) => {
          audio.copyToChannel(data as Float32Array<ArrayBuffer>, c);
        });
        this.buffers.set(id, { audio, info: { onset: prepared.onset, duration: audio.duration } });
      }),
    );
  }

  /** A decoded buffer, or undefined. */
  buffer(id: string): AudioBuffer | undefined {
    return this.buffers.get(id)?.audio;
  }

  /** The planner's view of a decoded sample, or undefined. */
  info(id: string): SampleInfo | undefined {
    return this.buffers.get(id)?.info;
  }

  private async decodeSample(id: string): Promise<PreparedSample> {
    const piano = parsePianoSampleId(id);
    if (piano) return prepareSample(await this.decode(await this.files.pianoFile(piano.key, piano.layer)));
    const index = parseFontSampleId(id);
    if (index === null) throw new RangeError(`sample id must be a piano or font sample, got: ${id}`);
    const data = sampleBytes(this.font, index);
    if (data.kind === 'ogg') return asPrepared(await this.decode(data.bytes.slice().buffer));
    return asPrepared(fromPcm16(data.pcm, this.font.samples[index]!.sampleRate));
  }

  private async decode(bytes: ArrayBuffer): Promise<PcmBuffer> {
    const audio = await this.context.decodeAudioData(bytes);
    const channels = Array.from({ length: audio.numberOfChannels }, (_, c) =>
      audio.getChannelData(c).slice(),
    );
    return { channels, sampleRate: audio.sampleRate };
  }
}

/** A sounding voice, to release when its key is let go. */
export interface VoiceHandle {
  /** The voice as last planned (updated when released). */
  voice: VoiceCommand;
  readonly source: AudioBufferSourceNode;
  readonly gain: GainNode;
}

function schedule(param: AudioParam, points: readonly EnvelopePoint[]): void {
  for (const p of points) {
    if (p.ramp === 'set') param.setValueAtTime(p.v, p.t);
    else if (p.ramp === 'linear') param.linearRampToValueAtTime(p.v, p.t);
    else param.exponentialRampToValueAtTime(Math.max(p.v, 1e-10), p.t);
  }
}

/** Plays notes and voice commands on an AudioContext, sample-exactly. */
export class BrowserPlayer {
  readonly output: GainNode;
  private readonly exclusive = new Map<string, VoiceHandle[]>();

  constructor(
    readonly library: BrowserSampleLibrary,
    destination: AudioNode = library.context.destination,
  ) {
    this.output = library.context.createGain();
    this.output.gain.value = MASTER_GAIN;
    this.output.connect(destination);
  }

  /**
   * Sounds a note whose attack lands on `note.t` (AudioContext time), or as soon as possible
   * when that is already past. Samples not yet decoded are skipped. A note with `duration` null
   * sounds until {@link release}.
   */
  play(note: PlannedNote, instrument: Instrument): VoiceHandle[] {
    const now = this.library.context.currentTime;
    const voices = planNote(note, instrument, (id) => this.library.info(id), { notBefore: now });
    return voices.flatMap((voice) => {
      if (voice.exclusiveClass !== 0) {
        // A closed hi-hat silences the open one still ringing in its group, as offline.
        const key = `${voice.group}\u0000${voice.exclusiveClass}`;
        const sounding = this.exclusive.get(key) ?? [];
        this.release(sounding, note.t, EXCLUSIVE_RELEASE);
        this.exclusive.set(key, []);
      }
      const handle = this.start(voice);
      if (handle && voice.exclusiveClass !== 0) {
        this.exclusive.get(`${voice.group}\u0000${voice.exclusiveClass}`)!.push(handle);
      }
      return handle ? [handle] : [];
    });
  }

  /** Starts one voice command; null when its buffer is not loaded. */
  start(voice: VoiceCommand): VoiceHandle | null {
    const context = this.library.context;
    const buffer = this.library.buffer(voice.sample);
    if (!buffer) return null;
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.playbackRate.value = voice.rate;
    if (voice.loop) {
      source.loop = true;
      source.loopStart = voice.loop.start;
      source.loopEnd = voice.loop.end;
    }
    const gain = context.createGain();
    gain.gain.value = 0;
    schedule(
      gain.gain,
      envelopePoints(voice.envelope, voice.envelopeStart, voice.peak, voice.release).points,
    );
    const panner = context.createStereoPanner();
    panner.pan.value = voice.pan;
    source.connect(gain).connect(panner).connect(this.output);
    source.start(voice.start, voice.offset);
    if (Number.isFinite(voice.stop)) source.stop(voice.stop);
    source.onended = () => {
      source.disconnect();
      gain.disconnect();
      panner.disconnect();
    };
    return { voice, source, gain };
  }

  /**
   * Releases held voices at `at` (a key let go), so they fall away by their release (or over
   * `releaseTime` seconds per 100 dB when given).
   */
  release(handles: readonly VoiceHandle[], at: Seconds, releaseTime?: Seconds): void {
    for (const handle of handles) {
      const info = this.library.info(handle.voice.sample);
      if (!info) continue;
      const when = Math.max(at, this.library.context.currentTime);
      const released = releaseVoice(handle.voice, when, info, releaseTime);
      if (released === handle.voice) continue;
      const held = envelopePoints(
        handle.voice.envelope,
        handle.voice.envelopeStart,
        handle.voice.peak,
        null,
      ).points;
      const next = envelopePoints(
        released.envelope,
        released.envelopeStart,
        released.peak,
        released.release,
      ).points;
      const param = handle.gain.gain;
      // Hold the level exactly where the release finds it, mid-ramp or not; where the browser
      // cannot hold (Firefox), set the level the curve has there.
      if (typeof param.cancelAndHoldAtTime === 'function') param.cancelAndHoldAtTime(when);
      else {
        param.cancelScheduledValues(when);
        param.setValueAtTime(valueAt(held, when), when);
      }
      schedule(
        param,
        next.filter((p) => p.t > when),
      );
      if (Number.isFinite(released.stop)) handle.source.stop(released.stop);
      handle.voice = released;
    }
  }
}
