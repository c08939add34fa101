import { describe, expect, it } from 'vitest';
import { readMidi } from './read.ts';
import { metaText, TempoMap, tempoOf } from './tempo.ts';
import { chunk, header, meta, smf, tempo, text, track, vlq } from './test-support/smf.ts';
import { MidiFileError } from './types.ts';

/** One track of C4 held for a quarter note at 96 PPQ. */
const SIMPLE = smf(header(0, 1, 96), track([0x00, 0x90, 60, 100, 0x60, 0x80, 60, 64]));

function failure(bytes: Uint8Array | number[], limits = {}): MidiFileError {
  try {
    readMidi(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes), limits);
  } catch (error) {
    expect(error).toBeInstanceOf(MidiFileError);
    const message = (error as MidiFileError).message;
    expect(message).not.toMatch(/\n/);
    return error as MidiFileError;
  }
  throw new Error('expected a MidiFileError');
}

describe('readMidi: structure', () => {
  it('reads the header and tick-stamped channel events', () => {
    const file = readMidi(SIMPLE);
    expect(file.format).toBe(0);
    expect(file.division).toEqual({ type: 'ppq', ppq: 96 });
    expect(file.tracks[0]?.events).toEqual([
      { type: 'noteOn', tick: 0, channel: 0, note: 60, velocity: 100 },
      { type: 'noteOff', tick: 96, channel: 0, note: 60, velocity: 64 },
      { type: 'meta', tick: 96, metaType: 0x2f, data: new Uint8Array(0) },
    ]);
  });

  it('applies running status to data bytes that follow a channel message', () => {
    // 90 3C 40, then 3E 40 and 3C 00 under the same status; then C3 05 and 07 under program change.
    const body = [0x00, 0x93, 60, 64, 0x10, 62, 64, 0x10, 60, 0, 0x00, 0xc3, 5, 0x00, 7];
    const events = readMidi(smf(header(0, 1, 96), track(body))).tracks[0]?.events ?? [];
    expect(events.slice(0, 5)).toEqual([
      { type: 'noteOn', tick: 0, channel: 3, note: 60, velocity: 64 },
      { type: 'noteOn', tick: 16, channel: 3, note: 62, velocity: 64 },
      { type: 'noteOn', tick: 32, channel: 3, note: 60, velocity: 0 },
      { type: 'programChange', tick: 32, channel: 3, program: 5 },
      { type: 'programChange', tick: 32, channel: 3, program: 7 },
    ]);
  });

  it('reads every kind of channel message', () => {
    const body = [0, 0xa1, 60, 10, 0, 0xb2, 7, 100, 0, 0xd4, 33, 0, 0xe5, 0x00, 0x40, 0, 0xe5, 0x7f, 0x7f];
    expect(readMidi(smf(header(0, 1, 96), track(body))).tracks[0]?.events.slice(0, 5)).toEqual([
      { type: 'polyPressure', tick: 0, channel: 1, note: 60, pressure: 10 },
      { type: 'controlChange', tick: 0, channel: 2, controller: 7, value: 100 },
      { type: 'channelPressure', tick: 0, channel: 4, pressure: 33 },
      { type: 'pitchBend', tick: 0, channel: 5, value: 8192 },
      { type: 'pitchBend', tick: 0, channel: 5, value: 16383 },
    ]);
  });

  it('reads sysex in both forms and keeps every meta event with its bytes', () => {
    const body = [
      ...[0x00, 0xf0, 0x05, 0x7e, 0x7f, 0x09, 0x01, 0xf7],
      ...[0x00, 0xf7, 0x02, 0xf3, 0x01],
      ...meta(0x00, [0x00, 0x01]),
      ...meta(0x01, text('text')),
      ...meta(0x02, text('(c)')),
      ...meta(0x03, text('Piano')),
      ...meta(0x04, text('Grand')),
      ...meta(0x05, text('la')),
      ...meta(0x06, text('A')),
      ...meta(0x07, text('cue')),
      ...meta(0x20, [0x09]),
      ...meta(0x21, [0x01]),
      ...tempo(400_000),
      ...meta(0x54, [0x60, 0, 0, 0, 0]),
      ...meta(0x58, [6, 3, 24, 8]),
      ...meta(0x59, [0xfd, 1]),
      ...meta(0x7f, [0x00, 0x00, 0x41]),
      ...meta(0x60, [1, 2, 3]),
    ];
    const events = readMidi(smf(header(0, 1, 96), track(body))).tracks[0]?.events ?? [];
    expect(events[0]).toEqual({
      type: 'sysex',
      tick: 0,
      escape: false,
      data: Uint8Array.of(0x7e, 0x7f, 0x09, 0x01, 0xf7),
    });
    expect(events[1]).toEqual({ type: 'sysex', tick: 0, escape: true, data: Uint8Array.of(0xf3, 0x01) });
    const metas = events.slice(2).map((e) => (e.type === 'meta' ? e.metaType : -1));
    expect(metas).toEqual([
      0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x20, 0x21, 0x51, 0x54, 0x58, 0x59, 0x7f, 0x60, 0x2f,
    ]);
    expect(events.map(metaText).filter((t) => t !== null)).toEqual([
      'text',
      '(c)',
      'Piano',
      'Grand',
      'la',
      'A',
      'cue',
    ]);
    expect(events.map(tempoOf).filter((t) => t !== null)).toEqual([400_000]);
    expect(events.find((e) => e.type === 'meta' && e.metaType === 0x58)).toMatchObject({
      data: Uint8Array.of(6, 3, 24, 8),
    });
  });

  it('keeps running status across meta and sysex events, as many files expect', () => {
    const body = [0x00, 0x90, 60, 64, ...meta(0x01, text('x')), 0x00, 62, 64];
    const events = readMidi(smf(header(0, 1, 96), track(body))).tracks[0]?.events ?? [];
    expect(events[2]).toEqual({ type: 'noteOn', tick: 0, channel: 0, note: 62, velocity: 64 });
  });

  it('ends a track without an end-of-track event after its last event, and ignores bytes after one', () => {
    const without = readMidi(smf(header(0, 1, 96), track([0x00, 0x90, 60, 64, 0x30, 0x80, 60, 0], false)));
    expect(without.tracks[0]?.events.at(-1)).toEqual({
      type: 'meta',
      tick: 48,
      metaType: 0x2f,
      data: new Uint8Array(0),
    });
    const after = readMidi(
      smf(header(0, 1, 96), chunk('MTrk', [0x00, 0xff, 0x2f, 0x00, 0x00, 0x90, 60, 64])),
    );
    expect(after.tracks[0]?.events).toHaveLength(1);
  });

  it('skips unknown chunks between and after tracks', () => {
    const bytes = smf(
      header(1, 2, 96),
      chunk('XFIH', [1, 2, 3]),
      track([0x00, 0x90, 60, 64]),
      chunk('Junk', []),
      track([0x00, 0x91, 62, 64]),
      chunk('XFKM', [9, 9]),
    );
    const file = readMidi(bytes);
    expect(file.tracks).toHaveLength(2);
    expect(file.tracks[1]?.events[0]).toMatchObject({ type: 'noteOn', channel: 1, note: 62 });
  });

  it('accepts a header longer than six bytes', () => {
    const long = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 8, 0, 0, 0, 1, 0, 96, 0xaa, 0xbb];
    expect(readMidi(smf(long, track([0x00, 0x90, 60, 64]))).tracks).toHaveLength(1);
  });

  it('reads format 2 track by track', () => {
    const file = readMidi(smf(header(2, 2, 96), track([0x00, 0x90, 60, 64]), track([0x00, 0x90, 62, 64])));
    expect(file.format).toBe(2);
    expect(file.tracks.map((t) => t.events[0])).toMatchObject([{ note: 60 }, { note: 62 }]);
  });

  it('reads SMPTE division', () => {
    // 0xE7 is -25: 25 frames per second, 40 ticks per frame, so a tick is 1 ms.
    const file = readMidi(smf(header(0, 1, 0xe728), track([])));
    expect(file.division).toEqual({ type: 'smpte', framesPerSecond: 25, ticksPerFrame: 40 });
    expect(TempoMap.of(file).seconds(500)).toBeCloseTo(0.5, 12);
    const ntsc = readMidi(smf(header(0, 1, 0xe350), track([])));
    expect(ntsc.division).toEqual({ type: 'smpte', framesPerSecond: 29, ticksPerFrame: 80 });
    expect(TempoMap.of(ntsc).seconds(80 * 30)).toBeCloseTo(1001 / 1000, 12);
  });

  it('opens a RIFF RMID wrapper', () => {
    const inner = Array.from(SIMPLE);
    const data = [...text('data'), inner.length & 0xff, (inner.length >> 8) & 0xff, 0, 0, ...inner];
    const size = 4 + data.length;
    const riff = Uint8Array.from([...text('RIFF'), size & 0xff, size >> 8, 0, 0, ...text('RMID'), ...data]);
    expect(readMidi(riff)).toEqual(readMidi(SIMPLE));
  });
});

describe('readMidi: bad input', () => {
  it('refuses an empty file and a file that is not MIDI', () => {
    expect(failure([]).message).toBe('not a MIDI file (empty)');
    expect(failure(text('RIFF....WAVEfmt ')).message).toMatch(/no MThd header/);
    expect(failure(text('<html><body>')).message).toMatch(/no MThd header/);
    expect(failure([0x4d, 0x54]).message).toMatch(/no MThd header/);
  });

  it('refuses a truncated header at every length', () => {
    for (let n = 4; n < 14; n++) expect(failure(SIMPLE.subarray(0, n)).message).toMatch(/truncated header/);
  });

  it('refuses a truncated file at every byte', () => {
    const two = smf(
      header(1, 2, 96),
      track([0x00, 0x90, 60, 64, 0x60, 0x80, 60, 0]),
      track([...tempo(600_000)]),
    );
    for (let n = 0; n < two.length; n++) {
      const error = failure(two.subarray(0, n));
      if (n >= 14) expect(error.message).toMatch(/byte \d+|tracks/);
    }
    expect(readMidi(two).tracks).toHaveLength(2);
  });

  it('refuses impossible header fields', () => {
    const h = (format: number, division: number) => smf(header(format, 1, division), track([]));
    expect(failure(h(3, 96)).message).toMatch(/unsupported MIDI format 3/);
    expect(failure(h(0, 0)).message).toMatch(/division of 0/);
    expect(failure(h(0, 0xe700)).message).toMatch(/0 ticks per frame/);
    expect(failure(h(0, 0xf028)).message).toMatch(/16 frames per second/);
    const short = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 4, 0, 0, 0, 1, 0, 96];
    expect(failure(short).message).toMatch(/header length 4/);
    const huge = [0x4d, 0x54, 0x68, 0x64, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0, 96];
    expect(failure(huge).message).toMatch(/runs past the end/);
  });

  it('refuses a chunk whose length runs past the end of the file', () => {
    const bytes = smf(header(0, 1, 96), [...text('MTrk'), 0x7f, 0xff, 0xff, 0xff, 0x00, 0x90, 60, 64]);
    const error = failure(bytes);
    expect(error.message).toBe("chunk 'MTrk' at byte 14 claims 2147483647 bytes but only 4 remain");
    expect(error.track).toBe(0);
    expect(error.offset).toBe(14);
  });

  it('refuses a file with fewer tracks than its header announces', () => {
    expect(failure(smf(header(1, 3, 96), track([]), track([]))).message).toBe(
      'header announces 3 tracks but the file holds 2',
    );
  });

  it('refuses a variable-length quantity longer than four bytes', () => {
    const bytes = smf(header(0, 1, 96), track([0x80, 0x80, 0x80, 0x80, 0x00, 0x90, 60, 64]));
    expect(failure(bytes).message).toBe('delta time longer than 4 bytes in track 0 at byte 22');
    const metaLength = smf(header(0, 1, 96), track([0x00, 0xff, 0x01, 0xff, 0xff, 0xff, 0xff, 0x7f]));
    expect(failure(metaLength).message).toMatch(/meta length longer than 4 bytes in track 0/);
  });

  it('refuses events that run past the end of their track', () => {
    const metaPast = smf(header(0, 1, 96), track([0x00, 0xff, 0x01, 0x10, 0x41], false));
    expect(failure(metaPast).message).toBe('truncated meta event of 16 bytes in track 0 at byte 26');
    const sysexPast = smf(header(0, 1, 96), track([0x00, 0xf0, 0x7f, 0x01], false));
    expect(failure(sysexPast).message).toMatch(/truncated sysex of 127 bytes in track 0/);
    const notePast = smf(header(0, 1, 96), track([0x00, 0x90, 60], false));
    expect(failure(notePast).message).toMatch(/truncated channel message in track 0/);
  });

  it('refuses a data byte without a status byte, and a status byte in place of data', () => {
    const orphan = smf(header(0, 1, 96), track([0x00, 0x3c, 0x40]));
    expect(failure(orphan).message).toBe('data byte 0x3c without a status byte in track 0 at byte 23');
    const clash = smf(header(0, 1, 96), track([0x00, 0x90, 0x3c, 0x90]));
    expect(failure(clash).message).toMatch(/status byte where a data byte belongs in track 0 at byte 25/);
  });

  it('refuses system messages that have no place in a file', () => {
    expect(failure(smf(header(0, 1, 96), track([0x00, 0xf8]))).message).toMatch(/status 0xf8 is not allowed/);
  });

  it('names the track where the problem lies', () => {
    const error = failure(smf(header(1, 2, 96), track([]), track([0x00, 0x45])));
    expect(error.track).toBe(1);
    expect(error.message).toMatch(/in track 1 at byte/);
  });
});

describe('readMidi: limits', () => {
  it('refuses a file larger than maxBytes', () => {
    expect(failure(SIMPLE, { maxBytes: 20 }).message).toBe('file is 34 bytes, more than the limit of 20');
  });

  it('refuses more events than maxEvents, counted over all tracks', () => {
    const notes = Array.from({ length: 10 }, () => [0x00, 0x90, 60, 64]).flat();
    expect(readMidi(smf(header(0, 1, 96), track(notes)), { maxEvents: 11 }).tracks).toHaveLength(1);
    expect(failure(smf(header(0, 1, 96), track(notes)), { maxEvents: 10 }).message).toMatch(
      /more than 10 events/,
    );
  });

  it('refuses a file that lasts 100 hours, and accepts it with a higher limit', () => {
    // At 96 PPQ and 120 BPM a tick lasts 1/192 s: 100 hours is 69 120 000 ticks.
    const bytes = smf(header(0, 1, 96), track([0x00, 0x90, 60, 64, ...vlq(69_120_000), 0x80, 60, 0]));
    expect(failure(bytes).message).toBe('track 0 lasts 100.0 hours, more than the limit of 24.0 hours');
    expect(readMidi(bytes, { maxSeconds: 400_000 }).tracks).toHaveLength(1);
  });

  it('refuses a file made long by a slow tempo', () => {
    const slow = smf(header(0, 1, 1), track([...tempo(0xffffff), ...vlq(0x0fffffff), 0x90, 60, 64]));
    expect(failure(slow).message).toMatch(/lasts \d+\.\d hours/);
  });
});
