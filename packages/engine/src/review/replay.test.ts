import { describe, expect, it } from 'vitest';
import type { LogEntry } from './log.ts';
import { companionLane, Replay } from './replay.ts';
import { buildTimeline } from './timeline.ts';

let seq = 0;
const entry = (participant: string, t: number, type: string, payload: unknown): LogEntry => ({
  seq: ++seq,
  participant,
  t,
  type,
  payload,
});
const entries: LogEntry[] = [
  entry('therapist', 0.5, 'play', { event: { type: 'note', t: 0.5, pitch: 48, velocity: 70, duration: 4 } }),
  entry('p1', 1, 'play', { event: { type: 'hit', t: 1, instrument: 38, velocity: 90 } }),
  entry('p1', 2, 'play', { event: { type: 'hit', t: 2, instrument: 36, velocity: 100 } }),
  entry('p2', 1.5, 'play', { event: { type: 'voice', t: 1.5, pitch: 64, loudness: 0.5, onset: true } }),
  entry('p2', 1.9, 'play', { event: { type: 'voice', t: 1.9, pitch: null, loudness: 0.1, onset: false } }),
  entry('companion', 1, 'companion', { pitch: 40, velocity: 60, duration: 1, voice: 'bass' }),
  entry('companion', 2.5, 'companion', { pitch: 67, velocity: 50, duration: 0.5, voice: 'pad' }),
];

describe('Replay', () => {
  const replay = new Replay(buildTimeline(entries));

  it('plays every lane in one time order, the voice as sung notes', () => {
    expect(replay.laneIds).toEqual(['therapist', 'p1', 'p2', 'companion:bass', 'companion:pad']);
    expect(replay.between(0, 3).map((e) => [e.t, e.lane, e.kind, e.pitch])).toEqual([
      [0.5, 'therapist', 'note', 48],
      [1, 'p1', 'hit', 38],
      [1, 'companion:bass', 'note', 40],
      [1.5, 'p2', 'sung', 64],
      [2, 'p1', 'hit', 36],
      [2.5, 'companion:pad', 'note', 67],
    ]);
    expect(replay.between(1.5, 1.6)[0]?.duration).toBeCloseTo(0.4, 9);
  });

  it('plays each event once when asked window after window, from any point', () => {
    const played = [];
    for (let t = 0.9; t < 3; t += 0.1) played.push(...replay.between(t, t + 0.1));
    expect(played.map((e) => e.t)).toEqual([1, 1, 1.5, 2, 2.5]);
  });

  it('solos and mutes lanes', () => {
    expect(replay.between(0, 3, { solo: new Set(['p1']) }).map((e) => e.t)).toEqual([1, 2]);
    expect(replay.between(0, 3, { mute: new Set(['p1', companionLane('bass')]) }).map((e) => e.lane)).toEqual(
      ['therapist', 'p2', 'companion:pad'],
    );
    // A muted lane stays silent even when soloed.
    expect(replay.between(0, 3, { solo: new Set(['p1']), mute: new Set(['p1']) })).toEqual([]);
  });
});
