/**
 * The studio's store: one interface, two databases. SQLite (a file under the data folder, in WAL
 * mode) is what a new studio gets; PostgreSQL is chosen by `DATABASE_URL`. Both run the same
 * Kysely queries and pass one contract suite (`store.contract.test.ts`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { Journal } from './journal.ts';
import { connectSqlite, JournalThread } from './journal-thread.ts';
import { type Database, migrate } from './schema.ts';
import { SessionLog } from './session-log.ts';

export { type BatchWriter, Journal, type JournalTally, type LogWriter } from './journal.ts';
export { JournalThread } from './journal-thread.ts';
export type { Database } from './schema.ts';
export {
  type Appended,
  type AppendInput,
  type AppendOutcome,
  type AppendRequest,
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
  /** Where a failure the store survives is reported (its SQLite writer thread died and restarts). */
  readonly onError?: (error: unknown, where: string) => void;
}

/** An open store: the session log, the journal the rooms write through, and a way to close it. */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  readonly sessions: SessionLog;
  /**
   * The one writer of every live room's events: appends from all rooms committed together
   * (`journal.ts`), on SQLite by a thread of its own so the disk never holds up the rooms.
   */
  readonly journal: Journal;
  /** The SQLite writer thread (null on PostgreSQL and for an in-memory SQLite store). */
  readonly thread: JournalThread | null;
  /** Writes what the journal holds, stops its thread and closes the connections. */
  close(): Promise<void>;
}

/** Opens (and migrates) the store the options point at. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const url = options.databaseUrl?.trim();
  if (url) return openPostgres(url);
  mkdirSync(options.dataDir, { recursive: true });
  return openSqlite(join(options.dataDir, 'attune.sqlite'), options);
}

/**
 * Opens SQLite at `path` in WAL mode with full sync, with the journal's writer thread on the same
 * file. `':memory:'` gives a throwaway store whose journal writes in this thread (a thread cannot
 * share an in-memory database).
 */
export async function openSqlite(path: string, options: Pick<StoreOptions, 'onError'> = {}): Promise<Store> {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connectSqlite(path) }) });
  return finish('sqlite', db, undefined, async (sessions) => {
    if (path === ':memory:') return { thread: null, journal: new Journal((r) => sessions.appendAll(r)) };
    const thread = await JournalThread.start(path, options.onError ? { onError: options.onError } : {});
    return { thread, journal: new Journal(thread.write) };
  });
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

/** The PostgreSQL pool writes asynchronously: its journal needs no thread. */
const inline = async (sessions: SessionLog) => ({
  thread: null,
  journal: new Journal((requests) => sessions.appendAll(requests)),
});

async function finish(
  kind: Store['kind'],
  db: Kysely<Database>,
  schema: string | undefined,
  writer: (sessions: SessionLog) => Promise<{ thread: JournalThread | null; journal: Journal }> = inline,
): Promise<Store> {
  const sessions = new SessionLog(db);
  let journal: Journal;
  let thread: JournalThread | null;
  try {
    // The tables exist before the writer thread opens the file.
    await migrate(db, schema);
    ({ journal, thread } = await writer(sessions));
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    kind,
    db,
    sessions,
    journal,
    thread,
    async close() {
      try {
        await journal.close();
        await thread?.close();
      } finally {
        await db.destroy();
      }
    },
  };
}
