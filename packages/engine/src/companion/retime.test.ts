import { describe, expect, it } from 'vitest';
import type { Onset } from '../events/index.ts';
import type { ClockState, PulseView } from './clock.ts';
import { TrackerEar } from './listen.ts';
import { retime } from './retime.ts';

/** An ear that heard snare hits at these times. */
function earOf(times: readonly number[]) {
  const ear = new TrackerEar();
  for (const t of times) ear.hear({ t, velocity: 90, percussive: true, pitch: 38 } satisfies Onset);
  return ear;
}

const clockAt = (time: number, period: number, own = 0, strokes: (number | null)[] = []): ClockState => ({
  index: 10,
  time,
  period,
  anchor: { index: 10, time },
  together: 0,
  leading: false,
  found: true,
  own,
  strokes,
});

describe('retime', () => {
  // The companion's beats at 0.6 s: ..., 8.8, 9.4, 10.0. The tracker still expects the old tempo.
  const stale: PulseView = { period: 0.6, confidence: 0.8, predicted: [10.6, 11.2, 11.8] };
  const beats = [8.2, 8.8, 9.4, 10.0];

  it('hears a client who sped up, before the tracker does, and meets their next beat', () => {
    const ear = earOf([7.0, 7.6, 8.2, 8.8, 9.3, 9.8]);
    const r = retime(ear, beats, clockAt(10.0, 0.6), () => stale);
    expect(r?.period).toBeCloseTo(0.5, 6);
    expect(r?.time).toBeCloseTo(10.3, 6);
    expect(r?.strokes).toEqual([8.8, 9.3, 9.8]);
  });

  it('hears a client who slowed down', () => {
    // Beats at 0.5 s, ..., 9.0, 9.5, 10.0; the client's at 0.6 s from 9.0.
    const ear = earOf([7.5, 8.0, 8.5, 9.0, 9.6, 10.2]);
    const tracker: PulseView = { period: 0.5, confidence: 0.8, predicted: [10.5, 11.0] };
    const r = retime(ear, [8.5, 9.0, 9.5, 10.0], clockAt(10.0, 0.5), () => tracker);
    expect(r?.period).toBeCloseTo(0.6, 6);
    expect(r?.time).toBeCloseTo(10.8, 6);
  });

  it('leaves a steady client to the tracker', () => {
    const ear = earOf([7.0, 7.6, 8.2, 8.8, 9.4, 10.0]);
    expect(retime(ear, beats, clockAt(10.0, 0.6), () => stale)).toBeNull();
  });

  it('does not take one early stroke for a change', () => {
    const ear = earOf([7.0, 7.6, 8.2, 8.8, 9.4, 9.85]);
    expect(retime(ear, beats, clockAt(10.0, 0.6), () => stale)).toBeNull();
  });

  it('does not take a push and a pull (a late stroke, then one on time) for a change', () => {
    // Intervals 0.7 then 0.5: they disagree, so neither is a new tempo.
    const ear = earOf([7.0, 7.6, 8.2, 8.8, 9.5, 10.0]);
    expect(retime(ear, beats, clockAt(10.0, 0.6), () => stale)).toBeNull();
  });

  it('does not take a figure across the beat for a change: dotted quarters, 3 + 3 + 2', () => {
    // At 0.5 s a beat, strokes every 0.75 s from a downbeat at 8.0 (8.0, 8.75, 9.5), then the next bar.
    const ear = earOf([7.0, 7.5, 8.0, 8.75, 9.5, 10.0, 10.75]);
    const tracker: PulseView = { period: 0.5, confidence: 0.8, predicted: [11.5, 12.0] };
    expect(retime(ear, [9.5, 10.0, 10.5, 11.0], clockAt(11.0, 0.5), () => tracker)).toBeNull();
  });

  it('once retimed, draws a line through the client beats since the change and plays its next point', () => {
    // The jump was heard at strokes 8.8, 9.3, 9.8; the companion's beat at 10.3 met one at 10.32.
    const ear = earOf([8.8, 9.3, 9.8, 10.32]);
    const r = retime(ear, beats, clockAt(10.3, 0.5, 8, [8.8, 9.3, 9.8]), () => stale);
    // Least squares through (0, 8.8), (1, 9.3), (2, 9.8), (3, 10.32): slope 0.506, next point 10.82.
    expect(r?.period).toBeCloseTo(0.506, 6);
    expect(r?.time).toBeCloseTo(10.82, 6);
    expect(r?.strokes).toEqual([8.8, 9.3, 9.8, 10.32]);
  });

  it('hands back to the tracker only once it agrees in phase and in tempo', () => {
    const ear = earOf([8.8, 9.3, 9.8, 10.32]);
    const clock = clockAt(10.3, 0.5, 8, [8.8, 9.3, 9.8]);
    const agreeing: PulseView = { period: 0.505, confidence: 0.8, predicted: [10.825, 11.33] };
    expect(retime(ear, beats, clock, () => agreeing)).toBeNull();
    // In phase by chance, but still at the old tempo: keep following the client.
    const inPhaseOnly: PulseView = { period: 0.6, confidence: 0.8, predicted: [10.825, 11.425] };
    expect(retime(ear, beats, clock, () => inPhaseOnly)?.time).toBeCloseTo(10.82, 6);
  });

  it('keeps following through a beat the client left unplayed', () => {
    const ear = earOf([8.8, 9.3, 9.8]);
    const r = retime(ear, beats, clockAt(10.3, 0.5, 8, [8.8, 9.3, 9.8]), () => stale);
    expect(r?.strokes).toEqual([8.8, 9.3, 9.8, null]);
    expect(r?.time).toBeCloseTo(10.8, 6);
  });
});
