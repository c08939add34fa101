import { describe, expect, it } from 'vitest';
import { AttemptLimit, LOGIN_RULE } from './attempt-limit.ts';

describe('AttemptLimit', () => {
  it('locks an address out for five minutes at its fifth failure within a minute', () => {
    let now = 1000;
    const limit = new AttemptLimit(LOGIN_RULE, () => now);
    for (let i = 0; i < 4; i++) {
      expect(limit.fail('a')).toBe(0);
      now += 10;
    }
    expect(limit.wait('a')).toBe(0);
    expect(limit.fail('a')).toBe(300);
    expect(limit.wait('a')).toBe(300);
    expect(limit.wait('b')).toBe(0);
    now += 299;
    expect(limit.wait('a')).toBe(1);
    now += 1;
    expect(limit.wait('a')).toBe(0);
  });

  it('forgets failures older than the window, and all of them after a success', () => {
    let now = 0;
    const limit = new AttemptLimit(LOGIN_RULE, () => now);
    for (let i = 0; i < 4; i++) limit.fail('a');
    now += 61;
    expect(limit.fail('a')).toBe(0);
    for (let i = 0; i < 3; i++) limit.fail('a');
    limit.clear('a');
    expect(limit.fail('a')).toBe(0);
  });
});
