import { describe, expect, it } from 'vitest';
import type { NoteEvent } from '../events/index.ts';
import { createRng } from '../random/index.ts';
import {
  isPercussionChannel,
  noteToPlayed,
  performanceToMidi,
  readPerformance,
  type TrackNotes,
  toPerformance,
} from './performance.ts';
import { readMidi } from './read.ts';
import { chunk, header, meta, smf, tempo, text, track, vlq } from './test-support/smf.ts';
import { MidiFileError } from './types.ts';
import { writeMidi } from './write.ts';

const on = (delta: number, note: number, velocity = 100, channel = 0) => [
  ...vlq(delta),
  0x90 | channel,
  note,
  velocity,
];
const off = (delta: number, note: number, channel = 0) => [...vlq(delta), 0x80 | channel, note, 0];

function notesOf(bytes: Uint8Array): Array<[number, number, number]> {
  const p = readPerformance(bytes);
  return (p.tracks[0]?.notes ?? []).map((n) => [n.t, n.pitch, n.duration]);
}

describe('toPerformance: time', () => {
  it('gives seconds at 96 and at 960 PPQ under the default 120 BPM', () => {
    expect(notesOf(smf(header(0, 1, 96), track([...on(96, 60), ...off(48, 60)])))).toEqual([[0.5, 60, 0.25]]);
    expect(notesOf(smf(header(0, 1, 960), track([...on(960, 60), ...off(480, 60)])))).toEqual([
      [0.5, 60, 0.25],
    ]);
  });

  it('follows a tempo change in the middle of the file', () => {
    // 96 PPQ: one beat at 120 BPM (0.5 s), then from tick 96 on 60 BPM (1 s per beat).
    const body = [
      ...tempo(500_000),
      ...on(0, 60),
      ...tempo(1_000_000, 96),
      ...off(0, 60),
      ...on(0, 62),
      ...off(96, 62),
    ];
    const body2 = [...on(96, 64), ...off(48, 64)];
    expect(notesOf(smf(header(0, 1, 96), track([...body, ...body2])))).toEqual([
      [0, 60, 0.5],
      [0.5, 62, 1],
      [2.5, 64, 0.5],
    ]);
  });

  it('applies a tempo map held in another track of a format-1 file, with many changes', () => {
    // A conductor track speeding up every quarter note: 60, 120, 180, 240 BPM…
    const conductor: number[] = [];
    for (let k = 0; k < 50; k++)
      conductor.push(...tempo(Math.round(60_000_000 / (60 * (k + 1))), k === 0 ? 0 : 96));
    const notes = [...on(0, 60), ...off(96 * 4, 60)];
    const p = readPerformance(smf(header(1, 2, 96), track(conductor), track(notes)));
    expect(p.tracks).toHaveLength(1);
    expect(p.tracks[0]?.index).toBe(1);
    expect(p.tracks[0]?.notes[0]?.duration).toBeCloseTo(1 + 1 / 2 + 1 / 3 + 1 / 4, 6);
  });

  it('times SMPTE files in frames, whatever the tempo events say', () => {
    // 25 frames × 40 ticks: 1000 ticks per second.
    const p = readPerformance(
      smf(header(0, 1, 0xe728), track([...tempo(250_000), ...on(250, 60), ...off(500, 60)])),
    );
    expect(p.tracks[0]?.notes[0]).toMatchObject({ t: 0.25, duration: 0.5 });
  });

  it('times each format-2 track from zero with its own tempo', () => {
    const a = track([...tempo(1_000_000), ...on(96, 60), ...off(96, 60)]);
    const b = track([...on(96, 62), ...off(96, 62)]);
    const p = readPerformance(smf(header(2, 2, 96), a, b));
    expect(p.tracks.map((t) => t.notes[0]?.t)).toEqual([1, 0.5]);
    expect(p.duration).toBe(2);
  });

  it('measures the duration to the end of the longest track', () => {
    const bytes = smf(
      header(0, 1, 96),
      chunk('MTrk', [...on(0, 60), ...off(96, 60), 0x83, 0x00, 0xff, 0x2f, 0x00]),
    );
    // The end-of-track event comes 384 ticks (2 s) after the note ends at 0.5 s.
    expect(readPerformance(bytes).duration).toBe(2.5);
  });
});

describe('toPerformance: notes', () => {
  it('treats note-on with velocity 0 as note-off', () => {
    expect(notesOf(smf(header(0, 1, 96), track([...on(0, 60), ...on(96, 60, 0)])))).toEqual([[0, 60, 0.5]]);
  });

  it('pairs overlapping notes of one pitch first in, first out', () => {
    const body = [...on(0, 60, 80), ...on(48, 60, 90), ...off(48, 60), ...off(96, 60)];
    const notes = readPerformance(smf(header(0, 1, 96), track(body))).tracks[0]?.notes;
    expect(notes?.map((n) => [n.t, n.duration, n.velocity])).toEqual([
      [0, 0.5, 80],
      [0.25, 0.75, 90],
    ]);
  });

  it('keeps pitches on different channels apart', () => {
    const body = [...on(0, 60, 80, 0), ...on(0, 60, 90, 1), ...off(96, 60, 1), ...off(96, 60, 0)];
    const notes = readPerformance(smf(header(0, 1, 96), track(body))).tracks[0]?.notes;
    expect(notes?.map((n) => [n.channel, n.duration])).toEqual([
      [0, 1],
      [1, 0.5],
    ]);
  });

  it('closes notes left open at the end of the track and ignores stray note-offs', () => {
    const body = [...off(0, 50), ...on(0, 60), ...on(96, 64), ...off(96, 64), 0x60, 0xff, 0x2f, 0x00];
    const notes = readPerformance(smf(header(0, 1, 96), chunk('MTrk', body))).tracks[0]?.notes;
    expect(notes?.map((n) => [n.pitch, n.t, n.duration])).toEqual([
      [60, 0, 1.5],
      [64, 0.5, 0.5],
    ]);
  });

  it('lists notes by onset with their channel, and names tracks', () => {
    const piano = track([
      ...meta(0x03, text('Piano')),
      ...on(0, 64),
      ...on(48, 60),
      ...off(0, 64),
      ...off(48, 60),
    ]);
    const drums = track([
      ...meta(0x03, [0x54, 0xc3, 0xa4, 0x6e, 0x7a]),
      ...on(0, 36, 110, 9),
      ...off(10, 36, 9),
    ]);
    const latin = track([...meta(0x03, [0x43, 0x61, 0x66, 0xe9]), ...on(0, 72)]);
    const p = readPerformance(smf(header(1, 4, 96), track([...tempo(500_000)]), piano, drums, latin));
    expect(p.tracks.map((t) => [t.index, t.name])).toEqual([
      [1, 'Piano'],
      [2, 'Tänz'],
      [3, 'Café'],
    ]);
    expect(p.tracks[0]?.notes.map((n) => [n.pitch, n.t])).toEqual([
      [64, 0],
      [60, 0.25],
    ]);
    expect(p.tracks[1]?.notes[0]).toMatchObject({ type: 'note', t: 0, pitch: 36, velocity: 110, channel: 9 });
    expect(p.tracks[1]?.notes[0]?.duration).toBeCloseTo(10 / 192, 12);
  });

  it('turns a bad file into a MidiFileError', () => {
    expect(() => readPerformance(Uint8Array.of(1, 2, 3))).toThrow(MidiFileError);
    expect(() => readPerformance(smf(header(0, 1, 96), track([])), { maxBytes: 10 })).toThrow(/limit of 10/);
  });
});

describe('performanceToMidi', () => {
  function randomNotes(seed: number, count: number, channel?: number): NoteEvent[] {
    const rng = createRng(seed);
    // Notes of one pitch never overlap: MIDI cannot tell which of two sounding notes a note-off ends.
    const freeFrom = new Map<number, number>();
    let t = 0;
    return Array.from({ length: count }, () => {
      t += rng.uniform(0, 0.4);
      let pitch = rng.int(21, 108);
      while ((freeFrom.get(pitch) ?? 0) > t - 0.05) pitch = rng.int(21, 108);
      const duration = rng.chance(0.1) ? 0 : rng.uniform(0.01, 0.3);
      freeFrom.set(pitch, t + duration);
      return {
        type: 'note' as const,
        t,
        pitch,
        velocity: rng.int(1, 127),
        duration,
        ...(channel === undefined ? {} : { channel }),
      };
    });
  }

  it.each([
    [96, 120],
    [960, 120],
    [480, 93.5],
  ])('keeps times within half a tick through bytes at %i PPQ and %f BPM', (ppq, bpm) => {
    const tracks: TrackNotes[] = [
      { name: 'Piano', notes: randomNotes(1, 300) },
      { name: 'Drums', notes: randomNotes(2, 200), channel: 9 },
    ];
    const back = readPerformance(writeMidi(performanceToMidi(tracks, { ppq, bpm })));
    const halfTick = 60 / (bpm * ppq) / 2 + 1e-9;
    expect(back.tracks.map((t) => t.name)).toEqual(['Piano', 'Drums']);
    tracks.forEach((original, i) => {
      const notes = back.tracks[i]?.notes ?? [];
      expect(notes).toHaveLength(original.notes.length);
      // The written track orders notes by onset tick; match them up the same way.
      const expected = [...original.notes].sort((a, b) => a.t - b.t);
      notes.forEach((n, k) => {
        const o = expected[k] as NoteEvent;
        expect(Math.abs(n.t - o.t)).toBeLessThanOrEqual(halfTick);
        expect(Math.abs(n.t + n.duration - (o.t + o.duration))).toBeLessThanOrEqual(halfTick);
        expect(n.channel).toBe(original.channel ?? 0);
      });
      expect(new Set(notes.map((n) => `${n.pitch}/${n.velocity}`))).toEqual(
        new Set(expected.map((n) => `${n.pitch}/${n.velocity}`)),
      );
    });
  });

  it('writes a tempo track and one named track per list, with each note’s channel', () => {
    const notes: NoteEvent[] = [
      { type: 'note', t: 0, pitch: 60, velocity: 100, duration: 0.5, channel: 3 },
      { type: 'note', t: 0.5, pitch: 60, velocity: 90, duration: 0.5, channel: 3 },
    ];
    const file = performanceToMidi([{ name: 'Client', notes }], { ppq: 96, bpm: 60 });
    expect(file.format).toBe(1);
    expect(file.tracks).toHaveLength(2);
    const p = toPerformance(readMidi(writeMidi(file)));
    expect(p.tracks[0]?.name).toBe('Client');
    // Back-to-back notes of one pitch stay two notes, the first ending as the second begins.
    expect(p.tracks[0]?.notes).toEqual(notes);
    expect(p.duration).toBe(1);
  });

  it('sets a track’s General MIDI program on its channel at the start, and refuses a bad one', () => {
    const notes: NoteEvent[] = [{ type: 'note', t: 0.25, pitch: 40, velocity: 80, duration: 1 }];
    const file = readMidi(
      writeMidi(performanceToMidi([{ name: 'companion:bass', notes, channel: 2, program: 33 }])),
    );
    const events = file.tracks[1]?.events ?? [];
    expect(events.find((e) => e.type === 'programChange')).toMatchObject({
      tick: 0,
      channel: 2,
      program: 33,
    });
    expect(events.findIndex((e) => e.type === 'programChange')).toBeLessThan(
      events.findIndex((e) => e.type === 'noteOn'),
    );
    expect(() => performanceToMidi([{ name: 'x', notes, program: 128 }])).toThrow(/got: 128/);
  });

  it('rounds and bounds pitch and velocity, and refuses impossible times', () => {
    const odd: NoteEvent = { type: 'note', t: 0, pitch: 60.4, velocity: 300, duration: 0.1 };
    const p = toPerformance(
      performanceToMidi([{ name: 'x', notes: [odd, { ...odd, pitch: -3, velocity: 0 }] }]),
    );
    expect(p.tracks[0]?.notes.map((n) => [n.pitch, n.velocity])).toEqual([
      [60, 127],
      [0, 1],
    ]);
    expect(() => performanceToMidi([{ name: 'x', notes: [{ ...odd, t: -1 }] }])).toThrow(/got: t -1/);
    expect(() => performanceToMidi([{ name: 'x', notes: [odd], channel: 16 }])).toThrow(/got: 16/);
    expect(() => performanceToMidi([], { ppq: 0 })).toThrow(/got: 0/);
  });
});

describe('percussion', () => {
  it('recognises channel 9 only', () => {
    expect(isPercussionChannel(9)).toBe(true);
    expect(isPercussionChannel(10)).toBe(false);
    expect(isPercussionChannel(undefined)).toBe(false);
  });

  it('turns percussion notes into hits and leaves other notes alone', () => {
    const snare: NoteEvent = { type: 'note', t: 1, pitch: 38, velocity: 90, duration: 0.1, channel: 9 };
    expect(noteToPlayed(snare)).toEqual({ type: 'hit', t: 1, instrument: 38, velocity: 90 });
    const piano = { ...snare, channel: 0 };
    expect(noteToPlayed(piano)).toBe(piano);
  });
});
