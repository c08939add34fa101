/**
 * Sound on a device in a live session. The player's own notes sound at once (no network in that
 * loop). The others' notes and the companion's sound at their session time, converted to this
 * device's audio clock, so every device in the room sounds a companion chord in the same instant.
 * What a device sounds is its mode: everyone (the room's speaker, or a lone tablet), only its own
 * player, or nothing (a tablet beside the room's speaker).
 */
import type { Midi, Seconds, Velocity } from '@attune/engine';
import { type Instrument, PERCUSSION_BANK, type SoundSource } from '@attune/instruments';
import type { CompanionNote, ServerMessageOf } from '@attune/protocol';
import type { VoiceHandle } from '../audio/engine.ts';
import { voiceSource } from '../audio/voices.ts';
import type { Hold, SoundOutput } from '../solo/session.ts';

/** What a device sounds. */
export type SoundMode = 'everyone' | 'me' | 'silent';

/** The modes as the player chooses them. */
export const SOUND_MODES: readonly { readonly mode: SoundMode; readonly label: string }[] = [
  { mode: 'everyone', label: 'Everyone and the companion' },
  { mode: 'me', label: 'Only me' },
  { mode: 'silent', label: 'Nothing (another device sounds the room)' },
];

/** How a note was handled. */
export type Outcome =
  /** Sounded at once (the player's own touch, or a relay whose time has just passed). */
  | 'now'
  /** Given to Web Audio ahead of its time, to start exactly on it. */
  | 'scheduled'
  /** Arrived after its time but soon enough to sound at once. */
  | 'late'
  /** Long past when it arrived (a resend after a reconnect): shown, not sounded. */
  | 'past'
  /** Not sounded on this device by its mode. */
  | 'muted';

/** One note this device handled, for the page's test hook and the activity display. */
export interface LiveSoundEntry {
  /** 'me', a participant id, or 'companion'. */
  readonly who: string;
  readonly kind: 'own' | 'relay' | 'companion';
  readonly pitch: Midi;
  readonly velocity: Velocity;
  /** The note's session time. */
  readonly t: Seconds;
  /** The audio time it was given to start at (null when it was not sounded). */
  readonly audioTime: Seconds | null;
  /** The audio time when it was handled. */
  readonly handedAt: Seconds;
  /** Seconds from its handling to the audio time it was due (negative: it came late); null when not reckoned. */
  readonly lead: Seconds | null;
  readonly outcome: Outcome;
  /** Voices started (0 while the instrument's samples are still loading, or when not sounded). */
  readonly voices: number;
  readonly instrument: string | null;
  /** A relay's sender `clientSeq`, or a companion note's number. */
  readonly voice?: string;
}

/** Converts device time to the audio time that leaves the speaker at that moment. */
export interface AudioTimeline {
  audioTimeOf(deviceTime: Seconds): Seconds;
}

/**
 * The timeline of a page's AudioContext: the output timestamp pairs an audio time with the
 * `performance.now()` moment it is heard, output latency included. Where the browser gives no
 * usable timestamp, the current time and the latency the context reports stand in.
 */
export function browserTimeline(
  context: AudioContext,
  deviceNow: () => Seconds = () => performance.now() / 1000,
): AudioTimeline {
  return {
    audioTimeOf(deviceTime) {
      const now = deviceNow();
      const fallback =
        context.currentTime + (deviceTime - now) - (context.baseLatency + (context.outputLatency || 0));
      const stamp = context.getOutputTimestamp?.();
      if (!stamp?.contextTime || !stamp.performanceTime) return fallback;
      const paired = stamp.contextTime + (deviceTime - stamp.performanceTime / 1000);
      // A timestamp far from the current time is stale (a suspended context): do not trust it.
      return Math.abs(paired - fallback) < 0.5 ? paired : fallback;
    },
  };
}

/** A relayed note this recent (seconds past its time) still sounds, at once. */
export const RELAY_FRESH: Seconds = 0.25;
/**
 * A companion note this late still sounds, at once (a chord a moment late keeps the harmony the
 * player leans on; one later than this would sound as a stumble and is skipped).
 */
export const COMPANION_GRACE: Seconds = 0.1;
/** How long a note rings when the player's hold is 'ring'. */
const RING: Seconds = 2.5;
/** How long a relayed note sounds when it says nothing of its length. */
const RELAY_HIT: Seconds = 0.4;
/** Entries kept for the test hook and the activity display. */
const LOG_LIMIT = 2000;

const PIANO: SoundSource = { kind: 'piano' };
/** The General MIDI drum kit, for hits. */
const DRUM_KIT: SoundSource = { kind: 'font', bank: PERCUSSION_BANK, program: 0 };

/** The sounds of one device in a live session. */
export class LiveSound {
  readonly log: LiveSoundEntry[] = [];
  /** The player's own sound (the piano until another is chosen), found once the engine is open. */
  private own: Instrument | null = null;
  private readonly instruments = new Map<string, Instrument>();
  private readonly held = new Map<number, VoiceHandle[]>();
  private nextId = 1;

  constructor(
    private readonly engine: SoundOutput,
    private readonly timeline: AudioTimeline,
    /** The device time of a session time (from the connection's clock), null before it is known. */
    private readonly toDevice: (sessionTime: Seconds) => Seconds | null,
    public mode: SoundMode = 'everyone',
    private readonly onSound: (entry: LiveSoundEntry) => void = () => {},
  ) {}

  /** Chooses the sound of the player's own pads and keys, loading it first. */
  async useInstrument(source: SoundSource): Promise<void> {
    this.own = await this.engine.load(source);
  }

  /** Loads the sounds of the companion's voices ahead of their first notes. */
  prepare(voices: readonly CompanionNote['voice'][]): void {
    for (const voice of voices) this.instrument(voiceSource(voice));
  }

  /**
   * The player's own note at session time `t`: sounds at once unless the device is silent.
   * Returns an id to let it go by (a 'ring' note lets itself go).
   */
  strike(pitch: Midi, velocity: Velocity, t: Seconds, hold: Hold): number {
    const now = this.engine.now;
    const sounding = this.mode !== 'silent';
    this.own ??= this.engine.instrument(PIANO);
    const own = this.own;
    const handles = sounding
      ? this.engine.playNow(pitch, velocity, hold === 'ring' ? RING : null, own, 'me')
      : [];
    const id = this.nextId++;
    if (hold !== 'ring' && handles.length > 0) this.held.set(id, handles);
    this.record({
      who: 'me',
      kind: 'own',
      pitch,
      velocity,
      t,
      audioTime: sounding ? now : null,
      handedAt: now,
      lead: null,
      outcome: sounding ? 'now' : 'muted',
      voices: handles.length,
      instrument: sounding ? own.id : null,
    });
    return id;
  }

  /** The player's own drum hit (a MIDI drum pad) at session time `t`: sounds at once unless silent. */
  hit(instrument: Midi, velocity: Velocity, t: Seconds): void {
    const now = this.engine.now;
    const sounding = this.mode !== 'silent';
    const kit = this.instrument(DRUM_KIT);
    const handles = sounding ? this.engine.playNow(instrument, velocity, RELAY_HIT, kit, 'me') : [];
    this.record({
      who: 'me',
      kind: 'own',
      pitch: instrument,
      velocity,
      t,
      audioTime: sounding ? now : null,
      handedAt: now,
      lead: null,
      outcome: sounding ? 'now' : 'muted',
      voices: handles.length,
      instrument: sounding ? kit.id : null,
    });
  }

  /** Lets a held note of the player go. */
  letGo(id: number): void {
    const handles = this.held.get(id);
    if (!handles) return;
    this.held.delete(id);
    this.engine.release(handles);
  }

  /** Lets every held note go (the page lost focus, the pads changed). */
  letGoAll(): void {
    for (const id of [...this.held.keys()]) this.letGo(id);
  }

  /** Another participant's event: sounds at once if just played, on a device that sounds everyone. */
  relay(message: ServerMessageOf<'relay'>): void {
    const event = message.event;
    if (event.type === 'voice') return; // a voice is heard by the companion, not replayed as frames
    const source: SoundSource = event.type === 'hit' ? DRUM_KIT : PIANO;
    const pitch = event.type === 'hit' ? event.instrument : event.pitch;
    const duration = event.type === 'note' ? Math.max(0.05, Math.min(event.duration, 8)) : RELAY_HIT;
    this.sound({
      who: message.participant,
      kind: 'relay',
      pitch,
      velocity: event.velocity,
      t: event.t,
      duration,
      source,
      grace: RELAY_FRESH,
      group: message.participant,
    });
  }

  /** The companion's notes, each started exactly at its session time on this device. */
  companion(notes: readonly CompanionNote[]): void {
    for (const note of notes) {
      this.sound({
        who: 'companion',
        kind: 'companion',
        pitch: note.pitch,
        velocity: note.velocity,
        t: note.start,
        duration: note.duration,
        source: voiceSource(note.voice),
        grace: COMPANION_GRACE,
        voice: note.voice,
        group: 'companion',
      });
    }
  }

  /** Stops every held note (leaving the room). */
  close(): void {
    this.letGoAll();
  }

  private sound(note: {
    who: string;
    kind: 'relay' | 'companion';
    pitch: Midi;
    velocity: Velocity;
    t: Seconds;
    duration: Seconds;
    source: SoundSource;
    grace: Seconds;
    group: string;
    voice?: string;
  }): void {
    const now = this.engine.now;
    const extra = {
      ...(note.voice === undefined ? {} : { voice: note.voice }),
    };
    const base = {
      who: note.who,
      kind: note.kind,
      pitch: note.pitch,
      velocity: note.velocity,
      t: note.t,
      handedAt: now,
    };
    const device = this.toDevice(note.t);
    if (this.mode !== 'everyone' || device === null) {
      this.record({
        ...base,
        lead: null,
        audioTime: null,
        outcome: 'muted',
        voices: 0,
        instrument: null,
        ...extra,
      });
      return;
    }
    const at = this.timeline.audioTimeOf(device);
    const lateness = now - at;
    if (lateness > note.grace) {
      this.record({
        ...base,
        lead: -lateness,
        audioTime: null,
        outcome: 'past',
        voices: 0,
        instrument: null,
        ...extra,
      });
      return;
    }
    const instrument = this.instrument(note.source);
    const start = lateness > 0 ? now : at;
    const handles = this.engine.playAt(
      { t: start, key: note.pitch, velocity: note.velocity, duration: note.duration, group: note.group },
      instrument,
    );
    const outcome: Outcome = lateness <= 0 ? 'scheduled' : note.kind === 'relay' ? 'now' : 'late';
    this.record({
      ...base,
      lead: -lateness,
      audioTime: start,
      outcome,
      voices: handles.length,
      instrument: instrument.id,
      ...extra,
    });
  }

  private instrument(source: SoundSource): Instrument {
    const key = JSON.stringify(source);
    let instrument = this.instruments.get(key);
    if (!instrument) {
      instrument = this.engine.instrument(source);
      this.instruments.set(key, instrument);
      // A sound first needed now loads its samples; its first notes may be silent meanwhile.
      this.engine.load(source).catch((error: unknown) => console.error('a sound did not load:', error));
    }
    return instrument;
  }

  private record(entry: LiveSoundEntry): void {
    this.log.push(entry);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
    this.onSound(entry);
  }
}
