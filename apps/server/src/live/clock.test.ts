import { describe, expect, it } from 'vitest';
import { resumeAt, sessionClock } from './clock.ts';

const start = Date.parse('2026-11-25T10:00:00Z');

describe('resumeAt', () => {
  it('continues at the wall-clock time since the session started', () => {
    expect(resumeAt(12.5, start, start + 60_000)).toBe(60);
    expect(resumeAt(null, start, start + 90_000)).toBe(90);
  });

  it('never starts before the last logged event (a wall clock set back)', () => {
    expect(resumeAt(500, start, start + 60_000)).toBe(500);
    expect(resumeAt(null, start, start - 60_000)).toBe(0);
  });

  it('leaves a session open for days an hour to run, just after its last event', () => {
    expect(resumeAt(3000, start, start + 3 * 86_400_000)).toBe(3001);
  });
});

describe('sessionClock', () => {
  it('reads from its start and runs with the monotonic clock', () => {
    let mono = 1000;
    const clock = sessionClock(42, () => mono);
    expect(clock()).toBe(42);
    mono += 2.5;
    expect(clock()).toBe(44.5);
  });
});
