/**
 * Writing Standard MIDI Files: the inverse of `readMidi`, so that reading what was written gives
 * back the same tracks and events.
 */
import { META, type MidiEvent, type MidiFile } from './types.ts';

/** Largest number a four-byte variable-length quantity holds. */
const MAX_VLQ = 0x0fffffff;

/**
 * The bytes of a Standard MIDI File. Channel messages use running status; a track that does not
 * end with an end-of-track event gets one. Throws RangeError for events out of tick order or
 * values that do not fit their fields.
 * @example readMidi(writeMidi(file)) // equal to file, with an end-of-track event on each track
 */
export function writeMidi(file: MidiFile): Uint8Array {
  if (file.format === 0 && file.tracks.length !== 1) {
    throw new RangeError(`a format-0 file has exactly one track, got: ${file.tracks.length}`);
  }
  if (file.tracks.length > 0xffff) throw new RangeError(`too many tracks, got: ${file.tracks.length}`);
  const out = new ByteWriter();
  out.ascii('MThd');
  out.u32(6);
  out.u16(file.format);
  out.u16(file.tracks.length);
  const d = file.division;
  if (d.type === 'ppq') {
    check('ppq', d.ppq, 1, 0x7fff);
    out.u16(d.ppq);
  } else {
    check('ticksPerFrame', d.ticksPerFrame, 1, 255);
    out.bytes([256 - d.framesPerSecond, d.ticksPerFrame]);
  }
  file.tracks.forEach((track, index) => {
    out.ascii('MTrk');
    const lengthAt = out.length;
    out.u32(0);
    const start = out.length;
    writeTrack(out, track.events, index);
    out.setU32(lengthAt, out.length - start);
  });
  return out.result();
}

function writeTrack(out: ByteWriter, events: readonly MidiEvent[], track: number): void {
  let tick = 0;
  let running = 0;
  let ended = false;
  for (const e of events) {
    if (ended) throw new RangeError(`track ${track} has events after its end-of-track event`);
    if (!(Number.isInteger(e.tick) && e.tick >= tick)) {
      throw new RangeError(
        `track ${track} events must have whole, non-decreasing ticks, got: ${e.tick} after ${tick}`,
      );
    }
    out.vlq(e.tick - tick);
    tick = e.tick;
    if (e.type === 'meta') {
      check('metaType', e.metaType, 0, 0xff);
      out.bytes([0xff, e.metaType]);
      out.vlq(e.data.length);
      out.bytes(e.data);
      // Meta and sysex events cancel running status.
      running = 0;
      ended = e.metaType === META.endOfTrack;
    } else if (e.type === 'sysex') {
      out.bytes([e.escape ? 0xf7 : 0xf0]);
      out.vlq(e.data.length);
      out.bytes(e.data);
      running = 0;
    } else {
      check('channel', e.channel, 0, 15);
      const [kind, data] = channelBytes(e);
      const status = (kind << 4) | e.channel;
      if (status !== running) out.bytes([status]);
      running = status;
      out.bytes(data);
    }
  }
  if (!ended) out.bytes([0x00, 0xff, META.endOfTrack, 0x00]);
}

function channelBytes(e: Exclude<MidiEvent, { type: 'meta' | 'sysex' }>): [number, number[]] {
  switch (e.type) {
    case 'noteOff':
      return [0x8, [data7('note', e.note), data7('velocity', e.velocity)]];
    case 'noteOn':
      return [0x9, [data7('note', e.note), data7('velocity', e.velocity)]];
    case 'polyPressure':
      return [0xa, [data7('note', e.note), data7('pressure', e.pressure)]];
    case 'controlChange':
      return [0xb, [data7('controller', e.controller), data7('value', e.value)]];
    case 'programChange':
      return [0xc, [data7('program', e.program)]];
    case 'channelPressure':
      return [0xd, [data7('pressure', e.pressure)]];
    case 'pitchBend':
      check('pitchBend value', e.value, 0, 0x3fff);
      return [0xe, [e.value & 0x7f, e.value >> 7]];
  }
}

function data7(name: string, value: number): number {
  check(name, value, 0, 127);
  return value;
}

function check(name: string, value: number, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got: ${value}`);
  }
}

/** A growable byte buffer. */
class ByteWriter {
  private buffer = new Uint8Array(1024);
  length = 0;

  private reserve(count: number): void {
    if (this.length + count <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + count) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  bytes(values: ArrayLike<number>): void {
    this.reserve(values.length);
    this.buffer.set(values, this.length);
    this.length += values.length;
  }

  ascii(text: string): void {
    this.bytes(Array.from(text, (c) => c.charCodeAt(0)));
  }

  u16(value: number): void {
    this.bytes([(value >> 8) & 0xff, value & 0xff]);
  }

  u32(value: number): void {
    this.bytes([(value >>> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]);
  }

  setU32(at: number, value: number): void {
    this.buffer.set([(value >>> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff], at);
  }

  vlq(value: number): void {
    check('variable-length value', value, 0, MAX_VLQ);
    const groups = [value & 0x7f];
    for (let v = value >> 7; v > 0; v >>= 7) groups.unshift((v & 0x7f) | 0x80);
    this.bytes(groups);
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
