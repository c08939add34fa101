/**
 * Events: the atoms of a session. Every event carries its time `t` in seconds on the session
 * clock. The session log is an ordered sequence of these; the live room, replay, analysis and
 * exports are all functions of it.
 */
import type { Midi, Seconds, Velocity } from '../time/index.ts';

/** A pitched note: a key pressed, a pad struck in a scale, a MIDI note. */
export interface NoteEvent {
  readonly type: 'note';
  readonly t: Seconds;
  readonly pitch: Midi;
  readonly velocity: Velocity;
  readonly duration: Seconds;
  /** MIDI channel 0–15 where the event came from a MIDI source. */
  readonly channel?: number;
}

/** An unpitched, percussive hit; `instrument` is a General MIDI percussion key (35–81). */
export interface HitEvent {
  readonly type: 'hit';
  readonly t: Seconds;
  readonly instrument: Midi;
  readonly velocity: Velocity;
}

/** A frame of voice analysis: fractional MIDI pitch (null when unvoiced) and loudness 0–1. */
export interface VoiceFrame {
  readonly type: 'voice';
  readonly t: Seconds;
  readonly pitch: Midi | null;
  readonly loudness: number;
  /** True on the frame where a sung or spoken onset was detected. */
  readonly onset: boolean;
}

/** A musical event a player makes. */
export type PlayedEvent = NoteEvent | HitEvent | VoiceFrame;

/**
 * What perception needs of a sounding event: when, how strongly, and (for pitched playing)
 * which pitch and for how long.
 */
export interface Onset {
  readonly t: Seconds;
  readonly velocity: Velocity;
  /** The pitch of a pitched onset; for percussion, the General MIDI percussion key (kick 36, snare 38, …). */
  readonly pitch?: Midi;
  readonly duration?: Seconds;
  /** True for unpitched percussion. */
  readonly percussive?: boolean;
}

/** MIDI velocity a voice onset of loudness 0–1 counts as. */
const VOICE_VELOCITY_RANGE = 126;

/**
 * The onset a played event makes, or null for a voice frame that is not an onset.
 * @example toOnset({ type: 'hit', t: 1, instrument: 38, velocity: 90 }) // { t: 1, velocity: 90, pitch: 38, percussive: true }
 */
export function toOnset(event: PlayedEvent): Onset | null {
  switch (event.type) {
    case 'note':
      return { t: event.t, velocity: event.velocity, pitch: event.pitch, duration: event.duration };
    case 'hit':
      // Which drum was struck matters to the pulse: a kick or snare marks the beat more than a hi-hat.
      return { t: event.t, velocity: event.velocity, pitch: event.instrument, percussive: true };
    case 'voice':
      if (!event.onset) return null;
      return {
        t: event.t,
        velocity: 1 + Math.round(Math.max(0, Math.min(1, event.loudness)) * VOICE_VELOCITY_RANGE),
        ...(event.pitch === null ? {} : { pitch: event.pitch }),
      };
  }
}

/**
 * An onset as it is heard at the moment it starts: without its duration, which is known only
 * when the note ends. Causal perception (live, or a file fed in time order) hears these.
 * @example atStart({ t: 1, velocity: 80, pitch: 60, duration: 2 }) // { t: 1, velocity: 80, pitch: 60 }
 */
export function atStart(onset: Onset): Onset {
  if (onset.duration === undefined) return onset;
  const { duration: _unknownYet, ...heard } = onset;
  return heard;
}

/** Sorts events by time, keeping the original order of simultaneous events (stable). */
export function byTime<T extends { readonly t: Seconds }>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => a.t - b.t);
}
