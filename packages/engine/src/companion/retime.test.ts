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

const clockAt = (time: number, period: number, own = 0): ClockState => ({
  index: 10,
  time,
  period,
  anchor: { index: 10, time },
  together: 0,
  leading: false,
  found: true,
  own,
});

describe('retime', () => {
  // The companion's beats at 0.6 s: ..., 9.4, 10.0. The client has just sped up to 0.5 s.
  const stale: PulseView = { period: 0.6, confidence: 0.8, predicted: [10.6, 11.2, 11.8] };

  it('hears a client who sped up, before the tracker does, and meets their next beat', () => {
    const ear = earOf([7.0, 7.6, 8.2, 8.8, 9.3, 9.8]);
    const r = retime(ear, [9.4, 10.0], clockAt(10.0, 0.6), () => stale);
    expect(r?.period).toBeCloseTo(0.5, 6);
    expect(r?.time).toBeCloseTo(10.3, 6);
  });

  it('leaves a steady client to the tracker', () => {
    const ear = earOf([7.0, 7.6, 8.2, 8.8, 9.4, 10.0]);
    expect(retime(ear, [9.4, 10.0], clockAt(10.0, 0.6), () => stale)).toBeNull();
  });

  it('does not take one early stroke for a change', () => {
    const ear = earOf([7.0, 7.6, 8.2, 8.8, 9.4, 9.85]);
    expect(retime(ear, [9.4, 10.0], clockAt(10.0, 0.6), () => stale)).toBeNull();
  });

  it('once retimed, places the next beat a period after the client latest onset, until the tracker agrees', () => {
    const ear = earOf([9.3, 9.8, 10.3, 10.82]);
    const r = retime(ear, [10.3, 10.8], clockAt(10.8, 0.5, 5), () => stale);
    expect(r?.time).toBeCloseTo(10.82 + 0.512, 6);
    const agreeing: PulseView = { period: 0.5, confidence: 0.8, predicted: [11.33, 11.83] };
    expect(retime(ear, [10.3, 10.8], clockAt(10.8, 0.5, 5), () => agreeing)).toBeNull();
  });
});
