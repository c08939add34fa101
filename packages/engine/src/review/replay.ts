/**
 * Replay of a recorded session: what to sound in each window of the playhead, through the same
 * instruments as live. Every lane's notes and hits (and the companion's voices) in one time order,
 * with solo and mute by lane. The voice has no recorded audio, only its pitch contour, so it is
 * replayed as sung notes for a voice-like instrument. The shell asks for `[from, to)` a
 * lookahead ahead, as the live scheduler does; starting from any point is asking from there.
 */
import type { Midi, Seconds, Velocity } from '../time/index.ts';
import { TimeIndex } from './time-index.ts';
import type { Timeline } from './timeline.ts';
import { voiceNotes } from './voice.ts';

/** What a replay plays. */
export interface ReplayEvent {
  /** The lane: a participant id, or `companion:<voice>`. */
  readonly lane: string;
  readonly kind: 'note' | 'hit' | 'sung';
  readonly t: Seconds;
  /** Pitch of a note or sung note; the General MIDI percussion key of a hit. */
  readonly pitch: Midi;
  readonly velocity: Velocity;
  /** Seconds; 0 for a hit. */
  readonly duration: Seconds;
}

/** Which lanes sound: with any solo, only the soloed lanes; muted lanes never. */
export interface ReplayMix {
  readonly solo?: ReadonlySet<string>;
  readonly mute?: ReadonlySet<string>;
}

/** The lane id of a companion voice. */
export const companionLane = (voice: string): string => `companion:${voice}`;

/** The replay of one session; build once, then ask window by window. */
export class Replay {
  private readonly lanes: ReadonlyArray<{ readonly lane: string; readonly events: TimeIndex<ReplayEvent> }>;

  constructor(timeline: Timeline) {
    const lanes: Array<{ lane: string; events: TimeIndex<ReplayEvent> }> = [];
    for (const l of timeline.participants) {
      const lane = l.participant;
      const events: ReplayEvent[] = [
        ...l.notes.all().map((n) => ({
          lane,
          kind: 'note' as const,
          t: n.t,
          pitch: n.pitch,
          velocity: n.velocity,
          duration: n.duration,
        })),
        ...l.hits.all().map((h) => ({
          lane,
          kind: 'hit' as const,
          t: h.t,
          pitch: h.instrument,
          velocity: h.velocity,
          duration: 0,
        })),
        ...voiceNotes(l.voice.all()).notes.map((n) => ({
          lane,
          kind: 'sung' as const,
          t: n.t,
          pitch: n.pitch,
          velocity: n.velocity,
          duration: n.duration,
        })),
      ];
      lanes.push({ lane, events: new TimeIndex(events) });
    }
    for (const c of timeline.companion) {
      const lane = companionLane(c.voice);
      const events = c.notes.all().map((n) => ({
        lane,
        kind: 'note' as const,
        t: n.t,
        pitch: n.pitch,
        velocity: n.velocity,
        duration: n.duration,
      }));
      lanes.push({ lane, events: new TimeIndex(events) });
    }
    this.lanes = lanes;
  }

  /** The lane ids, participants first, then the companion's voices. */
  get laneIds(): string[] {
    return this.lanes.map((l) => l.lane);
  }

  /**
   * What starts in [from, to) in the lanes that sound, in time order. Asking window after window
   * plays each event once; a note begun before `from` is not restarted (a replay from the middle
   * of a held note starts with the next onset, as a recording cut there would).
   */
  between(from: Seconds, to: Seconds, mix: ReplayMix = {}): ReplayEvent[] {
    const solo = mix.solo && mix.solo.size > 0 ? mix.solo : null;
    const out: ReplayEvent[] = [];
    for (const { lane, events } of this.lanes) {
      if (mix.mute?.has(lane) || (solo && !solo.has(lane))) continue;
      for (const e of events.startingIn(from, to)) out.push(e);
    }
    // Lanes are each in order; merge them (stable: at one instant, lanes keep their order).
    return out.sort((a, b) => a.t - b.t);
  }
}
