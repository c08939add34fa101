/**
 * Sound on a live device against a stand-in audio engine: own notes at once, the companion's at
 * their session time on this device's audio clock, relays at once while fresh, and each mode
 * sounding what it should.
 */
import type { Instrument, PlannedNote, SoundSource } from '@attune/instruments';
import type { CompanionNote } from '@attune/protocol';
import { describe, expect, it } from 'vitest';
import type { SoundOutput } from '../solo/session.ts';
import {
  type AudioTimeline,
  browserTimeline,
  COMPANION_GRACE,
  LiveSound,
  RELAY_FRESH,
  type SoundMode,
} from './sound.ts';

/** Audio time runs 1000 s behind the device clock; the session clock 40 s ahead of it. */
const AUDIO_BEHIND = 1000;
const OFFSET = 40;

function rig(mode: SoundMode = 'everyone') {
  const audio = { currentTime: 5 };
  const started: Array<PlannedNote & { instrument: string; now: boolean }> = [];
  const loaded: string[] = [];
  const instrumentOf = (source: SoundSource): Instrument => ({
    id: source.kind === 'piano' ? 'piano' : `font:${source.bank}:${source.program}`,
    name: 'x',
    zones: [],
  });
  const output: SoundOutput = {
    context: audio,
    get now() {
      return audio.currentTime;
    },
    instrument: instrumentOf,
    load: async (source) => {
      loaded.push(instrumentOf(source).id);
      return instrumentOf(source);
    },
    playNow: (key, velocity, duration, instrument, group) => {
      started.push({
        t: audio.currentTime,
        key,
        velocity,
        duration,
        group,
        instrument: instrument.id,
        now: true,
      });
      return [{} as never];
    },
    playAt: (note, instrument) => {
      started.push({ ...note, instrument: instrument.id, now: false });
      return [{} as never];
    },
    release: () => {},
  };
  const timeline: AudioTimeline = { audioTimeOf: (device) => device - AUDIO_BEHIND };
  const sound = new LiveSound(output, timeline, (t) => t - OFFSET, mode);
  /** The session time now, on this device. */
  const sessionNow = () => audio.currentTime + AUDIO_BEHIND + OFFSET;
  return { audio, started, loaded, sound, sessionNow };
}

const chord = (start: number): CompanionNote[] => [
  { pitch: 48, velocity: 70, start, duration: 0.9, voice: 'piano-left' },
  { pitch: 38, velocity: 60, start, duration: 0.9, voice: 'bass' },
];

describe('sound on a live device', () => {
  it('sounds the player at once and lets a held note go', () => {
    const r = rig();
    const id = r.sound.strike(62, 90, r.sessionNow(), 'release');
    expect(r.started).toEqual([expect.objectContaining({ key: 62, t: 5, now: true, duration: null })]);
    expect(r.sound.log[0]).toMatchObject({ who: 'me', outcome: 'now', audioTime: 5, handedAt: 5 });
    r.sound.letGo(id);
  });

  it('starts each companion note exactly at its session time on the audio clock', () => {
    const r = rig();
    const start = r.sessionNow() + 0.1;
    r.sound.companion(chord(start));
    expect(r.started.map((n) => [n.key, n.t, n.instrument])).toEqual([
      [48, expect.closeTo(5.1, 9), 'piano'],
      [38, expect.closeTo(5.1, 9), 'font:0:32'],
    ]);
    expect(r.sound.log.map((e) => e.outcome)).toEqual(['scheduled', 'scheduled']);
    // The bass was loaded on first need.
    expect(r.loaded).toContain('font:0:32');
  });

  it('sounds a slightly late companion note at once and skips one long past', () => {
    const r = rig();
    r.sound.companion([
      {
        pitch: 60,
        velocity: 70,
        start: r.sessionNow() - COMPANION_GRACE / 2,
        duration: 1,
        voice: 'piano-right',
      },
    ]);
    r.sound.companion([
      { pitch: 61, velocity: 70, start: r.sessionNow() - 0.5, duration: 1, voice: 'piano-right' },
    ]);
    expect(r.started.map((n) => [n.key, n.t])).toEqual([[60, 5]]);
    expect(r.sound.log.map((e) => e.outcome)).toEqual(['late', 'past']);
  });

  it('sounds a fresh relay at once, and only shows one long past (a resend)', () => {
    const r = rig();
    const relay = (t: number, seq: number) =>
      ({
        type: 'relay',
        participant: 'p2',
        clientSeq: seq,
        event: { type: 'note', t, pitch: 67, velocity: 80, duration: 0.3 },
      }) as const;
    r.sound.relay(relay(r.sessionNow() - 0.02, 1));
    r.sound.relay(relay(r.sessionNow() - RELAY_FRESH - 1, 2));
    r.sound.relay({
      type: 'relay',
      participant: 'p3',
      clientSeq: 3,
      event: { type: 'hit', t: r.sessionNow(), instrument: 38, velocity: 99 },
    });
    expect(r.started.map((n) => [n.key, n.t, n.instrument, n.group])).toEqual([
      [67, 5, 'piano', 'p2'],
      [38, expect.closeTo(5, 9), 'font:128:0', 'p3'],
    ]);
    expect(r.sound.log.map((e) => [e.who, e.outcome])).toEqual([
      ['p2', 'now'],
      ['p2', 'past'],
      ['p3', 'scheduled'],
    ]);
  });

  it('sounds only the player in "only me" and nothing in "silent", yet logs what came', () => {
    const me = rig('me');
    me.sound.strike(60, 80, me.sessionNow(), 'ring');
    me.sound.companion(chord(me.sessionNow() + 0.1));
    expect(me.started).toHaveLength(1);
    expect(me.sound.log.map((e) => e.outcome)).toEqual(['now', 'muted', 'muted']);
    const silent = rig('silent');
    silent.sound.strike(60, 80, silent.sessionNow(), 'release');
    silent.sound.companion(chord(silent.sessionNow() + 0.1));
    expect(silent.started).toEqual([]);
    silent.sound.mode = 'everyone';
    silent.sound.companion(chord(silent.sessionNow() + 0.1));
    expect(silent.started).toHaveLength(2);
  });
});

describe('the audio timeline of a page', () => {
  /** A stand-in AudioContext: the current time, the latency it reports, and an output timestamp. */
  const context = (stamp: { contextTime: number; performanceTime: number } | null) =>
    ({
      currentTime: 10.05,
      baseLatency: 0.01,
      outputLatency: 0.03,
      getOutputTimestamp: () => stamp ?? { contextTime: 0, performanceTime: 0 },
    }) as unknown as AudioContext;
  const deviceNow = () => 500;

  it('pairs an audio time with the moment it is heard, from the output timestamp', () => {
    // Audio time 10.01 left the speaker at device time 499.999 s.
    const timeline = browserTimeline(context({ contextTime: 10.01, performanceTime: 499_999 }), deviceNow);
    expect(timeline.audioTimeOf(500.1)).toBeCloseTo(10.111, 9);
  });

  it('falls back on the current time less the reported latency, and distrusts a stale timestamp', () => {
    expect(browserTimeline(context(null), deviceNow).audioTimeOf(500.1)).toBeCloseTo(10.05 + 0.1 - 0.04, 9);
    const stale = browserTimeline(context({ contextTime: 2, performanceTime: 499_999 }), deviceNow);
    expect(stale.audioTimeOf(500.1)).toBeCloseTo(10.11, 9);
  });
});
