import { endOfTrack, type MidiEvent, type MidiFile, tempoMeta } from '@attune/engine/midi';
import { describe, expect, it } from 'vitest';
import { scoreOf } from './index.ts';

const on = (tick: number, channel: number, note: number, velocity = 90): MidiEvent => ({
  type: 'noteOn',
  tick,
  channel,
  note,
  velocity,
});
const off = (tick: number, channel: number, note: number): MidiEvent => ({
  type: 'noteOff',
  tick,
  channel,
  note,
  velocity: 0,
});
const program = (tick: number, channel: number, p: number): MidiEvent => ({
  type: 'programChange',
  tick,
  channel,
  program: p,
});
const pedal = (tick: number, channel: number, value: number): MidiEvent => ({
  type: 'controlChange',
  tick,
  channel,
  controller: 64,
  value,
});

/** A format-1 file at 120 BPM, 480 ticks a quarter: 960 ticks a second. */
function file(...tracks: MidiEvent[][]): MidiFile {
  return {
    format: 1,
    division: { type: 'ppq', ppq: 480 },
    tracks: [
      { events: [tempoMeta(0, 120), endOfTrack(0)] },
      ...tracks.map((events) => ({
        events: [...events, endOfTrack(Math.max(0, ...events.map((e) => e.tick)))],
      })),
    ],
  };
}

describe('scoreOf', () => {
  it('gives each note the program in force on its channel when it starts', () => {
    const { notes } = scoreOf(
      file([
        on(0, 0, 60),
        off(480, 0, 60),
        program(960, 0, 48),
        on(960, 0, 62),
        off(1440, 0, 62),
        program(1920, 0, 12),
        on(1920, 1, 64),
        off(2400, 1, 64),
      ]),
    );
    expect(notes.map((n) => [n.t, n.key, n.source])).toEqual([
      [0, 60, { kind: 'piano' }],
      // A program change at the same tick as the note applies to it.
      [1, 62, { kind: 'font', bank: 0, program: 48 }],
      // Channel 1 never changed program: the grand piano.
      [2, 64, { kind: 'piano' }],
    ]);
  });

  it('applies program changes from any track to the channel (format 1)', () => {
    const { notes } = scoreOf(file([program(0, 3, 11)], [on(0, 3, 70), off(96, 3, 70)]));
    expect(notes[0]!.source).toEqual({ kind: 'font', bank: 0, program: 11 });
  });

  it('plays channel 10 on the drum kit named by its program', () => {
    const { notes } = scoreOf(
      file([on(0, 9, 38), off(48, 9, 38), program(96, 9, 25), on(96, 9, 36), off(144, 9, 36)]),
    );
    expect(notes.map((n) => n.source)).toEqual([
      { kind: 'font', bank: 128, program: 0 },
      { kind: 'font', bank: 128, program: 25 },
    ]);
  });

  it('holds released notes while the sustain pedal is down, until it comes up', () => {
    const { notes, duration } = scoreOf(
      file([
        pedal(0, 0, 127),
        on(0, 0, 60),
        off(480, 0, 60),
        pedal(1920, 0, 0),
        on(1920, 0, 64),
        off(2400, 0, 64),
      ]),
    );
    expect(notes[0]!.duration).toBeCloseTo(2, 9);
    // Released after the pedal came up: its own length.
    expect(notes[1]!.duration).toBeCloseTo(0.5, 9);
    expect(duration).toBeCloseTo(2.5, 9);
  });

  it('does not let the pedal hold drums', () => {
    const { notes } = scoreOf(
      file([pedal(0, 9, 127), on(0, 9, 38), off(48, 9, 38), on(960, 9, 38), off(1008, 9, 38)]),
    );
    expect(notes[0]!.duration).toBeCloseTo(0.05, 9);
  });

  it('groups notes by channel, so exclusive classes act within a channel', () => {
    const { notes } = scoreOf(file([on(0, 9, 42), off(48, 9, 42)], [on(0, 2, 60), off(48, 2, 60)]));
    expect(notes.map((n) => n.group).sort()).toEqual(['2', '9']);
  });

  it('gives an empty score for a file without notes', () => {
    expect(scoreOf(file([program(0, 0, 5)])).notes).toEqual([]);
  });
});
