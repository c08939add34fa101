/**
 * For the review's HTTP tests: a fresh studio for each test on SQLite or on PostgreSQL (a database
 * of the test file's own, emptied before each test and dropped after), with an admin (Anna Berg),
 * a therapist (Ben Ode) and another therapist (Cleo), each logged in over HTTP.
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openPostgres } from '../storage/index.ts';
import { type Browser, loggedIn, tempStudio } from '../test-support.ts';

const POSTGRES_URL = process.env.ATTUNE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
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
 * Registers the hooks of a describe block for `kind` and returns what the current test has; call
 * it in the block, read it in a `beforeEach` registered after it, or in the tests.
 */
export function reviewStudios(kind: 'sqlite' | 'postgres', prefix: string): () => ReviewStudio {
  const database = `${prefix}_${process.pid}_${Math.floor(Math.random() * 1e6)}_${kind}`;
  const pgUrl = new URL(POSTGRES_URL);
  pgUrl.pathname = `/${database}`;
  let current: ReviewStudio | null = null;

  beforeAll(async () => {
    if (kind !== 'postgres') return;
    const root = await openPostgres(POSTGRES_URL);
    await sql.raw(`create database ${database}`).execute(root.db);
    await root.close();
  });
  afterAll(async () => {
    if (kind !== 'postgres') return;
    const root = await openPostgres(POSTGRES_URL);
    await sql.raw(`drop database if exists ${database} with (force)`).execute(root.db);
    await root.close();
  });
  beforeEach(async () => {
    if (kind === 'postgres') {
      const root = await openPostgres(pgUrl.toString());
      await sql.raw('drop schema public cascade; create schema public').execute(root.db);
      await root.close();
    }
    const studio = await tempStudio({
      companion: false,
      ...(kind === 'postgres' ? { databaseUrl: pgUrl.toString() } : {}),
    });
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
