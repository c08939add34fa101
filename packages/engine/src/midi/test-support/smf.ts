/** Builders of Standard MIDI File bytes by hand, for tests with known answers. */

/** The variable-length quantity of a number (up to four bytes). */
export function vlq(value: number): number[] {
  const groups = [value & 0x7f];
  for (let v = value >> 7; v > 0; v >>= 7) groups.unshift((v & 0x7f) | 0x80);
  return groups;
}

function u32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

/** An MThd chunk. `division` is the raw 16-bit field (e.g. 96, or 0xe728 for 25 fps × 40). */
export function header(format: number, tracks: number, division: number): number[] {
  return [
    0x4d,
    0x54,
    0x68,
    0x64,
    ...u32(6),
    0,
    format,
    tracks >> 8,
    tracks & 0xff,
    division >> 8,
    division & 0xff,
  ];
}

/** A chunk of any type with its true length. */
export function chunk(type: string, body: readonly number[]): number[] {
  return [...Array.from(type, (c) => c.charCodeAt(0)), ...u32(body.length), ...body];
}

/** An MTrk chunk of the given event bytes (deltas included), ending with end-of-track unless told not to. */
export function track(body: readonly number[], endOfTrack = true): number[] {
  return chunk('MTrk', endOfTrack ? [...body, 0x00, 0xff, 0x2f, 0x00] : body);
}

/** A whole file as bytes. */
export function smf(...parts: number[][]): Uint8Array {
  return Uint8Array.from(parts.flat());
}

/** A tempo meta event (with a zero delta) in microseconds per quarter note. */
export function tempo(micros: number, delta = 0): number[] {
  return [...vlq(delta), 0xff, 0x51, 0x03, (micros >> 16) & 0xff, (micros >> 8) & 0xff, micros & 0xff];
}

/** A text-like meta event. */
export function meta(type: number, data: readonly number[], delta = 0): number[] {
  return [...vlq(delta), 0xff, type, ...vlq(data.length), ...data];
}

/** Bytes of an ASCII string. */
export function text(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}
