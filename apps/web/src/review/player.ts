/**
 * Replay of a recorded session through the same instruments as live: the engine's `Replay` says
 * what starts in each window (with solo and mute by lane), the app's lookahead scheduler asks
 * for the next 100 ms every 25 ms, and each note is started on its exact audio frame. The
 * playhead is the audio clock: session time = where replay started + audio time since.
 */
import { Replay, type ReplayEvent, type ReplayMix, type Timeline, type Voice } from '@attune/engine';
import { type Instrument, PERCUSSION_BANK, type SoundSource } from '@attune/instruments';
import type { AudioEngine } from '../audio/engine.ts';
import { LookaheadScheduler } from '../audio/scheduler.ts';
import { voiceSource } from '../audio/voices.ts';

/** The sound of a lane's event: piano for notes, the percussion kit for hits, voices for singing. */
export function sourceOf(event: ReplayEvent): SoundSource {
  if (event.lane.startsWith('companion:')) return voiceSource(event.lane.slice('companion:'.length) as Voice);
  if (event.kind === 'hit') return PERCUSSION;
  if (event.kind === 'sung') return VOICES;
  return { kind: 'piano' };
}

const PERCUSSION: SoundSource = { kind: 'font', bank: PERCUSSION_BANK, program: 0 };
/** Choir voices (General MIDI 53), the catalogue's "Voices": the voice was recorded as pitch, not audio. */
const VOICES: SoundSource = { kind: 'font', bank: 0, program: 52 };

/**
 * A note whose time passed while the page was busy (a window planned late) still sounds, at once,
 * if it is at most this late; later ones are skipped, as a stumble would be worse than a gap.
 */
export const CATCH_UP = 0.25;

/** How long a hit is let ring. */
const HIT: number = 0.4;

/** One note handed to the audio engine, for the page's test hook. */
export interface Scheduled {
  readonly lane: string;
  readonly kind: ReplayEvent['kind'];
  readonly pitch: number;
  /** Session time of the note. */
  readonly t: number;
  /** Audio time it was given to start at. */
  readonly audioTime: number;
  /** Voices started (0 while its samples are still loading). */
  readonly voices: number;
  /** Seconds it sounded after its time (0: on time). */
  readonly late: number;
}

/** Plays a session from any point at normal speed. */
export class ReviewPlayer {
  readonly replay: Replay;
  /** Lanes muted and soloed (participant ids and `companion:<voice>`). */
  mix: { solo: Set<string>; mute: Set<string> } = { solo: new Set(), mute: new Set() };
  /** Notes handed over, newest last (the last 2000). */
  readonly scheduled: Scheduled[] = [];
  private scheduler: LookaheadScheduler<ReplayEvent & { start: number }> | null = null;
  private origin = { session: 0, audio: 0 };
  /** Session time up to which replay has asked for notes. */
  private plannedTo = 0;
  private instruments = new Map<string, Instrument>();

  constructor(
    timeline: Timeline,
    private readonly engine: AudioEngine,
    /** Where replay stops by itself. */
    private readonly end: number,
  ) {
    this.replay = new Replay(timeline);
  }

  /** Whether it is playing. */
  get playing(): boolean {
    return this.scheduler?.active ?? false;
  }

  /** The session time now: the playhead. */
  now(): number {
    return this.origin.session + (this.engine.now - this.origin.audio);
  }

  /** Loads the sounds the lanes of `timeline` need, so the first notes of a replay are heard. */
  async prepare(timeline: Timeline): Promise<void> {
    const sources: SoundSource[] = [];
    for (const lane of timeline.participants) {
      if (lane.notes.size > 0) sources.push({ kind: 'piano' });
      if (lane.hits.size > 0) sources.push(PERCUSSION);
      if (lane.voice.size > 0) sources.push(VOICES);
    }
    for (const lane of timeline.companion) sources.push(voiceSource(lane.voice as Voice));
    const unique = new Map(sources.map((s) => [JSON.stringify(s), s]));
    await Promise.all([...unique.values()].map((s) => this.engine.load(s)));
  }

  /** Plays from session time `from`. */
  play(from: number): void {
    this.stop();
    // A little lead so the first notes are not late.
    this.origin = { session: from, audio: this.engine.now + 0.05 };
    this.plannedTo = from;
    const scheduler = new LookaheadScheduler<ReplayEvent & { start: number }>({
      now: () => this.now(),
      plan: (a, b) => {
        if (a > this.end) {
          queueMicrotask(() => this.stop());
          return [];
        }
        const mix: ReplayMix = { solo: this.mix.solo, mute: this.mix.mute };
        // From where the last window ended, so a late tick loses nothing it can still sound.
        const start = Math.max(from, a - CATCH_UP, Math.min(a, this.plannedTo));
        this.plannedTo = Math.max(this.plannedTo, b);
        return this.replay.between(start, b, mix).map((e) => ({ ...e, start: Math.max(e.t, a) }));
      },
      play: (events) => {
        for (const e of events) this.sound(e);
      },
    });
    this.scheduler = scheduler;
    scheduler.start();
  }

  /** Stops; what was handed over still sounds out. */
  stop(): void {
    this.scheduler?.stop();
    this.scheduler = null;
  }

  private sound(e: ReplayEvent): void {
    const source = sourceOf(e);
    const key = JSON.stringify(source);
    let instrument = this.instruments.get(key);
    if (!instrument) {
      instrument = this.engine.instrument(source);
      this.instruments.set(key, instrument);
    }
    const due = this.origin.audio + (e.t - this.origin.session);
    const audioTime = Math.max(this.engine.now, due);
    const voices = this.engine.playAt(
      {
        t: audioTime,
        key: e.pitch,
        velocity: e.velocity,
        duration: e.kind === 'hit' ? HIT : Math.max(0.05, Math.min(e.duration, 8)),
        group: e.lane,
      },
      instrument,
    );
    this.scheduled.push({
      lane: e.lane,
      kind: e.kind,
      pitch: e.pitch,
      t: e.t,
      audioTime,
      voices: voices.length,
      late: audioTime - due,
    });
    if (this.scheduled.length > 2000) this.scheduled.splice(0, this.scheduled.length - 2000);
  }
}
