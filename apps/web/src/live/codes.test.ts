import { describe, expect, it } from 'vitest';
import { normaliseCode } from './codes.ts';

describe('a typed room code', () => {
  it('is raised to capitals with spaces and dashes left out', () => {
    expect(normaliseCode(' k7q-p2m ')).toEqual({ ok: true, code: 'K7QP2M' });
  });
  it('is refused with a plain reason when empty, too short or not letters and numbers', () => {
    expect(normaliseCode('')).toMatchObject({ ok: false, reason: 'Type the code your therapist shows you.' });
    expect(normaliseCode('K7Q')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('this one has 3'),
    });
    expect(normaliseCode('K7Q!P2')).toMatchObject({
      ok: false,
      reason: 'A room code has only letters and numbers.',
    });
    expect(normaliseCode('A'.repeat(13)).ok).toBe(false);
  });
});
