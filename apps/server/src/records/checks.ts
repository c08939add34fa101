/**
 * The checks on what a record may hold, beyond the shape the API's schemas check: a date of birth
 * that is a real day in the past, names that are not blank once trimmed. Each failure is a
 * `RecordsError` with a sentence naming the field and what was sent; nothing is written.
 */

/** A request the records refuse; nothing changed. */
export class RecordsError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Longest name of a client or group. */
export const MAX_NAME = 200;
/** Longest display name: a first name or initials, as shown on every device in a live room. */
export const MAX_DISPLAY_NAME = 40;
/** Longest free-text notes on a client (the API's 16 KiB body limit bounds it too). */
export const MAX_CLIENT_NOTES = 10_000;
/** Longest session note. */
export const MAX_SESSION_NOTE = 10_000;
/** The earliest date of birth taken. */
const EARLIEST_BIRTH = '1900-01-01';

function invalid(message: string): RecordsError {
  return new RecordsError(400, 'invalid', message);
}

/** A name trimmed, or a refusal naming `field` when it is blank or too long. */
export function checkName(field: string, value: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw invalid(`${field} must not be blank.`);
  if (trimmed.length > max) throw invalid(`${field} may have at most ${max} characters.`);
  return trimmed;
}

/** Free text kept as written, within `max` characters. */
export function checkText(field: string, value: string, max: number, blank = true): string {
  if (!blank && value.trim().length === 0) throw invalid(`${field} must not be blank.`);
  if (value.length > max) throw invalid(`${field} may have at most ${max} characters.`);
  return value;
}

/**
 * A date of birth: `YYYY-MM-DD`, a day that exists in the calendar, from 1900 to `today`.
 * @example checkBirthDate('2016-02-29', '2026-01-01') // '2016-02-29'
 */
export function checkBirthDate(value: string, today: string): string {
  const shown = JSON.stringify(value.slice(0, 20));
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) throw invalid(`Birth date must be a date written YYYY-MM-DD, got: ${shown}.`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    throw invalid(`Birth date is not a day of the calendar: ${shown}.`);
  if (value < EARLIEST_BIRTH) throw invalid(`Birth date must be in 1900 or later, got: ${shown}.`);
  if (value > today.slice(0, 10)) throw invalid(`Birth date must not be in the future, got: ${shown}.`);
  return value;
}

/** A live room's participant id as the log names it (`p1`, `p2`, …). */
export function checkParticipant(value: string): string {
  if (!/^p[1-9][0-9]{0,3}$/.test(value))
    throw invalid(
      `A client's lane is a participant id such as p1, got: ${JSON.stringify(value.slice(0, 20))}.`,
    );
  return value;
}
