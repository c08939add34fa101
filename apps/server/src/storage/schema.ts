/**
 * The tables of the studio's store and their migrations. Written with Kysely's schema builder
 * so one definition serves SQLite and PostgreSQL; times are stored as ISO text (wall clock) or
 * seconds on the session clock (musical events), and event payloads as JSON text.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

/** The database as Kysely sees it. */
export interface Database {
  live_session: {
    id: string;
    therapist_id: string | null;
    title: string;
    status: 'open' | 'closed';
    started_at: string;
    ended_at: string | null;
    next_seq: number;
  };
  session_event: {
    session_id: string;
    seq: number;
    participant: string;
    client_seq: number;
    t: number;
    type: string;
    payload: string;
    received_at: string;
  };
}

const migrations: Record<string, Migration> = {
  '0001-session-log': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('live_session')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('therapist_id', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addColumn('next_seq', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createTable('session_event')
        .addColumn('session_id', 'text', (c) => c.notNull().references('live_session.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('participant', 'text', (c) => c.notNull())
        .addColumn('client_seq', 'integer', (c) => c.notNull())
        .addColumn('t', 'double precision', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('session_event_pk', ['session_id', 'seq'])
        .addUniqueConstraint('session_event_resend', ['session_id', 'participant', 'client_seq'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('session_event').execute();
      await db.schema.dropTable('live_session').execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the database up to the newest schema; throws with the failing migration's name.
 * `schema` names the PostgreSQL schema holding the tables (Kysely would otherwise find its
 * bookkeeping tables in any schema of the database and use the wrong ones).
 */
export async function migrate(db: Kysely<Database>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Used by tests and health checks: a trivial round trip to the database. */
export async function ping(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
  return rows[0]?.one === 1;
}
