/**
 * Web MIDI messages as a player's notes and hits: parsing the bytes, and the keyboard's and
 * pedal's logic. A note-on with velocity 0 is a note-off (running-status keyboards send them);
 * channel 10 is General MIDI percussion, so its notes are hits on the drum kit; the sustain pedal
 * (controller 64) holds released notes until it is lifted. Pure: times are arguments, and the
 * browser shell (`midi-access.ts`) feeds it what a MIDI device sends.
 */
import type { Midi, Seconds, Velocity } from '@attune/engine';

/** MIDI channel 10 counted from 0: General MIDI percussion. */
export const DRUM_CHANNEL = 9;
/** The sustain (damper) pedal's controller number. */
const SUSTAIN = 64;
/** Controllers that silence a channel: All Sound Off and All Notes Off. */
const ALL_OFF = new Set([120, 123]);

/** One MIDI message Attune plays from; anything else (clock, sysex, other controllers) is ignored. */
export type MidiMessage =
  | { readonly kind: 'note-on'; readonly channel: number; readonly key: Midi; readonly velocity: Velocity }
  | { readonly kind: 'note-off'; readonly channel: number; readonly key: Midi }
  | { readonly kind: 'sustain'; readonly channel: number; readonly down: boolean }
  | { readonly kind: 'all-off'; readonly channel: number };

/**
 * The message in a Web MIDI event's bytes, or null for one Attune does not play from.
 * @example parseMidiMessage([0x90, 60, 100]) // { kind: 'note-on', channel: 0, key: 60, velocity: 100 }
 * @example parseMidiMessage([0x99, 38, 0]) // { kind: 'note-off', channel: 9, key: 38 }
 */
export function parseMidiMessage(data: ArrayLike<number>): MidiMessage | null {
  if (data.length < 3) return null;
  const status = data[0] as number;
  const a = data[1] as number;
  const b = data[2] as number;
  // Data bytes have the top bit clear; anything else is a broken or interleaved message.
  if (status < 0x80 || status >= 0xf0 || a > 0x7f || b > 0x7f || a < 0 || b < 0) return null;
  const channel = status & 0x0f;
  switch (status & 0xf0) {
    case 0x90:
      return b === 0
        ? { kind: 'note-off', channel, key: a }
        : { kind: 'note-on', channel, key: a, velocity: b };
    case 0x80:
      return { kind: 'note-off', channel, key: a };
    case 0xb0:
      if (a === SUSTAIN) return { kind: 'sustain', channel, down: b >= 64 };
      if (ALL_OFF.has(a)) return { kind: 'all-off', channel };
      return null;
    default:
      return null;
  }
}

/** What a MIDI device asks of the instrument, at an audio time. */
export type MidiAction =
  | {
      readonly type: 'press';
      readonly t: Seconds;
      readonly pitch: Midi;
      readonly velocity: Velocity;
      readonly channel: number;
    }
  | { readonly type: 'release'; readonly t: Seconds; readonly pitch: Midi; readonly channel: number }
  | {
      readonly type: 'hit';
      readonly t: Seconds;
      readonly instrument: Midi;
      readonly velocity: Velocity;
      readonly channel: number;
    };

/** The keys and pedals of one MIDI device: which notes sound, which the pedal holds. */
export class MidiKeyboard {
  /** Sounding notes, as channel·128 + key: down (held by the key) or held by the pedal. */
  private readonly sounding = new Map<number, 'key' | 'pedal'>();
  private readonly pedal = new Set<number>();

  /** The actions a message at audio time `t` asks for. */
  take(message: MidiMessage, t: Seconds): MidiAction[] {
    const { channel } = message;
    switch (message.kind) {
      case 'note-on': {
        if (channel === DRUM_CHANNEL) {
          return [{ type: 'hit', t, instrument: message.key, velocity: message.velocity, channel }];
        }
        const slot = channel * 128 + message.key;
        const out: MidiAction[] = [];
        // A key struck again while it sounds (held by the pedal, or a missed note-off) restrikes it.
        if (this.sounding.has(slot)) out.push({ type: 'release', t, pitch: message.key, channel });
        this.sounding.set(slot, 'key');
        out.push({ type: 'press', t, pitch: message.key, velocity: message.velocity, channel });
        return out;
      }
      case 'note-off': {
        const slot = channel * 128 + message.key;
        if (this.sounding.get(slot) !== 'key') return [];
        if (this.pedal.has(channel)) {
          this.sounding.set(slot, 'pedal');
          return [];
        }
        this.sounding.delete(slot);
        return [{ type: 'release', t, pitch: message.key, channel }];
      }
      case 'sustain': {
        if (message.down) {
          this.pedal.add(channel);
          return [];
        }
        this.pedal.delete(channel);
        return this.releaseWhere(t, (slot, by) => by === 'pedal' && Math.floor(slot / 128) === channel);
      }
      case 'all-off':
        this.pedal.delete(channel);
        return this.releaseWhere(t, (slot) => Math.floor(slot / 128) === channel);
    }
  }

  /** Lets every sounding note go (the device was unplugged, or MIDI switched off). */
  releaseAll(t: Seconds): MidiAction[] {
    this.pedal.clear();
    return this.releaseWhere(t, () => true);
  }

  private releaseWhere(t: Seconds, which: (slot: number, by: 'key' | 'pedal') => boolean): MidiAction[] {
    const out: MidiAction[] = [];
    for (const [slot, by] of [...this.sounding]) {
      if (!which(slot, by)) continue;
      this.sounding.delete(slot);
      out.push({ type: 'release', t, pitch: slot % 128, channel: Math.floor(slot / 128) });
    }
    return out;
  }
}

/** Oldest a MIDI message's time stamp is believed (seconds); older stamps are a stalled page. */
const OLDEST: Seconds = 1;

/**
 * The audio time of a Web MIDI time stamp: the message's `timeStamp` is on the page's
 * `performance.now()` clock (ms), so it lies `nowMs − timeStamp` before the audio time now.
 * A stamp from the future, a missing one (0) or one older than a second is taken as now or a
 * second ago.
 * @example midiAudioTime(1000, 1010, 5) // 4.99
 */
export function midiAudioTime(timeStamp: number, nowMs: number, audioNow: Seconds): Seconds {
  if (!(Number.isFinite(timeStamp) && timeStamp > 0)) return audioNow;
  const age = (nowMs - timeStamp) / 1000;
  return audioNow - Math.max(0, Math.min(OLDEST, age));
}
