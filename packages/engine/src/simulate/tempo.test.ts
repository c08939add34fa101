import { describe, expect, it } from 'vitest';
import { createTempoCurve } from './tempo.ts';

/** Seconds from beat a to beat b by summing 60 / bpm over small steps (midpoint rule). */
function integrate(bpmAtBeat: (b: number) => number, a: number, b: number): number {
  const n = 4000;
  const h = (b - a) / n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (60 / bpmAtBeat(a + (i + 0.5) * h)) * h;
  return s;
}

describe('createTempoCurve', () => {
  it('holds a steady tempo and extrapolates it', () => {
    const c = createTempoCurve(120);
    expect(c.timeAt(4)).toBeCloseTo(2, 12);
    expect(c.timeAt(-2)).toBeCloseTo(-1, 12);
    expect(c.beatAt(3)).toBeCloseTo(6, 12);
  });

  it.each([
    ['linear', 'beats'],
    ['exponential', 'beats'],
    ['linear', 'seconds'],
    ['exponential', 'seconds'],
  ] as const)('ramps %s over %s consistently: time is the integral of the beat period', (shape, measure) => {
    const c = createTempoCurve(80, [{ beats: 4 }, { [measure]: 16, to: 130, shape }, { beats: 8 }]);
    expect(c.bpmAtBeat(4)).toBeCloseTo(80, 9);
    for (const b of [5, 9.5, 14, 30]) {
      expect(c.timeAt(b)).toBeCloseTo(integrate(c.bpmAtBeat, 0, b), 6);
      expect(c.beatAt(c.timeAt(b))).toBeCloseTo(b, 9);
    }
    // After the ramp the tempo holds at its target.
    expect(c.bpmAtBeat(100)).toBeCloseTo(130, 6);
    expect(c.timeAt(101) - c.timeAt(100)).toBeCloseTo(60 / 130, 9);
  });

  it('reaches the middle tempo halfway through a linear ramp in beats and the geometric mean in an exponential one', () => {
    expect(createTempoCurve(90, [{ beats: 16, to: 120 }]).bpmAtBeat(8)).toBeCloseTo(105, 9);
    expect(createTempoCurve(90, [{ beats: 16, to: 160, shape: 'exponential' }]).bpmAtBeat(8)).toBeCloseTo(
      120,
      9,
    );
    expect(
      createTempoCurve(100, [{ seconds: 10, to: 50 }]).bpmAtBeat(
        createTempoCurve(100, [{ seconds: 10, to: 50 }]).beatAt(5),
      ),
    ).toBeCloseTo(75, 9);
  });

  it('changes suddenly by a factor or to a tempo', () => {
    const c = createTempoCurve(100, [{ beats: 32 }, { change: 1.2, beats: 8 }, { from: 60, beats: 4 }]);
    expect(c.bpmAtBeat(31.99)).toBeCloseTo(100, 9);
    expect(c.bpmAtBeat(32)).toBeCloseTo(120, 9);
    expect(c.timeAt(33) - c.timeAt(32)).toBeCloseTo(0.5, 12);
    expect(c.bpmAtBeat(41)).toBeCloseTo(60, 9);
  });

  it('rejects bad tempi and segments, naming the value', () => {
    expect(() => createTempoCurve(-92)).toThrow('got: -92');
    expect(() => createTempoCurve(0)).toThrow('got: 0');
    expect(() => createTempoCurve(Number.NaN)).toThrow('got: NaN');
    expect(() => createTempoCurve(100, [{ beats: 8, to: -3 }])).toThrow('got: -3');
    expect(() => createTempoCurve(100, [{ beats: -8 }])).toThrow('got: -8');
    expect(() => createTempoCurve(100, [{ to: 120 }])).toThrow('beats=undefined, seconds=undefined');
    expect(() => createTempoCurve(100, [{ beats: 4, seconds: 2 }])).toThrow('beats=4, seconds=2');
    expect(() => createTempoCurve(100, [{ beats: 4, change: 0 }])).toThrow('got: 0');
    expect(() => createTempoCurve(100, [{ beats: 4, shape: 'cubic' as 'linear' }])).toThrow('got: cubic');
  });
});
