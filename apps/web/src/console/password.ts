/**
 * The rules a therapist's password must meet, said before they type and checked as they type, so
 * the setup form never refuses a password without having said why. The studio checks the same
 * length (10 characters) and answers `weak-password` otherwise.
 */

/** The shortest password the studio accepts. */
export const MIN_PASSWORD = 10;

/** The rules in words, as the form lists them. */
export const PASSWORD_RULES: readonly string[] = [
  `At least ${MIN_PASSWORD} characters. A few ordinary words in a row make a good one.`,
  'Not your email address or your name.',
];

/**
 * What is wrong with a new password, or null when it meets the rules.
 * @example passwordProblem('short', { email: 'a@b.org', name: 'Ann' }) // 'The password needs at least 10 characters; it has 5.'
 */
export function passwordProblem(password: string, who: { email: string; name: string }): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD)
    return `The password needs at least ${MIN_PASSWORD} characters; it has ${length}.`;
  const lower = password.trim().toLowerCase();
  if (lower === who.email.trim().toLowerCase() || lower === who.name.trim().toLowerCase())
    return 'The password must not be your email address or your name.';
  return null;
}

/**
 * A plain check of an email address's shape (something@somewhere.tld), for the form's message.
 * @example emailProblem('ann@clinic') // 'Write the full email address, like name@example.org.'
 */
export function emailProblem(email: string): string | null {
  if (email.trim() === '') return 'Write your email address.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()))
    return 'Write the full email address, like name@example.org.';
  return null;
}
