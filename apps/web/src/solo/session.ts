/**
 * Offline solo play: one device, no server. The client's touches sound at once and are heard by
 * the companion, which runs here in the browser and plays along through the lookahead scheduler,
 * each planned note started on its exact audio frame. Every sound is logged with the audio time
 * it was given, which the page exposes for its browser tests.
 */
import type { Midi, Seconds, Velocity, VoiceFrame } from '@attune/engine';
import {
  COMPANION_PARTICIPANT,
  Companion,
  type CompanionSettings,
  type PlannedNote,
  type SteeringControl,
  type TempoPolicy,
  type Voice,
} from '@attune/engine/companion';
import type { TechniqueName } from '@attune/engine/technique';
import type { Instrument, PlannedNote as SoundNote, SoundSource } from '@attune/instruments';
import { type AudioClock, SessionClock } from '../audio/clock.ts';
import type { AudioEngine, VoiceHandle } from '../audio/engine.ts';
import { LookaheadScheduler, type Timer } from '../audio/scheduler.ts';
import { voiceSource } from '../audio/voices.ts';

/** The client's seat in a solo session. */
export const CLIENT = 'client';

/** Where a note came from. */
export type Surface = 'pad' | 'piano' | 'keyboard' | 'switch' | 'midi';

/** The General MIDI drum kit a MIDI drum pad's hits sound on. */
const DRUM_KIT: SoundSource = { kind: 'font', bank: 128, program: 0 };

/** One sound the session started. */
export interface SoundEntry {
  readonly who: 'client' | 'companion';
  readonly pitch: Midi;
  readonly velocity: Velocity;
  /** Session time of the note. */
  readonly t: Seconds;
  /** Audio time its attack was given to start at. */
  readonly audioTime: Seconds;
  /** Audio time when it was handed to Web Audio. */
  readonly handedAt: Seconds;
  /** Voices started (0 while the instrument's samples are still loading). */
  readonly voices: number;
  /** The instrument that sounded it, e.g. 'piano' or 'font:0:12'. */
  readonly instrument: string;
  readonly surface?: Surface;
  readonly voice?: string;
}

/** The companion's state as the controls show it. */
export type CompanionState = 'listening' | 'playing' | 'ending' | 'off';

/** What the therapist sets for the companion in solo play. */
export interface SoloCompanionSettings {
  readonly idiom: string;
  readonly key: string;
  readonly techniques: readonly TechniqueName[];
  readonly energy: number;
  readonly tempo: TempoPolicy;
  readonly voices: readonly Voice[];
}

/** How the client's notes last. */
export type Hold = 'release' | 'ring' | 'latch';

/** Duration the companion hears for a touch whose end it cannot know yet. */
const HEARD_DURATION: Seconds = 0.3;
/** How long a note rings when the player's hold is 'ring' (a pedal held down). */
const RING: Seconds = 2.5;
/** Log entries kept (the test hook reads them; a long session must not grow without end). */
const LOG_LIMIT = 2000;

/** A note the client is holding. */
interface Held {
  readonly handles: VoiceHandle[];
  readonly pitch: Midi;
}

/** What the session needs of the audio engine: an {@link AudioEngine}, or a stand-in in tests. */
export interface SoundOutput {
  readonly context: AudioClock;
  readonly now: Seconds;
  instrument(source: SoundSource): Instrument;
  load(source: SoundSource): Promise<Instrument>;
  playNow(
    key: Midi,
    velocity: Velocity,
    duration: Seconds | null,
    instrument: Instrument,
    group: string,
  ): VoiceHandle[];
  playAt(note: SoundNote, instrument: Instrument): VoiceHandle[];
  release(handles: readonly VoiceHandle[], at?: Seconds): void;
}

/** One device playing with the companion. */
export class SoloSession {
  readonly clock: SessionClock;
  readonly log: SoundEntry[] = [];
  private companion: Companion;
  private state: CompanionState = 'listening';
  private settings: SoloCompanionSettings;
  private readonly scheduler: LookaheadScheduler<PlannedNote>;
  private readonly held = new Map<number, Held>();
  private nextId = 1;
  private seed: number;
  private clientInstrument: Instrument;
  private readonly voiceInstruments = new Map<string, Instrument>();
  private readonly onSound: (entry: SoundEntry) => void;
  private readonly reportError: (error: unknown) => void;

  constructor(
    private readonly engine: SoundOutput,
    settings: SoloCompanionSettings,
    options: {
      seed?: number;
      onSound?: (entry: SoundEntry) => void;
      onError?: (error: unknown) => void;
      /** The scheduler's timer (the page's by default). */
      timer?: Timer;
    } = {},
  ) {
    this.clock = new SessionClock(engine.context);
    this.settings = settings;
    this.seed = options.seed ?? 1;
    this.onSound = options.onSound ?? (() => {});
    this.reportError = options.onError ?? ((error) => console.error('solo session:', error));
    this.companion = this.newCompanion(true);
    this.clientInstrument = engine.instrument({ kind: 'piano' });
    this.scheduler = new LookaheadScheduler<PlannedNote>({
      now: () => this.clock.now(),
      plan: (from, to) => this.companion.plan(from, to),
      play: (notes) => this.playCompanion(notes),
      onError: this.reportError,
      ...(options.timer ? { timer: options.timer } : {}),
    });
  }

  /** Starts the clock ticking the companion's plan (audio must be resumed by a gesture). */
  begin(): void {
    this.scheduler.start();
  }

  /** Stops planning; notes already handed over still sound. */
  close(): void {
    this.scheduler.stop();
    for (const id of [...this.held.keys()]) this.letGo(id);
  }

  /** Chooses the sound of the client's pads and keys, loading it first. */
  async useInstrument(source: SoundSource): Promise<void> {
    this.clientInstrument = await this.engine.load(source);
  }

  /**
   * Sounds a client note now and lets the companion hear it; returns an id to let it go by.
   * With hold 'ring' the note rings on by itself and the id needs no letting go.
   */
  strike(
    pitch: Midi,
    velocity: Velocity,
    surface: Surface,
    hold: Hold = 'release',
    /** Audio time of the touch, when it is known to have been earlier (a MIDI message's stamp). */
    at?: Seconds,
  ): number {
    const audioTime = this.engine.now;
    const t = this.clock.fromAudio(Math.min(at ?? audioTime, audioTime));
    const handles = this.engine.playNow(
      pitch,
      velocity,
      hold === 'ring' ? RING : null,
      this.clientInstrument,
      CLIENT,
    );
    const id = this.nextId++;
    if (hold !== 'ring') this.held.set(id, { handles, pitch });
    this.companion.hear(CLIENT, { type: 'note', t, pitch, velocity, duration: HEARD_DURATION });
    this.record({
      who: 'client',
      pitch,
      velocity,
      t,
      audioTime,
      handedAt: audioTime,
      voices: handles.length,
      instrument: this.clientInstrument.id,
      surface,
    });
    return id;
  }

  /**
   * Sounds a drum hit (a General MIDI percussion key) on the drum kit now, and lets the companion
   * hear it at the audio time `at` (now when omitted).
   */
  hit(instrument: Midi, velocity: Velocity, at?: Seconds): void {
    const audioTime = this.engine.now;
    const t = this.clock.fromAudio(Math.min(at ?? audioTime, audioTime));
    const kit = this.engine.instrument(DRUM_KIT);
    // The kit loads on the first hit; that hit is heard by the companion, if not yet by the room.
    void this.engine.load(DRUM_KIT).catch(this.reportError);
    const handles = this.engine.playNow(instrument, velocity, 0.5, kit, CLIENT);
    this.companion.hear(CLIENT, { type: 'hit', t, instrument, velocity });
    this.record({
      who: 'client',
      pitch: instrument,
      velocity,
      t,
      audioTime,
      handedAt: audioTime,
      voices: handles.length,
      instrument: kit.id,
      surface: 'midi',
    });
  }

  /** Lets the companion hear a frame of the client's voice (the room hears the voice itself). */
  hearVoice(frame: VoiceFrame): void {
    this.companion.hear(CLIENT, frame);
  }

  /** Lets a held client note go. */
  letGo(id: number): void {
    const held = this.held.get(id);
    if (!held) return;
    this.held.delete(id);
    this.engine.release(held.handles);
  }

  /** The companion's state for the controls. */
  companionState(): CompanionState {
    if (this.state === 'ending') {
      // Its cadence is over once two of its beats have passed without another.
      const beats = this.companion.beats();
      const last = beats.at(-1);
      const period = last !== undefined && beats.length > 1 ? last - (beats.at(-2) as number) : 1;
      if (last === undefined || this.clock.now() - last > 2 * period) this.state = 'off';
    }
    if (this.state === 'ending' || this.state === 'off') return this.state;
    return this.companion.beats().length > 0 ? 'playing' : 'listening';
  }

  /** Asks the companion to come in now (a fresh companion if it had ended). */
  startCompanion(): void {
    if (this.state === 'ending' || this.state === 'off') {
      this.seed++;
      this.companion = this.newCompanion(true);
      this.state = 'listening';
    }
    this.companion.steer({ type: 'start' }, this.clock.now());
  }

  /** Asks the companion to finish: to a cadence at the next bar, then silence. */
  stopCompanion(): void {
    if (this.state === 'ending' || this.state === 'off') return;
    if (this.companion.beats().length === 0) {
      // It had not come in yet: it simply stops listening.
      this.state = 'off';
      this.companion = this.newCompanion(false);
      return;
    }
    this.companion.steer({ type: 'end', cadence: true }, this.clock.now());
    this.state = 'ending';
  }

  /** Changes the companion's settings: harmony at the next bar, the rest at the next beat. */
  steer(next: SoloCompanionSettings): void {
    const now = this.clock.now();
    const before = this.settings;
    this.settings = next;
    const controls: SteeringControl[] = [];
    if (next.idiom !== before.idiom) controls.push({ type: 'idiom', idiom: next.idiom });
    if (next.key !== before.key) controls.push({ type: 'key', key: next.key });
    if (next.techniques.join() !== before.techniques.join()) {
      controls.push({ type: 'techniques', techniques: next.techniques });
    }
    if (next.energy !== before.energy) controls.push({ type: 'energy', energy: next.energy });
    if (JSON.stringify(next.tempo) !== JSON.stringify(before.tempo))
      controls.push({ type: 'tempo', tempo: next.tempo });
    for (const control of controls) this.companion.steer(control, now);
    if (next.voices.join() !== before.voices.join()) {
      // A voice joins once its sound is loaded, so its first notes are heard.
      const companion = this.companion;
      void Promise.all(next.voices.map((v) => this.engine.load(voiceSource(v)))).then(() => {
        if (this.companion === companion && this.settings.voices === next.voices) {
          companion.steer({ type: 'voices', voices: next.voices }, this.clock.now());
        }
      }, this.reportError);
    }
  }

  private newCompanion(autoStart: boolean): Companion {
    const settings: Partial<CompanionSettings> = {
      idiom: this.settings.idiom,
      key: this.settings.key,
      techniques: this.settings.techniques,
      energy: this.settings.energy,
      tempo: this.settings.tempo,
      voices: this.settings.voices,
      autoStart,
    };
    return new Companion(settings, this.seed);
  }

  private playCompanion(notes: readonly PlannedNote[]): void {
    const handedAt = this.engine.now;
    for (const note of notes) {
      const instrument = this.voiceInstrument(note.voice);
      const audioTime = this.clock.toAudio(note.start);
      const handles = this.engine.playAt(
        {
          t: audioTime,
          key: note.pitch,
          velocity: note.velocity,
          duration: note.duration,
          group: COMPANION_PARTICIPANT,
        },
        instrument,
      );
      this.record({
        who: 'companion',
        pitch: note.pitch,
        velocity: note.velocity,
        t: note.start,
        audioTime,
        handedAt,
        voices: handles.length,
        instrument: instrument.id,
        voice: note.voice,
      });
    }
  }

  private voiceInstrument(voice: PlannedNote['voice']): Instrument {
    let instrument = this.voiceInstruments.get(voice);
    if (!instrument) {
      const source = voiceSource(voice);
      instrument = this.engine.instrument(source);
      this.voiceInstruments.set(voice, instrument);
      // A voice first heard now loads its samples; its first notes may be silent meanwhile.
      void this.engine.load(source);
    }
    return instrument;
  }

  private record(entry: SoundEntry): void {
    this.log.push(entry);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
    this.onSound(entry);
  }
}
