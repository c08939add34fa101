import { describe, expect, it } from 'vitest';
import { assertRange, bpmOf, periodOf, sameTime } from './index.ts';

describe('time', () => {
  it('converts between tempo and period', () => {
    expect(periodOf(120)).toBe(0.5);
    expect(bpmOf(0.75)).toBe(80);
  });
  it('refuses a tempo that is not positive, naming the value', () => {
    expect(() => periodOf(0)).toThrow('got: 0');
    expect(() => periodOf(Number.NaN)).toThrow('got: NaN');
    expect(() => bpmOf(-1)).toThrow('got: -1');
  });
  it('compares instants with an epsilon', () => {
    expect(sameTime(1, 1 + 1e-9)).toBe(true);
    expect(sameTime(1, 1.001)).toBe(false);
  });
  it('checks ranges', () => {
    expect(() => assertRange('energy', 1.7, 0, 1)).toThrow('energy must be between 0 and 1, got: 1.7');
    expect(() => assertRange('energy', 0.5, 0, 1)).not.toThrow();
  });
});
