import { describe, expect, it } from 'vitest';
import { keyScore } from './key.ts';

const key = (tonicPc: number, mode: string) => ({ tonicPc, mode });

describe('keyScore', () => {
  it('gives 1 for the same key', () => {
    expect(keyScore(key(0, 'major'), key(0, 'major'))).toBe(1);
    expect(keyScore(key(2, 'dorian'), key(2, 'dorian'))).toBe(1);
  });

  it('gives 0.5 for the key a fifth above in the same mode, and not a fifth below', () => {
    expect(keyScore(key(0, 'major'), key(7, 'major'))).toBe(0.5);
    expect(keyScore(key(9, 'minor'), key(4, 'minor'))).toBe(0.5);
    expect(keyScore(key(0, 'major'), key(5, 'major'))).toBe(0);
    expect(keyScore(key(0, 'major'), key(7, 'minor'))).toBe(0);
  });

  it('gives 0.3 for the relative major or minor', () => {
    expect(keyScore(key(0, 'major'), key(9, 'minor'))).toBe(0.3);
    expect(keyScore(key(9, 'minor'), key(0, 'major'))).toBe(0.3);
    expect(keyScore(key(0, 'major'), key(9, 'dorian'))).toBe(0);
  });

  it('gives 0.2 for the parallel key', () => {
    expect(keyScore(key(0, 'major'), key(0, 'minor'))).toBe(0.2);
    expect(keyScore(key(2, 'minor'), key(2, 'dorian'))).toBe(0.2);
  });

  it('gives 0 for unrelated keys', () => {
    expect(keyScore(key(0, 'major'), key(6, 'major'))).toBe(0);
    expect(keyScore(key(0, 'major'), key(3, 'minor'))).toBe(0);
  });

  it('refuses a tonic that is not a pitch class', () => {
    expect(() => keyScore(key(12, 'major'), key(0, 'major'))).toThrow(/got: 12/);
    expect(() => keyScore(key(0, 'major'), key(1.5, 'major'))).toThrow(/got: 1.5/);
  });
});
