import { describe, expect, it } from 'vitest';
import { emailProblem, MIN_PASSWORD, passwordProblem } from './password.ts';

const who = { email: 'ann.lee@clinic.org', name: 'Ann Lee' };

describe('the password rules', () => {
  it('asks for the studio’s length, counting characters rather than UTF-16 units', () => {
    expect(MIN_PASSWORD).toBe(10);
    expect(passwordProblem('short', who)).toBe('The password needs at least 10 characters; it has 5.');
    expect(passwordProblem('🎹🎹🎹🎹🎹', who)).toBe('The password needs at least 10 characters; it has 5.');
    expect(passwordProblem('blue violin morning', who)).toBeNull();
  });

  it('refuses the account’s own email or name', () => {
    expect(passwordProblem('Ann.Lee@clinic.org', who)).toBe(
      'The password must not be your email address or your name.',
    );
    expect(passwordProblem('ann lee   ', { ...who, name: 'Ann Lee   ' })).not.toBeNull();
  });

  it('asks for a whole email address', () => {
    expect(emailProblem('')).toBe('Write your email address.');
    expect(emailProblem('ann@clinic')).toBe('Write the full email address, like name@example.org.');
    expect(emailProblem('ann lee@clinic.org')).not.toBeNull();
    expect(emailProblem('ann@clinic.org')).toBeNull();
  });
});
