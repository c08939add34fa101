/**
 * Reading Standard MIDI Files defensively: every length is checked against the bytes that are
 * really there, variable-length numbers stop at four bytes, and a bad file ends in a
 * {@link MidiFileError} that says what is wrong and where, never in a crash or a hang.
 */
import { endOfTrack, TempoMap } from './tempo.ts';
import {
  DEFAULT_MIDI_LIMITS,
  META,
  type MidiDivision,
  type MidiEvent,
  type MidiFile,
  MidiFileError,
  type MidiLimits,
  type MidiTrack,
} from './types.ts';

/** Data bytes after each channel status (high nibble 0x8–0xE). */
const DATA_LENGTH: Record<number, number> = { 8: 2, 9: 2, 10: 2, 11: 2, 12: 1, 13: 1, 14: 2 };

/**
 * Reads a Standard MIDI File (format 0, 1 or 2, PPQ or SMPTE division) into tracks of events
 * with absolute ticks. Unknown chunks are skipped; a RIFF (RMID) wrapper is opened.
 * Throws {@link MidiFileError} for anything unreadable or beyond `limits`.
 * @example readMidi(bytes).tracks[0]?.events[0] // { type: 'meta', tick: 0, metaType: 3, data: … }
 */
export function readMidi(bytes: Uint8Array, limits: Partial<MidiLimits> = {}): MidiFile {
  const lim: MidiLimits = { ...DEFAULT_MIDI_LIMITS, ...limits };
  if (bytes.length > lim.maxBytes) {
    throw new MidiFileError(`file is ${bytes.length} bytes, more than the limit of ${lim.maxBytes}`);
  }
  const data = unwrapRiff(bytes);
  if (data.length === 0) throw new MidiFileError('not a MIDI file (empty)');
  if (data.length < 4 || ascii(data, 0, 4) !== 'MThd') {
    throw new MidiFileError('not a MIDI file (no MThd header)', undefined, 0);
  }
  if (data.length < 14)
    throw new MidiFileError(`truncated header: ${data.length} bytes, need 14`, undefined, 0);
  const headerLength = u32(data, 4);
  if (headerLength < 6)
    throw new MidiFileError(`header length ${headerLength} is shorter than 6`, undefined, 4);
  if (headerLength > data.length - 8) {
    throw new MidiFileError(`header length ${headerLength} runs past the end of the file`, undefined, 4);
  }
  const format = u16(data, 8);
  if (format > 2)
    throw new MidiFileError(`unsupported MIDI format ${format} (0, 1 or 2 expected)`, undefined, 8);
  const trackCount = u16(data, 10);
  const division = readDivision(data);

  const counter = { events: 0, limit: lim.maxEvents };
  const tracks: MidiTrack[] = [];
  let offset = 8 + headerLength;
  while (tracks.length < trackCount) {
    if (offset + 8 > data.length) {
      throw new MidiFileError(
        offset === data.length
          ? `header announces ${trackCount} tracks but the file holds ${tracks.length}`
          : `truncated chunk header at byte ${offset}`,
        tracks.length,
        offset,
      );
    }
    const type = ascii(data, offset, 4);
    const length = u32(data, offset + 4);
    const start = offset + 8;
    if (length > data.length - start) {
      throw new MidiFileError(
        `chunk '${printable(type)}' at byte ${offset} claims ${length} bytes but only ${data.length - start} remain`,
        tracks.length,
        offset,
      );
    }
    if (type === 'MTrk') tracks.push(readTrack(data, start, start + length, tracks.length, counter));
    offset = start + length;
  }
  const file: MidiFile = { format: format as 0 | 1 | 2, division, tracks };
  checkDuration(file, lim.maxSeconds);
  return file;
}

function readDivision(data: Uint8Array): MidiDivision {
  const raw = u16(data, 12);
  if (raw & 0x8000) {
    // SMPTE: the high byte is minus the frame rate, the low byte the ticks per frame.
    const fps = 256 - (raw >> 8);
    const ticksPerFrame = raw & 0xff;
    if (fps !== 24 && fps !== 25 && fps !== 29 && fps !== 30) {
      throw new MidiFileError(
        `SMPTE division with ${fps} frames per second (24, 25, 29 or 30 expected)`,
        undefined,
        12,
      );
    }
    if (ticksPerFrame === 0) throw new MidiFileError('SMPTE division with 0 ticks per frame', undefined, 13);
    return { type: 'smpte', framesPerSecond: fps, ticksPerFrame };
  }
  if (raw === 0) throw new MidiFileError('division of 0 ticks per quarter note', undefined, 12);
  return { type: 'ppq', ppq: raw };
}

function readTrack(
  data: Uint8Array,
  start: number,
  end: number,
  track: number,
  counter: { events: number; limit: number },
): MidiTrack {
  const events: MidiEvent[] = [];
  let pos = start;
  let tick = 0;
  let running = 0;
  const fail = (what: string, at: number): never => {
    throw new MidiFileError(`${what} in track ${track} at byte ${at}`, track, at);
  };
  const need = (count: number, what: string) => {
    if (pos + count > end) fail(`truncated ${what}`, pos);
  };
  const vlq = (what: string): number => {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      need(1, what);
      const b = data[pos++] as number;
      value = value * 128 + (b & 0x7f);
      if (!(b & 0x80)) return value;
    }
    return fail(`${what} longer than 4 bytes`, pos - 4);
  };

  while (pos < end) {
    const eventStart = pos;
    tick += vlq('delta time');
    if (++counter.events > counter.limit) {
      throw new MidiFileError(`more than ${counter.limit} events (limit)`, track, eventStart);
    }
    need(1, 'event');
    let status = data[pos] as number;
    if (status < 0x80) {
      // Running status: the previous channel status applies to these data bytes.
      if (running === 0) fail(`data byte 0x${hex(status)} without a status byte`, pos);
      status = running;
    } else pos++;

    if (status === 0xff) {
      need(1, 'meta event');
      const metaType = data[pos++] as number;
      const length = vlq('meta length');
      need(length, `meta event of ${length} bytes`);
      const body = copy(data, pos, length);
      pos += length;
      if (metaType === META.endOfTrack) {
        events.push(endOfTrack(tick));
        return { events };
      }
      events.push({ type: 'meta', tick, metaType, data: body });
    } else if (status === 0xf0 || status === 0xf7) {
      const length = vlq('sysex length');
      need(length, `sysex of ${length} bytes`);
      events.push({ type: 'sysex', tick, escape: status === 0xf7, data: copy(data, pos, length) });
      pos += length;
    } else if (status >= 0xf0) {
      fail(`status 0x${hex(status)} is not allowed in a MIDI file`, pos - 1);
    } else {
      running = status;
      const count = DATA_LENGTH[status >> 4] as number;
      need(count, 'channel message');
      const a = data[pos] as number;
      const b = count === 2 ? (data[pos + 1] as number) : 0;
      if (a > 0x7f || b > 0x7f) fail(`status byte where a data byte belongs`, a > 0x7f ? pos : pos + 1);
      pos += count;
      events.push(channelEvent(tick, status, a, b));
    }
  }
  // A track without its end-of-track event ends after its last event.
  events.push(endOfTrack(tick));
  return { events };
}

function channelEvent(tick: number, status: number, a: number, b: number): MidiEvent {
  const channel = status & 0x0f;
  switch (status >> 4) {
    case 0x8:
      return { type: 'noteOff', tick, channel, note: a, velocity: b };
    case 0x9:
      return { type: 'noteOn', tick, channel, note: a, velocity: b };
    case 0xa:
      return { type: 'polyPressure', tick, channel, note: a, pressure: b };
    case 0xb:
      return { type: 'controlChange', tick, channel, controller: a, value: b };
    case 0xc:
      return { type: 'programChange', tick, channel, program: a };
    case 0xd:
      return { type: 'channelPressure', tick, channel, pressure: a };
    default:
      return { type: 'pitchBend', tick, channel, value: a | (b << 7) };
  }
}

/** Refuses a file whose tracks last longer than the limit. */
function checkDuration(file: MidiFile, maxSeconds: number): void {
  const maps = file.format === 2 ? file.tracks.map((_, i) => TempoMap.of(file, i)) : [TempoMap.of(file)];
  file.tracks.forEach((track, i) => {
    const last = track.events[track.events.length - 1];
    const seconds = last ? (maps[file.format === 2 ? i : 0] as TempoMap).seconds(last.tick) : 0;
    if (seconds > maxSeconds) {
      throw new MidiFileError(
        `track ${i} lasts ${formatHours(seconds)}, more than the limit of ${formatHours(maxSeconds)}`,
        i,
      );
    }
  });
}

/** The MIDI data inside a RIFF RMID wrapper, or the bytes themselves. */
function unwrapRiff(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 12 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'RMID') return bytes;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const length = u32le(bytes, offset + 4);
    if (ascii(bytes, offset, 4) === 'data')
      return bytes.subarray(offset + 8, Math.min(bytes.length, offset + 8 + length));
    offset += 8 + length + (length % 2);
  }
  throw new MidiFileError('RIFF file without a MIDI data chunk', undefined, 12);
}

function formatHours(seconds: number): string {
  return seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} hours` : `${seconds.toFixed(1)} s`;
}

function ascii(data: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...data.subarray(at, at + length));
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

function u16(data: Uint8Array, at: number): number {
  return ((data[at] as number) << 8) | (data[at + 1] as number);
}

function u32(data: Uint8Array, at: number): number {
  return (
    (data[at] as number) * 2 ** 24 +
    (((data[at + 1] as number) << 16) | ((data[at + 2] as number) << 8) | (data[at + 3] as number))
  );
}

function u32le(data: Uint8Array, at: number): number {
  return (
    (data[at + 3] as number) * 2 ** 24 +
    (((data[at + 2] as number) << 16) | ((data[at + 1] as number) << 8) | (data[at] as number))
  );
}

/** A plain Uint8Array copy of some bytes (a Node Buffer's own slice would stay a Buffer). */
function copy(data: Uint8Array, at: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(data.subarray(at, at + length));
  return out;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
