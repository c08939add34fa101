/**
 * The tables of client records and their migration: clients, groups and their members, which
 * therapist is assigned to which client or group, the link of a live session to its clients (with
 * the lane each played in) and to its group, and the therapists' notes on a session.
 *
 * Consent flags are integers 0/1 (one type on SQLite and PostgreSQL); dates of birth are text
 * `YYYY-MM-DD`; times are ISO text. Everything that names a client goes with the client
 * (`on delete cascade`), so an erasure cannot leave a link behind by forgetting a table.
 */
import type { Kysely, Migration } from 'kysely';
import type { Database } from '../storage/index.ts';

/** The records' tables as Kysely sees them (a type, not an interface: `withTables` needs its implicit index signature). */
export type RecordTables = {
  client: {
    id: string;
    name: string;
    /** `YYYY-MM-DD`. */
    birth_date: string;
    /** The name shown in live rooms: a first name or initials, never the full name. */
    display_name: string;
    consent_recording: number;
    consent_research: number;
    consent_family: number;
    notes: string;
    created_at: string;
    updated_at: string;
  };
  client_group: {
    id: string;
    name: string;
    created_at: string;
    updated_at: string;
  };
  group_member: {
    group_id: string;
    client_id: string;
  };
  client_assignment: {
    client_id: string;
    therapist_id: string;
  };
  group_assignment: {
    group_id: string;
    therapist_id: string;
  };
  /** A live session attached to a client; `participant` is the lane they played in (p1, p2…), if known. */
  session_client: {
    session_id: string;
    client_id: string;
    participant: string | null;
  };
  /** A live session attached to a group (at most one group per session). */
  session_group: {
    session_id: string;
    group_id: string;
  };
  session_note: {
    id: string;
    session_id: string;
    author_id: string | null;
    text: string;
    created_at: string;
    updated_at: string;
  };
};

/** The studio's database with the records' tables. */
export type RecordsDatabase = Database & RecordTables;

/** The records' database handle over a store's. */
export function recordsDb(db: Kysely<Database>): Kysely<RecordsDatabase> {
  return db.withTables<RecordTables>();
}

/** Migration `0003-records`. */
export const recordsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('client')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('birth_date', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('consent_recording', 'integer', (c) => c.notNull())
      .addColumn('consent_research', 'integer', (c) => c.notNull())
      .addColumn('consent_family', 'integer', (c) => c.notNull())
      .addColumn('notes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('client_group')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('group_member')
      .addColumn('group_id', 'text', (c) => c.notNull().references('client_group.id').onDelete('cascade'))
      .addColumn('client_id', 'text', (c) => c.notNull().references('client.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('group_member_pk', ['group_id', 'client_id'])
      .execute();
    await db.schema
      .createTable('client_assignment')
      .addColumn('client_id', 'text', (c) => c.notNull().references('client.id').onDelete('cascade'))
      .addColumn('therapist_id', 'text', (c) => c.notNull().references('account.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('client_assignment_pk', ['client_id', 'therapist_id'])
      .execute();
    await db.schema
      .createTable('group_assignment')
      .addColumn('group_id', 'text', (c) => c.notNull().references('client_group.id').onDelete('cascade'))
      .addColumn('therapist_id', 'text', (c) => c.notNull().references('account.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('group_assignment_pk', ['group_id', 'therapist_id'])
      .execute();
    await db.schema
      .createTable('session_client')
      .addColumn('session_id', 'text', (c) => c.notNull().references('live_session.id').onDelete('cascade'))
      .addColumn('client_id', 'text', (c) => c.notNull().references('client.id').onDelete('cascade'))
      .addColumn('participant', 'text')
      .addPrimaryKeyConstraint('session_client_pk', ['session_id', 'client_id'])
      .execute();
    await db.schema
      .createTable('session_group')
      .addColumn('session_id', 'text', (c) =>
        c.primaryKey().references('live_session.id').onDelete('cascade'),
      )
      .addColumn('group_id', 'text', (c) => c.notNull().references('client_group.id').onDelete('cascade'))
      .execute();
    await db.schema
      .createTable('session_note')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_id', 'text', (c) => c.notNull().references('live_session.id').onDelete('cascade'))
      .addColumn('author_id', 'text', (c) => c.references('account.id').onDelete('set null'))
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('client_assignment_therapist')
      .on('client_assignment')
      .column('therapist_id')
      .execute();
    await db.schema
      .createIndex('group_assignment_therapist')
      .on('group_assignment')
      .column('therapist_id')
      .execute();
    await db.schema.createIndex('group_member_client').on('group_member').column('client_id').execute();
    await db.schema.createIndex('session_client_client').on('session_client').column('client_id').execute();
    await db.schema.createIndex('session_group_group').on('session_group').column('group_id').execute();
    await db.schema.createIndex('session_note_session').on('session_note').column('session_id').execute();
    await db.schema.createIndex('audit_target').on('audit').column('target').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('audit_target').execute();
    for (const table of [
      'session_note',
      'session_group',
      'session_client',
      'group_assignment',
      'client_assignment',
      'group_member',
      'client_group',
      'client',
    ])
      await db.schema.dropTable(table).execute();
  },
};
