/**
 * The tables of the studio's store and their migrations. Written with Kysely's schema builder
 * so one definition serves SQLite and PostgreSQL; times are stored as ISO text (wall clock) or
 * seconds on the session clock (musical events), and event payloads as JSON text.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { ratingsMigration } from '../assessment/tables.ts';
import { recordsMigration } from '../records/tables.ts';
import { summaryMeasuresMigration, summaryMigration } from '../review/summary-tables.ts';
import { reviewMigration } from '../review/tables.ts';
import { sharesMigration } from '../share/tables.ts';

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
    /** The room code of its latest room, kept so a resumed session keeps its join link. */
    room_code: string | null;
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
  account: {
    id: string;
    name: string;
    /** Lowercased and trimmed, so one person cannot hold two accounts by capitals. */
    email: string;
    role: 'admin' | 'therapist';
    password_hash: string;
    created_at: string;
    disabled_at: string | null;
  };
  auth_session: {
    /** SHA-256 of the cookie's token, so a copy of the database opens no one's session. */
    id: string;
    account_id: string;
    created_at: string;
    last_seen_at: string;
    address: string | null;
  };
  audit: {
    id: string;
    at: string;
    actor_id: string | null;
    action: string;
    target: string | null;
    address: string | null;
    detail: string;
  };
  /** Facts about the studio that hold once: the key is unique, so a fact cannot be set twice. */
  studio_fact: {
    key: string;
    value: string;
    set_at: string;
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
  '0002-accounts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('account')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('disabled_at', 'text')
        .execute();
      await db.schema
        .createTable('auth_session')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('account.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('address', 'text')
        .execute();
      await db.schema.createIndex('auth_session_account').on('auth_session').column('account_id').execute();
      await db.schema
        .createTable('audit')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('address', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_at').on('audit').column('at').execute();
      await db.schema
        .createTable('studio_fact')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('set_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('live_session').addColumn('room_code', 'text').execute();
      await db.schema
        .createIndex('live_session_therapist')
        .on('live_session')
        .column('therapist_id')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('live_session_therapist').execute();
      await db.schema.alterTable('live_session').dropColumn('room_code').execute();
      await db.schema.dropTable('studio_fact').execute();
      await db.schema.dropTable('audit').execute();
      await db.schema.dropTable('auth_session').execute();
      await db.schema.dropTable('account').execute();
    },
  },
  /** Client records: clients, groups, assignments, session links and notes (records/tables.ts). */
  '0003-records': recordsMigration,
  /** Marks added, edited and deleted in review, beside the append-only log; tag lists (review/tables.ts). */
  '0004-review-marks': reviewMigration,
  /** Assessment ratings of a session, one per rater, scale, item and client lane (assessment/tables.ts). */
  '0005-ratings': ratingsMigration,
  /** Clips shared with a client's family: span, note, expiring link (share/tables.ts). */
  '0006-shares': sharesMigration,
  /** What the review opens a recording with, made once from its log (review/summary-tables.ts). */
  '0007-session-summaries': summaryMigration,
  /** The summary's measures kept apart from its lanes, for progress and suggestions (review/summary-tables.ts). */
  '0008-summary-measures': summaryMeasuresMigration,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the database up to the newest schema; throws with the failing migration's name.
 * `schema` names the PostgreSQL schema holding the tables (Kysely would otherwise find its
 * bookkeeping tables in any schema of the database and use the wrong ones).
 */
export async function migrate(db: Kysely<Database>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  let { error, results } = await migrator.migrateToLatest();
  // Before migrating, Kysely reads the tables of every schema of the database. A schema another
  // studio or tool drops at that moment fails the read, though nothing of ours changed: try again.
  for (let retry = 0; retry < 3 && error && vanishedSchema(error, schema); retry++) {
    ({ error, results } = await migrator.migrateToLatest());
  }
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Whether a migration failed only because some other schema disappeared while it was read. */
export function vanishedSchema(error: unknown, ours: string | undefined): boolean {
  const match = /schema "([^"]+)" does not exist/.exec(
    error instanceof Error ? error.message : String(error),
  );
  return match !== null && match[1] !== (ours ?? 'public');
}

/** Used by tests and health checks: a trivial round trip to the database. */
export async function ping(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
  return rows[0]?.one === 1;
}
