import { describe, expect, it } from 'vitest';
import {
  clampView,
  follow,
  MIN_SPAN,
  pan,
  parseTime,
  tickStep,
  timeAt,
  timeLabel,
  wholeView,
  xOf,
  zoomAt,
} from './view.ts';

const bounds = { from: 0, to: 3600 };

describe('the review view', () => {
  it('zooms about the anchor, from the whole hour down to half a second and back', () => {
    expect(zoomAt({ from: 0, to: 100 }, 0.5, 50, bounds)).toEqual({ from: 25, to: 75 });
    // The anchor stays under the pointer.
    const v = zoomAt({ from: 100, to: 200 }, 0.25, 180, bounds);
    expect((180 - v.from) / (v.to - v.from)).toBeCloseTo(0.8, 9);
    let view = bounds;
    for (let i = 0; i < 40; i++) view = zoomAt(view, 0.5, 1234, bounds);
    expect(view.to - view.from).toBe(MIN_SPAN);
    expect(view.from).toBeLessThanOrEqual(1234);
    expect(view.to).toBeGreaterThanOrEqual(1234);
    for (let i = 0; i < 40; i++) view = zoomAt(view, 2, 1234, bounds);
    expect(view).toEqual(bounds);
  });

  it('pans and follows without leaving the session', () => {
    expect(pan({ from: 10, to: 20 }, -30, bounds)).toEqual({ from: 0, to: 10 });
    expect(pan({ from: 3580, to: 3590 }, 30, bounds)).toEqual({ from: 3590, to: 3600 });
    expect(clampView({ from: -5, to: 5000 }, bounds)).toEqual(bounds);
    expect(follow({ from: 0, to: 10 }, 5, bounds)).toEqual({ from: 0, to: 10 });
    expect(follow({ from: 0, to: 10 }, 12, bounds)).toEqual({ from: 11, to: 21 });
  });

  it('maps time and pixels both ways', () => {
    const view = { from: 60, to: 120 };
    expect(xOf(90, view, 600)).toBe(300);
    expect(timeAt(300, view, 600)).toBe(90);
  });

  it('pads the whole session and gives short sessions room', () => {
    expect(wholeView(0, 3000)).toEqual({ from: 0, to: 3060 });
    expect(wholeView(2, 4).to - wholeView(2, 4).from).toBeCloseTo(10.4, 9);
  });

  it('spaces tick labels and writes times as therapists read them', () => {
    expect(tickStep({ from: 0, to: 3600 }, 1000)).toBe(300);
    expect(tickStep({ from: 0, to: 2 }, 1000)).toBe(0.25);
    expect(timeLabel(75.3)).toBe('1:15');
    expect(timeLabel(75.34, 1)).toBe('1:15.3');
    expect(timeLabel(3725)).toBe('1:02:05');
    expect(timeLabel(5.05, 2)).toBe('0:05.05');
  });

  it('reads a time as a therapist writes it, and refuses what is not one', () => {
    expect(parseTime('1:15.3')).toBeCloseTo(75.3, 9);
    expect(parseTime(' 0:05 ')).toBe(5);
    expect(parseTime('1:02:03')).toBe(3723);
    expect(parseTime('42.5')).toBe(42.5);
    expect(parseTime(timeLabel(3725.4, 1))).toBeCloseTo(3725.4, 9);
    for (const bad of ['', 'soon', '1:75', '-3', '1::2', '1:2:3:4', '1,5'])
      expect(parseTime(bad), bad).toBeNull();
  });
});
