/**
 * The raw shape of a Standard MIDI File: its format, its time division and its tracks of
 * events stamped with absolute ticks, in file order.
 */

/** How ticks relate to time: ticks per quarter note, or SMPTE frames and ticks per frame. */
export type MidiDivision =
  | { readonly type: 'ppq'; readonly ppq: number }
  | { readonly type: 'smpte'; readonly framesPerSecond: 24 | 25 | 29 | 30; readonly ticksPerFrame: number };

interface At {
  /** Absolute time in ticks from the start of the track. */
  readonly tick: number;
}

/** A channel voice message; `channel` is 0–15 (9 is General MIDI percussion). */
export type ChannelEvent = At & { readonly channel: number } & (
    | { readonly type: 'noteOn'; readonly note: number; readonly velocity: number }
    | { readonly type: 'noteOff'; readonly note: number; readonly velocity: number }
    | { readonly type: 'polyPressure'; readonly note: number; readonly pressure: number }
    | { readonly type: 'controlChange'; readonly controller: number; readonly value: number }
    | { readonly type: 'programChange'; readonly program: number }
    | { readonly type: 'channelPressure'; readonly pressure: number }
    /** 14-bit bend, 0–16383 with 8192 at rest. */
    | { readonly type: 'pitchBend'; readonly value: number }
  );

/**
 * A system-exclusive message. `data` is the bytes after the length, exactly as stored (a
 * complete F0 message usually ends with F7). `escape` marks the F7 form, used for split
 * messages and for arbitrary bytes.
 */
export interface SysexEvent extends At {
  readonly type: 'sysex';
  readonly escape: boolean;
  readonly data: Uint8Array;
}

/** A meta event (FF type length data): tempo, text, names, metre, key, end of track and others. */
export interface MetaEvent extends At {
  readonly type: 'meta';
  /** The meta type byte: 0x51 tempo, 0x03 track name, 0x58 time signature, 0x2f end of track… */
  readonly metaType: number;
  readonly data: Uint8Array;
}

export type MidiEvent = ChannelEvent | SysexEvent | MetaEvent;

/** A track: its events in file order, ticks never decreasing, ending with an end-of-track meta event. */
export interface MidiTrack {
  readonly events: readonly MidiEvent[];
}

/** A Standard MIDI File. Format 0 has one track, 1 plays its tracks together, 2 one after another. */
export interface MidiFile {
  readonly format: 0 | 1 | 2;
  readonly division: MidiDivision;
  readonly tracks: readonly MidiTrack[];
}

/** Bounds a file must stay within to be read: its size, its event count and its length in time. */
export interface MidiLimits {
  maxBytes: number;
  maxEvents: number;
  maxSeconds: number;
}

/** 64 MiB, five million events, one day. */
export const DEFAULT_MIDI_LIMITS: Readonly<MidiLimits> = {
  maxBytes: 64 * 1024 * 1024,
  maxEvents: 5_000_000,
  maxSeconds: 24 * 60 * 60,
};

/** A file that is not a readable MIDI file; the message is one line saying what and where. */
export class MidiFileError extends Error {
  override readonly name = 'MidiFileError';
  constructor(
    message: string,
    /** Track index (0-based) where the problem lies, if in a track. */
    readonly track?: number,
    /** Byte offset in the file where the problem lies. */
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** Meta type bytes used by this module. */
export const META = {
  text: 0x01,
  trackName: 0x03,
  endOfTrack: 0x2f,
  tempo: 0x51,
  timeSignature: 0x58,
  keySignature: 0x59,
} as const;
