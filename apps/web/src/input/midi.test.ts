import { describe, expect, it } from 'vitest';
import { MidiKeyboard, midiAudioTime, parseMidiMessage } from './midi.ts';

describe('parseMidiMessage', () => {
  it('reads note-on, note-off and velocity-0 note-on on every channel', () => {
    expect(parseMidiMessage([0x90, 60, 100])).toEqual({
      kind: 'note-on',
      channel: 0,
      key: 60,
      velocity: 100,
    });
    expect(parseMidiMessage(new Uint8Array([0x8f, 61, 40]))).toEqual({
      kind: 'note-off',
      channel: 15,
      key: 61,
    });
    expect(parseMidiMessage([0x93, 62, 0])).toEqual({ kind: 'note-off', channel: 3, key: 62 });
  });

  it('reads the sustain pedal and the all-notes-off controllers', () => {
    expect(parseMidiMessage([0xb0, 64, 127])).toEqual({ kind: 'sustain', channel: 0, down: true });
    expect(parseMidiMessage([0xb1, 64, 63])).toEqual({ kind: 'sustain', channel: 1, down: false });
    expect(parseMidiMessage([0xb0, 123, 0])).toEqual({ kind: 'all-off', channel: 0 });
    expect(parseMidiMessage([0xb0, 120, 0])).toEqual({ kind: 'all-off', channel: 0 });
  });

  it('ignores what Attune does not play from, and broken messages', () => {
    for (const data of [
      [0xb0, 7, 100], // volume
      [0xe0, 0, 64], // pitch bend
      [0xf8], // clock
      [0xfe], // active sensing
      [0xf0, 0x7e, 0x7f, 0x06, 0x01, 0xf7], // sysex
      [0x90, 60], // cut short
      [0x90, 0x80, 100], // a status byte where data should be
      [0x40, 60, 100], // no status byte
      [],
    ]) {
      expect(parseMidiMessage(data)).toBeNull();
    }
  });
});

describe('MidiKeyboard', () => {
  const on = (key: number, velocity = 90, channel = 0) =>
    ({ kind: 'note-on', channel, key, velocity }) as const;
  const off = (key: number, channel = 0) => ({ kind: 'note-off', channel, key }) as const;
  const pedal = (down: boolean, channel = 0) => ({ kind: 'sustain', channel, down }) as const;

  it('presses and releases a key at the times given', () => {
    const keys = new MidiKeyboard();
    expect(keys.take(on(60, 100), 1)).toEqual([
      { type: 'press', t: 1, pitch: 60, velocity: 100, channel: 0 },
    ]);
    expect(keys.take(off(60), 1.5)).toEqual([{ type: 'release', t: 1.5, pitch: 60, channel: 0 }]);
    expect(keys.take(off(60), 1.6)).toEqual([]);
  });

  it('plays channel 10 as drum hits and ignores their note-offs', () => {
    const keys = new MidiKeyboard();
    expect(keys.take(on(38, 110, 9), 2)).toEqual([
      { type: 'hit', t: 2, instrument: 38, velocity: 110, channel: 9 },
    ]);
    expect(keys.take(off(38, 9), 2.1)).toEqual([]);
  });

  it('holds released notes while the pedal is down and lets them go when it lifts', () => {
    const keys = new MidiKeyboard();
    keys.take(pedal(true), 0);
    keys.take(on(60), 0.1);
    keys.take(on(64), 0.2);
    expect(keys.take(off(60), 0.3)).toEqual([]);
    // 64 is still held by its key: lifting the pedal lets only 60 go.
    expect(keys.take(pedal(false), 0.5)).toEqual([{ type: 'release', t: 0.5, pitch: 60, channel: 0 }]);
    expect(keys.take(off(64), 0.6)).toEqual([{ type: 'release', t: 0.6, pitch: 64, channel: 0 }]);
  });

  it('restrikes a note held by the pedal, and a pedal on one channel holds only that channel', () => {
    const keys = new MidiKeyboard();
    keys.take(pedal(true, 1), 0);
    keys.take(on(60, 80, 1), 0.1);
    keys.take(off(60, 1), 0.2);
    expect(keys.take(on(60, 70, 1), 0.3)).toEqual([
      { type: 'release', t: 0.3, pitch: 60, channel: 1 },
      { type: 'press', t: 0.3, pitch: 60, velocity: 70, channel: 1 },
    ]);
    keys.take(on(62, 80, 0), 0.4);
    expect(keys.take(off(62, 0), 0.5)).toEqual([{ type: 'release', t: 0.5, pitch: 62, channel: 0 }]);
  });

  it('lets everything go on all-notes-off or when the device goes away', () => {
    const keys = new MidiKeyboard();
    keys.take(on(60), 0);
    keys.take(on(61, 80, 2), 0);
    expect(keys.take({ kind: 'all-off', channel: 2 }, 1)).toEqual([
      { type: 'release', t: 1, pitch: 61, channel: 2 },
    ]);
    keys.take(pedal(true), 1);
    expect(keys.releaseAll(2)).toEqual([{ type: 'release', t: 2, pitch: 60, channel: 0 }]);
    expect(keys.releaseAll(3)).toEqual([]);
  });
});

describe('midiAudioTime', () => {
  it('places a message on the audio clock by its age on the page clock', () => {
    expect(midiAudioTime(1000, 1010, 5)).toBeCloseTo(4.99, 12);
  });

  it('takes a missing or future stamp as now, and a stale one as a second ago', () => {
    expect(midiAudioTime(0, 1010, 5)).toBe(5);
    expect(midiAudioTime(2000, 1010, 5)).toBe(5);
    expect(midiAudioTime(1, 90_000, 5)).toBe(4);
  });
});
