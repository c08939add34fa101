/**
 * Ticks to seconds: the tempo map of a MIDI file, and the meta events it is built from.
 */
import type { Seconds } from '../time/index.ts';
import { META, type MetaEvent, type MidiDivision, type MidiEvent, type MidiFile } from './types.ts';

/** Microseconds per quarter note before any tempo event: 120 BPM. */
export const DEFAULT_TEMPO = 500_000;

/**
 * The tempo of a tempo meta event in microseconds per quarter note, or null for any other event
 * (or a tempo event with the wrong length or a tempo of zero, which cannot be played).
 */
export function tempoOf(event: MidiEvent): number | null {
  if (event.type !== 'meta' || event.metaType !== META.tempo || event.data.length !== 3) return null;
  const [a = 0, b = 0, c = 0] = event.data;
  const micros = (a << 16) | (b << 8) | c;
  return micros > 0 ? micros : null;
}

/**
 * The text of a text-like meta event (types 1–15: text, copyright, track name, lyric, marker…),
 * decoded as UTF-8 when it is valid UTF-8 and as Latin-1 otherwise; null for other events.
 */
export function metaText(event: MidiEvent): string | null {
  if (event.type !== 'meta' || event.metaType < 0x01 || event.metaType > 0x0f) return null;
  return decodeText(event.data);
}

/** A meta event with bytes; for text meta events see {@link textMeta}. */
export function metaEvent(tick: number, metaType: number, data: Uint8Array): MetaEvent {
  return { type: 'meta', tick, metaType, data };
}

/** A text-like meta event (default: track name) holding `text` as UTF-8. */
export function textMeta(tick: number, text: string, metaType: number = META.trackName): MetaEvent {
  return metaEvent(tick, metaType, encodeUtf8(text));
}

/**
 * A tempo meta event.
 * @example tempoMeta(0, 120) // FF 51 03 07 A1 20 (500000 µs per quarter)
 */
export function tempoMeta(tick: number, bpm: number): MetaEvent {
  const micros = Math.max(1, Math.min(0xffffff, Math.round(60_000_000 / bpm)));
  return metaEvent(tick, META.tempo, Uint8Array.of(micros >> 16, (micros >> 8) & 0xff, micros & 0xff));
}

/** The end-of-track meta event at `tick`. */
export function endOfTrack(tick: number): MetaEvent {
  return metaEvent(tick, META.endOfTrack, new Uint8Array(0));
}

interface Segment {
  readonly tick: number;
  readonly seconds: Seconds;
  readonly secondsPerTick: number;
}

/** Converts ticks to seconds for one file (or one track of a format-2 file). */
export class TempoMap {
  private readonly segments: readonly Segment[];

  private constructor(segments: Segment[]) {
    this.segments = segments;
  }

  /**
   * The tempo map of a file: the tempo events of every track (format 0 and 1), or of track
   * `track` alone (format 2, whose tracks are independent pieces). SMPTE files ignore tempo.
   */
  static of(file: MidiFile, track?: number): TempoMap {
    const tracks = file.format === 2 && track !== undefined ? [file.tracks[track]] : file.tracks;
    const changes: Array<{ tick: number; micros: number }> = [];
    for (const t of tracks) {
      for (const e of t?.events ?? []) {
        const micros = tempoOf(e);
        if (micros !== null) changes.push({ tick: e.tick, micros });
      }
    }
    return TempoMap.fromChanges(file.division, changes);
  }

  /** A tempo map from tempo changes (microseconds per quarter at a tick), in any order. */
  static fromChanges(
    division: MidiDivision,
    changes: ReadonlyArray<{ tick: number; micros: number }>,
  ): TempoMap {
    if (division.type === 'smpte') {
      // SMPTE time is absolute: 29 stands for 29.97 drop-frame.
      const fps = division.framesPerSecond === 29 ? 30_000 / 1001 : division.framesPerSecond;
      return new TempoMap([{ tick: 0, seconds: 0, secondsPerTick: 1 / (fps * division.ticksPerFrame) }]);
    }
    const perQuarter = (micros: number) => micros / 1e6 / division.ppq;
    // A stable sort keeps the last of several changes at one tick in force.
    const sorted = [...changes].sort((a, b) => a.tick - b.tick);
    const segments: Segment[] = [{ tick: 0, seconds: 0, secondsPerTick: perQuarter(DEFAULT_TEMPO) }];
    for (const change of sorted) {
      const last = segments[segments.length - 1] as Segment;
      const segment = {
        tick: change.tick,
        seconds: last.seconds + (change.tick - last.tick) * last.secondsPerTick,
        secondsPerTick: perQuarter(change.micros),
      };
      if (change.tick === last.tick) segments[segments.length - 1] = segment;
      else segments.push(segment);
    }
    return new TempoMap(segments);
  }

  /** Seconds from the start at `tick`. */
  seconds(tick: number): Seconds {
    const s = this.segments;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((s[mid] as Segment).tick <= tick) lo = mid;
      else hi = mid - 1;
    }
    const seg = s[lo] as Segment;
    return seg.seconds + (tick - seg.tick) * seg.secondsPerTick;
  }
}

/** Decodes bytes as UTF-8 when valid, else as Latin-1 (common in older files). */
export function decodeText(bytes: Uint8Array): string {
  const utf8 = decodeUtf8(bytes);
  if (utf8 !== null) return utf8;
  let text = '';
  for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return text;
}

function decodeUtf8(bytes: Uint8Array): string | null {
  const codes: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const extra =
      b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (extra < 0 || i + extra >= bytes.length) return null;
    let code = extra === 0 ? b : b & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) {
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80) return null;
      code = (code << 6) | (c & 0x3f);
    }
    const min = [0, 0x80, 0x800, 0x10000][extra] as number;
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) return null;
    codes.push(code);
    i += extra + 1;
  }
  let text = '';
  for (let i = 0; i < codes.length; i += 4096) text += String.fromCodePoint(...codes.slice(i, i + 4096));
  return text;
}

/** Encodes text as UTF-8 bytes. */
export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}
