/**
 * What the console's device sounds: the therapist's own keys at once, and (if the therapist wants
 * this device to be the room's speaker) the companion's notes at their session times and the
 * clients' notes as they arrive. Session times become audio times through the link's session
 * clock: a companion note due at session time t sounds at `audio now + (t − session now)`, so it
 * lands with every other device's; a note whose time has already passed is not sounded late.
 */
import type { Midi, PlayedEvent, Velocity } from '@attune/engine';
import type { Instrument } from '@attune/instruments';
import type { CompanionNote } from '@attune/protocol';
import type { AudioEngine, VoiceHandle } from '../audio/engine.ts';
import { voiceSource } from '../audio/voices.ts';

/** What the console's device sounds. */
export type ConsoleHearing = 'room' | 'own' | 'none';

/** A companion note later than this (seconds) is skipped rather than sounded late. */
const LATE = 0.02;
/** A relayed note older than this (seconds) is shown, not sounded (a resend after a reconnect). */
const STALE = 0.3;

/** The console's sound. */
export class ConsoleSound {
  hearing: ConsoleHearing = 'room';
  /** Companion notes sounded, skipped as late, and client notes sounded (for the status line and tests). */
  readonly counts = { companion: 0, late: 0, relayed: 0 };
  private readonly instruments = new Map<string, Instrument>();

  constructor(private readonly engine: AudioEngine) {}

  /** Loads the voices the companion may use, so its first notes are heard. */
  async prepare(voices: readonly string[]): Promise<void> {
    for (const voice of voices) {
      if (this.instruments.has(voice)) continue;
      const instrument = await this.engine.load(voiceSource(voice as Parameters<typeof voiceSource>[0]));
      this.instruments.set(voice, instrument);
    }
  }

  /** The therapist's own key: sounds at once, held until released. */
  own(pitch: Midi, velocity: Velocity): VoiceHandle[] {
    if (this.hearing === 'none') return [];
    return this.engine.playNow(pitch, velocity, null, this.engine.instrument({ kind: 'piano' }), 'therapist');
  }

  release(handles: readonly VoiceHandle[]): void {
    this.engine.release(handles);
  }

  /** Schedules the companion's notes on this device's audio clock (`sessionNow` from the link). */
  companion(notes: readonly CompanionNote[], sessionNow: number): void {
    if (this.hearing !== 'room') return;
    const audioNow = this.engine.now;
    for (const note of notes) {
      const at = audioNow + (note.start - sessionNow);
      if (at < audioNow - LATE) {
        this.counts.late++;
        continue;
      }
      const instrument = this.instruments.get(note.voice) ?? this.engine.instrument(voiceSource(note.voice));
      this.engine.playAt(
        {
          t: Math.max(at, audioNow),
          key: note.pitch,
          velocity: note.velocity,
          duration: note.duration,
          group: 'companion',
        },
        instrument,
      );
      this.counts.companion++;
    }
  }

  /** Sounds another participant's note if it has only just been played. */
  relayed(participant: string, event: PlayedEvent, sessionNow: number): void {
    if (this.hearing !== 'room' || event.type !== 'note' || sessionNow - event.t > STALE) return;
    this.engine.playNow(
      event.pitch,
      event.velocity,
      Math.max(0.2, event.duration),
      this.engine.instrument({ kind: 'piano' }),
      participant,
    );
    this.counts.relayed++;
  }
}
