/**
 * For the review's HTTP tests: a fresh studio for each test on SQLite or on PostgreSQL (a database
 * of the test file's own, emptied before each test and dropped after), with an admin (Anna Berg),
 * a therapist (Ben Ode) and another therapist (Cleo), each logged in over HTTP.
 */
import { afterEach, beforeEach } from 'vitest';
import { studioDatabase } from '../storage/test-stores.ts';
import { type Browser, loggedIn, tempStudio } from '../test-support.ts';

export const anna = { name: 'Anna Berg', email: 'anna@clinic.example', password: 'correct horse battery' };
export const ben = { name: 'Ben Ode', email: 'ben@clinic.example', password: 'another long secret' };

/** A test's studio and the people logged in to it. */
export interface ReviewStudio {
  readonly studio: Awaited<ReturnType<typeof tempStudio>>;
  readonly admin: Browser;
  readonly therapist: Browser;
  readonly other: Browser;
}

/**
 * Registers the hooks of a describe block for `kind` (on PostgreSQL, a database named after `name`,
 * through {@link studioDatabase}) and returns what the current test has; call it in the block,
 * read it in a `beforeEach` registered after it, or in the tests.
 */
export function reviewStudios(kind: 'sqlite' | 'postgres', name: string): () => ReviewStudio {
  const database = studioDatabase(kind, name);
  let current: ReviewStudio | null = null;

  beforeEach(async () => {
    const studio = await tempStudio({ companion: false, ...(await database()) });
    const admin = await loggedIn(studio.url, anna, true);
    await admin.request('POST', '/api/therapists', ben);
    await admin.request('POST', '/api/therapists', { ...ben, name: 'Cleo', email: 'cleo@clinic.example' });
    const therapist = await loggedIn(studio.url, ben, false);
    const other = await loggedIn(studio.url, { ...ben, email: 'cleo@clinic.example' }, false);
    current = { studio, admin, therapist, other };
  });
  afterEach(async () => {
    await current?.studio.close();
    current = null;
  });
  return () => {
    if (!current) throw new Error('the review studio is made in beforeEach: read it in a test');
    return current;
  };
}
