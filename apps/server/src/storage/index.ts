/**
 * The studio's store: one interface, two databases. SQLite (a file under the data folder, in WAL
 * mode) is what a new studio gets; PostgreSQL is chosen by `DATABASE_URL`. Both run the same
 * Kysely queries and pass one contract suite (`store.contract.test.ts`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { type Database, migrate } from './schema.ts';

export type { Database } from './schema.ts';

import { SessionLog } from './session-log.ts';

export {
  type Appended,
  type AppendInput,
  type LiveSession,
  type LoggedEvent,
  type LogTally,
  SessionLog,
  StoreError,
} from './session-log.ts';

/** Where the store lives: PostgreSQL when a URL is given, otherwise SQLite in `dataDir`. */
export interface StoreOptions {
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
}

/** An open store: the session log and a way to close the connection. */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  readonly sessions: SessionLog;
  close(): Promise<void>;
}

/** Opens (and migrates) the store the options point at. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const url = options.databaseUrl?.trim();
  if (url) return openPostgres(url);
  mkdirSync(options.dataDir, { recursive: true });
  return openSqlite(join(options.dataDir, 'attune.sqlite'));
}

/** Opens SQLite at `path` (':memory:' for a throwaway store) in WAL mode with full sync. */
export async function openSqlite(path: string): Promise<Store> {
  const database = new SQLite(path);
  // WAL lets readers (review, exports) run beside the live writer; synchronous=FULL makes each
  // commit durable on disk before the room acknowledges the events in it.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return finish('sqlite', db);
}

/** Opens PostgreSQL at `url`, optionally in its own schema (used by tests to stay apart). */
export async function openPostgres(url: string, schema?: string): Promise<Store> {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`schema name must be lowercase letters, digits and _, got: ${schema}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  if (schema) await pool.query(`create schema if not exists ${schema}`);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return finish('postgres', db, schema ?? 'public');
}

async function finish(kind: Store['kind'], db: Kysely<Database>, schema?: string): Promise<Store> {
  try {
    await migrate(db, schema);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { kind, db, sessions: new SessionLog(db), close: () => db.destroy() };
}
