import { describe, expect, it } from 'vitest';
import { readMidi } from './read.ts';
import { endOfTrack, metaEvent, tempoMeta, textMeta } from './tempo.ts';
import { header, meta, smf, tempo, text, track } from './test-support/smf.ts';
import type { MidiEvent, MidiFile } from './types.ts';
import { writeMidi } from './write.ts';

const EVERY_KIND: MidiEvent[] = [
  textMeta(0, 'Piano – ünïcode'),
  tempoMeta(0, 90),
  metaEvent(0, 0x58, Uint8Array.of(3, 2, 24, 8)),
  { type: 'sysex', tick: 0, escape: false, data: Uint8Array.of(0x7e, 0x7f, 0x09, 0x01, 0xf7) },
  { type: 'programChange', tick: 0, channel: 2, program: 41 },
  { type: 'noteOn', tick: 10, channel: 2, note: 60, velocity: 100 },
  { type: 'noteOn', tick: 10, channel: 2, note: 64, velocity: 0 },
  { type: 'polyPressure', tick: 20, channel: 2, note: 60, pressure: 30 },
  { type: 'controlChange', tick: 30, channel: 2, controller: 64, value: 127 },
  { type: 'channelPressure', tick: 40, channel: 2, pressure: 5 },
  { type: 'pitchBend', tick: 50, channel: 2, value: 0 },
  { type: 'pitchBend', tick: 50, channel: 2, value: 16383 },
  { type: 'sysex', tick: 60, escape: true, data: Uint8Array.of(0xf1, 0x20) },
  { type: 'noteOff', tick: 2_000_000, channel: 2, note: 60, velocity: 64 },
  endOfTrack(2_000_000),
];

describe('writeMidi', () => {
  it('writes the bytes a reader expects, with running status', () => {
    const file: MidiFile = {
      format: 0,
      division: { type: 'ppq', ppq: 96 },
      tracks: [
        {
          events: [
            { type: 'noteOn', tick: 0, channel: 0, note: 60, velocity: 100 },
            { type: 'noteOn', tick: 96, channel: 0, note: 60, velocity: 0 },
            { type: 'noteOn', tick: 96, channel: 1, note: 62, velocity: 90 },
          ],
        },
      ],
    };
    expect(Array.from(writeMidi(file))).toEqual(
      Array.from(smf(header(0, 1, 96), track([0x00, 0x90, 60, 100, 0x60, 60, 0, 0x00, 0x91, 62, 90]))),
    );
  });

  it('encodes variable-length quantities as the standard tabulates them', () => {
    const cases: Array<[number, number[]]> = [
      [0, [0x00]],
      [0x40, [0x40]],
      [0x7f, [0x7f]],
      [0x80, [0x81, 0x00]],
      [0x2000, [0xc0, 0x00]],
      [0x3fff, [0xff, 0x7f]],
      [0x4000, [0x81, 0x80, 0x00]],
      [0x1fffff, [0xff, 0xff, 0x7f]],
      [0x200000, [0x81, 0x80, 0x80, 0x00]],
      [0x0fffffff, [0xff, 0xff, 0xff, 0x7f]],
    ];
    for (const [value, bytes] of cases) {
      const file: MidiFile = {
        format: 0,
        division: { type: 'ppq', ppq: 96 },
        tracks: [{ events: [endOfTrack(value)] }],
      };
      expect(Array.from(writeMidi(file).subarray(22)), `0x${value.toString(16)}`).toEqual([
        ...bytes,
        0xff,
        0x2f,
        0x00,
      ]);
    }
  });

  it('reads back exactly what it wrote, for every kind of event and both divisions', () => {
    for (const division of [
      { type: 'ppq', ppq: 960 },
      { type: 'smpte', framesPerSecond: 29, ticksPerFrame: 100 },
    ] as const) {
      const file: MidiFile = {
        format: 1,
        division,
        tracks: [{ events: EVERY_KIND }, { events: [textMeta(0, ''), endOfTrack(0)] }],
      };
      expect(readMidi(writeMidi(file))).toEqual(file);
    }
  });

  it('reads back a hand-made file unchanged after writing it', () => {
    const original = smf(
      header(1, 2, 480),
      track([...tempo(600_000), ...meta(0x03, text('Conductor'))]),
      track([0x00, 0x90, 60, 64, 0x83, 0x60, 60, 0, 0x00, 0xf0, 0x03, 0x43, 0x10, 0xf7]),
    );
    const file = readMidi(original);
    expect(readMidi(writeMidi(file))).toEqual(file);
  });

  it('ends every track with an end-of-track event', () => {
    const file: MidiFile = {
      format: 2,
      division: { type: 'ppq', ppq: 96 },
      tracks: [{ events: [] }, { events: [] }],
    };
    expect(readMidi(writeMidi(file)).tracks.map((t) => t.events)).toEqual([[endOfTrack(0)], [endOfTrack(0)]]);
  });

  it('refuses events it cannot write', () => {
    const write = (events: MidiEvent[], format: 0 | 1 = 0) =>
      writeMidi({ format, division: { type: 'ppq', ppq: 96 }, tracks: [{ events }] });
    const note = { type: 'noteOn', tick: 5, channel: 0, note: 60, velocity: 100 } as const;
    expect(() => write([note, { ...note, tick: 4 }])).toThrow(/non-decreasing ticks, got: 4 after 5/);
    expect(() => write([{ ...note, tick: 1.5 }])).toThrow(/got: 1.5/);
    expect(() => write([{ ...note, note: 128 }])).toThrow(
      /note must be a whole number from 0 to 127, got: 128/,
    );
    expect(() => write([{ ...note, channel: 16 }])).toThrow(/got: 16/);
    expect(() => write([{ type: 'pitchBend', tick: 0, channel: 0, value: 16384 }])).toThrow(/got: 16384/);
    expect(() => write([endOfTrack(0), note])).toThrow(/after its end-of-track/);
    expect(() => write([{ ...note, tick: 0x10000000 }])).toThrow(/got: 268435456/);
    expect(() => writeMidi({ format: 0, division: { type: 'ppq', ppq: 96 }, tracks: [] })).toThrow(/got: 0/);
    expect(() => writeMidi({ format: 1, division: { type: 'ppq', ppq: 0 }, tracks: [] })).toThrow(
      /ppq.*got: 0/,
    );
  });
});
