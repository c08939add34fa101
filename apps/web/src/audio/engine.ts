/**
 * The app's audio engine: one AudioContext, Attune's instruments loaded from the app's own sound
 * files, and two ways to sound a note: at once (a player's own touch, local monitoring with no
 * scheduling delay) or at an exact audio time (the companion's notes, planned ahead).
 */
import type { Midi, Seconds, Velocity } from '@attune/engine';
import {
  CATALOGUE,
  type Instrument,
  type PlannedNote,
  pianoFileName,
  readSoundFont,
  type SoundSource,
} from '@attune/instruments';
import { BrowserPlayer, BrowserSampleLibrary, type VoiceHandle } from '@attune/instruments/browser';
import { pianoPath, soundFontPath } from './files.ts';

export type { VoiceHandle } from '@attune/instruments/browser';

/** Fetches one of the app's sound files by its path relative to the page. */
export type FileFetcher = (path: string) => Promise<ArrayBuffer>;

/** Fetches from the app's own origin and fails with the path and status when a file is missing. */
export const fetchLocal: FileFetcher = async (path) => {
  // File names such as 'D#1v8.mp3' must be escaped to reach the server as names, not fragments.
  const url = new URL(path.split('/').map(encodeURIComponent).join('/'), document.baseURI);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the sound file ${path}: HTTP ${response.status}`);
  return response.arrayBuffer();
};

/** Loading progress: files decoded of the files asked for. */
export interface LoadProgress {
  readonly done: number;
  readonly total: number;
}

/** The piano keys loaded before playing starts: the recorded keys within a reach of a centre (C3 to F♯5, each with its neighbours). */
const MIDDLE = { centre: 62, reach: 16 } as const;

/** Samples decoded per step, so progress can be shown while the piano loads. */
const LOAD_STEP = 12;

/** One AudioContext and the instruments it plays. */
export class AudioEngine {
  private library: BrowserSampleLibrary | null = null;
  private player: BrowserPlayer | null = null;
  private readonly loading = new Map<string, Promise<Instrument>>();

  constructor(
    /** A live AudioContext, or an OfflineAudioContext to render the same notes offline. */
    readonly context: BaseAudioContext,
    private readonly fetchFile: FileFetcher = fetchLocal,
  ) {}

  /** Whether the SoundFont is read and notes can be planned (samples may still be loading). */
  get ready(): boolean {
    return this.player !== null;
  }

  /**
   * Reads the SoundFont and decodes the grand piano's middle range, reporting progress; resolves
   * when those keys can be played. The outer octaves go on loading afterwards.
   */
  async open(onProgress: (progress: LoadProgress) => void = () => {}): Promise<void> {
    if (this.library) return;
    const font = readSoundFont(new Uint8Array(await this.fetchFile(soundFontPath())));
    const library = new BrowserSampleLibrary(this.context, font, {
      pianoFile: (key, layer) => this.fetchFile(pianoPath(pianoFileName(key, layer))),
    });
    this.library = library;
    this.player = new BrowserPlayer(library);
    const piano = library.instrument({ kind: 'piano' });
    const middle = piano.zones.filter((z) => Math.abs(z.rootKey - MIDDLE.centre) <= MIDDLE.reach);
    await this.loadSamples(
      middle.map((z) => z.sample),
      onProgress,
    );
    const rest = this.load({ kind: 'piano' });
    rest.catch((error: unknown) => console.error('the outer piano octaves did not load:', error));
  }

  /** Decodes an instrument's samples (once) and returns it. */
  load(source: SoundSource, onProgress: (progress: LoadProgress) => void = () => {}): Promise<Instrument> {
    const library = this.requireLibrary();
    const instrument = library.instrument(source);
    let pending = this.loading.get(instrument.id);
    if (!pending) {
      pending = this.loadSamples(
        instrument.zones.map((z) => z.sample),
        onProgress,
      ).then(() => instrument);
      this.loading.set(instrument.id, pending);
      pending.catch(() => this.loading.delete(instrument.id));
    }
    return pending;
  }

  private async loadSamples(
    samples: readonly string[],
    onProgress: (progress: LoadProgress) => void,
  ): Promise<void> {
    const library = this.requireLibrary();
    const ids = [...new Set(samples)];
    for (let i = 0; i < ids.length; i += LOAD_STEP) {
      await library.load(ids.slice(i, i + LOAD_STEP));
      onProgress({ done: Math.min(ids.length, i + LOAD_STEP), total: ids.length });
    }
  }

  /** The instrument of a sound source (its samples may not be decoded yet). */
  instrument(source: SoundSource): Instrument {
    return this.requireLibrary().instrument(source);
  }

  /** The audio time now. */
  get now(): Seconds {
    return this.context.currentTime;
  }

  /**
   * Sounds a note at once, for a player hearing their own touch; `duration` null holds it until
   * {@link release}. Returns the voices started (none while its samples are still loading).
   */
  playNow(
    key: Midi,
    velocity: Velocity,
    duration: Seconds | null,
    instrument: Instrument,
    group: string,
  ): VoiceHandle[] {
    return this.playAt({ t: this.context.currentTime, key, velocity, duration, group }, instrument);
  }

  /** Sounds a note whose attack lands exactly on `note.t` (audio time). */
  playAt(note: PlannedNote, instrument: Instrument): VoiceHandle[] {
    if (!this.player) return [];
    return this.player.play(note, instrument);
  }

  /** Lets held voices go at the audio time `at` (now when omitted). */
  release(handles: readonly VoiceHandle[], at: Seconds = this.context.currentTime): void {
    this.player?.release(handles, at);
  }

  /** Resumes audio after a user gesture (browsers start an AudioContext suspended). */
  async resume(): Promise<void> {
    const context = this.context;
    if (context instanceof AudioContext && context.state !== 'running') await context.resume();
  }

  /** Seconds from a note's start to its sound leaving the device, as the browser reports it. */
  outputDelay(): Seconds {
    const context = this.context;
    if (!(context instanceof AudioContext)) return 0;
    return context.baseLatency + (context.outputLatency || 0);
  }

  private requireLibrary(): BrowserSampleLibrary {
    if (!this.library) throw new Error('the audio engine is not open yet: call open() first');
    return this.library;
  }
}

/** The instruments a player can choose for pads and keys: the catalogue's pitched ones. */
export const PLAYABLE = CATALOGUE.filter((entry) => entry.id !== 'drums');
