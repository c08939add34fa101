import { describe, expect, it } from 'vitest';
import { atStart, byTime, toOnset } from './index.ts';

describe('events', () => {
  it('turns notes and hits into onsets', () => {
    expect(toOnset({ type: 'note', t: 1, pitch: 60, velocity: 80, duration: 0.5 })).toEqual({
      t: 1,
      velocity: 80,
      pitch: 60,
      duration: 0.5,
    });
    expect(toOnset({ type: 'hit', t: 2, instrument: 38, velocity: 100 })).toEqual({
      t: 2,
      velocity: 100,
      pitch: 38,
      percussive: true,
    });
  });
  it('counts only voice frames marked as onsets, scaling loudness to velocity', () => {
    expect(toOnset({ type: 'voice', t: 0, pitch: 60, loudness: 1, onset: false })).toBeNull();
    expect(toOnset({ type: 'voice', t: 0, pitch: null, loudness: 0.5, onset: true })).toEqual({
      t: 0,
      velocity: 64,
    });
  });
  it('hears an onset at its start, before its length is known', () => {
    const onset = toOnset({ type: 'note', t: 1, pitch: 60, velocity: 80, duration: 2 });
    expect(onset && atStart(onset)).toEqual({ t: 1, velocity: 80, pitch: 60 });
    const hit = { t: 2, velocity: 90, pitch: 38, percussive: true };
    expect(atStart(hit)).toBe(hit);
  });
  it('sorts by time stably', () => {
    const a = { t: 1, id: 'a' };
    const b = { t: 0, id: 'b' };
    const c = { t: 1, id: 'c' };
    expect(byTime([a, b, c]).map((e) => e.id)).toEqual(['b', 'a', 'c']);
  });
});
