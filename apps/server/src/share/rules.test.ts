import { describe, expect, it } from 'vitest';
import { RecordsError } from '../records/checks.ts';
import { checkNote, checkSpan, expiryOf, MAX_CLIP } from './rules.ts';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof RecordsError) return `${error.status} ${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('no refusal');
};

describe('checkSpan', () => {
  it('takes a span inside the recording, and one dragged a hair past its end', () => {
    expect(checkSpan(10, 40, 120)).toEqual({ from: 10, to: 40 });
    expect(checkSpan(0, 120.0005, 120)).toEqual({ from: 0, to: 120 });
    expect(checkSpan(0, MAX_CLIP, 3600)).toEqual({ from: 0, to: MAX_CLIP });
  });

  it('refuses what is not a span of this recording, saying what was sent', () => {
    expect(refusal(() => checkSpan(Number.NaN, 3, 10))).toBe(
      '400 invalid-span: The clip’s start and end must be numbers of seconds.',
    );
    expect(refusal(() => checkSpan(0, 3, null))).toBe(
      '400 invalid-span: This session has nothing recorded to share.',
    );
    expect(refusal(() => checkSpan(5, 5, 10))).toBe(
      '400 invalid-span: The clip must end after it starts, got 5 s to 5 s.',
    );
    expect(refusal(() => checkSpan(0, MAX_CLIP + 0.5, 3600))).toBe(
      '400 invalid-span: A clip may last at most 10 minutes, got 600.5 s: choose a shorter span.',
    );
    expect(refusal(() => checkSpan(1, 12.34, 10))).toBe(
      '400 invalid-span: The clip must end within the recording, which ends at 10 s, got: 12.3 s.',
    );
  });
});

describe('expiryOf', () => {
  it('counts whole days from now', () => {
    expect(expiryOf('2026-11-25T10:00:00.000Z', 1)).toBe('2026-11-26T10:00:00.000Z');
    expect(expiryOf('2026-11-25T10:00:00.000Z', 90)).toBe('2027-02-23T10:00:00.000Z');
  });

  it('refuses lives outside 1 to 90 whole days', () => {
    for (const days of [0, 91, 1.5, -1])
      expect(refusal(() => expiryOf('2026-11-25T10:00:00.000Z', days))).toBe(
        `400 invalid-expiry: A link lasts 1 to 90 whole days, got: ${days}.`,
      );
  });
});

describe('checkNote', () => {
  it('keeps a note as written, up to 2000 characters', () => {
    expect(checkNote('  Mia sang!  ')).toBe('  Mia sang!  ');
    expect(refusal(() => checkNote('x'.repeat(2001)))).toBe(
      '400 invalid: The note may have at most 2000 characters.',
    );
  });
});
