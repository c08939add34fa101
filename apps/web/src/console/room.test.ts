import type { CompanionSettings, ServerMessageOf } from '@attune/protocol';
import { describe, expect, it } from 'vitest';
import { ConsoleRoom } from './room.ts';

const SETTINGS: CompanionSettings = {
  idiom: 'auto',
  key: 'auto',
  techniques: ['synchronise', 'match'],
  tempo: { kind: 'follow' },
  energy: 0.5,
  register: null,
  voices: ['piano-left', 'piano-right'],
  beatsPerBar: 4,
  startTempo: 90,
  autoStart: true,
};

const state = (settings: Partial<CompanionSettings> = {}): ServerMessageOf<'state'> => ({
  type: 'state',
  participants: [
    { participant: 'p2', role: 'participant', name: null, seat: 3, colour: '#009e73', connected: true },
    { participant: 'therapist', role: 'therapist', name: null, seat: 0, colour: '#1f77b4', connected: true },
    { participant: 'p1', role: 'participant', name: 'JB', seat: 1, colour: '#56b4e9', connected: false },
  ],
  waiting: [
    {
      participant: 'p3',
      role: 'participant',
      name: null,
      device: 'Blue tablet',
      seat: null,
      connected: true,
    },
  ],
  settings: { ...SETTINGS, ...settings },
});
const ack = (clientSeq: number, seq: number): ServerMessageOf<'ack'> => ({
  type: 'ack',
  clientSeq,
  seq,
  duplicate: false,
});

describe('ConsoleRoom', () => {
  it('seats everyone in seat order and names them as the console shows them', () => {
    const room = new ConsoleRoom();
    expect(room.apply(state())).toBe(true);
    expect(room.participants.map((p) => p.participant)).toEqual(['therapist', 'p1', 'p2']);
    expect(room.clients().map((p) => p.participant)).toEqual(['p1', 'p2']);
    expect(['p1', 'p2', 'p3', 'companion', 'therapist', 'p9'].map((p) => room.nameOf(p))).toEqual([
      'JB',
      'Seat 3',
      'Blue tablet',
      'the companion',
      'you',
      'p9',
    ]);
    expect(room.colourOf('p2')).toBe('#009e73');
  });

  it('keeps a steer on screen through a state sent before the room had it', () => {
    const room = new ConsoleRoom();
    room.apply(state());
    room.steered({ type: 'tempo', tempo: { kind: 'hold', bpm: 90 } }, 0);
    room.steered({ type: 'tempo', tempo: { kind: 'hold', bpm: 94 } }, 1);
    expect(room.settings?.tempo).toEqual({ kind: 'hold', bpm: 94 });
    // A state from before either steer arrives: both stay laid on top of it.
    room.apply(state({ energy: 0.6 }));
    expect(room.settings).toMatchObject({ energy: 0.6, tempo: { kind: 'hold', bpm: 94 } });
    // The first is logged; the state after it shows it, the second is still on its way.
    room.apply(ack(0, 7));
    room.apply(state({ energy: 0.6, tempo: { kind: 'hold', bpm: 90 } }));
    expect(room.settings?.tempo).toEqual({ kind: 'hold', bpm: 94 });
    room.apply(ack(1, 8));
    room.apply(state({ energy: 0.6, tempo: { kind: 'hold', bpm: 94 } }));
    // Nothing pending: the room's word is final, even where it differs from what was asked.
    room.apply(state({ energy: 0.6, tempo: { kind: 'follow' } }));
    expect(room.settings?.tempo).toEqual({ kind: 'follow' });
  });

  it('marks a mark recorded when its acknowledgement comes', () => {
    const room = new ConsoleRoom();
    room.marked({ clientSeq: 4, t: 12.5, note: 'first shared pulse', tags: ['synchrony'] });
    expect(room.marks[0]?.seq).toBeNull();
    expect(room.apply(ack(3, 10))).toBe(false);
    expect(room.apply(ack(4, 11))).toBe(true);
    expect(room.marks[0]?.seq).toBe(11);
  });

  it('knows the companion plays while its planned notes sound, and for a moment after', () => {
    const room = new ConsoleRoom();
    expect(room.companionPlaying(10)).toBe(false);
    room.apply({
      type: 'companion',
      notes: [{ pitch: 48, velocity: 70, start: 10.2, duration: 0.8, voice: 'piano-left' }],
    });
    expect(room.companionPlaying(10.5)).toBe(true);
    expect(room.companionPlaying(13)).toBe(true);
    expect(room.companionPlaying(14)).toBe(false);
    expect(room.companionNotes).toBe(1);
  });

  it('shows what it heard of a player only while it is recent', () => {
    const room = new ConsoleRoom();
    room.apply({
      type: 'perception',
      participant: 'p1',
      t: 20,
      pulse: { bpm: 96, confidence: 0.7 },
      key: null,
      loudness: 70,
      density: 1,
      register: 60,
      silent: false,
    });
    expect(room.heardOf('p1', 22)?.pulse?.bpm).toBe(96);
    expect(room.heardOf('p1', 26)).toBeNull();
    expect(room.heardOf('p2', 22)).toBeNull();
  });
});
