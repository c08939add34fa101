/**
 * The stores the contract tests run on, so every test about what is kept holds on both: SQLite in a
 * fresh temporary folder, and PostgreSQL for real (127.0.0.1:5432, database `test`, or
 * `ATTUNE_TEST_DATABASE_URL`) in a fresh schema per store. Afterwards the folders and this run's
 * schemas are removed, so the shared test database does not fill up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { openPostgres, openSqlite, type Store } from './index.ts';

/** The PostgreSQL the tests use. */
export const POSTGRES_URL = process.env.ATTUNE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A named way to open a fresh, empty store, as `describe.each` takes it. */
export type Backend = [name: string, open: () => Promise<Store>];

/** The backends of one test file, and how to remove what they made. */
export interface TestStores {
  readonly backends: Backend[];
  /** A fresh temporary folder, removed with the rest (for a test that opens a store itself). */
  folder(): string;
  /** Removes every SQLite folder and PostgreSQL schema opened through `backends` (for `afterAll`). */
  removeAll(): Promise<void>;
}

/**
 * Fresh stores for the tests of `name` (a word: `accounts`, `records`): folders `attune-NAME-…`,
 * schemas `attune_NAME_<pid>_<random>_<n>`, so files run at once never share one.
 */
export function testStores(name: string): TestStores {
  const runId = `${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const dirs: string[] = [];
  let schemas = 0;
  const folder = (): string => {
    const dir = mkdtempSync(join(tmpdir(), `attune-${name}-`));
    dirs.push(dir);
    return dir;
  };
  return {
    folder,
    backends: [
      ['sqlite', async () => openSqlite(join(folder(), 'attune.sqlite'))],
      ['postgres', () => openPostgres(POSTGRES_URL, `attune_${name}_${runId}_${schemas++}`)],
    ],
    async removeAll() {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      const admin = await openPostgres(POSTGRES_URL);
      const { rows } = await sql<{
        nspname: string;
      }>`select nspname from pg_namespace where nspname like ${`attune_${name}_${runId}_%`}`.execute(
        admin.db,
      );
      for (const { nspname } of rows) await sql.raw(`drop schema ${nspname} cascade`).execute(admin.db);
      await admin.close();
    },
  };
}

/**
 * A fresh PostgreSQL database of its own (`attune_NAME_<pid>_<random>`), for a test that starts a
 * whole studio on PostgreSQL, and how to drop it afterwards.
 */
export async function freshDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const database = `attune_${name}_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const server = await openPostgres(POSTGRES_URL);
  await sql.raw(`create database ${database}`).execute(server.db);
  await server.close();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = await openPostgres(POSTGRES_URL);
      await sql.raw(`drop database if exists ${database} with (force)`).execute(again.db);
      await again.close();
    },
  };
}

/**
 * For a `describe` block that starts a whole studio for each test on `kind`: on PostgreSQL a
 * database of the block's own ({@link freshDatabase}), made before its tests and dropped after
 * them. Call it in the block; the function it returns empties that database and answers what to
 * add to `tempStudio`'s options (nothing on SQLite, whose studio keeps its own folder), for a
 * `beforeEach`.
 */
export function studioDatabase(
  kind: 'sqlite' | 'postgres',
  name: string,
): () => Promise<{ databaseUrl?: string }> {
  let database: Awaited<ReturnType<typeof freshDatabase>> | null = null;
  beforeAll(async () => {
    if (kind === 'postgres') database = await freshDatabase(name);
  });
  afterAll(async () => {
    await database?.drop();
    database = null;
  });
  return async () => {
    if (!database) return {};
    const emptied = await openPostgres(database.url);
    await sql.raw('drop schema public cascade; create schema public').execute(emptied.db);
    await emptied.close();
    return { databaseUrl: database.url };
  };
}
