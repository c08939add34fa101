import { describe, expect, it } from 'vitest';
import { type ClockState, nextBeat, type PulseView } from './clock.ts';

const follow = { kind: 'follow' } as const;

const clockAt = (time: number, period: number): ClockState => ({
  index: 20,
  time,
  period,
  anchor: { index: 20, time },
  together: 0,
  leading: false,
  found: true,
  own: 0,
  strokes: [],
});

describe('nextBeat, following', () => {
  it('moves the next beat onto the client predicted beat', () => {
    const pulse: PulseView = { period: 0.5, confidence: 0.9, predicted: [10.54, 11.04] };
    expect(nextBeat(clockAt(10, 0.5), follow, pulse, 1, 10.2).time).toBeCloseTo(10.54, 9);
  });

  it('finds the client again when it has drifted half a beat off them, instead of staying off the beat', () => {
    // Expected at 10.5; the client's beats are at 10.24 and 10.76, both about half a beat away.
    const pulse: PulseView = { period: 0.52, confidence: 0.9, predicted: [10.76, 11.28] };
    const next = nextBeat(clockAt(10, 0.5), follow, pulse, 1, 10.2);
    expect(next.time).toBeCloseTo(10.76, 9);
  });

  it('when behind the client by too much to catch their present beat, waits for their next one', () => {
    // The client's beat at 10.3 (a period before the first prediction) is nearest to the expected
    // 10.5 but already out of reach (the companion has planned up to 10.35): it meets them at 10.8.
    const pulse: PulseView = { period: 0.5, confidence: 0.9, predicted: [10.8, 11.3] };
    expect(nextBeat(clockAt(10, 0.5), follow, pulse, 1, 10.35).time).toBeCloseTo(10.8, 9);
    // Within reach, it is met at once.
    expect(nextBeat(clockAt(10, 0.5), follow, pulse, 1, 10.25).time).toBeCloseTo(10.3, 9);
  });

  it('places a retimed beat on the client even closer than half a beat after its own last one', () => {
    const pulse: PulseView = { period: 0.5, confidence: 0.9, predicted: [10.5] };
    const retiming = { time: 10.2, period: 0.42, strokes: [9.36, 9.78] };
    const next = nextBeat(clockAt(10, 0.5), follow, pulse, 1, 10.1, retiming);
    expect(next.time).toBeCloseTo(10.2, 9);
    expect(next.period).toBeCloseTo(0.42, 9);
    expect(next.own).toBeGreaterThan(0);
    expect(next.strokes).toEqual([9.36, 9.78]);
    // Never into what is already planned, though.
    expect(nextBeat(clockAt(10, 0.5), follow, pulse, 1, 10.25, retiming).time).toBeCloseTo(10.25, 9);
  });
});
