import { createRng, type Rng } from '@attune/engine';
import { describe, expect, it } from 'vitest';
import { type ClockSample, ClockSync, estimateClock, sampleOffset, toSessionTime } from './clock.ts';

/** A network whose way out is slow and jittery and whose way back is quick: the hard case. */
function exchange(offset: number, deviceSend: number, out: () => number, back: () => number): ClockSample {
  const t1 = deviceSend + offset + out();
  const t2 = t1 + 0.0002;
  const t3 = t2 - offset + back();
  return { t0: deviceSend, t1, t2, t3 };
}
const exponential = (rng: Rng, mean: number) => -mean * Math.log(1 - rng.next());

describe('sampleOffset', () => {
  it('finds the offset exactly when the way out and back take equally long', () => {
    // Device clock 1000 s behind the session clock, 10 ms each way, 1 ms in the server.
    const s = sampleOffset({ t0: 5, t1: 1005.01, t2: 1005.011, t3: 5.021 });
    expect(s?.offset).toBeCloseTo(1000, 9);
    expect(s?.roundTrip).toBeCloseTo(0.02, 9);
  });

  it('refuses samples that cannot be true', () => {
    expect(sampleOffset({ t0: 5, t1: 10, t2: 9, t3: 6 })).toBeNull(); // server clock ran backwards
    expect(sampleOffset({ t0: 5, t1: 10, t2: 10, t3: 4 })).toBeNull(); // back before it left
    expect(sampleOffset({ t0: 5, t1: 10, t2: 10.5, t3: 5.1 })).toBeNull(); // held longer than the trip
    expect(sampleOffset({ t0: Number.NaN, t1: 10, t2: 10, t3: 6 })).toBeNull();
    expect(sampleOffset({ t0: 5, t1: Number.POSITIVE_INFINITY, t2: 10, t3: 6 })).toBeNull();
  });
});

describe('estimateClock', () => {
  it('is null without a usable sample', () => {
    expect(estimateClock([])).toBeNull();
    expect(estimateClock([{ t0: 5, t1: 10, t2: 9, t3: 6 }])).toBeNull();
  });

  it('takes the sample with the shortest round trip and reports half of it as the error', () => {
    const samples: ClockSample[] = [
      { t0: 0, t1: 100.05, t2: 100.05, t3: 0.06 }, // 60 ms round trip
      { t0: 1, t1: 101.004, t2: 101.004, t3: 1.006 }, // 6 ms: the best
      { t0: 2, t1: 102.02, t2: 102.02, t3: 2.03 },
    ];
    const e = estimateClock(samples);
    expect(e?.roundTrip).toBeCloseTo(0.006, 9);
    expect(e?.error).toBeCloseTo(0.003, 9);
    expect(e?.offset).toBeCloseTo(100.001, 9);
    expect(e?.samples).toBe(3);
  });

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`keeps the true offset within the reported error under asymmetric jitter (seed ${seed})`, () => {
      const rng = createRng(seed);
      const offset = rng.uniform(-5000, 5000);
      // Out: 8 ms plus exponential jitter of mean 20 ms (a busy Wi-Fi uplink); back: 2 ms plus 1 ms.
      const out = () => 0.008 + exponential(rng, 0.02);
      const back = () => 0.002 + exponential(rng, 0.001);
      const samples = Array.from({ length: 8 }, (_, i) => exchange(offset, 100 + i * 0.5, out, back));
      const e = estimateClock(samples);
      if (!e) throw new Error('no estimate');
      expect(Math.abs(e.offset - offset)).toBeLessThanOrEqual(e.error + 1e-9);
      // The best of eight trips escapes most of the jitter: the error stays near the 10 ms floor.
      expect(e.error).toBeLessThan(0.02);
      // Averaging every sample's offset would carry the asymmetry: the best sample does better.
      const mean = samples.reduce((sum, s) => sum + (sampleOffset(s)?.offset ?? 0), 0) / samples.length;
      expect(Math.abs(e.offset - offset)).toBeLessThan(Math.abs(mean - offset));
      expect(toSessionTime(200, e)).toBeCloseTo(200 + offset, 1);
    });
  }
});

describe('ClockSync', () => {
  it('pairs pongs with its pings and estimates from them', () => {
    const sync = new ClockSync();
    expect(sync.estimate()).toBeNull();
    const ping = sync.ping(10);
    expect(ping).toEqual({ type: 'ping', id: 0, t0: 10 });
    expect(sync.pong({ type: 'pong', id: ping.id, t0: 10, t1: 50.01, t2: 50.01 }, 10.02)).toBe(true);
    expect(sync.estimate()?.offset).toBeCloseTo(40, 9);
    expect(sync.estimate()?.error).toBeCloseTo(0.01, 9);
  });

  it('ignores a pong of no ping, a pong twice, and a pong whose t0 was changed', () => {
    const sync = new ClockSync();
    const ping = sync.ping(10);
    expect(sync.pong({ type: 'pong', id: 99, t0: 10, t1: 50, t2: 50 }, 10.02)).toBe(false);
    expect(sync.pong({ type: 'pong', id: ping.id, t0: 11, t1: 50, t2: 50 }, 10.02)).toBe(false);
    expect(sync.pong({ type: 'pong', id: ping.id, t0: 10, t1: 50, t2: 50 }, 10.02)).toBe(true);
    expect(sync.pong({ type: 'pong', id: ping.id, t0: 10, t1: 50, t2: 50 }, 10.02)).toBe(false);
    expect(sync.estimate()?.samples).toBe(1);
  });

  it('keeps only the most recent samples, so an old good sample does not outlive a clock change', () => {
    const sync = new ClockSync(2);
    const answer = (device: number, offset: number, trip: number) => {
      const p = sync.ping(device);
      sync.pong(
        {
          type: 'pong',
          id: p.id,
          t0: device,
          t1: device + offset + trip / 2,
          t2: device + offset + trip / 2,
        },
        device + trip,
      );
    };
    answer(0, 100, 0.001);
    answer(1, 200, 0.01);
    answer(2, 200, 0.02);
    expect(sync.estimate()?.offset).toBeCloseTo(200, 9);
    expect(sync.estimate()?.samples).toBe(2);
    expect(() => new ClockSync(0)).toThrow('got: 0');
  });
});
