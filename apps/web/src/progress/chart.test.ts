import { describe, expect, it } from 'vitest';
import { dateLabel, dateTicks, linePath, valueRange, xScale, yScale } from './chart.ts';

const frame = { width: 400, height: 200, left: 40, right: 10, top: 10, bottom: 30 };

describe('a progress chart’s geometry', () => {
  it('places sessions by date, so a long gap shows as one', () => {
    const x = xScale(['2026-01-01', '2026-01-08', '2026-03-01'], frame);
    expect(x('2026-01-01')).toBe(40);
    expect(x('2026-03-01')).toBe(390);
    expect(x('2026-01-08')).toBeCloseTo(40 + (7 / 59) * 350);
    expect(xScale(['2026-01-01'], frame)('2026-01-01')).toBe(215);
  });

  it('places values with the low end at the bottom', () => {
    const y = yScale(1, 7, frame);
    expect(y(1)).toBe(170);
    expect(y(7)).toBe(10);
    expect(y(4)).toBe(90);
  });

  it('finds a round range and ticks that hold a measure’s values', () => {
    expect(valueRange([92, 101, 117])).toEqual({ lo: 90, hi: 120, ticks: [90, 100, 110, 120] });
    expect(valueRange([0.2, 0.93])).toEqual({ lo: 0.2, hi: 1, ticks: [0.2, 0.4, 0.6, 0.8, 1] });
    const one = valueRange([100]);
    expect(one.lo).toBeLessThan(100);
    expect(one.hi).toBeGreaterThan(100);
  });

  it('joins points in order and labels at most so many dates, first and last always', () => {
    expect(
      linePath([
        { x: 1, y: 2 },
        { x: 3.25, y: 4 },
      ]),
    ).toBe('M1.0,2.0 L3.3,4.0');
    const dates = Array.from({ length: 20 }, (_, i) => `2026-01-${String(i + 1).padStart(2, '0')}`);
    const ticks = dateTicks(dates, 6);
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect(ticks[0]).toBe('2026-01-01');
    expect(ticks[ticks.length - 1]).toBe('2026-01-20');
    expect(dateTicks(dates.slice(0, 3), 6)).toEqual(dates.slice(0, 3));
    expect(dateLabel('2026-03-03T10:00:00Z', false)).toBe('3 Mar');
    expect(dateLabel('2026-03-03T10:00:00Z', true)).toBe('3 Mar 2026');
    expect(dateLabel('2026-03-03T10:05:00Z', false, true)).toBe('3 Mar 10:05');
  });
});
