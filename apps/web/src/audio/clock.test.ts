import { describe, expect, it } from 'vitest';
import { SessionClock } from './clock.ts';

describe('SessionClock', () => {
  it('counts session time from the audio time it was made at', () => {
    const audio = { currentTime: 12.5 };
    const clock = new SessionClock(audio);
    expect(clock.now()).toBe(0);
    audio.currentTime = 14;
    expect(clock.now()).toBe(1.5);
    expect(clock.toAudio(2)).toBe(14.5);
    expect(clock.fromAudio(14.5)).toBe(2);
  });

  it('takes an origin given by a clock exchange, and refuses one that is not a number', () => {
    const clock = new SessionClock({ currentTime: 3 }, -97);
    expect(clock.now()).toBe(100);
    expect(() => new SessionClock({ currentTime: 0 }, Number.NaN)).toThrow(/got: NaN/);
  });
});
