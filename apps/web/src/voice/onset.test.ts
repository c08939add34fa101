import { describe, expect, it } from 'vitest';
import { OnsetDetector } from './onset.ts';

const STEP = 0.0025;

function run(levels: (i: number) => number, count: number): number[] {
  const detector = new OnsetDetector(STEP);
  const found: number[] = [];
  for (let i = 0; i < count; i++) {
    const onset = detector.update(i * STEP, levels(i));
    if (onset !== null) found.push(onset);
  }
  return found;
}

describe('OnsetDetector', () => {
  it('finds a step up in level where the rise began', () => {
    const found = run((i) => (i < 200 ? -60 : -20), 400);
    expect(found).toHaveLength(1);
    expect(Math.abs((found[0] as number) - 200 * STEP)).toBeLessThanOrEqual(STEP);
  });

  it('finds a soft 25 ms attack at its start, once', () => {
    const found = run((i) => -60 + Math.max(0, Math.min(40, ((i - 200) * 40) / 10)), 400);
    expect(found).toHaveLength(1);
    expect(Math.abs((found[0] as number) - 200 * STEP)).toBeLessThanOrEqual(2 * STEP);
  });

  it('ignores ripples of a few dB and a slow swell', () => {
    expect(run((i) => -50 + 3 * Math.sin(i * 1.7), 2000)).toEqual([]);
    expect(run((i) => -70 + i * 0.02, 2000)).toEqual([]);
  });

  it('hears repeated syllables that dip between them', () => {
    const found = run((i) => (Math.floor(i / 60) % 2 === 1 ? -25 : -45), 480);
    expect(found.map((t) => Math.round(t / STEP / 60))).toEqual([1, 3, 5, 7]);
  });

  it('reads digital silence as −100 dB, so a whisper after it is one onset', () => {
    const found = run((i) => (i < 100 ? Number.NEGATIVE_INFINITY : -60 + (i % 2)), 300);
    expect(found).toHaveLength(1);
  });
});
