import { describe, expect, it } from 'vitest';
import { clockOf, dayInWords, lengthInWords, readClock } from './clock.ts';

describe('readClock', () => {
  it('reads minutes and seconds, hours, and plain seconds', () => {
    expect(readClock('2:05.5')).toBe(125.5);
    expect(readClock(' 0:03 ')).toBe(3);
    expect(readClock('1:00:00')).toBe(3600);
    expect(readClock('90')).toBe(90);
    expect(readClock('12.25')).toBe(12.25);
  });

  it('reads nothing into what is not a time', () => {
    for (const text of ['', 'soon', '1:60', '1.5:00', '-3', '1:2:3:4', '2:', '1e3'])
      expect(readClock(text)).toBeNull();
  });
});

describe('clockOf', () => {
  it('writes tenths of a second, with hours only past an hour', () => {
    expect(clockOf(125.5)).toBe('2:05.5');
    expect(clockOf(0)).toBe('0:00.0');
    expect(clockOf(59.96)).toBe('1:00.0');
    expect(clockOf(3725.25)).toBe('1:02:05.3');
    expect(readClock(clockOf(125.5))).toBe(125.5);
  });
});

describe('lengthInWords', () => {
  it('says minutes and seconds', () => {
    expect(lengthInWords(75)).toBe('1 minute 15 seconds');
    expect(lengthInWords(120)).toBe('2 minutes');
    expect(lengthInWords(1)).toBe('1 second');
    expect(lengthInWords(0.2)).toBe('0 seconds');
  });
});

describe('dayInWords', () => {
  it('names the day in full', () => {
    expect(dayInWords('2026-12-02T10:00:00.000Z', 'en-GB')).toBe('Wednesday, 2 December 2026');
  });
});
