import type { Instrument, PlannedNote as SoundNote } from '@attune/instruments';
import { describe, expect, it } from 'vitest';
import type { Timer } from '../audio/scheduler.ts';
import { type SoloCompanionSettings, SoloSession, type SoundOutput } from './session.ts';

const SETTINGS: SoloCompanionSettings = {
  idiom: 'pentatonic',
  key: 'C',
  techniques: ['synchronise', 'match'],
  energy: 0.5,
  tempo: { kind: 'follow' },
  voices: ['piano-left', 'piano-right'],
};

/** A stand-in audio engine whose clock the test moves, and a timer the test fires. */
function rig(start = 10) {
  const audio = { currentTime: start };
  const sounded: Array<SoundNote & { now: boolean }> = [];
  const piano: Instrument = { id: 'piano', name: 'Grand piano', zones: [] };
  const output: SoundOutput = {
    context: audio,
    get now() {
      return audio.currentTime;
    },
    instrument: () => piano,
    load: async () => piano,
    playNow: (key, velocity, duration, _instrument, group) => {
      sounded.push({ t: audio.currentTime, key, velocity, duration, group, now: true });
      return [];
    },
    playAt: (note) => {
      sounded.push({ ...note, now: false });
      return [];
    },
    release: () => {},
  };
  let pending: { run: () => void; ms: number } | null = null;
  const timer: Timer = {
    setTimeout: (run, ms) => {
      pending = { run, ms };
      return pending;
    },
    clearTimeout: () => {
      pending = null;
    },
  };
  /** Moves the audio clock to the next tick and runs it. */
  const tick = () => {
    const p = pending as { run: () => void; ms: number } | null;
    if (!p) throw new Error('no tick pending');
    pending = null;
    audio.currentTime += p.ms / 1000;
    p.run();
  };
  return { audio, sounded, output, timer, tick };
}

/** Plays a pad every `period` seconds until `until` (session time), ticking the scheduler between. */
function playPulse(session: SoloSession, r: ReturnType<typeof rig>, period: number, until: number): void {
  const tune = [60, 62, 64, 67];
  let next = 0.2;
  let count = 0;
  while (session.clock.now() < until) {
    if (session.clock.now() >= next) {
      session.letGo(session.strike(tune[count++ % tune.length] as number, 80, 'pad'));
      next += period;
    }
    r.tick();
  }
}

describe('SoloSession', () => {
  it("sounds the client's notes at once and the companion's at their planned audio time, each once", () => {
    const r = rig(10);
    const session = new SoloSession(r.output, SETTINGS, { seed: 3, timer: r.timer });
    session.begin();
    playPulse(session, r, 0.5, 8);
    const client = session.log.filter((e) => e.who === 'client');
    const companion = session.log.filter((e) => e.who === 'companion');
    expect(client.length).toBe(16);
    for (const e of client) expect(e.audioTime).toBe(e.handedAt);
    expect(r.sounded.filter((n) => n.now)).toHaveLength(16);
    expect(companion.length).toBeGreaterThan(8);
    for (const e of companion) {
      // Session time 0 is audio time 10, when the session was made.
      expect(e.audioTime).toBeCloseTo(e.t + 10, 9);
      expect(e.audioTime).toBeGreaterThanOrEqual(e.handedAt - 1e-9);
      expect(e.audioTime - e.handedAt).toBeLessThanOrEqual(0.1 + 1e-9);
    }
    const keys = companion.map((e) => `${e.t}:${e.pitch}:${e.voice}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(session.companionState()).toBe('playing');
    session.close();
  });

  it('stays silent until the client plays, then comes in', () => {
    const r = rig(0);
    const session = new SoloSession(r.output, SETTINGS, { timer: r.timer });
    session.begin();
    for (let i = 0; i < 120; i++) r.tick();
    expect(session.log).toEqual([]);
    expect(session.companionState()).toBe('listening');
    playPulse(session, r, 0.6, 10);
    expect(session.log.some((e) => e.who === 'companion')).toBe(true);
    session.close();
  });

  it('ends with a cadence when stopped, then rests, and starts afresh when asked', () => {
    const r = rig(0);
    const session = new SoloSession(r.output, SETTINGS, { timer: r.timer });
    session.begin();
    playPulse(session, r, 0.5, 6);
    session.stopCompanion();
    expect(session.companionState()).toBe('ending');
    for (let i = 0; i < 400 && session.companionState() === 'ending'; i++) r.tick();
    expect(session.companionState()).toBe('off');
    const rested = session.log.length;
    for (let i = 0; i < 80; i++) r.tick();
    expect(session.log.slice(rested).filter((e) => e.who === 'companion')).toEqual([]);
    session.startCompanion();
    for (let i = 0; i < 80; i++) r.tick();
    expect(session.log.slice(rested).some((e) => e.who === 'companion')).toBe(true);
    session.close();
  });

  it('lets a ringing note sound on by itself and holds the others until let go', () => {
    const r = rig(0);
    const session = new SoloSession(r.output, SETTINGS, { timer: r.timer });
    session.strike(64, 90, 'pad', 'ring');
    session.strike(67, 90, 'keyboard', 'release');
    expect(r.sounded.map((n) => n.duration)).toEqual([2.5, null]);
    expect(session.log.map((e) => e.surface)).toEqual(['pad', 'keyboard']);
  });

  it('accepts every steering change the controls make without losing a window', () => {
    const r = rig(0);
    const session = new SoloSession(r.output, SETTINGS, {
      timer: r.timer,
      onError: (e) => {
        throw e;
      },
    });
    session.begin();
    playPulse(session, r, 0.5, 3);
    session.steer({
      ...SETTINGS,
      idiom: 'dorian',
      key: 'Eb',
      techniques: ['ground', 'calm'],
      energy: 0.2,
      tempo: { kind: 'hold', bpm: 72 },
    });
    playPulse(session, r, 0.5, 6);
    expect(session.log.filter((e) => e.who === 'companion' && e.t > 4).length).toBeGreaterThan(0);
  });
});
